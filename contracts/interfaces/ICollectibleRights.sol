// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC5192} from "./IERC5192.sol";
import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/**
 * @title ICollectibleRights: ERC-721 digital collections with rights (数字藏品)
 * @notice A collection (series) is one registered work: its content hash (sha256 of the media file) is
 * registered once in the whole registry, first registration wins (确权). Editions are ERC-721 tokens whose
 * id is derived from the collection and the serial: `tokenId = collectionId << 64 | serial`.
 *
 * Compliance on chain: a collection is created, and its metadata re-pointed, only with an EIP-712
 * approval (domain "CollectibleRights", version "1", this contract, this chain) signed by an account with
 * COMPLIANCE_SIGNER_ROLE (an EOA, or an ERC-1271 contract such as a multisig). Each approval names a
 * `complianceRef` (the hash of the off-chain decision), and every complianceRef is consumed once.
 * Whatever the approval says, a collection must also respect the regulator's {PolicyFloors}.
 *
 * Transfer rules. Every movement of a token passes one rule hook. A holder's transfer (and a mint, which
 * has no sender) is checked in this order, and the first failure reverts with its error:
 *  1. the registry is not paused                                       {RegistryIsPaused}
 *  2. the sender's wallet is not frozen                                {SenderFrozen}
 *  3. the recipient's wallet is not frozen                             {RecipientFrozen}
 *  4. the token is not frozen                                          {TokenIsFrozen}
 *  5. the recipient is verified at the collection's minimum level      {RecipientNotVerified}
 *  6. the sender is still verified at that level                       {SenderNotVerified}
 *  7. the collection's mode is not Locked                              {TransferModeLocked}
 *  8. the holding period since the token was acquired has passed       {HoldingPeriodActive}
 * A mint checks 1, 3, 4 and 5 (a token being minted is never frozen). The rules run after the ERC-721
 * checks that come first in OpenZeppelin 5 (receiver non-zero, token exists, caller authorised) and before
 * the one that comes after ({IERC721Errors-ERC721IncorrectOwner} when `from` is not the holder).
 * {checkTransfer} and {IERC5192-locked} run this same rule code, so they cannot disagree with a transfer.
 * A regulator's {forcedTransfer} skips every rule but 5; a {takedown} burn skips them all.
 *
 * Deliberately absent: fractional ownership, sale or price functions, and any path by which a token moves
 * without passing the hook (China's 2022 rules on digital collections forbid splitting them and trading
 * them on secondary markets).
 *
 * Roles:
 * - ISSUER_ROLE: licensed issuers (also verified at level 4 in the identity registry) create collections,
 *   mint editions and re-point metadata, each creation and re-pointing with a compliance approval;
 * - OPERATOR_ROLE: a gateway acting for issuers who use its API (same approvals needed);
 * - COMPLIANCE_SIGNER_ROLE: signs compliance approvals off chain; sends no transaction;
 * - REGULATOR_ROLE: policy floors, pause, freeze, forced transfer, takedown;
 * - DEFAULT_ADMIN_ROLE (one account, handed over in two steps with a delay) grants and revokes roles.
 */
interface ICollectibleRights is IAccessControlDefaultAdminRules, IERC2981, IERC4906, IERC5192, IERC5267 {
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
     * @param maxSupply Number of editions; serials run 1..maxSupply (at most 2^24 - 1, and the policy cap).
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

    /**
     * @notice An EIP-712 compliance approval.
     * @param signer Account with COMPLIANCE_SIGNER_ROLE that signed; an ERC-1271 contract is asked.
     * @param deadline Last second (unix time, inclusive) at which the approval may be used.
     * @param signature ECDSA signature (65 bytes) or whatever the ERC-1271 signer accepts.
     */
    struct ComplianceApproval {
        address signer;
        uint64 deadline;
        bytes signature;
    }

