// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @title SignatureCheckerParis
 * @notice OpenZeppelin 5.4's `SignatureChecker.isValidSignatureNow` and `isValidERC1271SignatureNow`, copied
 * verbatim. OpenZeppelin's file cannot be imported here: it also imports `utils/Bytes.sol`, whose `mcopy`
 * needs the Cancun EVM, and these contracts are compiled for `paris` so that they run on consortium chains.
 * Drop this file for OpenZeppelin's once the target moves past Cancun.
 */
library SignatureCheckerParis {
    /**
     * @dev Whether `signature` is `signer`'s over `hash`: ECDSA for an account without code, ERC-1271
     * `isValidSignature` for a contract (such as a multisig).
     */
    function isValidSignatureNow(address signer, bytes32 hash, bytes memory signature) internal view returns (bool) {
        if (signer.code.length == 0) {
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
            return err == ECDSA.RecoverError.NoError && recovered == signer;
        } else {
            return isValidERC1271SignatureNow(signer, hash, signature);
        }
    }

    /// @dev Whether the contract `signer` accepts `signature` over `hash` (ERC-1271).
    function isValidERC1271SignatureNow(address signer, bytes32 hash, bytes memory signature)
        internal
        view
        returns (bool)
    {
        (bool success, bytes memory result) =
            signer.staticcall(abi.encodeCall(IERC1271.isValidSignature, (hash, signature)));
        return (success && result.length >= 32 && abi.decode(result, (bytes32)) == bytes32(IERC1271.isValidSignature.selector));
    }
}
