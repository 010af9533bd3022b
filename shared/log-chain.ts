import { ZeroHash, concat, isHexString, keccak256, sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { LogEntrySchema } from "./api/log-entry";

/**
 * The sandbox log's tamper evidence, as pure functions shared by the gateway and an auditor's offline
 * verifier (no I/O; only ethers and zod).
 *
 * 1. Hash chain. Every entry carries `hash = sha256(canonicalJson(entry without hash))` and `prevHash`, the
 *    hash of the entry before it ({@link GENESIS_HASH} for seq 1). Seqs are 1, 2, 3… without gaps.
 *    Editing an entry breaks its hash; deleting one breaks the seq sequence.
 * 2. Merkle anchors. A contiguous range of entries [fromSeq, toSeq] is reduced to a Merkle root that is
 *    recorded in the EvidenceRegistry under {@link anchorEvidenceId}(fromSeq, toSeq). Whoever rewrites a
 *    range and recomputes the whole hash chain still cannot change the root on chain.
 *
 * Merkle tree (scheme {@link MERKLE_SCHEME}): positional (not sorted pairs), so a proof fixes the leaf's
 * position. Leaves are the entries' hashes in seq order, domain-separated:
 *   leaf  = keccak256(0x00 ‖ entryHash)
 *   inner = keccak256(0x01 ‖ left ‖ right)
 * A level with an odd number of nodes pairs its last node with itself. (That makes the trees of
 * [a, b, c] and [a, b, c, c] equal; harmless here because an anchor fixes the leaf count via its range,
 * which is bound into the evidence id, and a verifier rebuilds the tree from exactly that range.)
 */

// ─── Canonical JSON ─────────────────────────────────────────────────────────────────────────

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * whitespace, bigint written as a decimal string, `undefined` object properties dropped (in arrays:
 * `null`, like JSON.stringify). Objects with a `toJSON` method (Date) are serialised through it.
 * Throws a TypeError on what JSON cannot represent faithfully: raw bytes (Uint8Array, Buffer, any
 * ArrayBuffer view — hash them first), non-finite numbers, functions, symbols, Map, Set, cycles, and a
 * top-level `undefined`. For these inputs the output equals RFC 8785 (JCS) except that bigints are strings.
 *
 * @example
 * canonicalJson({ b: 1n, a: [undefined, "x"], c: undefined }) // '{"a":[null,"x"],"b":"1"}'
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, new Set(), "$");
  if (out === undefined) throw new TypeError("canonicalJson: cannot serialise undefined");
  return out;
}

function write(value: unknown, stack: Set<object>, path: string): string | undefined {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(value.toString());
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number (${value})`);
      return JSON.stringify(value);
    case "function":
    case "symbol":
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}`);
  }
  if (value === null) return "null";
  const obj = value as object;
  // Before toJSON: Buffer has one, and its {type,data} form is not what anyone means to hash.
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) {
    throw new TypeError(`canonicalJson: ${path} is raw bytes (${obj.constructor.name}); hash it first`);
  }
  if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    return write((obj as { toJSON: (key: string) => unknown }).toJSON(""), stack, path);
  }
  if (obj instanceof Map || obj instanceof Set) {
    throw new TypeError(`canonicalJson: ${path} is a ${obj.constructor.name}; convert it to plain JSON first`);
  }
  if (stack.has(obj)) throw new TypeError(`canonicalJson: ${path} is a cycle`);
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((v, i) => write(v, stack, `${path}[${i}]`) ?? "null").join(",")}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = write((obj as Record<string, unknown>)[key], stack, `${path}.${key}`);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    stack.delete(obj);
  }
}

/**
 * The plain-JSON form of `value` (bigint → string, undefined dropped, keys sorted): what a JSON column
 * stores and gives back unchanged, so the hash of an entry survives a round trip through the store.
 */
export function toJsonSafe(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(canonicalJson(value));
}

// ─── Entries and the hash chain ─────────────────────────────────────────────────────────────

/** One sandbox log entry; the same shape as the store's LogEntry (its schema lives with the API's). */
export { LogEntrySchema };

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");

