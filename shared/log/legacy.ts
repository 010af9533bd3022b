import { keccak_256 } from "@noble/hashes/sha3";
import { z } from "zod";
import { fromHex, toHex, utf8 } from "./bytes";
import { canonicalJson } from "./canonical";
import { entryHash, type LogEntry } from "./entry";

/**
 * The sandbox log's first anchoring scheme, kept to verify the anchors written before the RFC 9162 tree
 * (they stay on chain as history). A contiguous range of entries [fromSeq, toSeq] was reduced to a keccak
 * Merkle root (positional; an odd level paired its last node with itself — Bitcoin's construction, with
 * its duplicate-leaf ambiguity, CVE-2012-2459) and recorded in the EvidenceRegistry under
 * {@link anchorEvidenceId}(fromSeq, toSeq), which binds the range. New anchors are checkpoints of the whole
 * tree (./checkpoint.ts).
 *
 * Node and browser alike (keccak from @noble/hashes).
 */

const isHexString = (v: unknown, bytes: number): v is string => typeof v === "string" && new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`).test(v);
/** keccak256 over the concatenation of the parts (hex strings or bytes), as 0x-hex. */
function keccak256(...parts: Array<string | Uint8Array>): string {
  const bytes = parts.map((p) => (typeof p === "string" ? fromHex(p) : p));
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    all.set(b, at);
    at += b.length;
  }
  return `0x${toHex(keccak_256(all))}`;
}

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");
const sameHash = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
type ChainedEntry = LogEntry;

/** Identifies the tree construction; written into anchor metadata and export headers. */
export const MERKLE_SCHEME = "keccak256-positional-duplast-v1";

/** One step of an inclusion proof: the sibling's hash and on which side of the path it sits. */
export interface MerkleStep {
  position: "left" | "right";
  hash: string;
}

const assertHash = (h: string, what: string) => {
  if (!isHexString(h, 32)) throw new TypeError(`${what} must be a 0x-prefixed 32-byte hex value, got ${String(h)}`);
};

/** The leaf node of an entry hash: keccak256(0x00 ‖ entryHash). */
export function merkleLeaf(entryHashHex: string): string {
  assertHash(entryHashHex, "leaf");
  return keccak256("0x00", entryHashHex);
}

/** An inner node: keccak256(0x01 ‖ left ‖ right). */
export function merkleNode(left: string, right: string): string {
  return keccak256("0x01", left, right);
}

function levels(leaves: readonly string[]): string[][] {
  if (leaves.length === 0) throw new RangeError("a Merkle tree needs at least one leaf");
  const out: string[][] = [leaves.map((l, i) => {
    assertHash(l, `leaf ${i}`);
    return merkleLeaf(l);
  })];
  while (out[out.length - 1].length > 1) {
    const level = out[out.length - 1];
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(merkleNode(level[i], level[i + 1] ?? level[i]));
    out.push(next);
  }
  return out;
}

/**
 * The Merkle root of entry hashes (in seq order). Throws on an empty list.
 *
 * @example
 * const root = merkleRoot(entries.map((e) => e.hash));
 */
export function merkleRoot(leaves: readonly string[]): string {
  const ls = levels(leaves);
  return ls[ls.length - 1][0];
}

/** The inclusion proof of `leaves[index]`: sibling hashes from the leaf level up. */
export function merkleProof(leaves: readonly string[], index: number): MerkleStep[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} is outside 0..${leaves.length - 1}`);
  }
  const proof: MerkleStep[] = [];
  let i = index;
  for (const level of levels(leaves).slice(0, -1)) {
    const isRight = i % 2 === 1;
    const sibling = isRight ? level[i - 1] : (level[i + 1] ?? level[i]);
    proof.push({ position: isRight ? "left" : "right", hash: sibling });
    i = Math.floor(i / 2);
  }
  return proof;
}

/** Whether `leaf` (an entry hash) is in the tree of `root` by `proof`. Never throws. */
export function verifyMerkleProof(leaf: string, proof: readonly MerkleStep[], root: string): boolean {
  try {
    let node = merkleLeaf(leaf);
    for (const step of proof) {
      assertHash(step.hash, "proof step");
      if (step.position === "left") node = merkleNode(step.hash, node);
      else if (step.position === "right") node = merkleNode(node, step.hash);
      else return false;
    }
    return isHexString(root, 32) && sameHash(node, root);
  } catch {
    return false;
  }
}

