// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC721Custody} from "./ERC721Custody.sol";
import {CollectibleRightsLogic} from "./CollectibleRightsLogic.sol";
import {ICollectibleRights} from "../interfaces/ICollectibleRights.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/**
 * @title CollectibleRights
 * @notice See {ICollectibleRights}.
 *
 * Storage is laid out for the movement path. A token's id encodes its collection and serial, so nothing is
 * stored per token but the one packed slot of {ERC721Custody}. Everything the rule hook needs about a
 * collection (issuer, holding period, supply counters, mode, minimum level) is one slot,
 * {CollectibleRightsLogic-Core}. A mint request costs one bit in a word of 256 (`_requestBitmaps`).
 *
 * The cold paths (collection creation and metadata, approvals, floors, and the getCollection, tokenURI and
 * royaltyInfo views) run in the linked library {CollectibleRightsLogic}, in this contract's storage
 * (`_store`), to stay within the EIP-170 code size limit; the hot paths (mint, the rule hook, transfers,
 * licences) stay here.
 *
 * If you are overriding:
 * - all movement goes through {ERC721Custody-_update}, whose hook {_checkMove} is the only place where rules
 *   are enforced. Do not add another path that writes owners;
 * - the rule order lives in one function, {_ruleFailure}, used by the hook, {checkTransfer} and {locked};
 *   never re-implement a rule elsewhere;
 * - only the two regulator entry points {forcedTransfer} and {takedown} are exempt from rules, recognised
 *   by `msg.sig`; any other path, including a new use of `_transfer` or `_burn`, gets every rule;
 * - a content hash maps to one collection forever, even after a takedown; a complianceRef is consumed once;
 * - a request nonce bit, once set, is never cleared.
 */
