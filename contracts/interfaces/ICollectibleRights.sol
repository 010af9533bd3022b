// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC5192} from "./IERC5192.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/**
 * @title ICollectibleRights: ERC-721 digital collections with rights (数字藏品)
 * @notice A collection (series) is one registered work: its content hash (sha256 of the media file) is
 * registered once in the whole registry, first registration wins (确权). Editions are ERC-721 tokens whose
 * id is derived from the collection and the serial: `tokenId = collectionId << 64 | serial`.
 *
 * Every movement of a token (mint, transfer, forced transfer, takedown burn) passes one rule hook that
 * checks, in this order: pause, frozen sender and recipient wallets, frozen token, recipient verified at
 * the collection's minimum level, sender verified at that level, transfer mode, holding period. Each
 * failure reverts with its own error. A regulator's forced transfer skips every rule but the recipient's
 * verification; a takedown burn skips them all.
 *
 * Deliberately absent: fractional ownership, sale or price functions, and any path by which a token moves
 * without passing the hook (China's 2022 rules on digital collections forbid splitting them and trading
 * them on secondary markets).
 *
 * Roles:
 * - ISSUER_ROLE: licensed issuers (also verified at level 4 in the identity registry) create collections
 *   and mint editions;
 * - OPERATOR_ROLE: a gateway acting for issuers who use its API;
 * - REGULATOR_ROLE: pause, freeze, forced transfer, takedown;
 * - DEFAULT_ADMIN_ROLE grants and revokes roles.
 */
interface ICollectibleRights is IAccessControl, IERC2981, IERC4906, IERC5192 {
    /// @notice How editions of a collection may move after mint.
    /// `Locked`: never (only a regulator can move them). `GiftToVerified`: only to verified identities.
    enum TransferMode {
        Locked,
        GiftToVerified
    }

    /**
     * @notice Everything an issuer states when creating a collection.
     * @param contentHash sha256 of the work's media file; registered once in the whole registry.
     * @param metadataCID CID of the ERC-721 metadata JSON; `tokenURI` is `ipfs://<metadataCID>`.
     * @param maxSupply Number of editions; serials run 1..maxSupply (at most 2^24 - 1).
     * @param royaltyReceiver ERC-2981 receiver (zero only when `royaltyBps` is zero).
     * @param royaltyBps ERC-2981 royalty in basis points (at most 10,000).
     * @param licenceCID CID of the licence text.
     * @param rights Bitmask of rights granted to holders: 1 display, 2 personal use, 4 commercial use,
     * 8 derivatives. Licences a holder grants must be a subset.
     * @param mode Transfer mode.
     * @param holdingPeriod Seconds a holder must keep a token before it can move again.
     * @param minLevel Minimum identity level of every holder (1..4).
     * @param complianceRef Hash of the off-chain compliance decision that approved the collection.
     */
    struct CollectionParams {
        bytes32 contentHash;
        string metadataCID;
        uint32 maxSupply;
        address royaltyReceiver;
        uint16 royaltyBps;
        string licenceCID;
        uint8 rights;
        TransferMode mode;
        uint32 holdingPeriod;
        uint8 minLevel;
        bytes32 complianceRef;
    }

    /// @notice A collection as returned by {getCollection}.
    struct Collection {
        address issuer;
        uint32 holdingPeriod;
        uint24 minted;
        uint24 maxSupply;
        TransferMode mode;
        uint8 minLevel;
        address royaltyReceiver;
        uint16 royaltyBps;
        uint8 rights;
        uint24 burned;
        uint40 createdAt;
        bytes32 contentHash;
        bytes32 complianceRef;
        string metadataCID;
        string licenceCID;
    }

    /// @notice The per-token state kept beside the owner in one storage slot.
    /// @param epoch Counts the token's movements; a licence is bound to the epoch it was granted in.
    struct TokenState {
        address owner;
        uint40 acquiredAt;
        uint32 epoch;
        bool frozen;
    }

    /// @notice A licence as stored for (token, licensee).
    struct Licence {
        uint8 scope;
        uint40 grantedAt;
        uint40 expiresAt;
        uint32 epoch;
    }

    /// @notice What a mint request minted, recorded under its requestId.
    struct MintRecord {
        uint64 collectionId;
        uint64 firstSerial;
        uint32 count;
        uint40 mintedAt;
    }

    // ─── Events ──────────────────────────────────────────────────────────────────────────────

    /// @notice `operator` (the issuer itself or an OPERATOR acting for it) created a collection.
    event CollectionCreated(
        uint64 indexed collectionId,
        address indexed issuer,
        bytes32 indexed contentHash,
        address operator,
        string metadataCID,
        bytes32 complianceRef
    );

