// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721Custody} from "../token/ERC721Custody.sol";

/**
 * @notice Test only: {ERC721Custody} with no rule hook and its internals exposed, to test the base on its own
 * (the paths {CollectibleRights} never takes: `_update` with an `auth`, `_checkAuthorized` for the zero
 * spender, minting an existing token).
 */
contract ERC721CustodyMock is ERC721Custody {
    constructor() ERC721Custody("Custody Mock", "CUST") {}

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    function burn(uint256 tokenId) external returns (address previousOwner) {
        return _update(address(0), tokenId, msg.sender);
    }

    function update(address to, uint256 tokenId, address auth) external returns (address previousOwner) {
        return _update(to, tokenId, auth);
    }

    function checkAuthorized(address owner, address spender, uint256 tokenId) external view {
        _checkAuthorized(owner, spender, tokenId);
    }

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

    function tokenURI(uint256) external pure returns (string memory) {
        return "";
    }
}
