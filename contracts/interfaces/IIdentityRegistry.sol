// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/**
 * @title IIdentityRegistry: digital identity (数字身份 / 可信身份)
 * @notice Real-name identities attested by trusted KYC providers. An identity has a level that mirrors
 * ChainMaker's CMID levels, a jurisdiction, an expiry that takes effect by itself, a status and the hash
 * of the off-chain KYC dossier. One identity can link several wallets; a wallet belongs to at most one
 * identity. No personal data is ever stored on chain: only hashes and codes.
 *
 * Invariant: the identity behind a token never changes except when the token moves (a transfer through the
 * token registry's rule hook, or a regulator's forced transfer). A wallet that holds tokens of any custody
 * registry (see {setCustodyRegistries}) cannot be unlinked, so it cannot be re-attested under another
 * identity; the regulator moves its tokens first.
 *
 * Roles:
 * - ATTESTOR_ROLE registers identities, updates level and jurisdiction, renews, links wallets, and unlinks
 *   wallets of Active identities that hold no tokens.
 * - REGULATOR_ROLE suspends, reinstates and revokes identities, and unlinks wallets that hold no tokens
 *   whatever the identity's status (the only way a wallet of a Suspended or Revoked identity is freed).
 * - DEFAULT_ADMIN_ROLE (one account, handed over in two steps with a delay) grants and revokes roles and
 *   sets the custody registries.
 */
interface IIdentityRegistry is IAccessControlDefaultAdminRules {
    /// @notice Lifecycle of an identity. `None` means "never registered".
    enum IdentityStatus {
        None,
        Active,
        Suspended,
        Revoked
    }

    /**
     * @notice An identity as stored. The first five fields share one storage slot, so a verification
     * costs two storage reads (wallet → identity, identity → this slot).
     * @param level 0 none, 1 phone-registered individual, 2 real-name individual, 3 real-name enterprise,
     * 4 licensed issuer.
     * @param jurisdiction ISO-3166 numeric country code (156 for China).
     * @param expiresAt Unix time after which the identity no longer verifies.
     * @param status Active, Suspended or Revoked.
     * @param attestor The attestor that registered or last re-attested the identity.
     * @param evidenceHash Hash of the off-chain KYC dossier; the dossier itself never goes on chain.
     * @param walletCount Number of wallets linked.
     */
    struct Identity {
        uint8 level;
        uint16 jurisdiction;
        uint64 expiresAt;
        IdentityStatus status;
        address attestor;
        bytes32 evidenceHash;
        uint32 walletCount;
    }

    /// @notice One entry of {batchRegisterIdentities}.
    struct IdentityRegistration {
        bytes32 identityId;
        address wallet;
        uint8 level;
        uint16 jurisdiction;
        uint64 expiresAt;
        bytes32 evidenceHash;
    }

    // ─── Events ──────────────────────────────────────────────────────────────────────────────

    /**
     * @notice An identity was registered by `attestor` with its first wallet.
     * @param identityId Identity.
     * @param wallet First wallet.
     * @param attestor Attestor that registered it.
     * @param level Level 0..4.
     * @param jurisdiction ISO-3166 numeric code.
     * @param expiresAt Unix time after which it no longer verifies.
     * @param evidenceHash Hash of the KYC dossier.
     */
    event IdentityRegistered(
        bytes32 indexed identityId,
        address indexed wallet,
        address indexed attestor,
        uint8 level,
        uint16 jurisdiction,
        uint64 expiresAt,
        bytes32 evidenceHash
    );

    /**
     * @notice `actor` changed the level, jurisdiction or dossier hash of an identity, for `reason`.
     * @param identityId Identity.
     * @param actor Attestor.
     * @param level New level.
     * @param jurisdiction New jurisdiction.
     * @param evidenceHash Hash of the refreshed dossier.
     * @param reason Reason code.
     */
    event IdentityUpdated(
        bytes32 indexed identityId,
        address indexed actor,
        uint8 level,
        uint16 jurisdiction,
        bytes32 evidenceHash,
        bytes32 reason
    );

    /**
     * @notice `actor` renewed an identity until `expiresAt`, for `reason`.
     * @param identityId Identity.
     * @param actor Attestor.
     * @param expiresAt New expiry.
     * @param evidenceHash Hash of the refreshed dossier.
     * @param reason Reason code.
     */
    event IdentityRenewed(
        bytes32 indexed identityId,
        address indexed actor,
        uint64 expiresAt,
        bytes32 evidenceHash,
        bytes32 reason
    );

    /**
     * @notice `actor` moved an identity from `previous` to `status`, for `reason`.
     * @param identityId Identity.
     * @param actor Regulator.
     * @param previous Status before.
     * @param status Status now.
     * @param reason Reason code.
     */
    event IdentityStatusChanged(
        bytes32 indexed identityId,
        address indexed actor,
        IdentityStatus previous,
        IdentityStatus status,
        bytes32 reason
    );

