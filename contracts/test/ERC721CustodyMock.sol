// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721Custody} from "../token/ERC721Custody.sol";

/**
 * @notice Test only: {ERC721Custody} with no rule hook and its internals exposed, to test the base on its own
 * and against OpenZeppelin's ERC721 ({BaselineERC721} has the same entry points). Custody-only helpers
 * (token records, freeze flags) come last.
 */
contract ERC721CustodyMock is ERC721Custody {
    constructor() ERC721Custody("Custody Mock", "CUST") {}

    // ─── The entry points shared with BaselineERC721 ────────────────────────────────────────

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    function safeMint(address to, uint256 tokenId, bytes calldata data) external {
        _safeMint(to, tokenId, data);
    }

    /// @dev ERC721Burnable's burn: the caller must be authorised.
    function burn(uint256 tokenId) external returns (address previousOwner) {
        return _update(address(0), tokenId, msg.sender);
    }

    function forceBurn(uint256 tokenId) external {
        _burn(tokenId);
    }

    function forceTransfer(address from, address to, uint256 tokenId) external {
        _transfer(from, to, tokenId);
    }

    function forceSafeTransfer(address from, address to, uint256 tokenId, bytes calldata data) external {
        _safeTransfer(from, to, tokenId, data);
    }

    function approveAs(address to, uint256 tokenId, address auth, bool emitEvent) external {
        _approve(to, tokenId, auth, emitEvent);
    }

    function update(address to, uint256 tokenId, address auth) external returns (address previousOwner) {
        return _update(to, tokenId, auth);
    }

    function checkAuthorized(address owner, address spender, uint256 tokenId) external view {
        _checkAuthorized(owner, spender, tokenId);
    }

    function tokenURI(uint256 tokenId) external view returns (string memory) {
        _requireOwned(tokenId);
        return "";
    }

    // ─── Custody only ────────────────────────────────────────────────────────────────────────

    function tokenRecord(uint256 tokenId) external view returns (TokenRecord memory) {
        return _tokenRecord(tokenId);
    }

    function setTokenFrozen(uint256 tokenId, bool frozen) external {
        _setTokenFrozen(tokenId, frozen);
    }

    function setAccountFrozen(address account, bool frozen) external {
        _setAccountFrozen(account, frozen);
    }

    function isAccountFrozen(address account) external view returns (bool) {
        return _isAccountFrozen(account);
    }
}