/** One entry of the sandbox log; the gateway's store keeps exactly this (server/store/store.ts LogEntry). */
export interface ChainedEntry {
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

/** The hash of the log before its first entry. */
export const GENESIS_HASH = ZeroHash;

/** The fields an entry's hash covers: all of them except `hash`. */
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

/**
 * sha256 over the canonical JSON of every field but `hash` (extra properties are ignored; `null` fields
 * are hashed as null).
 *
 * @example
 * const hash = entryHash({ seq: 1, ts, actor: "system", action: "boot", rule: null, …, payload: {}, prevHash: GENESIS_HASH });
 */
export function entryHash(entry: Omit<ChainedEntry, "hash">): string {
  const picked: Record<string, unknown> = {};
  for (const f of HASHED_FIELDS) picked[f] = entry[f];
  return sha256(toUtf8Bytes(canonicalJson(picked)));
}

export type ChainBreakReason = "hash-mismatch" | "prev-mismatch" | "seq-gap";

export type HashChainResult =
  | { ok: true; count: number; lastSeq: number | null; lastHash: string }
  | { ok: false; firstBad: { seq: number; reason: ChainBreakReason } };

export interface HashChainOptions {
  /** Hash the first entry must link to. Default {@link GENESIS_HASH}. */
  startPrevHash?: string;
  /**
   * Seq the first entry must have. Default 1 when `startPrevHash` is not given (a full log), otherwise
   * whatever the first entry has (a slice whose predecessor's hash was given).
   */
  startSeq?: number;
}

const sameHash = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Checks a run of entries in order and names the FIRST broken one:
 * - `seq-gap`: the entry expected at `seq` is missing (or out of order); `seq` is the expected one;
 * - `hash-mismatch`: the entry's hash is not {@link entryHash} of its content (the entry was edited);
 * - `prev-mismatch`: the entry does not link to the hash of the entry before it.
 * On success returns the count and the last hash, so a long log can be checked page by page by passing
 * `{ startPrevHash: lastHash, startSeq: lastSeq + 1 }` for the next page.
 */
export function verifyHashChain(entries: readonly ChainedEntry[], opts: HashChainOptions = {}): HashChainResult {
  let expectedPrev = opts.startPrevHash ?? GENESIS_HASH;
  let expectedSeq =
    opts.startSeq ?? (opts.startPrevHash === undefined ? 1 : (entries[0]?.seq ?? 1));
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, firstBad: { seq: expectedSeq, reason: "seq-gap" } };
    let computed: string;
    try {
      computed = entryHash(e);
    } catch {
      return { ok: false, firstBad: { seq: e.seq, reason: "hash-mismatch" } };
    }
    if (typeof e.hash !== "string" || !sameHash(computed, e.hash)) {
      return { ok: false, firstBad: { seq: e.seq, reason: "hash-mismatch" } };
    }
    if (typeof e.prevHash !== "string" || !sameHash(e.prevHash, expectedPrev)) {
      return { ok: false, firstBad: { seq: e.seq, reason: "prev-mismatch" } };
    }
    expectedPrev = e.hash;
    expectedSeq += 1;
  }
  const last = entries.at(-1);
  return { ok: true, count: entries.length, lastSeq: last ? last.seq : null, lastHash: expectedPrev };
}

// ─── Merkle tree ────────────────────────────────────────────────────────────────────────────

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
  return keccak256(concat(["0x00", entryHashHex]));
}

/** An inner node: keccak256(0x01 ‖ left ‖ right). */
export function merkleNode(left: string, right: string): string {
  return keccak256(concat(["0x01", left, right]));
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

// ─── Anchors ────────────────────────────────────────────────────────────────────────────────

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
  return keccak256(toUtf8Bytes(`sandbox-log:${fromSeq}-${toSeq}`));
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
    root = merkleRoot(inRange.map((e) => entryHash(e)));
  } catch {
    return { ok: false, reason: "root-mismatch" };
  }
  return sameHash(root, anchor.root) ? { ok: true, root } : { ok: false, reason: "root-mismatch", root };
}

// ─── Export format ──────────────────────────────────────────────────────────────────────────