    /**
     * @notice Floors the regulator sets for every new collection, whatever its approval says. One slot.
     * @param minHoldingPeriod Shortest holding period in seconds.
     * @param maxEditions Largest maxSupply.
     * @param allowedModes Bitmask over {TransferMode}: bit 0 Locked, bit 1 GiftToVerified.
     * @param minHolderLevel Lowest minimum holder level (1..4).
     */
    struct PolicyFloors {
        uint32 minHoldingPeriod;
        uint24 maxEditions;
        uint8 allowedModes;
        uint8 minHolderLevel;
    }

    /**
     * @notice A collection as returned by {getCollection}.
     * @param issuer Licensed issuer that created it.
     * @param holdingPeriod Seconds a holder keeps a token before it can move.
     * @param minted Editions minted so far (burned ones included).
     * @param maxSupply Number of editions.
     * @param mode Transfer mode.
     * @param minLevel Minimum identity level of every holder.
     * @param royaltyReceiver ERC-2981 receiver.
     * @param royaltyBps ERC-2981 royalty in basis points.
     * @param rights Rights granted to holders (bitmask, see {CollectionParams}).
     * @param burned Editions taken down.
     * @param createdAt Block time of creation.
     * @param contentHash sha256 of the media file.
     * @param complianceRef Compliance decision that approved the collection.
     * @param metadataComplianceRef Compliance decision that approved the latest metadata change (zero if none).
     * @param metadataCID Current metadata CID.
     * @param licenceCID Licence text CID.
     */
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
        bytes32 metadataComplianceRef;
        string metadataCID;
        string licenceCID;
    }

    /**
     * @notice The per-token state kept beside the owner in one storage slot.
     * @param owner Holder (zero when the token does not exist).
     * @param acquiredAt Block time of the token's latest movement.
     * @param epoch Counts the token's movements; a licence is bound to the epoch it was granted in.
     * @param frozen Frozen by the regulator.
     */
    struct TokenState {
        address owner;
        uint40 acquiredAt;
        uint32 epoch;
        bool frozen;
    }

    /**
     * @notice A licence as stored for (token, licensee).
     * @param scope Rights licensed (bitmask, a subset of the collection's rights).
     * @param grantedAt Block time of the grant.
     * @param expiresAt Unix time at which it lapses.
     * @param epoch Token epoch it was granted in; it ends when the token moves.
     */
    struct Licence {
        uint8 scope;
        uint40 grantedAt;
        uint40 expiresAt;
        uint32 epoch;
    }

    // ─── Events ──────────────────────────────────────────────────────────────────────────────

    /**
     * @notice `operator` (the issuer itself or an OPERATOR acting for it) created a collection.
     * @param collectionId New collection's id.
     * @param issuer Licensed issuer of the collection.
     * @param contentHash sha256 of the media file, now registered.
     * @param operator Account that sent the transaction.
     * @param metadataCID Metadata CID.
     * @param complianceRef Compliance decision consumed by the creation.
     */
    event CollectionCreated(
        uint64 indexed collectionId,
        address indexed issuer,
        bytes32 indexed contentHash,
        address operator,
        string metadataCID,
        bytes32 complianceRef
    );

    /**
     * @notice `count` editions from `firstTokenId` on were minted under the issuer's `requestNonce`. With
     * {isRequestUsed} this lets a gateway settle a request after a crash from the chain alone.
     * @param collectionId Collection minted from.
     * @param requestNonce The issuer's one-time request nonce consumed.
     * @param issuer Issuer of the collection.
     * @param operator Account that sent the transaction.
     * @param firstTokenId Token id of the first edition; the others follow consecutively.
     * @param count Number of editions.
     * @param recipientsHash keccak256 of the recipients in order, each left-padded to 32 bytes
     * (`keccak256(abi.encodePacked(address[]))`, ethers `solidityPackedKeccak256(["address[]"], [recipients])`);
     * {mint} hashes its one recipient the same way, as a list of one.
     */
    event EditionsMinted(
        uint64 indexed collectionId,
        uint256 indexed requestNonce,
        address indexed issuer,
        address operator,
        uint256 firstTokenId,
        uint32 count,
        bytes32 recipientsHash
    );

    /**
     * @notice A collection's metadata CID changed (ERC-4906 BatchMetadataUpdate is emitted too).
     * @param collectionId Collection.
     * @param issuer Issuer of the collection.
     * @param metadataCID New metadata CID.
     * @param complianceRef Compliance decision that approved the change.
     */
    event CollectionMetadataUpdated(
        uint64 indexed collectionId,
        address indexed issuer,
        string metadataCID,
        bytes32 complianceRef
    );

    /**
     * @notice The regulator set the policy floors for new collections.
     * @param regulator Account that set them.
     * @param minHoldingPeriod Shortest holding period in seconds.
     * @param maxEditions Largest maxSupply.
     * @param allowedModes Bitmask of allowed transfer modes.
     * @param minHolderLevel Lowest minimum holder level.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event PolicyFloorsSet(
        address indexed regulator,
        uint32 minHoldingPeriod,
        uint24 maxEditions,
        uint8 allowedModes,
        uint8 minHolderLevel,
        bytes32 reason,
        bytes32 evidenceHash
    );

    /**
     * @notice The regulator paused all movement.
     * @param regulator Account that paused.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event RegistryPaused(address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator resumed movement.
     * @param regulator Account that unpaused.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event RegistryUnpaused(address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator froze a wallet: it can neither send nor receive.
     * @param wallet Frozen wallet.
     * @param regulator Account that froze it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event WalletFrozen(address indexed wallet, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator unfroze a wallet.
     * @param wallet Unfrozen wallet.
     * @param regulator Account that unfroze it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event WalletUnfrozen(address indexed wallet, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator froze a token: it cannot move except by force.
     * @param tokenId Frozen token.
     * @param regulator Account that froze it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event TokenFrozen(uint256 indexed tokenId, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator unfroze a token.
     * @param tokenId Unfrozen token.
     * @param regulator Account that unfroze it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event TokenUnfrozen(uint256 indexed tokenId, address indexed regulator, bytes32 reason, bytes32 evidenceHash);

    /**
     * @notice The regulator moved a token, overriding pause, freezes, mode and holding period.
     * @param tokenId Token moved.
     * @param from Previous holder.
     * @param to New holder (verified at the collection's minimum level).
     * @param regulator Account that moved it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event ForcedTransfer(
        uint256 indexed tokenId,
        address indexed from,
        address indexed to,
        address regulator,
        bytes32 reason,
        bytes32 evidenceHash
    );

    /**
     * @notice The regulator burned a token of an infringing work (维权).
     * @param tokenId Token burned.
     * @param holder Holder at the time.
     * @param regulator Account that burned it.
     * @param reason Reason code.
     * @param evidenceHash Hash of the supporting document.
     */
    event TokenTakenDown(
        uint256 indexed tokenId,
        address indexed holder,
        address indexed regulator,
        bytes32 reason,
        bytes32 evidenceHash
    );

    /**
     * @notice `holder` granted `licensee` a licence over a token.
     * @param tokenId Token licensed.
     * @param holder Holder that granted it.
     * @param licensee Licensee.
     * @param scope Rights licensed.
     * @param expiresAt Unix time at which it lapses.
     */
    event LicenceGranted(
        uint256 indexed tokenId,
        address indexed holder,
        address indexed licensee,
        uint8 scope,
        uint40 expiresAt
    );

    /**
     * @notice `holder` revoked the licence of `licensee`.
     * @param tokenId Token licensed.
     * @param holder Holder that revoked it.
     * @param licensee Licensee.
     */
    event LicenceRevoked(uint256 indexed tokenId, address indexed holder, address indexed licensee);

    // ─── Errors: issuers, approvals, policy ─────────────────────────────────────────────────

    /// @notice The caller is neither `issuer` nor an account with OPERATOR_ROLE.
    /// @param caller Account that sent the transaction.
    /// @param issuer Issuer it tried to act for.
    error IssuerUnauthorizedCaller(address caller, address issuer);

    /// @notice `issuer` lacks ISSUER_ROLE.
    /// @param issuer Account named as issuer.
    error IssuerMissingRole(address issuer);

    /// @notice `issuer` is not verified at `requiredLevel` (licensed issuer) right now.
    /// @param issuer Account named as issuer.
    /// @param requiredLevel Level required (4).
    error IssuerNotVerified(address issuer, uint8 requiredLevel);

    /// @notice `issuer` is not the issuer of the collection.
    /// @param collectionId Collection.
    /// @param issuer Account named as issuer.
    error IssuerMismatch(uint64 collectionId, address issuer);

    /// @notice The approval's deadline has passed.
    /// @param deadline Last second the approval was valid.
    /// @param timestamp Block time now.
    error ApprovalExpired(uint64 deadline, uint256 timestamp);

    /// @notice The approval's signer lacks COMPLIANCE_SIGNER_ROLE.
    /// @param signer Signer named in the approval.
    error ApprovalSignerNotAuthorized(address signer);

    /// @notice The signature is not `signer`'s over the EIP-712 digest of the request.
    /// @param signer Signer named in the approval.
    error ApprovalInvalidSignature(address signer);

    /// @notice This complianceRef was already consumed by a creation or a metadata change.
    /// @param complianceRef Compliance decision hash.
    error ComplianceRefAlreadyUsed(bytes32 complianceRef);

    /// @notice Invalid floors: `allowedModes` must be non-zero within 0b11, `maxEditions` non-zero,
    /// `minHolderLevel` in 1..4.
    /// @param minHoldingPeriod Proposed holding period floor.
    /// @param maxEditions Proposed edition cap.
    /// @param allowedModes Proposed mode bitmask.
    /// @param minHolderLevel Proposed holder level floor.
    error PolicyFloorsInvalid(uint32 minHoldingPeriod, uint24 maxEditions, uint8 allowedModes, uint8 minHolderLevel);

    // ─── Errors: collections ────────────────────────────────────────────────────────────────

    /// @notice The content hash or the compliance reference is zero.
    error CollectionMissingHash();

    /// @notice A CID argument is empty.
    error CollectionEmptyCID();

    /// @notice The content hash is already registered by `collectionId` (first registration wins).
    /// @param contentHash sha256 of the media file.
    /// @param collectionId Collection that registered it.
    error CollectionContentAlreadyRegistered(bytes32 contentHash, uint64 collectionId);

    /// @notice `maxSupply` is zero or above `limit`.
    /// @param maxSupply Requested number of editions.
    /// @param limit Largest number the contract can hold (2^24 - 1).
    error CollectionInvalidMaxSupply(uint256 maxSupply, uint256 limit);

    /// @notice The royalty is above 100% or has no receiver.
    /// @param receiver Royalty receiver.
    /// @param royaltyBps Royalty in basis points.
    error CollectionInvalidRoyalty(address receiver, uint16 royaltyBps);

    /// @notice The rights bitmask is zero or has unknown bits.
    /// @param rights Rights bitmask.
    error CollectionInvalidRights(uint8 rights);

    /// @notice The minimum holder level is outside 1..4.
    /// @param minLevel Requested minimum level.
    error CollectionInvalidMinLevel(uint8 minLevel);

    /// @notice The holding period is below the regulator's floor.
    /// @param holdingPeriod Requested holding period in seconds.
    /// @param minimum Floor in seconds.
    error CollectionHoldingPeriodBelowFloor(uint32 holdingPeriod, uint32 minimum);

    /// @notice The number of editions is above the regulator's cap.
    /// @param maxSupply Requested number of editions.
    /// @param maximum Cap.
    error CollectionMaxSupplyAboveCap(uint32 maxSupply, uint24 maximum);

    /// @notice The regulator does not allow this transfer mode.
    /// @param mode Requested mode.
    /// @param allowedModes Bitmask of allowed modes.
    error CollectionModeNotAllowed(uint8 mode, uint8 allowedModes);

    /// @notice The minimum holder level is below the regulator's floor.
    /// @param minLevel Requested minimum level.
    /// @param minimum Floor.
    error CollectionMinLevelBelowFloor(uint8 minLevel, uint8 minimum);

    /// @notice No collection has this id.
    /// @param collectionId Collection id.
    error CollectionNotFound(uint64 collectionId);

    /// @notice The new metadata CID equals the current one.
    /// @param collectionId Collection.
    error CollectionMetadataUnchanged(uint64 collectionId);

    /// @notice Minting `requested` editions would pass the collection's maximum supply.
    /// @param collectionId Collection.
    /// @param requested Editions requested.
    /// @param remaining Editions left.
    error CollectionSupplyExceeded(uint64 collectionId, uint256 requested, uint256 remaining);

    // ─── Errors: mint requests ───────────────────────────────────────────────────────────────

    /// @notice The issuer already used this request nonce; a mint request runs at most once.
    /// @param issuer Issuer whose nonce it is.
    /// @param requestNonce Request nonce.
    error RequestAlreadyUsed(address issuer, uint256 requestNonce);

    /// @notice A batch mint was given no recipients.
    error MintRecipientsEmpty();

    // ─── Errors: transfer rules (in rule order) ─────────────────────────────────────────────

    /// @notice Movement is paused by the regulator.
    error RegistryIsPaused();

    /// @notice The sending wallet is frozen.
    /// @param sender Holder of the token.
    error SenderFrozen(address sender);

    /// @notice The receiving wallet is frozen.
    /// @param recipient Recipient.
    error RecipientFrozen(address recipient);

    /// @notice The token is frozen.
    /// @param tokenId Token.
    error TokenIsFrozen(uint256 tokenId);

    /// @notice The recipient is not verified at `requiredLevel`.
    /// @param recipient Recipient.
    /// @param requiredLevel The collection's minimum level.
    error RecipientNotVerified(address recipient, uint8 requiredLevel);

    /// @notice The sender is no longer verified at `requiredLevel` (e.g. its identity was revoked).
    /// @param sender Holder of the token.
    /// @param requiredLevel The collection's minimum level.
    error SenderNotVerified(address sender, uint8 requiredLevel);

    /// @notice The collection's transfer mode is Locked.
    /// @param tokenId Token.
    error TransferModeLocked(uint256 tokenId);

    /// @notice The holding period of the token runs until `unlocksAt`.
    /// @param tokenId Token.
    /// @param unlocksAt Unix time from which it can move.
    error HoldingPeriodActive(uint256 tokenId, uint256 unlocksAt);

    // ─── Errors: regulator, licences ─────────────────────────────────────────────────────────

    /// @notice The registry is not paused.
    error RegistryNotPaused();

    /// @notice The wallet is already frozen.
    /// @param wallet Wallet.
    error WalletAlreadyFrozen(address wallet);

    /// @notice The wallet is not frozen.
    /// @param wallet Wallet.
    error WalletNotFrozen(address wallet);

    /// @notice The token is already frozen.
    /// @param tokenId Token.
    error TokenAlreadyFrozen(uint256 tokenId);

    /// @notice The token is not frozen.
    /// @param tokenId Token.
    error TokenNotFrozen(uint256 tokenId);

    /// @notice Only the token's holder grants and revokes licences over it.
    /// @param tokenId Token.
    /// @param caller Account that is not its holder.
    error LicenceCallerNotHolder(uint256 tokenId, address caller);

    /// @notice The licence scope is zero or not within the collection's granted rights.
    /// @param tokenId Token.
    /// @param scope Requested scope.
    /// @param grantedRights The collection's rights.
    error LicenceScopeNotGranted(uint256 tokenId, uint8 scope, uint8 grantedRights);

    /// @notice The licence expiry is not in the future.
    /// @param tokenId Token.
    /// @param expiresAt Requested expiry.
    error LicenceInvalidExpiry(uint256 tokenId, uint40 expiresAt);

    /// @notice The licensee is not verified at the collection's minimum level.
    /// @param licensee Licensee.
    /// @param requiredLevel The collection's minimum level.
    error LicenseeNotVerified(address licensee, uint8 requiredLevel);

    /// @notice No licence in force for (token, licensee).
    /// @param tokenId Token.
    /// @param licensee Licensee.
    error LicenceNotFound(uint256 tokenId, address licensee);

    // ─── Issuers ─────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Creates a collection for `issuer`, with a compliance approval over exactly these parameters.
     * The EIP-712 type signed is
     * `CreateCollection(address issuer,bytes32 contentHash,string metadataCID,uint32 maxSupply,
     * address royaltyReceiver,uint16 royaltyBps,string licenceCID,uint8 rights,uint8 mode,uint32 holdingPeriod,
     * uint8 minLevel,bytes32 complianceRef,uint64 deadline)` (one line, no spaces), see {hashCreateCollection}.
     * @return collectionId The new collection's id (sequential, from 1).
     *
     * Requirements, checked in this order:
     * - caller is `issuer` or has OPERATOR_ROLE; `issuer` has ISSUER_ROLE and is verified at level 4 now;
     * - `contentHash` and `complianceRef` are non-zero, the CIDs non-empty;
     * - `contentHash` is not registered by any collection;
     * - `maxSupply` in 1..2^24-1; royalty ≤ 10,000 bps with a receiver when non-zero;
     * - `rights` non-zero within 0x0F; `minLevel` in 1..4;
     * - the {PolicyFloors}: holding period, edition cap, allowed mode, minimum holder level;
     * - `approval.deadline` has not passed; `approval.signer` has COMPLIANCE_SIGNER_ROLE; `complianceRef` was
     *   never consumed; `approval.signature` is the signer's over the digest.
     *
     * Consumes `complianceRef`. Emits {CollectionCreated}.
     */
    function createCollection(address issuer, CollectionParams calldata params, ComplianceApproval calldata approval)
        external
        returns (uint64 collectionId);

    /**
     * @notice Mints the next edition of a collection to `to`.
     * @param requestNonce One-time nonce of this mint request, chosen by the caller in the issuer's own
     * nonce space (any uint256, zero included, in any order); a repeat reverts (exactly-once minting).
     * @return tokenId The minted token.
     *
     * Requirements:
     * - caller is `issuer` or has OPERATOR_ROLE; `issuer` has ISSUER_ROLE and is verified at level 4 now;
     * - `requestNonce` is unused by `issuer`;
     * - the collection exists, `issuer` is its issuer, one edition remains;
     * - the transfer rules for a mint pass for `to`.
     *
     * Emits {IERC721-Transfer} and {EditionsMinted}. No {IERC5192-Locked} is emitted: whether a token is
     * locked depends on time (the holding period) as well as state, so clients read {IERC5192-locked}.
     */
    function mint(address issuer, uint64 collectionId, address to, uint256 requestNonce)
        external
        returns (uint256 tokenId);

    /**
     * @notice Mints consecutive editions, one to each of `recipients`, under one request nonce.
     * @return firstTokenId Token id of the first edition; the others follow consecutively.
     *
     * Requirements: as {mint}, for every recipient; `recipients` is not empty. One failure reverts all.
     */
    function mintBatch(address issuer, uint64 collectionId, address[] calldata recipients, uint256 requestNonce)
        external
        returns (uint256 firstTokenId);

    /**
     * @notice Points a collection at a new metadata CID, with a compliance approval of the EIP-712 type
     * `UpdateMetadata(uint64 collectionId,address issuer,string metadataCID,bytes32 complianceRef,uint64 deadline)`,
     * see {hashUpdateMetadata}.
     *
     * Requirements:
     * - the collection exists; caller is its issuer or has OPERATOR_ROLE; the issuer still has ISSUER_ROLE
     *   and is verified at level 4;
     * - `metadataCID` is non-empty and differs from the current CID; `complianceRef` is non-zero;
     * - the approval is valid as for {createCollection}.
     *
     * Consumes `complianceRef` and records it as the collection's `metadataComplianceRef`.
     * Emits {CollectionMetadataUpdated} and {IERC4906-BatchMetadataUpdate} over the collection's id range.
     */
    function setMetadataCID(
        uint64 collectionId,
        string calldata metadataCID,
        bytes32 complianceRef,
        ComplianceApproval calldata approval
    ) external;

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
     * @notice Sets the floors every new collection must respect (existing collections are not affected).
     *
     * Requirements: caller has REGULATOR_ROLE; floors valid (see {PolicyFloorsInvalid}).
     * Emits {PolicyFloorsSet}.
     */
    function setPolicyFloors(PolicyFloors calldata floors, bytes32 reason, bytes32 evidenceHash) external;

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
     * @notice Moves a token, e.g. to recover a lost wallet to another wallet of the same identity (OpenZeppelin's
     * `_transfer`). Overrides every transfer rule but the recipient's verification.
     *
     * Requirements:
     * - caller has REGULATOR_ROLE;
     * - `to` is non-zero; the token exists; `to` is verified at the collection's minimum level;
     * - `from` holds the token.
     *
     * Emits {IERC721-Transfer} and {ForcedTransfer}.
     */
    function forcedTransfer(address from, address to, uint256 tokenId, bytes32 reason, bytes32 evidenceHash)
        external;

    /**
     * @notice Burns tokens of an infringing work (OpenZeppelin's `_burn`, no transfer rule applies). The content
     * hash stays registered, so the work cannot be issued again.
     *
     * Requirements: caller has REGULATOR_ROLE; every token exists.
     *
     * Emits {IERC721-Transfer} and {TokenTakenDown} per token.
     */
    function takedown(uint256[] calldata tokenIds, bytes32 reason, bytes32 evidenceHash) external;

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Pre-flight of a transfer: reverts with exactly the error `transferFrom(from, to, tokenId)` sent
     * by the token's holder would revert with now, or returns when it would pass. It runs the same rule code
     * as the hook. Approvals are not considered: the question is whether the token may go from its holder to
     * `to`. Order: {IERC721Errors-ERC721InvalidReceiver} (zero `to`), {IERC721Errors-ERC721NonexistentToken},
     * the transfer rules (see above), {IERC721Errors-ERC721IncorrectOwner} (`from` is not the holder).
     */
    function checkTransfer(address from, address to, uint256 tokenId) external view;

    /**
     * @notice EIP-712 digest a compliance signer signs to approve {createCollection} of `params` for `issuer`.
     * @return digest `keccak256("\x19\x01" ‖ domainSeparator ‖ hashStruct(CreateCollection))`.
     */
    function hashCreateCollection(address issuer, CollectionParams calldata params, uint64 deadline)
        external
        view
        returns (bytes32 digest);

    /**
     * @notice EIP-712 digest a compliance signer signs to approve {setMetadataCID}.
     * @return digest `keccak256("\x19\x01" ‖ domainSeparator ‖ hashStruct(UpdateMetadata))`.
     */
    function hashUpdateMetadata(
        uint64 collectionId,
        address issuer,
        string calldata metadataCID,
        bytes32 complianceRef,
        uint64 deadline
    ) external view returns (bytes32 digest);

    /// @notice Whether a complianceRef was consumed by a creation or a metadata change.
    function isComplianceRefUsed(bytes32 complianceRef) external view returns (bool);

    /// @notice The floors new collections must respect.
    function policyFloors() external view returns (PolicyFloors memory);

    /// @notice The identity registry that verifies issuers and holders.
    function identityRegistry() external view returns (IIdentityRegistry);

    /// @notice Role of licensed issuers.
    function ISSUER_ROLE() external view returns (bytes32);

    /// @notice Role of a gateway acting for issuers.
    function OPERATOR_ROLE() external view returns (bytes32);

    /// @notice Role of the signers of compliance approvals.
    function COMPLIANCE_SIGNER_ROLE() external view returns (bytes32);

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

    /// @notice Whether `issuer` has used `requestNonce`.
    function isRequestUsed(address issuer, uint256 requestNonce) external view returns (bool);

    /// @notice Word `wordPos` of `issuer`'s nonce bitmap: bit `i` is nonce `wordPos * 256 + i`.
    function requestBitmap(address issuer, uint256 wordPos) external view returns (uint256);

    /// @notice Whether a wallet is frozen.
    function isWalletFrozen(address wallet) external view returns (bool);

    /// @notice Whether movement is paused.
    function paused() external view returns (bool);
}
