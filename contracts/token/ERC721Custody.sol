// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC165, ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/**
 * @title ERC721Custody
 * @notice OpenZeppelin 5's ERC721, with the same external behaviour, errors and internal vocabulary
 * (`_update`, `_mint`, `_safeMint`, `_burn`, `_transfer`, `_safeTransfer`, `_approve`, `_setApprovalForAll`,
 * `_checkAuthorized`, `_requireOwned`), but with per-token and per-account custody data packed beside the
 * owner and the balance:
 * - token slot: owner (160) | acquiredAt (40) | epoch (32) | frozen (8);
 * - account slot: balance (64) | frozen (8).
 * Rules that need the acquisition time, a movement counter or freeze flags therefore cost no extra
 * storage writes: they are written in the same SSTOREs as the owner and the balances.
 *
 * One extension point differs from OpenZeppelin: instead of overriding `_update`, a derived contract
 * overrides {_checkMove}, which `_update` calls after the authorisation check with the token record it has
 * already loaded (OpenZeppelin's `_update` overrides re-read the owner).
 *
 * If you are overriding:
 * - every movement (mint, transfer, burn) must go through {_update}; never write `_tokens` elsewhere
 *   except through {_setTokenFrozen};
 * - {_checkMove} runs for every movement, including `_transfer` and `_burn` (auth zero): it must revert to
 *   refuse a movement and must not change state;
 * - {_update} sets `acquiredAt` to the block time and increments `epoch` on every movement, including a
 *   burn; anything bound to an epoch (licences) dies when the token moves;
 * - freeze flags are data only: this contract does not enforce them, the derived contract's hook does.
 */
abstract contract ERC721Custody is ERC165, IERC721, IERC721Metadata, IERC721Errors {
    /// @dev Packed into one slot.
    struct TokenRecord {
        address owner;
        uint40 acquiredAt;
        uint32 epoch;
        bool frozen;
    }

    /// @dev Packed into one slot.
    struct AccountRecord {
        uint64 balance;
        bool frozen;
    }

    string private _name;
    string private _symbol;

    mapping(uint256 tokenId => TokenRecord record) private _tokens;
    mapping(address account => AccountRecord record) private _accounts;
    mapping(uint256 tokenId => address approved) private _tokenApprovals;
    mapping(address owner => mapping(address operator => bool approved)) private _operatorApprovals;

    constructor(string memory name_, string memory symbol_) {
        _name = name_;
        _symbol = symbol_;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC721).interfaceId || interfaceId == type(IERC721Metadata).interfaceId
            || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) public view virtual returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _accounts[owner].balance;
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) public view virtual returns (address) {
        return _requireOwned(tokenId);
    }

    /// @inheritdoc IERC721Metadata
    function name() public view virtual returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC721Metadata
    function symbol() public view virtual returns (string memory) {
        return _symbol;
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 tokenId) public virtual {
        _approve(to, tokenId, msg.sender);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) public view virtual returns (address) {
        _requireOwned(tokenId);
        return _getApproved(tokenId);
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) public virtual {
        _setApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) public view virtual returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 tokenId) public virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address previousOwner = _update(to, tokenId, msg.sender);
        if (previousOwner != from) revert ERC721IncorrectOwner(from, tokenId, previousOwner);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId) public {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public virtual {
        transferFrom(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    // ─── Custody data ────────────────────────────────────────────────────────────────────────

    /// @dev The packed record of a token (owner zero when it does not exist).
    function _tokenRecord(uint256 tokenId) internal view returns (TokenRecord memory) {
        return _tokens[tokenId];
    }

    function _setTokenFrozen(uint256 tokenId, bool frozen) internal {
        _tokens[tokenId].frozen = frozen;
    }

    function _isAccountFrozen(address account) internal view returns (bool) {
        return _accounts[account].frozen;
    }

    function _setAccountFrozen(address account, bool frozen) internal {
        _accounts[account].frozen = frozen;
    }

    // ─── OpenZeppelin's internal vocabulary ──────────────────────────────────────────────────

    /// @dev Owner of `tokenId`, zero when it does not exist. Does not revert.
    function _ownerOf(uint256 tokenId) internal view virtual returns (address) {
        return _tokens[tokenId].owner;
    }

    /// @dev Approved address of `tokenId`, without checking that the token exists.
    function _getApproved(uint256 tokenId) internal view virtual returns (address) {
        return _tokenApprovals[tokenId];
    }

    /// @dev Whether `spender` may move `owner`'s tokens (in particular `tokenId`). Assumes `owner` is the owner.
    function _isAuthorized(address owner, address spender, uint256 tokenId) internal view virtual returns (bool) {
        return spender != address(0)
            && (owner == spender || _operatorApprovals[owner][spender] || _getApproved(tokenId) == spender);
    }

    /// @dev Reverts with {ERC721InsufficientApproval} (or {ERC721NonexistentToken}) unless `spender` is the
    /// owner, an operator of the owner, or approved for the token.
    function _checkAuthorized(address owner, address spender, uint256 tokenId) internal view virtual {
        if (!_isAuthorized(owner, spender, tokenId)) {
            if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
            revert ERC721InsufficientApproval(spender, tokenId);
        }
    }

    /**
     * @dev Moves `tokenId` to `to` (mint when it has no owner, burn when `to` is zero) and returns the previous
     * owner. When `auth` is non-zero it must be authorised to move the token. Then {_checkMove} may refuse
     * the movement. Stamps `acquiredAt`, bumps `epoch`, clears the approval and, on burn, the frozen flag.
     */
    function _update(address to, uint256 tokenId, address auth) internal virtual returns (address from) {
        TokenRecord memory record = _tokens[tokenId];
        from = record.owner;
        if (auth != address(0)) _checkAuthorized(from, auth, tokenId);
        _checkMove(from, to, tokenId, record);

        if (from != address(0)) {
            if (_tokenApprovals[tokenId] != address(0)) delete _tokenApprovals[tokenId];
            unchecked {
                _accounts[from].balance -= 1;
            }
        }
        if (to != address(0)) {
            unchecked {
                _accounts[to].balance += 1;
            }
        }
        unchecked {
            _tokens[tokenId] = TokenRecord({
                owner: to,
                acquiredAt: uint40(block.timestamp),
                epoch: record.epoch + 1,
                frozen: to != address(0) && record.frozen
            });
        }
        emit Transfer(from, to, tokenId);
    }

    /**
     * @dev Hook of {_update}: called after the authorisation check and before any state change, with the
     * record {_update} loaded (`record.owner == from`). Revert to refuse the movement. Does nothing here.
     */
    function _checkMove(address from, address to, uint256 tokenId, TokenRecord memory record)
        internal
        view
        virtual
    {}

    /// @dev Mints `tokenId` to `to`. Reverts {ERC721InvalidReceiver} for zero, {ERC721InvalidSender} if it exists.
    function _mint(address to, uint256 tokenId) internal {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        if (_update(to, tokenId, address(0)) != address(0)) revert ERC721InvalidSender(address(0));
    }

    /// @dev {_mint}, then the ERC-721 receiver check on `to`.
    function _safeMint(address to, uint256 tokenId, bytes memory data) internal virtual {
        _mint(to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, address(0), to, tokenId, data);
    }

    /// @dev Burns `tokenId` with no authorisation check. Reverts {ERC721NonexistentToken} if it does not exist.
    function _burn(uint256 tokenId) internal {
        if (_update(address(0), tokenId, address(0)) == address(0)) revert ERC721NonexistentToken(tokenId);
    }

    /// @dev Moves `tokenId` from `from` to `to` with no authorisation check (OpenZeppelin 5's `_transfer`).
    function _transfer(address from, address to, uint256 tokenId) internal {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address previousOwner = _update(to, tokenId, address(0));
        if (previousOwner == address(0)) revert ERC721NonexistentToken(tokenId);
        if (previousOwner != from) revert ERC721IncorrectOwner(from, tokenId, previousOwner);
    }

    /// @dev {_transfer}, then the ERC-721 receiver check on `to`.
    function _safeTransfer(address from, address to, uint256 tokenId, bytes memory data) internal virtual {
        _transfer(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    /// @dev Approves `to` for `tokenId` and emits {Approval}; a non-zero `auth` must be the owner or an operator.
    function _approve(address to, uint256 tokenId, address auth) internal {
        _approve(to, tokenId, auth, true);
    }

    /**
     * @dev As OpenZeppelin 5: reads the owner only when an event is emitted or `auth` is non-zero; a zero
     * `auth` skips the approver check (and, with `emitEvent` false, the existence check).
     */
    function _approve(address to, uint256 tokenId, address auth, bool emitEvent) internal virtual {
        if (emitEvent || auth != address(0)) {
            address owner = _requireOwned(tokenId);
            if (auth != address(0) && owner != auth && !_operatorApprovals[owner][auth]) {
                revert ERC721InvalidApprover(auth);
            }
            if (emitEvent) emit Approval(owner, to, tokenId);
        }
        _tokenApprovals[tokenId] = to;
    }

    /// @dev Lets `operator` move all of `owner`'s tokens (or not). Reverts {ERC721InvalidOperator} for zero.
    function _setApprovalForAll(address owner, address operator, bool approved) internal virtual {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _operatorApprovals[owner][operator] = approved;
        emit ApprovalForAll(owner, operator, approved);
    }

    /// @dev Owner of `tokenId`; reverts {ERC721NonexistentToken} when it does not exist.
    function _requireOwned(uint256 tokenId) internal view returns (address owner) {
        owner = _tokens[tokenId].owner;
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
    }
}
