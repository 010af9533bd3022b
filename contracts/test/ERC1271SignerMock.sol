// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * @notice Test only: a one-key smart-contract signer (the shape of a 1-of-1 multisig). It accepts a hash
 * signed by its `owner` key, and nothing once `disabled`.
 */
contract ERC1271SignerMock is IERC1271 {
    address private immutable _owner;
    bool private _disabled;

    constructor(address owner) {
        _owner = owner;
    }

    function setDisabled(bool disabled) external {
        _disabled = disabled;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        if (!_disabled && err == ECDSA.RecoverError.NoError && recovered == _owner) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}