// ─── Anchors of ranges ────────────────────────────────────────────────────────────────────────────────

/** What an anchor of [fromSeq, toSeq] is recorded as in the EvidenceRegistry (and exported). */
export interface AnchorInfo {
  fromSeq: number;
  toSeq: number;
  /** Merkle root of the entries' hashes. */
  root: string;
  evidenceId: string;
  txHash: string;
  blockNumber: number;
  createdAt: string;
}

/**
 * The EvidenceRegistry id of the anchor of [fromSeq, toSeq]: keccak256("sandbox-log:<from>-<to>").
 * The range is thus bound to the id, so a rewritten store cannot move an anchor.
 */
export function anchorEvidenceId(fromSeq: number, toSeq: number): string {
  if (!Number.isInteger(fromSeq) || !Number.isInteger(toSeq) || fromSeq < 1 || toSeq < fromSeq) {
    throw new RangeError(`bad anchor range ${fromSeq}-${toSeq}`);
  }
  return keccak256(utf8(`sandbox-log:${fromSeq}-${toSeq}`));
}

/** The metadata recorded on chain with an anchor. */
export interface AnchorMetadata {
  type: "sandbox-log-anchor";
  v: 1;
  fromSeq: number;
  toSeq: number;
  /** Number of leaves, toSeq - fromSeq + 1. */
  count: number;
  /** Hash of entry toSeq: the head of the hash chain when anchored. */
  lastHash: string;
  merkle: typeof MERKLE_SCHEME;
}

export const AnchorMetadataSchema = z.object({
  type: z.literal("sandbox-log-anchor"),
  v: z.literal(1),
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  count: z.number().int().positive(),
  lastHash: Hash32,
  merkle: z.literal(MERKLE_SCHEME),
});

/** The canonical JSON string put on chain as the evidence metadata of an anchor. */
export function anchorMetadata(fromSeq: number, toSeq: number, lastHash: string): string {
  const m: AnchorMetadata = {
    type: "sandbox-log-anchor",
    v: 1,
    fromSeq,
    toSeq,
    count: toSeq - fromSeq + 1,
    lastHash,
    merkle: MERKLE_SCHEME,
  };
  return canonicalJson(m);
}

export type AnchorCheckReason =
  /** The range does not hold exactly toSeq - fromSeq + 1 consecutive entries. */
  | "range-incomplete"
  /** The stored evidence id is not anchorEvidenceId(fromSeq, toSeq). */
  | "evidence-id-mismatch"
  /** The anchor does not start right after the previous one (anchors were deleted). */
  | "anchor-gap"
  /** The root recomputed from the entries differs from the anchor's root. */
  | "root-mismatch";

/**
 * Offline check of one anchor against the entries of its range (any entries outside it are ignored):
 * range complete, evidence id bound to the range, Merkle root of the recomputed entry hashes equal to
 * `anchor.root`. Comparing `anchor.root` with the chain is the caller's job.
 */
export function checkAnchor(
  anchor: Pick<AnchorInfo, "fromSeq" | "toSeq" | "root" | "evidenceId">,
  entries: readonly ChainedEntry[],
): { ok: true; root: string } | { ok: false; reason: AnchorCheckReason; root?: string } {
  let expectedId: string;
  try {
    expectedId = anchorEvidenceId(anchor.fromSeq, anchor.toSeq);
  } catch {
    return { ok: false, reason: "range-incomplete" };
  }
  if (!sameHash(expectedId, anchor.evidenceId)) return { ok: false, reason: "evidence-id-mismatch" };
  const inRange = entries.filter((e) => e.seq >= anchor.fromSeq && e.seq <= anchor.toSeq);
  if (inRange.length !== anchor.toSeq - anchor.fromSeq + 1 || inRange.some((e, i) => e.seq !== anchor.fromSeq + i)) {
    return { ok: false, reason: "range-incomplete" };
  }
  let root: string;
  try {
    root = merkleRoot(inRange.map((e) => entryHash(e, { leafHashFrom: Number.MAX_SAFE_INTEGER })));
  } catch {
    return { ok: false, reason: "root-mismatch" };
  }
  return sameHash(root, anchor.root) ? { ok: true, root } : { ok: false, reason: "root-mismatch", root };
}
