// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/**
 * @title IdentityRegistry
 * @notice See {IIdentityRegistry}.
 *
 * If you are extending this contract, keep these invariants:
 * - a wallet is linked to at most one identity, and `_walletIdentity[w] == id` iff `w ∈ _wallets[id]`;
 * - a Revoked identity never changes status, level, expiry or dossier again (its wallets can still be
 *   unlinked by the regulator, so they can be re-attested under another identity);
 * - a wallet that holds a token of a custody registry is never unlinked: the identity behind a token changes
 *   only when the token moves;
 * - `_walletStatus[w]` is a copy of the level, expiry and status of the identity of `w` (zero when
 *   unlinked). {isVerified} reads only that one slot, because every token movement in CollectibleRights
 *   calls it; every write to those three fields must go through {_sync}, which refreshes the copies of all
 *   (at most MAX_WALLETS) wallets.
 */
contract IdentityRegistry is AccessControlDefaultAdminRules, IIdentityRegistry {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @inheritdoc IIdentityRegistry
    bytes32 public constant ATTESTOR_ROLE = keccak256("ATTESTOR_ROLE");
    /// @inheritdoc IIdentityRegistry
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    /// @inheritdoc IIdentityRegistry
    uint8 public constant LEVEL_LICENSED_ISSUER = 4;
    /// @inheritdoc IIdentityRegistry
    uint256 public constant MAX_WALLETS = 16;
    /// @inheritdoc IIdentityRegistry
    uint256 public constant MAX_CUSTODY_REGISTRIES = 8;

    /// @dev Fields read by {isVerified} share the first slot.
    struct Record {
        uint8 level;
        uint16 jurisdiction;
        uint64 expiresAt;
        IdentityStatus status;
        address attestor;
        bytes32 evidenceHash;
    }

    /// @dev The fields {isVerified} needs, copied per wallet (one slot).
    struct WalletStatus {
        uint8 level;
        uint64 expiresAt;
        IdentityStatus status;
    }

    mapping(bytes32 identityId => Record record) private _identities;
    mapping(bytes32 identityId => EnumerableSet.AddressSet wallets) private _wallets;
    mapping(address wallet => bytes32 identityId) private _walletIdentity;
    mapping(address wallet => WalletStatus status) private _walletStatus;
    address[] private _custodyRegistries;

    /**
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over (see {AccessControlDefaultAdminRules}).
     * @param initialAdmin Holder of DEFAULT_ADMIN_ROLE.
     */
    constructor(uint48 initialAdminDelay, address initialAdmin)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
    {}

    // ─── Attestor ────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IIdentityRegistry
    function registerIdentity(
        bytes32 identityId,
        address wallet,
        uint8 level,
        uint16 jurisdiction,
        uint64 expiresAt,
        bytes32 evidenceHash
    ) external onlyRole(ATTESTOR_ROLE) {
        _register(identityId, wallet, level, jurisdiction, expiresAt, evidenceHash);
    }

    /// @inheritdoc IIdentityRegistry
    function batchRegisterIdentities(IdentityRegistration[] calldata registrations)
        external
        onlyRole(ATTESTOR_ROLE)
    {
        if (registrations.length == 0) revert IdentityEmptyBatch();
        for (uint256 i; i < registrations.length; ++i) {
            IdentityRegistration calldata r = registrations[i];
            _register(r.identityId, r.wallet, r.level, r.jurisdiction, r.expiresAt, r.evidenceHash);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function updateIdentity(
        bytes32 identityId,
        uint8 level,
        uint16 jurisdiction,
        bytes32 evidenceHash,
        bytes32 reason
    ) external onlyRole(ATTESTOR_ROLE) {
        Record storage id = _mutable(identityId);
        _checkLevel(level);
        id.level = level;
        id.jurisdiction = jurisdiction;
        id.attestor = msg.sender;
        id.evidenceHash = evidenceHash;
        _sync(identityId, id);
        emit IdentityUpdated(identityId, msg.sender, level, jurisdiction, evidenceHash, reason);
    }

    /// @inheritdoc IIdentityRegistry
    function renewIdentity(bytes32 identityId, uint64 expiresAt, bytes32 evidenceHash, bytes32 reason)
        external
        onlyRole(ATTESTOR_ROLE)
    {
        Record storage id = _mutable(identityId);
        _checkExpiry(expiresAt);
        id.expiresAt = expiresAt;
        id.attestor = msg.sender;
        id.evidenceHash = evidenceHash;
        _sync(identityId, id);
        emit IdentityRenewed(identityId, msg.sender, expiresAt, evidenceHash, reason);
    }

    /// @inheritdoc IIdentityRegistry
    function linkWallet(bytes32 identityId, address wallet, bytes32 reason) external onlyRole(ATTESTOR_ROLE) {
        _mutable(identityId);
        _link(identityId, wallet, reason);
    }

    /// @inheritdoc IIdentityRegistry
    function unlinkWallet(address wallet, bytes32 reason) external {
        bool regulator = hasRole(REGULATOR_ROLE, msg.sender);
        if (!regulator) _checkRole(ATTESTOR_ROLE);
        bytes32 identityId = _walletIdentity[wallet];
        if (identityId == bytes32(0)) revert IdentityWalletNotLinked(wallet);
        IdentityStatus status = _identities[identityId].status;
        if (!regulator && status != IdentityStatus.Active) revert IdentityNotActive(identityId, status);
        address[] memory registries = _custodyRegistries;
        for (uint256 i; i < registries.length; ++i) {
            uint256 balance = IERC721(registries[i]).balanceOf(wallet);
            if (balance != 0) revert IdentityWalletHoldsTokens(wallet, registries[i], balance);
        }
        delete _walletIdentity[wallet];
        delete _walletStatus[wallet];
        _wallets[identityId].remove(wallet);
        emit WalletUnlinked(identityId, wallet, msg.sender, reason);
    }

    // ─── Admin ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IIdentityRegistry
    function setCustodyRegistries(address[] calldata registries) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (registries.length > MAX_CUSTODY_REGISTRIES) {
            revert IdentityInvalidCustodyRegistry(registries[MAX_CUSTODY_REGISTRIES]);
        }
        for (uint256 i; i < registries.length; ++i) {
            address registry = registries[i];
            // ERC165Checker answers false for the zero address and for accounts without code.
            if (!ERC165Checker.supportsInterface(registry, type(IERC721).interfaceId)) {
                revert IdentityInvalidCustodyRegistry(registry);
            }
            for (uint256 j; j < i; ++j) {
                if (registries[j] == registry) revert IdentityInvalidCustodyRegistry(registry);
            }
        }
        _custodyRegistries = registries;
        emit CustodyRegistriesSet(msg.sender, registries);
    }

    // ─── Regulator ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IIdentityRegistry
    function suspendIdentity(bytes32 identityId, bytes32 reason) external onlyRole(REGULATOR_ROLE) {
        _transition(identityId, IdentityStatus.Active, IdentityStatus.Suspended, reason);
    }

    /// @inheritdoc IIdentityRegistry
    function reinstateIdentity(bytes32 identityId, bytes32 reason) external onlyRole(REGULATOR_ROLE) {
        _transition(identityId, IdentityStatus.Suspended, IdentityStatus.Active, reason);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeIdentity(bytes32 identityId, bytes32 reason) external onlyRole(REGULATOR_ROLE) {
        IdentityStatus current = _identities[identityId].status;
        if (current == IdentityStatus.None) revert IdentityNotFound(identityId);
        if (current == IdentityStatus.Revoked) {
            revert IdentityInvalidStatusTransition(identityId, current, IdentityStatus.Revoked);
        }
        Record storage id = _identities[identityId];
        id.status = IdentityStatus.Revoked;
        _sync(identityId, id);
        emit IdentityStatusChanged(identityId, msg.sender, current, IdentityStatus.Revoked, reason);
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IIdentityRegistry
    function isVerified(address wallet, uint8 minLevel) external view returns (bool) {
        return _isVerified(wallet, minLevel);
    }

    /// @inheritdoc IIdentityRegistry
    function areVerified(address[] calldata wallets, uint8 minLevel) external view returns (bool[] memory verified) {
        verified = new bool[](wallets.length);
        for (uint256 i; i < wallets.length; ++i) {
            verified[i] = _isVerified(wallets[i], minLevel);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function custodyRegistries() external view returns (address[] memory) {
        return _custodyRegistries;
    }

    /// @inheritdoc IIdentityRegistry
    function identityOf(address wallet) external view returns (bytes32) {
        return _walletIdentity[wallet];
    }

    /// @inheritdoc IIdentityRegistry
    function getIdentity(bytes32 identityId) external view returns (Identity memory) {
        Record storage r = _identities[identityId];
        return Identity({
            level: r.level,
            jurisdiction: r.jurisdiction,
            expiresAt: r.expiresAt,
            status: r.status,
            attestor: r.attestor,
            evidenceHash: r.evidenceHash,
            walletCount: uint32(_wallets[identityId].length())
        });
    }

    /// @inheritdoc IIdentityRegistry
    function walletsOf(bytes32 identityId) external view returns (address[] memory) {
        return _wallets[identityId].values();
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────

    function _isVerified(address wallet, uint8 minLevel) private view returns (bool) {
        WalletStatus memory w = _walletStatus[wallet];
        return w.status == IdentityStatus.Active && block.timestamp < w.expiresAt && w.level >= minLevel;
    }

    function _register(
        bytes32 identityId,
        address wallet,
        uint8 level,
        uint16 jurisdiction,
        uint64 expiresAt,
        bytes32 evidenceHash
    ) private {
        if (identityId == bytes32(0)) revert IdentityIdZero();
        if (_identities[identityId].status != IdentityStatus.None) revert IdentityAlreadyRegistered(identityId);
        _checkLevel(level);
        _checkExpiry(expiresAt);
        _identities[identityId] = Record({
            level: level,
            jurisdiction: jurisdiction,
            expiresAt: expiresAt,
            status: IdentityStatus.Active,
            attestor: msg.sender,
            evidenceHash: evidenceHash
        });
        emit IdentityRegistered(identityId, wallet, msg.sender, level, jurisdiction, expiresAt, evidenceHash);
        _link(identityId, wallet, bytes32(0));
    }

    function _link(bytes32 identityId, address wallet, bytes32 reason) private {
        if (wallet == address(0)) revert IdentityInvalidWallet(wallet);
        bytes32 current = _walletIdentity[wallet];
        if (current != bytes32(0)) revert IdentityWalletAlreadyLinked(wallet, current);
        EnumerableSet.AddressSet storage wallets = _wallets[identityId];
        if (wallets.length() >= MAX_WALLETS) revert IdentityTooManyWallets(identityId, MAX_WALLETS);
        wallets.add(wallet);
        _walletIdentity[wallet] = identityId;
        Record storage id = _identities[identityId];
        _walletStatus[wallet] = WalletStatus({level: id.level, expiresAt: id.expiresAt, status: id.status});
        emit WalletLinked(identityId, wallet, msg.sender, reason);
    }

    /// @dev The record of an identity that exists and is not revoked.
    function _mutable(bytes32 identityId) private view returns (Record storage id) {
        id = _identities[identityId];
        if (id.status == IdentityStatus.None) revert IdentityNotFound(identityId);
        if (id.status == IdentityStatus.Revoked) revert IdentityRevoked(identityId);
    }

    function _transition(bytes32 identityId, IdentityStatus from, IdentityStatus to, bytes32 reason) private {
        Record storage id = _identities[identityId];
        IdentityStatus current = id.status;
        if (current == IdentityStatus.None) revert IdentityNotFound(identityId);
        if (current != from) revert IdentityInvalidStatusTransition(identityId, current, to);
        id.status = to;
        _sync(identityId, id);
        emit IdentityStatusChanged(identityId, msg.sender, current, to, reason);
    }

    /// @dev Refreshes the per-wallet copies of level, expiry and status after a change to `id`.
    function _sync(bytes32 identityId, Record storage id) private {
        WalletStatus memory copy = WalletStatus({level: id.level, expiresAt: id.expiresAt, status: id.status});
        EnumerableSet.AddressSet storage wallets = _wallets[identityId];
        uint256 n = wallets.length();
        for (uint256 i; i < n; ++i) {
            _walletStatus[wallets.at(i)] = copy;
        }
    }

    function _checkLevel(uint8 level) private pure {
        if (level > LEVEL_LICENSED_ISSUER) revert IdentityInvalidLevel(level, LEVEL_LICENSED_ISSUER);
    }

    function _checkExpiry(uint64 expiresAt) private view {
        if (expiresAt <= block.timestamp) revert IdentityInvalidExpiry(expiresAt, uint64(block.timestamp));
    }
}