    /**
     * @notice `actor` linked `wallet` to an identity, for `reason`.
     * @param identityId Identity.
     * @param wallet Wallet linked.
     * @param actor Attestor.
     * @param reason Reason code (zero for the first wallet of a registration).
     */
    event WalletLinked(bytes32 indexed identityId, address indexed wallet, address indexed actor, bytes32 reason);

    /**
     * @notice `actor` unlinked `wallet` from an identity, for `reason`.
     * @param identityId Identity.
     * @param wallet Wallet unlinked.
     * @param actor Attestor or regulator.
     * @param reason Reason code.
     */
    event WalletUnlinked(bytes32 indexed identityId, address indexed wallet, address indexed actor, bytes32 reason);

    /**
     * @notice The admin set the token registries whose holders cannot be unlinked.
     * @param admin Account that set them.
     * @param registries The ERC-721 registries, replacing any earlier list.
     */
    event CustodyRegistriesSet(address indexed admin, address[] registries);

    // ─── Errors ──────────────────────────────────────────────────────────────────────────────

    /// @notice The identity id is zero.
    error IdentityIdZero();

    /// @notice The wallet is the zero address.
    /// @param wallet Wallet.
    error IdentityInvalidWallet(address wallet);

    /// @notice The level is above 4 (licensed issuer).
    /// @param level Requested level.
    /// @param maxLevel Highest level (4).
    error IdentityInvalidLevel(uint8 level, uint8 maxLevel);

    /// @notice The expiry is not in the future.
    /// @param expiresAt Requested expiry.
    /// @param now Block time.
    error IdentityInvalidExpiry(uint64 expiresAt, uint64 now);

    /// @notice An identity with this id already exists.
    /// @param identityId Identity.
    error IdentityAlreadyRegistered(bytes32 identityId);

    /// @notice No identity with this id exists.
    /// @param identityId Identity.
    error IdentityNotFound(bytes32 identityId);

    /// @notice The identity was revoked; revocation is final.
    /// @param identityId Identity.
    error IdentityRevoked(bytes32 identityId);

    /// @notice Only the regulator may act on a wallet of an identity that is not Active.
    /// @param identityId Identity of the wallet.
    /// @param status Its status (Suspended or Revoked).
    error IdentityNotActive(bytes32 identityId, IdentityStatus status);

    /// @notice The regulator action does not apply to an identity in status `current`.
    /// @param identityId Identity.
    /// @param current Its status.
    /// @param requested Status the action would set.
    error IdentityInvalidStatusTransition(bytes32 identityId, IdentityStatus current, IdentityStatus requested);

    /// @notice The wallet is already linked to `identityId`.
    /// @param wallet Wallet.
    /// @param identityId Identity it is linked to.
    error IdentityWalletAlreadyLinked(address wallet, bytes32 identityId);

    /// @notice The wallet is not linked to any identity.
    /// @param wallet Wallet.
    error IdentityWalletNotLinked(address wallet);

    /// @notice The wallet holds tokens of a custody registry; the regulator must move them first.
    /// @param wallet Wallet.
    /// @param registry Token registry.
    /// @param balance Tokens it holds there.
    error IdentityWalletHoldsTokens(address wallet, address registry, uint256 balance);

    /// @notice The identity already has the maximum number of wallets.
    /// @param identityId Identity.
    /// @param maxWallets Maximum.
    error IdentityTooManyWallets(bytes32 identityId, uint256 maxWallets);

    /// @notice A custody registry is zero, listed twice, not an ERC-721 (ERC-165), or one too many.
    /// @param registry The offending entry.
    error IdentityInvalidCustodyRegistry(address registry);

    /// @notice A batch call was given no entries.
    error IdentityEmptyBatch();

    // ─── Attestor ────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Registers an identity with its first wallet.
     * @param identityId Opaque id chosen by the attestor (e.g. a salted hash); never personal data.
     * @param wallet First wallet of the identity.
     * @param level 0..4, see {Identity}.
     * @param jurisdiction ISO-3166 numeric code.
     * @param expiresAt Unix time after which the identity stops verifying.
     * @param evidenceHash Hash of the off-chain KYC dossier.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE;
     * - `identityId` is non-zero and unused, `wallet` is non-zero and unlinked;
     * - `level` ≤ 4 and `expiresAt` is in the future.
     *
     * Emits {IdentityRegistered} and {WalletLinked}.
     */
    function registerIdentity(
        bytes32 identityId,
        address wallet,
        uint8 level,
        uint16 jurisdiction,
        uint64 expiresAt,
        bytes32 evidenceHash
    ) external;

    /**
     * @notice Registers several identities at once, with the same rules as {registerIdentity}.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE;
     * - `registrations` is not empty; every entry satisfies {registerIdentity}. One bad entry reverts all.
     */
    function batchRegisterIdentities(IdentityRegistration[] calldata registrations) external;

