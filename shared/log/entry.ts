import { LogEntrySchema } from "../api/log-entry";
import { ZERO_HASH } from "../domain";
import { toHex, utf8 } from "./bytes";
import { canonicalJson } from "./canonical";
import { defaultHasher, nobleSha256, type MerkleHasher } from "./hasher";

export { LogEntrySchema };

/**
 * One entry of the regulator's sandbox log, as the gateway's store keeps it.
 *
 * Its bytes are the canonical JSON of every field but `hash` ({@link entryBytes}); they are the leaf of
 * the log's RFC 9162 Merkle tree. `hash` is the entry's leaf hash, SHA-256(0x00 ‖ bytes), and `prevHash`
 * the hash of the entry before it: the hash chain costs nothing on top of the tree (the link is the leaf
 * hash) and lets a linear scan name the first edited entry, which a root mismatch alone cannot.
 * Entries written before the tree (seq < `leafHashFrom`) kept `hash` = SHA-256(bytes); their leaves are
 * still SHA-256(0x00 ‖ bytes).
 */
export interface LogEntry {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  rule: string | null;
  decision: string | null;
  collectionId: string | null;
  tokenId: string | null;
  policyVersion: string | null;
  inputHash: string | null;
  ref: string | null;
  payload: unknown;
  prevHash: string;
  hash: string;
}

/** @deprecated name of {@link LogEntry}. */
export type ChainedEntry = LogEntry;

/** The hash of the log before its first entry. */
export const GENESIS_HASH = ZERO_HASH;

/** The fields an entry's bytes hold: all of them except `hash`. */
export const HASHED_FIELDS = [
  "seq",
  "ts",
  "actor",
  "action",
  "rule",
  "decision",
  "collectionId",
  "tokenId",
  "policyVersion",
  "inputHash",
  "ref",
  "payload",
  "prevHash",
] as const;

/** The entry's bytes: UTF-8 of the canonical JSON of every field but `hash` (the Merkle tree's leaf). */
export function entryBytes(entry: Omit<LogEntry, "hash">): Uint8Array {
  const picked: Record<string, unknown> = {};
  for (const f of HASHED_FIELDS) picked[f] = entry[f];
  return utf8(canonicalJson(picked));
}

/** The entry's RFC 9162 leaf hash, SHA-256(0x00 ‖ bytes). */
export function entryLeafHash(entry: Omit<LogEntry, "hash">, hasher: MerkleHasher = defaultHasher): Uint8Array {
  return hasher.hashLeaf(entryBytes(entry));
}

/** The `hash` an entry must carry: its leaf hash (0x-hex), or for a pre-tree entry SHA-256(bytes). */
export function entryHash(entry: Omit<LogEntry, "hash">, opts: { leafHashFrom?: number; hasher?: MerkleHasher } = {}): string {
  if (entry.seq < (opts.leafHashFrom ?? 1)) return `0x${toHex(nobleSha256(entryBytes(entry)))}`;
  return `0x${toHex(entryLeafHash(entry, opts.hasher))}`;
}

export type ChainBreakReason = "hash-mismatch" | "prev-mismatch" | "seq-gap";

export type HashChainResult =
  | { ok: true; count: number; lastSeq: number | null; lastHash: string }
  | { ok: false; firstBad: { seq: number; reason: ChainBreakReason } };

export interface HashChainOptions {
  /** Hash the first entry must link to. Default {@link GENESIS_HASH}. */
  startPrevHash?: string;
  /** Seq the first entry must have (default 1 for a whole log, else the first entry's). */
  startSeq?: number;
  /** First seq whose `hash` is its leaf hash (entries before were written before the tree). Default 1. */
  leafHashFrom?: number;
  hasher?: MerkleHasher;
}

const sameHash = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Checks a run of entries in order and names the FIRST broken one: `seq-gap` (the entry expected at
 * `seq` is missing), `hash-mismatch` (its content was edited), `prev-mismatch` (it does not link to the
 * entry before it). Pages: pass `{ startPrevHash: lastHash, startSeq: lastSeq + 1 }` for the next one.
 */
export function verifyHashChain(entries: readonly LogEntry[], opts: HashChainOptions = {}): HashChainResult {
  let expectedPrev = opts.startPrevHash ?? GENESIS_HASH;
  let expectedSeq = opts.startSeq ?? (opts.startPrevHash === undefined ? 1 : (entries[0]?.seq ?? 1));
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, firstBad: { seq: expectedSeq, reason: "seq-gap" } };
    let computed: string;
    try {
      computed = entryHash(e, opts);
    } catch {
      return { ok: false, firstBad: { seq: e.seq, reason: "hash-mismatch" } };
    }
    if (typeof e.hash !== "string" || !sameHash(computed, e.hash)) return { ok: false, firstBad: { seq: e.seq, reason: "hash-mismatch" } };
    if (typeof e.prevHash !== "string" || !sameHash(e.prevHash, expectedPrev)) return { ok: false, firstBad: { seq: e.seq, reason: "prev-mismatch" } };
    expectedPrev = e.hash;
    expectedSeq += 1;
  }
  const last = entries.at(-1);
  return { ok: true, count: entries.length, lastSeq: last ? last.seq : null, lastHash: expectedPrev };
}