    /// @notice `count` editions from `firstSerial` on were minted under `requestId`.
    event EditionsMinted(
        uint64 indexed collectionId,
        bytes32 indexed requestId,
        address indexed issuer,
        address operator,
        uint64 firstSerial,
        uint32 count
    );

    /// @notice The issuer changed a collection's metadata CID (ERC-4906 BatchMetadataUpdate is emitted too).
    event CollectionMetadataUpdated(uint64 indexed collectionId, address indexed issuer, string metadataCID);

    /// @notice The regulator paused all movement.
    event RegistryPaused(address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator resumed movement.
    event RegistryUnpaused(address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator froze a wallet: it can neither send nor receive.
    event WalletFrozen(address indexed wallet, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator unfroze a wallet.
    event WalletUnfrozen(address indexed wallet, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator froze a token: it cannot move except by force.
    event TokenFrozen(uint256 indexed tokenId, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator unfroze a token.
    event TokenUnfrozen(uint256 indexed tokenId, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /// @notice The regulator moved a token from `from` to `to`, overriding freezes, mode and holding period.
    event ForcedTransfer(
        uint256 indexed tokenId,
        address indexed from,
        address indexed to,
        address regulator,
        bytes32 reason,
        bytes32 evidenceHash
    );

    /// @notice The regulator burned a token of an infringing work (维权).
    event TokenTakenDown(
        uint256 indexed tokenId,
        address indexed holder,
        address indexed regulator,
        bytes32 reason,
        bytes32 evidenceHash
    );

    /// @notice `holder` granted `licensee` a licence over a token.
    event LicenceGranted(
        uint256 indexed tokenId,
        address indexed holder,
        address indexed licensee,
        uint8 scope,
        uint40 expiresAt
    );

    /// @notice `holder` revoked the licence of `licensee`.
    event LicenceRevoked(uint256 indexed tokenId, address indexed holder, address indexed licensee);

    // ─── Errors ──────────────────────────────────────────────────────────────────────────────

    /// @notice The caller is neither `issuer` nor an account with OPERATOR_ROLE.
    error CallerNotIssuerOrOperator(address caller, address issuer);

    /// @notice `issuer` lacks ISSUER_ROLE.
    error IssuerMissingRole(address issuer);

    /// @notice `issuer` is not verified at `requiredLevel` (licensed issuer) right now.
    error IssuerNotVerified(address issuer, uint8 requiredLevel);

    /// @notice `issuer` is not the issuer of the collection.
    error IssuerMismatch(uint64 collectionId, address issuer);

    /// @notice The content hash or compliance reference is zero.
    error CollectionMissingHash();

    /// @notice A CID argument is empty.
    error CollectionEmptyCID();

    /// @notice The content hash is already registered by `collectionId` (first registration wins).
    error ContentAlreadyRegistered(bytes32 contentHash, uint64 collectionId);

    /// @notice `maxSupply` is zero or above `limit`.
    error CollectionInvalidMaxSupply(uint256 maxSupply, uint256 limit);

    /// @notice The royalty is above 100% or has no receiver.
    error CollectionInvalidRoyalty(address receiver, uint16 royaltyBps);

    /// @notice The rights bitmask is zero or has unknown bits.
    error CollectionInvalidRights(uint8 rights);

    /// @notice The minimum holder level is outside 1..4.
    error CollectionInvalidMinLevel(uint8 minLevel);

    /// @notice No collection has this id.
    error CollectionNotFound(uint64 collectionId);

    /// @notice The new metadata CID equals the current one.
    error CollectionMetadataUnchanged(uint64 collectionId);

    /// @notice Minting `requested` editions would pass the collection's maximum supply.
    error MaxSupplyExceeded(uint64 collectionId, uint256 requested, uint256 remaining);

    /// @notice This requestId was already used; a mint request runs at most once.
    error RequestAlreadyUsed(bytes32 requestId);

    /// @notice The requestId is zero.
    error RequestIdZero();

    /// @notice A batch mint was given no recipients.
    error EmptyRecipients();

    /// @notice Movement is paused by the regulator.
    error RegistryIsPaused();

    /// @notice The registry is not paused.
    error RegistryNotPaused();

    /// @notice The sending wallet is frozen.
    error SenderFrozen(address sender);

    /// @notice The receiving wallet is frozen.
    error RecipientFrozen(address recipient);

    /// @notice The token is frozen.
    error TokenIsFrozen(uint256 tokenId);

    /// @notice The recipient is not verified at `requiredLevel`.
    error RecipientNotVerified(address recipient, uint8 requiredLevel);

    /// @notice The sender is no longer verified at `requiredLevel` (e.g. its identity was revoked).
    error SenderNotVerified(address sender, uint8 requiredLevel);

    /// @notice The collection's transfer mode is Locked.
    error TransferModeLocked(uint256 tokenId);

    /// @notice The holding period of the token runs until `unlocksAt`.
    error HoldingPeriodActive(uint256 tokenId, uint256 unlocksAt);

    /// @notice The wallet is already frozen.
    error WalletAlreadyFrozen(address wallet);

    /// @notice The wallet is not frozen.
    error WalletNotFrozen(address wallet);

    /// @notice The token is already frozen.
    error TokenAlreadyFrozen(uint256 tokenId);

    /// @notice The token is not frozen.
    error TokenNotFrozen(uint256 tokenId);

    /// @notice `account` does not hold the token.
    error NotTokenHolder(uint256 tokenId, address account);

    /// @notice The licence scope is zero or not within the collection's granted rights.
    error LicenceScopeNotGranted(uint256 tokenId, uint8 scope, uint8 grantedRights);

    /// @notice The licence expiry is not in the future.
    error LicenceInvalidExpiry(uint256 tokenId, uint40 expiresAt);

    /// @notice The licensee is not verified at the collection's minimum level.
    error LicenseeNotVerified(address licensee, uint8 requiredLevel);

    /// @notice No licence in force for (token, licensee).
    error LicenceNotFound(uint256 tokenId, address licensee);

    // ─── Issuers ─────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Creates a collection for `issuer`.
     * @return collectionId The new collection's id (sequential, from 1).
     *
     * Requirements:
     * - caller is `issuer` or has OPERATOR_ROLE;
     * - `issuer` has ISSUER_ROLE and is verified at level 4 (licensed issuer) now;
     * - `contentHash` and `complianceRef` are non-zero, the CIDs non-empty;
     * - `contentHash` is not registered by any collection;
     * - `maxSupply` in 1..2^24-1; royalty ≤ 10,000 bps with a receiver when non-zero;
     * - `rights` non-zero within 0x0F; `minLevel` in 1..4.
     *
     * Emits {CollectionCreated}.
     */
    function createCollection(address issuer, CollectionParams calldata params) external returns (uint64 collectionId);

    /**
     * @notice Mints the next edition of a collection to `to`.
     * @param requestId Caller-chosen id of this mint request; a repeat reverts (exactly-once minting).
     * @return tokenId The minted token.
     *
     * Requirements:
     * - caller is `issuer` or has OPERATOR_ROLE; `issuer` has ISSUER_ROLE and is verified at level 4 now;
     * - `issuer` is the collection's issuer; one edition remains;
     * - `requestId` is non-zero and unused;
     * - the rule hook passes for `to` (not paused, not frozen, verified at the collection's minimum level).
     *
     * Emits {IERC721-Transfer} and {EditionsMinted}. No {IERC5192-Locked} is emitted: whether a token is
     * locked depends on time (the holding period) as well as state, so clients read {IERC5192-locked}.
     */
    function mint(address issuer, uint64 collectionId, address to, bytes32 requestId) external returns (uint256 tokenId);

    /**
     * @notice Mints consecutive editions, one to each of `recipients`, under one requestId.
     * @return firstTokenId Token id of the first edition; the others follow consecutively.
     *
     * Requirements: as {mint}, for every recipient; `recipients` is not empty. One failure reverts all.
     */
    function mintBatch(address issuer, uint64 collectionId, address[] calldata recipients, bytes32 requestId)
        external
        returns (uint256 firstTokenId);

    /**
     * @notice Points a collection at a new metadata CID.
     *
     * Requirements:
     * - caller is the collection's issuer, still holding ISSUER_ROLE and verified at level 4;
     * - `metadataCID` is non-empty and differs from the current CID.
     *
     * Emits {CollectionMetadataUpdated} and {IERC4906-BatchMetadataUpdate} over the collection's id range.
     */
    function setMetadataCID(uint64 collectionId, string calldata metadataCID) external;

    // ─── Holders: licences (授权) ────────────────────────────────────────────────────────────

    /**
     * @notice Grants `licensee` a licence over a token until `expiresAt`. Ownership and copyright stay where
     * they are; the licence ends by itself when the token moves. A new grant replaces an older one.
     *
     * Requirements:
     * - caller holds the token; not paused; neither the token nor the holder's wallet is frozen;
     * - `scope` is non-zero and a subset of the collection's rights;
     * - `expiresAt` is in the future;
     * - `licensee` is verified at the collection's minimum level.
     *
     * Emits {LicenceGranted}.
     */
    function grantLicence(uint256 tokenId, address licensee, uint8 scope, uint40 expiresAt) external;

    /**
     * @notice Revokes the licence of `licensee`.
     *
     * Requirements:
     * - caller holds the token; a licence is in force for `licensee`.
     *
     * Emits {LicenceRevoked}.
     */
    function revokeLicence(uint256 tokenId, address licensee) external;

    /// @notice Whether `account` holds a licence in force over the token covering every bit of `scope`.
    function isLicensed(uint256 tokenId, address account, uint8 scope) external view returns (bool);

    /// @notice The stored licence for (token, licensee); it may have lapsed (see {isLicensed}).
    function licenceOf(uint256 tokenId, address licensee) external view returns (Licence memory);

    // ─── Regulator ───────────────────────────────────────────────────────────────────────────

    /**
     * @notice Stops all movement and licence grants until {unpause}. Forced transfers and takedowns still work.
     *
     * Requirements: caller has REGULATOR_ROLE; not paused. Emits {RegistryPaused}.
     */
    function pause(bytes32 reason, bytes32 evidenceHash) external;

    /// @notice Resumes movement. Requirements: caller has REGULATOR_ROLE; paused. Emits {RegistryUnpaused}.
    function unpause(bytes32 reason, bytes32 evidenceHash) external;

    /// @notice Freezes a wallet. Requirements: REGULATOR_ROLE; not frozen. Emits {WalletFrozen}.
    function freezeWallet(address wallet, bytes32 reason, bytes32 evidenceHash) external;

    /// @notice Unfreezes a wallet. Requirements: REGULATOR_ROLE; frozen. Emits {WalletUnfrozen}.
    function unfreezeWallet(address wallet, bytes32 reason, bytes32 evidenceHash) external;

    /// @notice Freezes a token. Requirements: REGULATOR_ROLE; token exists, not frozen. Emits {TokenFrozen}.
    function freezeToken(uint256 tokenId, bytes32 reason, bytes32 evidenceHash) external;

    /// @notice Unfreezes a token. Requirements: REGULATOR_ROLE; token frozen. Emits {TokenUnfrozen}.
    function unfreezeToken(uint256 tokenId, bytes32 reason, bytes32 evidenceHash) external;

    /**
     * @notice Moves a token, e.g. to recover a lost wallet to another wallet of the same identity. Overrides
     * pause, freezes, transfer mode and holding period, but the recipient must still be verified.
     *
     * Requirements:
     * - caller has REGULATOR_ROLE;
     * - `to` is non-zero; the token exists and `from` holds it (checked first);
     * - `to` is verified at the collection's minimum level.
     *
     * Emits {IERC721-Transfer} and {ForcedTransfer}.
     */
    function forcedTransfer(address from, address to, uint256 tokenId, bytes32 reason, bytes32 evidenceHash)
        external;

    /**
     * @notice Burns tokens of an infringing work. The content hash stays registered, so the work cannot be
     * issued again.
     *
     * Requirements: caller has REGULATOR_ROLE; every token exists.
     *
     * Emits {IERC721-Transfer} and {TokenTakenDown} per token.
     */
    function takedown(uint256[] calldata tokenIds, bytes32 reason, bytes32 evidenceHash) external;

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @notice The identity registry that verifies issuers and holders.
    function identityRegistry() external view returns (IIdentityRegistry);

    /// @notice Role of licensed issuers.
    function ISSUER_ROLE() external view returns (bytes32);

    /// @notice Role of a gateway acting for issuers.
    function OPERATOR_ROLE() external view returns (bytes32);

    /// @notice Role of the regulator.
    function REGULATOR_ROLE() external view returns (bytes32);

    /// @notice A collection; reverts with {CollectionNotFound} when it does not exist.
    function getCollection(uint64 collectionId) external view returns (Collection memory);

    /// @notice Number of collections created so far (ids run 1..collectionCount).
    function collectionCount() external view returns (uint64);

    /// @notice The collection that registered `contentHash`, or zero.
    function collectionOfContent(bytes32 contentHash) external view returns (uint64);

    /// @notice Editions minted and not burned in a collection.
    function totalSupply(uint64 collectionId) external view returns (uint256);

    /// @notice Token id of edition `serial` of `collectionId`.
    function tokenIdOf(uint64 collectionId, uint64 serial) external pure returns (uint256);

    /// @notice Collection and serial of a token id.
    function decodeTokenId(uint256 tokenId) external pure returns (uint64 collectionId, uint64 serial);

    /// @notice Owner, acquisition time, movement epoch and frozen flag of a token (owner zero when absent).
    function tokenState(uint256 tokenId) external view returns (TokenState memory);

    /// @notice What was minted under `requestId`; `count` is zero when unused.
    function mintRecord(bytes32 requestId) external view returns (MintRecord memory);

    /// @notice Whether a wallet is frozen.
    function isWalletFrozen(address wallet) external view returns (bool);

    /// @notice Whether movement is paused.
    function paused() external view returns (bool);
}
