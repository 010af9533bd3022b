// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/**
 * @title IEvidenceRegistry: evidence (存证), after ChainMaker's CMEVI, and append-only log checkpoints
 * @notice Two records:
 * - evidence: the hash of an off-chain document under an id, with free-form metadata, every version kept.
 *   Used for copyright certificates and KYC dossier hashes. A hash is recorded at most once in the whole
 *   registry, so {findByHash} has one answer. A writer may add versions ({update});
 * - checkpoints: for each append-only log (such as the gateway's sandbox log, an RFC 9162 Merkle tree), the
 *   sequence of its tree heads (tree size, root hash). A checkpoint is never changed or removed, and each
 *   one must cover more entries than the last; consistency between two checkpoints is proved off chain.
 *   Nothing of the evidence record, {update} included, can touch a checkpoint.
 *
 * Roles: EVIDENCE_WRITER_ROLE records and updates evidence; ANCHOR_ROLE anchors checkpoints;
 * DEFAULT_ADMIN_ROLE (one account, handed over in two steps with a delay) grants roles.
 */
interface IEvidenceRegistry is IAccessControlDefaultAdminRules {
    /**
     * @notice One version of a piece of evidence.
     * @param id Caller-chosen id.
     * @param hash Hash of the document (e.g. sha256).
     * @param writer Account that recorded this version.
     * @param timestamp Block time of the recording.
     * @param blockNumber Block of the recording.
     * @param version 1 for the first record, then 2, 3… for each update.
     * @param metadata Free-form description (JSON by convention); never personal data.
     */
    struct Evidence {
        bytes32 id;
        bytes32 hash;
        address writer;
        uint64 timestamp;
        uint64 blockNumber;
        uint32 version;
        string metadata;
    }

    /**
     * @notice One entry of {recordBatch}.
     * @param id Caller-chosen id.
     * @param hash Hash of the document.
     * @param metadata Free-form description.
     */
    struct EvidenceInput {
        bytes32 id;
        bytes32 hash;
        string metadata;
    }

    /**
     * @notice A tree head of an append-only log, as anchored. Never updated.
     * @param treeSize Number of entries the tree covers.
     * @param timestamp Block time of the anchoring.
     * @param blockNumber Block of the anchoring.
     * @param anchorer Account with ANCHOR_ROLE that anchored it.
     * @param rootHash Root hash of the tree of `treeSize` entries (RFC 9162: SHA-256).
     */
    struct Checkpoint {
        uint64 treeSize;
        uint64 timestamp;
        uint64 blockNumber;
        address anchorer;
        bytes32 rootHash;
    }

    /**
     * @notice `writer` recorded or updated evidence `id` as `version` with `hash`.
     * @param id Evidence id.
     * @param hash Hash recorded.
     * @param writer Account that recorded it.
     * @param version Version number.
     * @param metadata Free-form description.
     */
    event EvidenceRecorded(
        bytes32 indexed id,
        bytes32 indexed hash,
        address indexed writer,
        uint32 version,
        string metadata
    );

    /**
     * @notice `anchorer` anchored checkpoint `index` of log `logId`.
     * @param logId Log.
     * @param index Position of the checkpoint in the log's sequence (from 0).
     * @param treeSize Entries covered.
     * @param rootHash Root hash.
     * @param anchorer Account that anchored it.
     */
    event CheckpointAnchored(
        bytes32 indexed logId,
        uint256 indexed index,
        uint64 treeSize,
        bytes32 rootHash,
        address indexed anchorer
    );

    /// @notice The id is zero.
    error EvidenceIdZero();

    /// @notice The hash is zero.
    error EvidenceHashZero();

    /// @notice Evidence with this id already exists; use {update}.
    /// @param id Evidence id.
    error EvidenceAlreadyExists(bytes32 id);

    /// @notice No evidence has this id.
    /// @param id Evidence id.
    error EvidenceNotFound(bytes32 id);

    /// @notice No evidence has this hash.
    /// @param hash Hash.
    error EvidenceHashNotFound(bytes32 hash);

    /// @notice The hash is already recorded, under `id`.
    /// @param hash Hash.
    /// @param id Evidence that recorded it.
    error EvidenceHashAlreadyRecorded(bytes32 hash, bytes32 id);

    /// @notice A batch was given no entries.
    error EvidenceEmptyBatch();

    /// @notice The log id is zero.
    error CheckpointLogIdZero();

    /// @notice The root hash is zero.
    error CheckpointRootZero();

    /// @notice A checkpoint must cover more entries than the log's last one (and at least one).
    /// @param logId Log.
    /// @param treeSize Proposed tree size.
    /// @param lastTreeSize Tree size of the last checkpoint (zero when there is none).
    error CheckpointSizeNotIncreasing(bytes32 logId, uint64 treeSize, uint64 lastTreeSize);

    /// @notice The log has no checkpoint at `index`.
    /// @param logId Log.
    /// @param index Requested position.
    /// @param count Number of checkpoints of the log.
    error CheckpointIndexOutOfRange(bytes32 logId, uint256 index, uint256 count);

    /**
     * @notice Records evidence as version 1.
     *
     * Requirements:
     * - caller has EVIDENCE_WRITER_ROLE;
     * - `id` and `hash` are non-zero; `id` is unused; `hash` was never recorded.
     *
     * Emits {EvidenceRecorded}.
     */
    function record(bytes32 id, bytes32 hash, string calldata metadata) external;

    /**
     * @notice Records several pieces of evidence; one bad entry reverts all.
     *
     * Requirements: caller has EVIDENCE_WRITER_ROLE; `entries` is not empty; each entry as {record}.
     */
    function recordBatch(EvidenceInput[] calldata entries) external;

    /**
     * @notice Adds a new version of evidence `id` with a new hash; earlier versions stay in {history}.
     *
     * Requirements:
     * - caller has EVIDENCE_WRITER_ROLE;
     * - `id` exists; `hash` is non-zero and was never recorded (so it differs from every earlier version).
     *
     * Emits {EvidenceRecorded}.
     */
    function update(bytes32 id, bytes32 hash, string calldata metadata) external;

    /**
     * @notice Appends a checkpoint (tree head) to log `logId`.
     * @return index Position of the new checkpoint (from 0).
     *
     * Requirements:
     * - caller has ANCHOR_ROLE;
     * - `logId` and `rootHash` are non-zero;
     * - `treeSize` is greater than the tree size of the log's last checkpoint (and than zero).
     *
     * Emits {CheckpointAnchored}.
     */
    function anchorCheckpoint(bytes32 logId, uint64 treeSize, bytes32 rootHash) external returns (uint256 index);

    /// @notice The latest version of evidence `id`. Reverts with {EvidenceNotFound}.
    function findById(bytes32 id) external view returns (Evidence memory);

    /// @notice The version that recorded `hash`. Reverts with {EvidenceHashNotFound}.
    function findByHash(bytes32 hash) external view returns (Evidence memory);

    /// @notice Every version of evidence `id`, oldest first. Reverts with {EvidenceNotFound}.
    function history(bytes32 id) external view returns (Evidence[] memory);

    /// @notice Whether evidence `id` exists.
    function existsById(bytes32 id) external view returns (bool);

    /// @notice Whether `hash` is recorded.
    function existsByHash(bytes32 hash) external view returns (bool);

    /// @notice Number of checkpoints of log `logId`.
    function checkpointCount(bytes32 logId) external view returns (uint256);

    /// @notice Checkpoint `index` of log `logId`. Reverts with {CheckpointIndexOutOfRange}.
    function checkpointAt(bytes32 logId, uint256 index) external view returns (Checkpoint memory);

    /// @notice The last checkpoint of log `logId`. Reverts with {CheckpointIndexOutOfRange} (index 0) when none.
    function latestCheckpoint(bytes32 logId) external view returns (Checkpoint memory);

    /// @notice Role of accounts allowed to record evidence.
    function EVIDENCE_WRITER_ROLE() external view returns (bytes32);

    /// @notice Role of accounts allowed to anchor checkpoints.
    function ANCHOR_ROLE() external view returns (bytes32);
}
