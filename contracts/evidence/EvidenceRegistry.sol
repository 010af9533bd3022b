// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IEvidenceRegistry} from "../interfaces/IEvidenceRegistry.sol";

/**
 * @title EvidenceRegistry
 * @notice See {IEvidenceRegistry}.
 *
 * If you are extending this contract, keep these invariants:
 * - versions are append-only: nothing ever changes or deletes `_versions[id][i]`;
 * - `_locationOf[hash]` points at the one version that recorded `hash`;
 * - checkpoints are append-only too: `_checkpoints[logId]` is only ever pushed to, by {anchorCheckpoint},
 *   with strictly growing tree sizes; no function of the evidence record touches it.
 */
contract EvidenceRegistry is AccessControlDefaultAdminRules, IEvidenceRegistry {
    /// @inheritdoc IEvidenceRegistry
    bytes32 public constant EVIDENCE_WRITER_ROLE = keccak256("EVIDENCE_WRITER_ROLE");
    /// @inheritdoc IEvidenceRegistry
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    /// @dev Where a hash was recorded: the evidence id and the version (1-based; 0 = never recorded).
    struct Location {
        bytes32 id;
        uint32 version;
    }

    mapping(bytes32 id => Evidence[] versions) private _versions;
    mapping(bytes32 hash => Location location) private _locationOf;
    mapping(bytes32 logId => Checkpoint[] checkpoints) private _checkpoints;

    /**
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over (see {AccessControlDefaultAdminRules}).
     * @param initialAdmin Holder of DEFAULT_ADMIN_ROLE.
     */
    constructor(uint48 initialAdminDelay, address initialAdmin)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
    {}

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
    function anchorCheckpoint(bytes32 logId, uint64 treeSize, bytes32 rootHash)
        external
        onlyRole(ANCHOR_ROLE)
        returns (uint256 index)
    {
        if (logId == bytes32(0)) revert CheckpointLogIdZero();
        if (rootHash == bytes32(0)) revert CheckpointRootZero();
        Checkpoint[] storage checkpoints = _checkpoints[logId];
        index = checkpoints.length;
        uint64 lastTreeSize = index == 0 ? 0 : checkpoints[index - 1].treeSize;
        if (treeSize <= lastTreeSize) revert CheckpointSizeNotIncreasing(logId, treeSize, lastTreeSize);
        checkpoints.push(
            Checkpoint({
                treeSize: treeSize,
                timestamp: uint64(block.timestamp),
                blockNumber: uint64(block.number),
                anchorer: msg.sender,
                rootHash: rootHash
            })
        );
        emit CheckpointAnchored(logId, index, treeSize, rootHash, msg.sender);
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

    /// @inheritdoc IEvidenceRegistry
    function checkpointCount(bytes32 logId) external view returns (uint256) {
        return _checkpoints[logId].length;
    }

    /// @inheritdoc IEvidenceRegistry
    function checkpointAt(bytes32 logId, uint256 index) external view returns (Checkpoint memory) {
        return _checkpointAt(logId, index);
    }

    /// @inheritdoc IEvidenceRegistry
    function latestCheckpoint(bytes32 logId) external view returns (Checkpoint memory) {
        uint256 count = _checkpoints[logId].length;
        // An empty log has no index: ask for 0, which reports the out-of-range error with count 0.
        return _checkpointAt(logId, count == 0 ? 0 : count - 1);
    }

    function _checkpointAt(bytes32 logId, uint256 index) private view returns (Checkpoint memory) {
        Checkpoint[] storage checkpoints = _checkpoints[logId];
        if (index >= checkpoints.length) revert CheckpointIndexOutOfRange(logId, index, checkpoints.length);
        return checkpoints[index];
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