    /**
     * @notice Changes the level, jurisdiction and dossier hash of an identity (re-attestation).
     * The caller becomes the identity's attestor.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE;
     * - the identity exists and is not revoked; `level` ≤ 4.
     *
     * Emits {IdentityUpdated}.
     */
    function updateIdentity(
        bytes32 identityId,
        uint8 level,
        uint16 jurisdiction,
        bytes32 evidenceHash,
        bytes32 reason
    ) external;

    /**
     * @notice Renews an identity until `expiresAt`, with the hash of the refreshed dossier.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE;
     * - the identity exists and is not revoked; `expiresAt` is in the future.
     *
     * Emits {IdentityRenewed}.
     */
    function renewIdentity(bytes32 identityId, uint64 expiresAt, bytes32 evidenceHash, bytes32 reason) external;

    /**
     * @notice Links another wallet to an identity.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE;
     * - the identity exists and is not revoked; `wallet` is non-zero and unlinked;
     * - the identity has fewer than {MAX_WALLETS} wallets.
     *
     * Emits {WalletLinked}.
     */
    function linkWallet(bytes32 identityId, address wallet, bytes32 reason) external;

    /**
     * @notice Unlinks a wallet from its identity; the wallet stops verifying at once and may be registered or
     * linked anew.
     *
     * Requirements:
     * - caller has ATTESTOR_ROLE or REGULATOR_ROLE (otherwise
     *   {IAccessControl-AccessControlUnauthorizedAccount} for ATTESTOR_ROLE);
     * - `wallet` is linked;
     * - an attestor that is not a regulator acts only on a wallet of an Active identity ({IdentityNotActive});
     * - the wallet holds no token of any custody registry ({IdentityWalletHoldsTokens}).
     *
     * Emits {WalletUnlinked}.
     */
    function unlinkWallet(address wallet, bytes32 reason) external;

    // ─── Admin ───────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Sets the ERC-721 registries (CollectibleRights) consulted by {unlinkWallet}, replacing the list.
     *
     * Requirements:
     * - caller has DEFAULT_ADMIN_ROLE;
     * - at most {MAX_CUSTODY_REGISTRIES} entries, each non-zero, distinct and an ERC-721 by ERC-165.
     *
     * Emits {CustodyRegistriesSet}.
     */
    function setCustodyRegistries(address[] calldata registries) external;

    // ─── Regulator ───────────────────────────────────────────────────────────────────────────

    /**
     * @notice Suspends an active identity; its wallets stop verifying until reinstated.
     *
     * Requirements:
     * - caller has REGULATOR_ROLE;
     * - the identity is Active.
     *
     * Emits {IdentityStatusChanged}.
     */
    function suspendIdentity(bytes32 identityId, bytes32 reason) external;

    /**
     * @notice Reinstates a suspended identity.
     *
     * Requirements:
     * - caller has REGULATOR_ROLE;
     * - the identity is Suspended.
     *
     * Emits {IdentityStatusChanged}.
     */
    function reinstateIdentity(bytes32 identityId, bytes32 reason) external;

    /**
     * @notice Revokes an identity for good. Its wallets never verify again and it cannot be changed.
     *
     * Requirements:
     * - caller has REGULATOR_ROLE;
     * - the identity is Active or Suspended.
     *
     * Emits {IdentityStatusChanged}.
     */
    function revokeIdentity(bytes32 identityId, bytes32 reason) external;

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @notice Highest level: a licensed issuer.
    function LEVEL_LICENSED_ISSUER() external view returns (uint8);

    /// @notice Maximum number of wallets one identity may link.
    function MAX_WALLETS() external view returns (uint256);

    /// @notice Maximum number of custody registries.
    function MAX_CUSTODY_REGISTRIES() external view returns (uint256);

    /// @notice The token registries whose holders cannot be unlinked.
    function custodyRegistries() external view returns (address[] memory);

    /// @notice Role of trusted KYC providers.
    function ATTESTOR_ROLE() external view returns (bytes32);

    /// @notice Role of the regulator.
    function REGULATOR_ROLE() external view returns (bytes32);

    /**
     * @notice Whether `wallet` belongs to an identity that is Active, unexpired (now < expiresAt) and at
     * least `minLevel`. Expiry takes effect by itself, with no transaction.
     */
    function isVerified(address wallet, uint8 minLevel) external view returns (bool);

    /// @notice {isVerified} for several wallets in one call, e.g. the recipients of a mint batch.
    function areVerified(address[] calldata wallets, uint8 minLevel) external view returns (bool[] memory verified);

    /// @notice The identity id of `wallet`, or zero when unlinked.
    function identityOf(address wallet) external view returns (bytes32);

    /// @notice The stored record of an identity; `status` is None when it does not exist.
    function getIdentity(bytes32 identityId) external view returns (Identity memory);

    /// @notice The wallets linked to an identity, in no particular order.
    function walletsOf(bytes32 identityId) external view returns (address[] memory);
}
