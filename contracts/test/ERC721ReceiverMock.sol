// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

/// @notice Test only: an ERC-721 receiver whose answer to `onERC721Received` is chosen at deployment.
contract ERC721ReceiverMock is IERC721Receiver {
    /// @dev Accept: return the selector. WrongValue: return another value. RevertWithError: revert with
    /// {ReceiverRejected}. RevertEmpty: revert with no data.
    enum Behaviour {
        Accept,
        WrongValue,
        RevertWithError,
        RevertEmpty
    }

    /// @notice Emitted by an accepting receiver with what it was handed.
    event Received(address operator, address from, uint256 tokenId, bytes data);

    /// @notice Raised by a receiver deployed with `RevertWithError`.
    error ReceiverRejected(uint256 tokenId);

    Behaviour private immutable _behaviour;

    constructor(Behaviour behaviour) {
        _behaviour = behaviour;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4)
    {
        if (_behaviour == Behaviour.RevertWithError) revert ReceiverRejected(tokenId);
        if (_behaviour == Behaviour.RevertEmpty) {
            assembly {
                revert(0, 0)
            }
        }
        emit Received(operator, from, tokenId, data);
        if (_behaviour == Behaviour.WrongValue) return bytes4(0xdeadbeef);
        return IERC721Receiver.onERC721Received.selector;
    }
}
