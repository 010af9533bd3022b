// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @notice Test and benchmark only: a bare OpenZeppelin 5 ERC721 with no rules. It is the gas baseline of
 * `bench/gas.ts` (`mint`, `mintBatch`) and the reference of the differential test of {ERC721CustodyMock},
 * which has the same entry points.
 */
contract BaselineERC721 is ERC721 {
    constructor() ERC721("Baseline", "BASE") {}

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    function mintBatch(address[] calldata recipients, uint256 firstTokenId) external {
        for (uint256 i; i < recipients.length; ++i) {
            _mint(recipients[i], firstTokenId + i);
        }
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
}