contract CollectibleRights is ERC721Custody, AccessControlDefaultAdminRules, EIP712, ICollectibleRights {
    /// @inheritdoc ICollectibleRights
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @inheritdoc ICollectibleRights
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @inheritdoc ICollectibleRights
    bytes32 public constant COMPLIANCE_SIGNER_ROLE = keccak256("COMPLIANCE_SIGNER_ROLE");
    /// @inheritdoc ICollectibleRights
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    uint8 private constant _LICENSED_ISSUER = CollectibleRightsLogic.LICENSED_ISSUER;
    uint256 private constant _SERIAL_BITS = CollectibleRightsLogic.SERIAL_BITS;
    bytes4 private constant _ERC4906_ID = 0x49064906;

    IIdentityRegistry private immutable _identity;

    bool private _paused;
    CollectibleRightsLogic.Store private _store;
    mapping(address issuer => mapping(uint256 wordPos => uint256 bitmap)) private _requestBitmaps;

    /**
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over (see {AccessControlDefaultAdminRules}).
     * @param initialAdmin Holder of DEFAULT_ADMIN_ROLE.
     * @param identity_ Identity registry that verifies issuers and holders.
     * The policy floors start permissive: no holding period, 2^24 - 1 editions, both modes, level 1.
     */
    constructor(
        uint48 initialAdminDelay,
        address initialAdmin,
        string memory name_,
        string memory symbol_,
        IIdentityRegistry identity_
    )
        ERC721Custody(name_, symbol_)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
        EIP712("CollectibleRights", "1")
    {
        _identity = identity_;
        _store.maxEditions = type(uint24).max;
        _store.allowedModes = CollectibleRightsLogic.ALL_MODES;
        _store.minHolderLevel = 1;
    }

    // ─── Issuers ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function createCollection(address issuer, CollectionParams calldata p, ComplianceApproval calldata approval)
        external
        returns (uint64 collectionId)
    {
        _checkIssuerAgent(issuer);
        return CollectibleRightsLogic.create(
            _store, issuer, p, approval, _domainSeparatorV4(), hasRole(COMPLIANCE_SIGNER_ROLE, approval.signer)
        );
    }

    /// @inheritdoc ICollectibleRights
    function mint(address issuer, uint64 collectionId, address to, uint256 requestNonce)
        external
        returns (uint256 tokenId)
    {
        bytes32 recipientsHash;
        assembly ("memory-safe") {
            mstore(0, to)
            recipientsHash := keccak256(0, 0x20)
        }
        tokenId = _reserve(issuer, collectionId, 1, requestNonce, recipientsHash);
        _mint(to, tokenId);
    }

    /// @inheritdoc ICollectibleRights
    function mintBatch(address issuer, uint64 collectionId, address[] calldata recipients, uint256 requestNonce)
        external
        returns (uint256 firstTokenId)
    {
        uint256 count = recipients.length;
        if (count == 0) revert MintRecipientsEmpty();
        // Hashes the ABI words as sent; each one is validated as an address when the loop below reads it.
        bytes32 recipientsHash;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, count)
            calldatacopy(ptr, recipients.offset, size)
            recipientsHash := keccak256(ptr, size)
        }
        firstTokenId = _reserve(issuer, collectionId, count, requestNonce, recipientsHash);
        for (uint256 i; i < count; ++i) {
            unchecked {
                _mint(recipients[i], firstTokenId + i);
            }
        }
    }

    /// @inheritdoc ICollectibleRights
    function setMetadataCID(
        uint64 collectionId,
        string calldata metadataCID,
        bytes32 complianceRef,
        ComplianceApproval calldata approval
    ) external {
        CollectibleRightsLogic.Core storage core = _existing(collectionId);
        address issuer = core.issuer;
        _checkIssuerAgent(issuer);
        CollectibleRightsLogic.updateMetadata(
            _store,
            collectionId,
            issuer,
            metadataCID,
            complianceRef,
            approval,
            _domainSeparatorV4(),
            hasRole(COMPLIANCE_SIGNER_ROLE, approval.signer)
        );
        emit BatchMetadataUpdate(_tokenId(collectionId, 1), _tokenId(collectionId, core.maxSupply));
    }

    // ─── Holders: licences ───────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function grantLicence(uint256 tokenId, address licensee, uint8 scope, uint40 expiresAt) external {
        TokenRecord memory t = _heldByCaller(tokenId);
        if (_paused) revert RegistryIsPaused();
        if (_isAccountFrozen(msg.sender)) revert SenderFrozen(msg.sender);
        if (t.frozen) revert TokenIsFrozen(tokenId);
        CollectibleRightsLogic.CollectionData storage c = _store.collections[_collectionOf(tokenId)];
        uint8 rights = c.terms.rights;
        if (scope == 0 || scope & rights != scope) revert LicenceScopeNotGranted(tokenId, scope, rights);
        if (expiresAt <= block.timestamp) revert LicenceInvalidExpiry(tokenId, expiresAt);
        uint8 minLevel = c.core.minLevel;
        if (!_identity.isVerified(licensee, minLevel)) revert LicenseeNotVerified(licensee, minLevel);
        _store.licences[tokenId][licensee] =
            Licence({scope: scope, grantedAt: uint40(block.timestamp), expiresAt: expiresAt, epoch: t.epoch});
        emit LicenceGranted(tokenId, msg.sender, licensee, scope, expiresAt);
    }

    /// @inheritdoc ICollectibleRights
    function revokeLicence(uint256 tokenId, address licensee) external {
        TokenRecord memory t = _heldByCaller(tokenId);
        if (!_inForce(_store.licences[tokenId][licensee], t)) revert LicenceNotFound(tokenId, licensee);
        delete _store.licences[tokenId][licensee];
        emit LicenceRevoked(tokenId, msg.sender, licensee);
    }

    /// @inheritdoc ICollectibleRights
    function isLicensed(uint256 tokenId, address account, uint8 scope) external view returns (bool) {
        Licence memory licence = _store.licences[tokenId][account];
        return scope != 0 && licence.scope & scope == scope && _inForce(licence, _tokenRecord(tokenId));
    }

    /// @inheritdoc ICollectibleRights
    function licenceOf(uint256 tokenId, address licensee) external view returns (Licence memory) {
        return _store.licences[tokenId][licensee];
    }

    // ─── Regulator ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function setPolicyFloors(PolicyFloors calldata floors, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        CollectibleRightsLogic.setPolicyFloors(_store, floors, reason, evidenceHash);
    }

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
        _transfer(from, to, tokenId);
        emit ForcedTransfer(tokenId, from, to, msg.sender, reason, evidenceHash);
    }

    /// @inheritdoc ICollectibleRights
    function takedown(uint256[] calldata tokenIds, bytes32 reason, bytes32 evidenceHash)
        external
        onlyRole(REGULATOR_ROLE)
    {
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            address holder = _ownerOf(tokenId);
            _burn(tokenId);
            ++_store.collections[_collectionOf(tokenId)].terms.burned;
            emit TokenTakenDown(tokenId, holder, msg.sender, reason, evidenceHash);
        }
    }

    // ─── Views ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICollectibleRights
    function checkTransfer(address from, address to, uint256 tokenId) external view {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        TokenRecord memory t = _tokenRecord(tokenId);
        address holder = t.owner;
        if (holder == address(0)) revert ERC721NonexistentToken(tokenId);
        _revertIfFailed(_ruleFailure(holder, to, tokenId, t));
        if (holder != from) revert ERC721IncorrectOwner(from, tokenId, holder);
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        TokenRecord memory t = _tokenRecord(tokenId);
        if (t.owner == address(0)) revert ERC721NonexistentToken(tokenId);
        // A zero recipient skips the recipient's rules: the answer holds for any verified, unfrozen one.
        return _ruleFailure(t.owner, address(0), tokenId, t).length != 0;
    }

    /// @inheritdoc ICollectibleRights
    function hashCreateCollection(address issuer, CollectionParams calldata params, uint64 deadline)
        external
        view
        returns (bytes32 digest)
    {
        return CollectibleRightsLogic.hashCreateCollection(_domainSeparatorV4(), issuer, params, deadline);
    }

    /// @inheritdoc ICollectibleRights
    function hashUpdateMetadata(
        uint64 collectionId,
        address issuer,
        string calldata metadataCID,
        bytes32 complianceRef,
        uint64 deadline
    ) external view returns (bytes32 digest) {
        return CollectibleRightsLogic.hashUpdateMetadata(
            _domainSeparatorV4(), collectionId, issuer, metadataCID, complianceRef, deadline
        );
    }

    /// @inheritdoc ICollectibleRights
    function isComplianceRefUsed(bytes32 complianceRef) external view returns (bool) {
        return _store.consumedRefs[complianceRef];
    }

    /// @inheritdoc ICollectibleRights
    function policyFloors() external view returns (PolicyFloors memory) {
        CollectibleRightsLogic.Store storage s = _store;
        return PolicyFloors({
            minHoldingPeriod: s.minHoldingPeriod,
            maxEditions: s.maxEditions,
            allowedModes: s.allowedModes,
            minHolderLevel: s.minHolderLevel
        });
    }

    /// @inheritdoc ICollectibleRights
    function identityRegistry() external view returns (IIdentityRegistry) {
        return _identity;
    }

    /// @inheritdoc ICollectibleRights
    function getCollection(uint64 collectionId) external view returns (Collection memory) {
        // The library returns the ABI encoding of this function's return value: pass it through as is, rather
        // than decode and re-encode a struct with two strings (which would cost this contract ~0.8 KB of code).
        bytes memory encoded = CollectibleRightsLogic.encodedCollection(_store, collectionId);
        assembly ("memory-safe") {
            return(add(encoded, 0x20), mload(encoded))
        }
    }

    /// @inheritdoc ICollectibleRights
    function collectionCount() external view returns (uint64) {
        return _store.count;
    }

    /// @inheritdoc ICollectibleRights
    function collectionOfContent(bytes32 contentHash) external view returns (uint64) {
        return _store.contentOwner[contentHash];
    }

    /// @inheritdoc ICollectibleRights
    function totalSupply(uint64 collectionId) external view returns (uint256) {
        uint256 minted = _existing(collectionId).minted;
        return minted - _store.collections[collectionId].terms.burned;
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
    function isRequestUsed(address issuer, uint256 requestNonce) external view returns (bool) {
        return _requestBitmaps[issuer][requestNonce >> 8] & (1 << (requestNonce & 0xff)) != 0;
    }

    /// @inheritdoc ICollectibleRights
    function requestBitmap(address issuer, uint256 wordPos) external view returns (uint256) {
        return _requestBitmaps[issuer][wordPos];
    }

    /// @inheritdoc ICollectibleRights
    function isWalletFrozen(address wallet) external view returns (bool) {
        return _isAccountFrozen(wallet);
    }

    /// @inheritdoc ICollectibleRights
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        _requireOwned(tokenId);
        return CollectibleRightsLogic.tokenURI(_store, tokenId);
    }

    /// @inheritdoc IERC2981
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        return CollectibleRightsLogic.royaltyInfo(_store, tokenId, salePrice);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Custody, AccessControlDefaultAdminRules, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC2981).interfaceId || interfaceId == _ERC4906_ID
            || interfaceId == type(IERC5192).interfaceId || interfaceId == type(ICollectibleRights).interfaceId
            || ERC721Custody.supportsInterface(interfaceId) || AccessControlDefaultAdminRules.supportsInterface(interfaceId);
    }

    // ─── The rule hook ───────────────────────────────────────────────────────────────────────

    /**
     * @dev The hook of every movement, after {ERC721Custody-_update}'s authorisation check. Regulator paths
     * are recognised by their entry point: a takedown burn checks nothing; a forced transfer only that the
     * recipient is verified (for a token that exists; `_transfer` reports one that does not). Everything
     * else runs {_ruleFailure}.
     */
    function _checkMove(address from, address to, uint256 tokenId, TokenRecord memory t) internal view override {
        bytes4 entry = msg.sig;
        if (entry == this.takedown.selector) return;
        if (entry == this.forcedTransfer.selector) {
            if (from == address(0)) return;
            uint8 minLevel = _store.collections[_collectionOf(tokenId)].core.minLevel;
            if (!_identity.isVerified(to, minLevel)) revert RecipientNotVerified(to, minLevel);
            return;
        }
        _revertIfFailed(_ruleFailure(from, to, tokenId, t));
    }

    /**
     * @dev The transfer rules of {ICollectibleRights}, in their order, as the revert data of the first that
     * fails (empty when all pass). A zero `from` (mint) skips the sender's rules; a zero `to` skips the
     * recipient's (used by {locked}, and by a burn outside {takedown}).
     */
    function _ruleFailure(address from, address to, uint256 tokenId, TokenRecord memory t)
        private
        view
        returns (bytes memory)
    {
        if (_paused) return abi.encodeWithSelector(RegistryIsPaused.selector);
        if (from != address(0) && _isAccountFrozen(from)) return abi.encodeWithSelector(SenderFrozen.selector, from);
        if (to != address(0) && _isAccountFrozen(to)) return abi.encodeWithSelector(RecipientFrozen.selector, to);
        if (t.frozen) return abi.encodeWithSelector(TokenIsFrozen.selector, tokenId);
        CollectibleRightsLogic.Core memory core = _store.collections[_collectionOf(tokenId)].core;
        uint8 minLevel = core.minLevel;
        if (to != address(0) && !_identity.isVerified(to, minLevel)) {
            return abi.encodeWithSelector(RecipientNotVerified.selector, to, minLevel);
        }
        if (from != address(0)) {
            if (!_identity.isVerified(from, minLevel)) {
                return abi.encodeWithSelector(SenderNotVerified.selector, from, minLevel);
            }
            if (core.mode == TransferMode.Locked) return abi.encodeWithSelector(TransferModeLocked.selector, tokenId);
            uint256 unlocksAt = uint256(t.acquiredAt) + core.holdingPeriod;
            if (block.timestamp < unlocksAt) {
                return abi.encodeWithSelector(HoldingPeriodActive.selector, tokenId, unlocksAt);
            }
        }
        return "";
    }

    function _revertIfFailed(bytes memory failure) private pure {
        if (failure.length != 0) {
            assembly ("memory-safe") {
                revert(add(failure, 0x20), mload(failure))
            }
        }
    }

    // ─── Internals ───────────────────────────────────────────────────────────────────────────

    /// @dev Checks the caller may act for `issuer` and that `issuer` is a licensed, verified issuer now.
    function _checkIssuerAgent(address issuer) private view {
        if (msg.sender != issuer && !hasRole(OPERATOR_ROLE, msg.sender)) {
            revert IssuerUnauthorizedCaller(msg.sender, issuer);
        }
        if (!hasRole(ISSUER_ROLE, issuer)) revert IssuerMissingRole(issuer);
        if (!_identity.isVerified(issuer, _LICENSED_ISSUER)) revert IssuerNotVerified(issuer, _LICENSED_ISSUER);
    }

    /**
     * @dev Runs the checks of a mint request, consumes the issuer's `requestNonce` and advances the supply
     * counter once for the whole request. Returns the first token id.
     */
    function _reserve(address issuer, uint64 collectionId, uint256 count, uint256 requestNonce, bytes32 recipientsHash)
        private
        returns (uint256 firstTokenId)
    {
        _checkIssuerAgent(issuer);
        mapping(uint256 wordPos => uint256 bitmap) storage bitmaps = _requestBitmaps[issuer];
        uint256 bit = 1 << (requestNonce & 0xff);
        uint256 word = bitmaps[requestNonce >> 8];
        if (word & bit != 0) revert RequestAlreadyUsed(issuer, requestNonce);
        bitmaps[requestNonce >> 8] = word | bit;

        CollectibleRightsLogic.Core storage core = _existing(collectionId);
        if (core.issuer != issuer) revert IssuerMismatch(collectionId, issuer);
        uint256 minted = core.minted;
        uint256 remaining = core.maxSupply - minted;
        if (count > remaining) revert CollectionSupplyExceeded(collectionId, count, remaining);
        core.minted = uint24(minted + count);
        firstTokenId = _tokenId(collectionId, minted + 1);
        emit EditionsMinted(collectionId, requestNonce, issuer, msg.sender, firstTokenId, uint32(count), recipientsHash);
    }

    /// @dev The core of a collection that exists.
    function _existing(uint64 collectionId) private view returns (CollectibleRightsLogic.Core storage core) {
        core = _store.collections[collectionId].core;
        if (core.issuer == address(0)) revert CollectionNotFound(collectionId);
    }

    /// @dev The record of a token the caller holds.
    function _heldByCaller(uint256 tokenId) private view returns (TokenRecord memory t) {
        t = _tokenRecord(tokenId);
        if (t.owner == address(0)) revert ERC721NonexistentToken(tokenId);
        if (t.owner != msg.sender) revert LicenceCallerNotHolder(tokenId, msg.sender);
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