/**
 * The sandbox log export, ONE `.jsonl` file an auditor's tool consumes on its own. Every line is a JSON
 * object with a `type`:
 *
 *   {"type":"header","format":"sandbox-log","version":1,"generatedAt":…,"chainId":…|null,
 *    "evidenceRegistry":"0x…"|null,"merkle":"keccak256-positional-duplast-v1","filter":{…}}   (first line)
 *   {"type":"entry","seq":1,"ts":…,"actor":…,…,"payload":{…},"prevHash":"0x…","hash":"0x…"}  (seq order)
 *   …
 *   {"type":"anchor","fromSeq":1,"toSeq":100,"root":"0x…","evidenceId":"0x…","txHash":"0x…",
 *    "blockNumber":…,"createdAt":…}                                                            (after the entries)
 *
 * An entry line is a LogEntry plus `"type":"entry"`; anchor lines list every anchor covering at least one
 * exported entry. With an unfiltered export the auditor can (1) {@link verifyHashChain} over the entries,
 * (2) {@link checkAnchor} each anchor, (3) compare each anchor's root with
 * EvidenceRegistry.findById(evidenceId).hash on chain `chainId` at `evidenceRegistry`.
 * A filtered export is not a contiguous chain; use the gateway's per-entry inclusion proofs instead.
 */
export const EXPORT_FORMAT = "sandbox-log";
export const EXPORT_VERSION = 1;

export const ExportHeaderSchema = z.object({
  type: z.literal("header"),
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  generatedAt: z.string(),
  chainId: z.number().int().positive().nullable(),
  evidenceRegistry: z.string().nullable(),
  merkle: z.literal(MERKLE_SCHEME),
  filter: z.record(z.string(), z.unknown()),
});

export const ExportEntrySchema = LogEntrySchema.extend({ type: z.literal("entry") });

export const ExportAnchorSchema = z.object({
  type: z.literal("anchor"),
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  root: Hash32,
  evidenceId: Hash32,
  txHash: Hash32,
  blockNumber: z.number().int().nonnegative(),
  createdAt: z.string(),
});

export const ExportLineSchema = z.discriminatedUnion("type", [ExportHeaderSchema, ExportEntrySchema, ExportAnchorSchema]);

export type ExportHeader = z.infer<typeof ExportHeaderSchema>;
export type ExportEntryLine = ChainedEntry & { type: "entry" };
export type ExportAnchorLine = AnchorInfo & { type: "anchor" };
export type ExportLine = ExportHeader | ExportEntryLine | ExportAnchorLine;

/** One export line (without the newline). */
export function exportLine(line: ExportLine): string {
  return canonicalJson(line);
}

export interface ParsedExport {
  header: ExportHeader | undefined;
  entries: ChainedEntry[];
  anchors: AnchorInfo[];
}

/** Parses an export file; throws naming the first bad line (1-based). Blank lines are ignored. */
export function parseExport(text: string): ParsedExport {
  const out: ParsedExport = { header: undefined, entries: [], anchors: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SyntaxError(`line ${i + 1}: not JSON`);
    }
    const parsed = ExportLineSchema.safeParse(json);
    if (!parsed.success) {
      throw new SyntaxError(
        `line ${i + 1}: ${parsed.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`).join("; ")}`,
      );
    }
    const line = parsed.data;
    if (line.type === "header") out.header = line;
    else if (line.type === "entry") {
      const { type: _t, ...entry } = line;
      out.entries.push(entry as ChainedEntry);
    } else {
      const { type: _t, ...anchor } = line;
      out.anchors.push(anchor);
    }
  });
  return out;
}

export interface ExportCheck {
  ok: boolean;
  chain: HashChainResult;
  anchors: Array<{ fromSeq: number; toSeq: number; evidenceId: string; root: string; ok: boolean; reason?: AnchorCheckReason }>;
}

/**
 * Offline verification of an unfiltered export: the hash chain from seq 1 and every anchor's root
 * recomputed from the entries. What remains is comparing each anchor root with the chain.
 */
export function verifyExport(parsed: ParsedExport): ExportCheck {
  const chain = verifyHashChain(parsed.entries);
  const anchors = parsed.anchors.map((a) => {
    const r = checkAnchor(a, parsed.entries);
    return { fromSeq: a.fromSeq, toSeq: a.toSeq, evidenceId: a.evidenceId, root: a.root, ok: r.ok, ...(r.ok ? {} : { reason: r.reason }) };
  });
  return { ok: chain.ok && anchors.every((a) => a.ok), chain, anchors };
}

// ─── CSV ────────────────────────────────────────────────────────────────────────────────────

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [...HASHED_FIELDS, "hash"] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled). `null` is an empty
 * unquoted field; an empty string is `""`, so the two stay distinguishable.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return s === "" || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV record of an entry (no line break); `payload` is its canonical JSON. */
export function csvRow(entry: ChainedEntry): string {
  return CSV_COLUMNS.map((c) => csvField(c === "payload" ? canonicalJson(entry.payload ?? null) : entry[c])).join(",");
}
