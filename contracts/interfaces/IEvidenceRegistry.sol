// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/**
 * @title IEvidenceRegistry: evidence (存证), after ChainMaker's CMEVI
 * @notice Records the hash of an off-chain document under an id, with free-form metadata, and keeps every
 * version. Used for copyright certificates, KYC dossier hashes and the Merkle roots of the sandbox log.
 * A hash is recorded at most once in the whole registry, so {findByHash} has one answer.
 *
 * Roles: EVIDENCE_WRITER_ROLE records and updates; DEFAULT_ADMIN_ROLE grants roles.
 */
interface IEvidenceRegistry is IAccessControl {
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

    /// @notice One entry of {recordBatch}.
    struct EvidenceInput {
        bytes32 id;
        bytes32 hash;
        string metadata;
    }

    /// @notice `writer` recorded or updated evidence `id` as `version` with `hash`.
    event EvidenceRecorded(
        bytes32 indexed id,
        bytes32 indexed hash,
        address indexed writer,
        uint32 version,
        string metadata
    );

    /// @notice The id is zero.
    error EvidenceIdZero();

    /// @notice The hash is zero.
    error EvidenceHashZero();

    /// @notice Evidence with this id already exists; use {update}.
    error EvidenceAlreadyExists(bytes32 id);

    /// @notice No evidence has this id.
    error EvidenceNotFound(bytes32 id);

    /// @notice No evidence has this hash.
    error EvidenceHashNotFound(bytes32 hash);

    /// @notice The hash is already recorded, under `id`.
    error EvidenceHashAlreadyRecorded(bytes32 hash, bytes32 id);

    /// @notice A batch was given no entries.
    error EvidenceEmptyBatch();

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

    /// @notice Role of accounts allowed to record evidence.
    function EVIDENCE_WRITER_ROLE() external view returns (bytes32);
}
