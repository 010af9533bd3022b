/**
 * The sandbox log as a Certificate-Transparency-style verifiable log (RFC 9162 Merkle tree, C2SP
 * signed checkpoints, JSON receipts). Browser-safe: no node: imports here; Node-only helpers (a faster
 * SHA-256) are in ./node/.
 */
export { appendLeaf, appendLeafAsync, type AppendLeafResult } from "./append";
export { bytesEqual, fromBase64, fromHex, toBase64, toHex, utf8 } from "./bytes";
export {
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointFailure,
  type CheckpointParseResult,
  type CheckpointResult,
  type VerifyCheckpointOptions,
} from "./checkpoint";
export { consistencyProof, consistencyProofAsync } from "./consistency";
export { CorruptNodeError, LogError, MissingNodeError, NoteFormatError, NoteKeyError, TreeArgumentError, type LogErrorOptions } from "./errors";
export { MerkleFrontier, rootFromLeaves, rootFromLeavesAsync } from "./frontier";
export { createMerkleHasher, defaultHasher, fastHasher, HASH_SIZE, nobleSha256, type MerkleHasher, type MerkleHasherOptions, type Sha256 } from "./hasher";
export { inclusionProof, inclusionProofAsync } from "./inclusion";
export { sha256Children } from "./sha256-children";
export {
  ed25519VerifierKey,
  generateNoteKey,
  isValidKeyName,
  MAX_NOTE_SIGNATURES,
  noteKeyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type NoteFailure,
  type NoteResult,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from "./note";
export {
  ConsistencyProofSchema,
  consistencyProofBytes,
  InclusionReceiptSchema,
  RFC9162_SCHEME,
  toConsistencyProofJson,
  toInclusionReceipt,
  verifyReceipt,
  type ConsistencyProofJson,
  type InclusionReceipt,
  type ReceiptFailure,
  type ReceiptResult,
  type VerifyReceiptOptions,
} from "./receipt";
export { sandboxLogId, sandboxLogOrigin } from "./origin";
export { rootAt, rootAtAsync } from "./root";
export { MemoryNodeStore, type AsyncNodeReader, type NodeId, type NodeReader, type StoredNode } from "./store";
export { consistencyProofLength, inclusionProofLength } from "./tree-math";
export { verifyConsistency, type ConsistencyFailure, type ConsistencyResult } from "./verify-consistency";
export { verifyInclusion, type InclusionFailure, type InclusionResult } from "./verify-inclusion";
