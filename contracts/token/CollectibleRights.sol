// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Custody} from "./ERC721Custody.sol";
import {ICollectibleRights} from "../interfaces/ICollectibleRights.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/**
 * @title CollectibleRights
 * @notice See {ICollectibleRights}.
 *
 * Storage is laid out for the movement path. A token's id encodes its collection and serial, so nothing is
 * stored per token but the one packed slot of {ERC721Custody}. Everything the rule hook needs about a
 * collection (issuer, holding period, supply counters, mode, minimum level) is one slot, `Core`.
 *
 * If you are overriding:
 * - all movement goes through {_update}; it is the only place where rules are enforced. Do not add another
 *   path that writes owners, and do not skip the hook for "trusted" callers;
 * - `_regulatorOverride` is non-zero only inside {forcedTransfer} and {takedown}; never leave it set;
 * - a content hash maps to one collection forever, even after a takedown;
 * - requestIds are never reused: `_mintRecords[requestId].count` is non-zero once used.
 */
contract CollectibleRights is ERC721Custody, AccessControl, ICollectibleRights {
    /// @inheritdoc ICollectibleRights
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @inheritdoc ICollectibleRights
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @inheritdoc ICollectibleRights
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    /// @dev Identity level of a licensed issuer (see {IIdentityRegistry-Identity}).
    uint8 private constant _LICENSED_ISSUER = 4;
    uint16 private constant _MAX_ROYALTY_BPS = 10_000;
    uint8 private constant _ALL_RIGHTS = 0x0F;
    uint256 private constant _SERIAL_BITS = 64;
    bytes4 private constant _ERC4906_ID = 0x49064906;

    uint8 private constant _NO_OVERRIDE = 0;
    uint8 private constant _FORCED = 1;
    uint8 private constant _TAKEDOWN = 2;

    /// @dev Everything the rule hook and the mint path read about a collection, in one slot.
    struct Core {
        address issuer;
        uint32 holdingPeriod;
        uint24 minted;
        uint24 maxSupply;
        TransferMode mode;
        uint8 minLevel;
    }

    /// @dev Terms read off the hot path, in one slot.
    struct Terms {
        address royaltyReceiver;
        uint16 royaltyBps;
        uint8 rights;
        uint24 burned;
        uint40 createdAt;
    }

    struct CollectionData {
        Core core;
        Terms terms;
        bytes32 contentHash;
        bytes32 complianceRef;
        string metadataCID;
        string licenceCID;
    }

    IIdentityRegistry private immutable _identity;

    // These three share one slot, so the override flag costs little and pausing reads one warm slot.
    uint64 private _collectionCount;
    bool private _paused;
    uint8 private _regulatorOverride;

    mapping(uint64 collectionId => CollectionData data) private _collections;
    mapping(bytes32 contentHash => uint64 collectionId) private _contentOwner;
    mapping(bytes32 requestId => MintRecord record) private _mintRecords;
    mapping(uint256 tokenId => mapping(address licensee => Licence licence)) private _licences;

    constructor(string memory name_, string memory symbol_, IIdentityRegistry identity_, address admin)
        ERC721Custody(name_, symbol_)
    {
        _identity = identity_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ─── Issuers ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function createCollection(address issuer, CollectionParams calldata p) external returns (uint64 collectionId) {
        _checkIssuerAgent(issuer);
        if (p.contentHash == bytes32(0) || p.complianceRef == bytes32(0)) revert CollectionMissingHash();
        if (bytes(p.metadataCID).length == 0 || bytes(p.licenceCID).length == 0) revert CollectionEmptyCID();
        uint64 holder = _contentOwner[p.contentHash];
        if (holder != 0) revert ContentAlreadyRegistered(p.contentHash, holder);
        if (p.maxSupply == 0 || p.maxSupply > type(uint24).max) {
            revert CollectionInvalidMaxSupply(p.maxSupply, type(uint24).max);
        }
        if (p.royaltyBps > _MAX_ROYALTY_BPS || (p.royaltyBps != 0 && p.royaltyReceiver == address(0))) {
            revert CollectionInvalidRoyalty(p.royaltyReceiver, p.royaltyBps);
        }
        if (p.rights == 0 || p.rights & ~_ALL_RIGHTS != 0) revert CollectionInvalidRights(p.rights);
        if (p.minLevel == 0 || p.minLevel > _LICENSED_ISSUER) revert CollectionInvalidMinLevel(p.minLevel);

        collectionId = ++_collectionCount;
        _contentOwner[p.contentHash] = collectionId;
        CollectionData storage c = _collections[collectionId];
        c.core = Core({
            issuer: issuer,
            holdingPeriod: p.holdingPeriod,
            minted: 0,
            maxSupply: uint24(p.maxSupply),
            mode: p.mode,
            minLevel: p.minLevel
        });
        c.terms = Terms({
            royaltyReceiver: p.royaltyReceiver,
            royaltyBps: p.royaltyBps,
            rights: p.rights,
            burned: 0,
            createdAt: uint40(block.timestamp)
        });
        c.contentHash = p.contentHash;
        c.complianceRef = p.complianceRef;
        c.metadataCID = p.metadataCID;
        c.licenceCID = p.licenceCID;
        emit CollectionCreated(collectionId, issuer, p.contentHash, msg.sender, p.metadataCID, p.complianceRef);
    }

    /// @inheritdoc ICollectibleRights
    function mint(address issuer, uint64 collectionId, address to, bytes32 requestId)
        external
        returns (uint256 tokenId)
    {
        tokenId = _tokenId(collectionId, _reserve(issuer, collectionId, 1, requestId));
        _mint(to, tokenId);
    }

    /// @inheritdoc ICollectibleRights
    function mintBatch(address issuer, uint64 collectionId, address[] calldata recipients, bytes32 requestId)
        external
        returns (uint256 firstTokenId)
    {
        uint256 count = recipients.length;
        if (count == 0) revert EmptyRecipients();
        firstTokenId = _tokenId(collectionId, _reserve(issuer, collectionId, count, requestId));
        for (uint256 i; i < count; ++i) {
            unchecked {
                _mint(recipients[i], firstTokenId + i);
            }
        }
    }

    /// @inheritdoc ICollectibleRights
    function setMetadataCID(uint64 collectionId, string calldata metadataCID) external {
        CollectionData storage c = _existing(collectionId);
        address issuer = c.core.issuer;
        if (msg.sender != issuer) revert IssuerMismatch(collectionId, msg.sender);
        _checkIssuerAgent(issuer);
        if (bytes(metadataCID).length == 0) revert CollectionEmptyCID();
        if (keccak256(bytes(metadataCID)) == keccak256(bytes(c.metadataCID))) {
            revert CollectionMetadataUnchanged(collectionId);
        }
        c.metadataCID = metadataCID;
        emit CollectionMetadataUpdated(collectionId, issuer, metadataCID);
        emit BatchMetadataUpdate(_tokenId(collectionId, 1), _tokenId(collectionId, c.core.maxSupply));
    }

    // ─── Holders: licences ───────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function grantLicence(uint256 tokenId, address licensee, uint8 scope, uint40 expiresAt) external {
        TokenRecord memory t = _heldByCaller(tokenId);
        if (_paused) revert RegistryIsPaused();
        if (_isAccountFrozen(msg.sender)) revert SenderFrozen(msg.sender);
        if (t.frozen) revert TokenIsFrozen(tokenId);
        CollectionData storage c = _collections[_collectionOf(tokenId)];
        uint8 rights = c.terms.rights;
        if (scope == 0 || scope & rights != scope) revert LicenceScopeNotGranted(tokenId, scope, rights);
        if (expiresAt <= block.timestamp) revert LicenceInvalidExpiry(tokenId, expiresAt);
        uint8 minLevel = c.core.minLevel;
        if (!_identity.isVerified(licensee, minLevel)) revert LicenseeNotVerified(licensee, minLevel);
        _licences[tokenId][licensee] =
            Licence({scope: scope, grantedAt: uint40(block.timestamp), expiresAt: expiresAt, epoch: t.epoch});
        emit LicenceGranted(tokenId, msg.sender, licensee, scope, expiresAt);
    }

    /// @inheritdoc ICollectibleRights
    function revokeLicence(uint256 tokenId, address licensee) external {
        TokenRecord memory t = _heldByCaller(tokenId);
        if (!_inForce(_licences[tokenId][licensee], t)) revert LicenceNotFound(tokenId, licensee);
        delete _licences[tokenId][licensee];
        emit LicenceRevoked(tokenId, msg.sender, licensee);
    }

    /// @inheritdoc ICollectibleRights
    function isLicensed(uint256 tokenId, address account, uint8 scope) external view returns (bool) {
        Licence memory licence = _licences[tokenId][account];
        return scope != 0 && licence.scope & scope == scope && _inForce(licence, _tokenRecord(tokenId));
    }

    /// @inheritdoc ICollectibleRights
    function licenceOf(uint256 tokenId, address licensee) external view returns (Licence memory) {
        return _licences[tokenId][licensee];
    }

    // ─── Regulator ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function pause(bytes32 reason, bytes32 evidenceHash) external onlyRole(REGULATOR_ROLE) {
        if (_paused) revert RegistryIsPaused();
        _paused = true;
        emit RegistryPaused(msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function unpause(bytes32 reason, bytes32 evidenceHash) external onlyRole(REGULATOR_ROLE) {
        if (!_paused) revert RegistryNotPaused();
        _paused = false;
        emit RegistryUnpaused(msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function freezeWallet(address wallet, bytes32 reason, bytes32 evidenceHash) external onlyRole(REGULATOR_ROLE) {
        if (_isAccountFrozen(wallet)) revert WalletAlreadyFrozen(wallet);
        _setAccountFrozen(wallet, true);
        emit WalletFrozen(wallet, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function unfreezeWallet(address wallet, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        if (!_isAccountFrozen(wallet)) revert WalletNotFrozen(wallet);
        _setAccountFrozen(wallet, false);
        emit WalletUnfrozen(wallet, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function freezeToken(uint256 tokenId, bytes32 reason, bytes32 evidenceHash) external onlyRole(REGULATOR_ROLE) {
        _requireOwned(tokenId);
        if (_tokenRecord(tokenId).frozen) revert TokenAlreadyFrozen(tokenId);
        _setTokenFrozen(tokenId, true);
        emit TokenFrozen(tokenId, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function unfreezeToken(uint256 tokenId, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        if (!_tokenRecord(tokenId).frozen) revert TokenNotFrozen(tokenId);
        _setTokenFrozen(tokenId, false);
        emit TokenUnfrozen(tokenId, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function forcedTransfer(address from, address to, uint256 tokenId, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address owner = _requireOwned(tokenId);
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        _regulatorOverride = _FORCED;
        _update(to, tokenId, address(0));
        _regulatorOverride = _NO_OVERRIDE;
        emit ForcedTransfer(tokenId, from, to, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function takedown(uint256[] calldata tokenIds, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        _regulatorOverride = _TAKEDOWN;
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            address holder = _update(address(0), tokenId, address(0));
            if (holder == address(0)) revert ERC721NonexistentToken(tokenId);
            ++_collections[_collectionOf(tokenId)].terms.burned;
            emit TokenTakenDown(tokenId, holder, msg.sender, reason, evidenceHash);
        }
        _regulatorOverride = _NO_OVERRIDE;
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function identityRegistry() external view returns (IIdentityRegistry) {
        return _identity;
    }

    /// @inheritdoc ICollectibleRights
    function getCollection(uint64 collectionId) external view returns (Collection memory) {
        CollectionData storage c = _existing(collectionId);
        Core memory core = c.core;
        Terms memory terms = c.terms;
        return Collection({
            issuer: core.issuer,
            holdingPeriod: core.holdingPeriod,
            minted: core.minted,
            maxSupply: core.maxSupply,
            mode: core.mode,
            minLevel: core.minLevel,
            royaltyReceiver: terms.royaltyReceiver,
            royaltyBps: terms.royaltyBps,
            rights: terms.rights,
            burned: terms.burned,
            createdAt: terms.createdAt,
            contentHash: c.contentHash,
            complianceRef: c.complianceRef,
            metadataCID: c.metadataCID,
            licenceCID: c.licenceCID
        });
    }

    /// @inheritdoc ICollectibleRights
    function collectionCount() external view returns (uint64) {
        return _collectionCount;
    }

    /// @inheritdoc ICollectibleRights
    function collectionOfContent(bytes32 contentHash) external view returns (uint64) {
        return _contentOwner[contentHash];
    }

    /// @inheritdoc ICollectibleRights
    function totalSupply(uint64 collectionId) external view returns (uint256) {
        CollectionData storage c = _existing(collectionId);
        return uint256(c.core.minted) - c.terms.burned;
    }

    /// @inheritdoc ICollectibleRights
    function tokenIdOf(uint64 collectionId, uint64 serial) external pure returns (uint256) {
        return _tokenId(collectionId, serial);
    }

    /// @inheritdoc ICollectibleRights
    function decodeTokenId(uint256 tokenId) external pure returns (uint64 collectionId, uint64 serial) {
        return (_collectionOf(tokenId), uint64(tokenId));
    }

    /// @inheritdoc ICollectibleRights
    function tokenState(uint256 tokenId) external view returns (TokenState memory) {
        TokenRecord memory t = _tokenRecord(tokenId);
        return TokenState({owner: t.owner, acquiredAt: t.acquiredAt, epoch: t.epoch, frozen: t.frozen});
    }

    /// @inheritdoc ICollectibleRights
    function mintRecord(bytes32 requestId) external view returns (MintRecord memory) {
        return _mintRecords[requestId];
    }

    /// @inheritdoc ICollectibleRights
    function isWalletFrozen(address wallet) external view returns (bool) {
        return _isAccountFrozen(wallet);
    }

    /// @inheritdoc ICollectibleRights
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        address owner = _requireOwned(tokenId);
        TokenRecord memory t = _tokenRecord(tokenId);
        Core memory core = _collections[_collectionOf(tokenId)].core;
        return core.mode == TransferMode.Locked || block.timestamp < uint256(t.acquiredAt) + core.holdingPeriod
            || t.frozen || _isAccountFrozen(owner);
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        _requireOwned(tokenId);
        return string.concat("ipfs://", _collections[_collectionOf(tokenId)].metadataCID);
    }

    /// @inheritdoc IERC2981
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        Terms memory terms = _collections[_collectionOf(tokenId)].terms;
        return (terms.royaltyReceiver, salePrice * terms.royaltyBps / _MAX_ROYALTY_BPS);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Custody, AccessControl, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC2981).interfaceId || interfaceId == _ERC4906_ID
            || interfaceId == type(IERC5192).interfaceId || interfaceId == type(ICollectibleRights).interfaceId
            || ERC721Custody.supportsInterface(interfaceId) || AccessControl.supportsInterface(interfaceId);
    }

    // ─── The rule hook ───────────────────────────────────────────────────────────────────────

    /**
     * @dev The one hook every movement passes. Outside a regulator override it checks, in order: pause,
     * frozen sender and recipient wallets, frozen token, recipient verified, sender verified, transfer
     * mode, holding period. A forced transfer checks only that the recipient is verified; a takedown burn
     * checks nothing.
     */
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        uint8 regulatorOverride = _regulatorOverride;
        if (regulatorOverride == _TAKEDOWN) return super._update(to, tokenId, auth);

        TokenRecord memory t = _tokenRecord(tokenId);
        address from = t.owner;
        if (auth != address(0)) _checkAuthorized(from, auth, tokenId);
        Core memory core = _collections[_collectionOf(tokenId)].core;

        if (regulatorOverride == _NO_OVERRIDE) {
            if (_paused) revert RegistryIsPaused();
            if (from != address(0) && _isAccountFrozen(from)) revert SenderFrozen(from);
            if (to != address(0) && _isAccountFrozen(to)) revert RecipientFrozen(to);
            if (t.frozen) revert TokenIsFrozen(tokenId);
        }
        if (to != address(0) && !_identity.isVerified(to, core.minLevel)) {
            revert RecipientNotVerified(to, core.minLevel);
        }
        if (regulatorOverride == _NO_OVERRIDE && from != address(0)) {
            if (!_identity.isVerified(from, core.minLevel)) revert SenderNotVerified(from, core.minLevel);
            if (core.mode == TransferMode.Locked) revert TransferModeLocked(tokenId);
            uint256 unlocksAt = uint256(t.acquiredAt) + core.holdingPeriod;
            if (block.timestamp < unlocksAt) revert HoldingPeriodActive(tokenId, unlocksAt);
        }
        return super._update(to, tokenId, address(0));
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────

    /// @dev Checks the caller may act for `issuer` and that `issuer` is a licensed, verified issuer now.
    function _checkIssuerAgent(address issuer) private view {
        if (msg.sender != issuer && !hasRole(OPERATOR_ROLE, msg.sender)) {
            revert CallerNotIssuerOrOperator(msg.sender, issuer);
        }
        if (!hasRole(ISSUER_ROLE, issuer)) revert IssuerMissingRole(issuer);
        if (!_identity.isVerified(issuer, _LICENSED_ISSUER)) revert IssuerNotVerified(issuer, _LICENSED_ISSUER);
    }

    /**
     * @dev Runs the checks of a mint request, records `requestId` and advances the supply counter once for
     * the whole request. Returns the first serial.
     */
    function _reserve(address issuer, uint64 collectionId, uint256 count, bytes32 requestId)
        private
        returns (uint256 firstSerial)
    {
        _checkIssuerAgent(issuer);
        if (requestId == bytes32(0)) revert RequestIdZero();
        MintRecord storage request = _mintRecords[requestId];
        if (request.count != 0) revert RequestAlreadyUsed(requestId);
        Core storage core = _existing(collectionId).core;
        if (core.issuer != issuer) revert IssuerMismatch(collectionId, issuer);
        uint256 minted = core.minted;
        uint256 remaining = core.maxSupply - minted;
        if (count > remaining) revert MaxSupplyExceeded(collectionId, count, remaining);
        core.minted = uint24(minted + count);
        firstSerial = minted + 1;
        _mintRecords[requestId] = MintRecord({
            collectionId: collectionId,
            firstSerial: uint64(firstSerial),
            count: uint32(count),
            mintedAt: uint40(block.timestamp)
        });
        emit EditionsMinted(collectionId, requestId, issuer, msg.sender, uint64(firstSerial), uint32(count));
    }

    function _existing(uint64 collectionId) private view returns (CollectionData storage c) {
        c = _collections[collectionId];
        if (c.core.issuer == address(0)) revert CollectionNotFound(collectionId);
    }

    /// @dev The record of a token the caller holds.
    function _heldByCaller(uint256 tokenId) private view returns (TokenRecord memory t) {
        t = _tokenRecord(tokenId);
        if (t.owner == address(0)) revert ERC721NonexistentToken(tokenId);
        if (t.owner != msg.sender) revert NotTokenHolder(tokenId, msg.sender);
    }

    function _inForce(Licence memory licence, TokenRecord memory t) private view returns (bool) {
        return t.owner != address(0) && licence.epoch == t.epoch && block.timestamp < licence.expiresAt;
    }

    function _tokenId(uint64 collectionId, uint256 serial) private pure returns (uint256) {
        return (uint256(collectionId) << _SERIAL_BITS) | serial;
    }

    function _collectionOf(uint256 tokenId) private pure returns (uint64) {
        return uint64(tokenId >> _SERIAL_BITS);
    }
}
