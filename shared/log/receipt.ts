import { z } from "zod";
import { bytesEqual, fromHex, toHex } from "./bytes";
import { verifyCheckpoint, type CheckpointFailure } from "./checkpoint";
import { defaultHasher, type MerkleHasher } from "./hasher";
import type { NoteVerifier } from "./note";
import { verifyInclusion, type InclusionFailure } from "./verify-inclusion";

/**
 * Proofs as JSON, for the gateway's API and an auditor's files. Hashes are 0x-prefixed hex, as
 * elsewhere in shared/ (log-chain's entry hashes); `scheme` tells them apart from the old
 * keccak256-positional-duplast Merkle anchors.
 */

/** The tree construction these receipts are about. */
export const RFC9162_SCHEME = "rfc9162-sha256-v1";

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");
const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** An inclusion receipt: entry number `index` (0-based leaf index) is in the tree of `treeSize` leaves. */
export const InclusionReceiptSchema = z.object({
  scheme: z.literal(RFC9162_SCHEME),
  index: Count,
  treeSize: Count.min(1),
  /** SHA-256(0x00 ‖ entry bytes). */
  leafHash: Hash32,
  /** PATH(index, D[treeSize]), leaf side first. */
  proof: z.array(Hash32).max(64),
  root: Hash32,
  /** The signed checkpoint (C2SP note text) of `treeSize` and `root`, when the log signed one. */
  checkpoint: z.string().max(64 * 1024).optional(),
});
export type InclusionReceipt = z.infer<typeof InclusionReceiptSchema>;

/** A consistency proof: the tree of `to` leaves extends the tree of `from` leaves. */
export const ConsistencyProofSchema = z.object({
  scheme: z.literal(RFC9162_SCHEME),
  from: Count,
  to: Count,
  /** PROOF(from, D[to]). */
  proof: z.array(Hash32).max(128),
});
export type ConsistencyProofJson = z.infer<typeof ConsistencyProofSchema>;

const hex = (b: Uint8Array) => `0x${toHex(b)}`;

/**
 * The JSON receipt of an inclusion proof.
 *
 * @example
 * const receipt = toInclusionReceipt({ index, treeSize, leafHash, proof: inclusionProof(index, treeSize, store), root, checkpoint });
 */
export function toInclusionReceipt(r: {
  index: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  root: Uint8Array;
  checkpoint?: string;
}): InclusionReceipt {
  return InclusionReceiptSchema.parse({
    scheme: RFC9162_SCHEME,
    index: r.index,
    treeSize: r.treeSize,
    leafHash: hex(r.leafHash),
    proof: r.proof.map(hex),
    root: hex(r.root),
    ...(r.checkpoint !== undefined ? { checkpoint: r.checkpoint } : {}),
  });
}

/**
 * The JSON form of a consistency proof.
 *
 * @example
 * toConsistencyProofJson(5, 8, consistencyProof(5, 8, store)) // { scheme, from: 5, to: 8, proof: ["0x…", …] }
 */
export function toConsistencyProofJson(from: number, to: number, proof: readonly Uint8Array[]): ConsistencyProofJson {
  return ConsistencyProofSchema.parse({ scheme: RFC9162_SCHEME, from, to, proof: proof.map(hex) });
}

/**
 * The bytes of a parsed consistency proof, for verifyConsistency.
 *
 * @example
 * const p = ConsistencyProofSchema.parse(json);
 * verifyConsistency(p.from, p.to, oldCheckpoint.root, newCheckpoint.root, consistencyProofBytes(p));
 */
export function consistencyProofBytes(p: ConsistencyProofJson): Uint8Array[] {
  return p.proof.map(fromHex);
}

export type ReceiptFailure =
  /** The receipt does not match InclusionReceiptSchema. */
  | "malformed-receipt"
  /** SHA-256(0x00 ‖ entry bytes) is not the receipt's leaf hash: the entry was edited (or is another one). */
  | "leaf-mismatch"
  /** A verifier key was given but the receipt carries no checkpoint. */
  | "checkpoint-missing"
  /** The checkpoint's size or root is not the receipt's. */
  | "checkpoint-mismatch"
  | InclusionFailure
  | CheckpointFailure;

export type ReceiptResult =
  | { ok: true; index: number; treeSize: number; root: string; checkpointVerified: boolean }
  | { ok: false; reason: ReceiptFailure; message: string };

export interface VerifyReceiptOptions {
  /** Expected checkpoint origin; default the verifier key's name. */
  origin?: string;
  hasher?: MerkleHasher;
}

/**
 * Verifies an inclusion receipt for the entry's bytes: the entry's leaf hash is the receipt's, the
 * proof leads from it to the root, and, when `verifierKey` is given, the receipt's checkpoint is signed
 * by that key (right origin) and names the same tree size and root. Without a verifier key a checkpoint
 * is not looked at (an unverified signature proves nothing): `checkpointVerified` says which happened.
 * Never throws.
 *
 * @example
 * const r = verifyReceipt(JSON.parse(body), utf8(canonicalJson(entry)), "registry.example/log+1a2b3c4d+AT…");
 * if (!r.ok) console.error(r.reason, r.message);
 */
export function verifyReceipt(
  receipt: unknown,
  entryBytes: Uint8Array,
  verifierKey?: NoteVerifier | string,
  opts: VerifyReceiptOptions = {},
): ReceiptResult {
  const hasher = opts.hasher ?? defaultHasher;
  const parsed = InclusionReceiptSchema.safeParse(receipt);
  if (!parsed.success) return { ok: false, reason: "malformed-receipt", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const r = parsed.data;
  if (!(entryBytes instanceof Uint8Array)) return { ok: false, reason: "bad-argument", message: "entry bytes must be a Uint8Array" };
  const leafHash = fromHex(r.leafHash);
  const root = fromHex(r.root);
  if (!bytesEqual(hasher.hashLeaf(entryBytes), leafHash)) return { ok: false, reason: "leaf-mismatch", message: "the entry's leaf hash is not the receipt's" };
  const inclusion = verifyInclusion(leafHash, r.index, r.treeSize, r.proof.map(fromHex), root, hasher);
  if (!inclusion.ok) return inclusion;
  if (verifierKey !== undefined) {
    if (r.checkpoint === undefined) return { ok: false, reason: "checkpoint-missing", message: "a verifier key was given but the receipt has no checkpoint" };
    const cp = verifyCheckpoint(r.checkpoint, verifierKey, { origin: opts.origin });
    if (!cp.ok) return cp;
    if (cp.checkpoint.size !== r.treeSize || !bytesEqual(cp.checkpoint.root, root)) {
      return { ok: false, reason: "checkpoint-mismatch", message: `the checkpoint is of size ${cp.checkpoint.size} with another root, not the receipt's tree` };
    }
  }
  return { ok: true, index: r.index, treeSize: r.treeSize, root: r.root.toLowerCase(), checkpointVerified: verifierKey !== undefined };
}
