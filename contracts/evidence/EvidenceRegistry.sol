// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IEvidenceRegistry} from "../interfaces/IEvidenceRegistry.sol";

/**
 * @title EvidenceRegistry
 * @notice See {IEvidenceRegistry}.
 *
 * If you are extending this contract, keep these invariants:
 * - versions are append-only: nothing ever changes or deletes `_versions[id][i]`;
 * - `_locationOf[hash]` points at the one version that recorded `hash`.
 */
contract EvidenceRegistry is AccessControl, IEvidenceRegistry {
    /// @inheritdoc IEvidenceRegistry
    bytes32 public constant EVIDENCE_WRITER_ROLE = keccak256("EVIDENCE_WRITER_ROLE");

    /// @dev Where a hash was recorded: the evidence id and the version (1-based; 0 = never recorded).
    struct Location {
        bytes32 id;
        uint32 version;
    }

    mapping(bytes32 id => Evidence[] versions) private _versions;
    mapping(bytes32 hash => Location location) private _locationOf;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IEvidenceRegistry
    function record(bytes32 id, bytes32 hash, string calldata metadata) external onlyRole(EVIDENCE_WRITER_ROLE) {
        _record(id, hash, metadata);
    }

    /// @inheritdoc IEvidenceRegistry
    function recordBatch(EvidenceInput[] calldata entries) external onlyRole(EVIDENCE_WRITER_ROLE) {
        if (entries.length == 0) revert EvidenceEmptyBatch();
        for (uint256 i; i < entries.length; ++i) {
            _record(entries[i].id, entries[i].hash, entries[i].metadata);
        }
    }

    /// @inheritdoc IEvidenceRegistry
    function update(bytes32 id, bytes32 hash, string calldata metadata) external onlyRole(EVIDENCE_WRITER_ROLE) {
        if (_versions[id].length == 0) revert EvidenceNotFound(id);
        _append(id, hash, metadata);
    }

    /// @inheritdoc IEvidenceRegistry
    function findById(bytes32 id) external view returns (Evidence memory) {
        Evidence[] storage versions = _versions[id];
        if (versions.length == 0) revert EvidenceNotFound(id);
        return versions[versions.length - 1];
    }

    /// @inheritdoc IEvidenceRegistry
    function findByHash(bytes32 hash) external view returns (Evidence memory) {
        Location memory at = _locationOf[hash];
        if (at.version == 0) revert EvidenceHashNotFound(hash);
        return _versions[at.id][at.version - 1];
    }

    /// @inheritdoc IEvidenceRegistry
    function history(bytes32 id) external view returns (Evidence[] memory) {
        if (_versions[id].length == 0) revert EvidenceNotFound(id);
        return _versions[id];
    }

    /// @inheritdoc IEvidenceRegistry
    function existsById(bytes32 id) external view returns (bool) {
        return _versions[id].length != 0;
    }

    /// @inheritdoc IEvidenceRegistry
    function existsByHash(bytes32 hash) external view returns (bool) {
        return _locationOf[hash].version != 0;
    }

    function _record(bytes32 id, bytes32 hash, string calldata metadata) private {
        if (id == bytes32(0)) revert EvidenceIdZero();
        if (_versions[id].length != 0) revert EvidenceAlreadyExists(id);
        _append(id, hash, metadata);
    }

    function _append(bytes32 id, bytes32 hash, string calldata metadata) private {
        if (hash == bytes32(0)) revert EvidenceHashZero();
        Location memory existing = _locationOf[hash];
        if (existing.version != 0) revert EvidenceHashAlreadyRecorded(hash, existing.id);
        Evidence[] storage versions = _versions[id];
        uint32 version = uint32(versions.length + 1);
        versions.push(
            Evidence({
                id: id,
                hash: hash,
                writer: msg.sender,
                timestamp: uint64(block.timestamp),
                blockNumber: uint64(block.number),
                version: version,
                metadata: metadata
            })
        );
        _locationOf[hash] = Location({id: id, version: version});
        emit EvidenceRecorded(id, hash, msg.sender, version, metadata);
    }
}
