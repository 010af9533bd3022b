// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @notice Gas baseline only: a bare OpenZeppelin 5 ERC721 with plain mint wrappers and no rules.
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
}
