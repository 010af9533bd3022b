import type { EvidenceRegistry } from "../../typechain-types";
import { fromHex, toHex } from "../log/bytes";
import { verifyCheckpoint } from "../log/checkpoint";
import { entryBytes, entryHash, type ChainBreakReason, type LogEntry as ChainedEntry } from "../log/entry";
import { parseExport, type ExportCheckpoint, type ExportConsistency } from "../log/export";
import { MerkleFrontier } from "../log/frontier";
import { defaultHasher, type MerkleHasher } from "../log/hasher";
import { checkAnchor, type AnchorCheckReason, type AnchorInfo } from "../log/legacy";
import { verifyConsistency } from "../log/verify-consistency";
import { errorText, type VerifierChain } from "./chain";
import { overallVerdict, verdictOf, type CheckResult, type Verdict } from "./checks";

// ─── One anchor against the chain ───────────────────────────────────────────────────────────

/** The root recorded on chain for an evidence id, or null when there is no such evidence. */
export type ChainRootLookup = (evidenceId: string) => Promise<string | null>;

export type AnchorVerdictReason =
  | AnchorCheckReason
  /** No evidence with this id on chain. */
  | "chain-missing"
  /** The root recomputed from the entries is not the root recorded on chain. */
  | "chain-mismatch"
  /** The anchor's own root (store row / export line) disagrees with the chain although the entries match it. */
  | "stored-root-mismatch";

export interface AnchorVerdict {
  ok: boolean;
  reason?: AnchorVerdictReason;
  fromSeq: number;
  toSeq: number;
  evidenceId: string;
  /** Root recomputed from the entries (null when the range is incomplete). */
  recomputedRoot: string | null;
  /** Root the anchor claims (store row or export line). */
  anchorRoot: string;
  /** Root recorded on chain (null: not looked up or missing). */
  chainRoot: string | null;
  /** Whether the chain was asked. */
  onChain: boolean;
}

/** Looks an anchor root up in the EvidenceRegistry (existsById, then findById). */
export function evidenceRootLookup(evidence: EvidenceRegistry): ChainRootLookup {
  return async (evidenceId) => ((await evidence.existsById(evidenceId)) ? (await evidence.findById(evidenceId)).hash : null);
}

const eqHash = (x: string | null, y: string | null) => x !== null && y !== null && x.toLowerCase() === y.toLowerCase();

/**
 * THE anchor check, used by the gateway's SandboxLog.verify() and by the auditor's verifyLogExport():
 * the anchor's range must start at `expectedFromSeq` (when given), hold exactly its entries, be bound to
 * its evidence id, and the Merkle root rebuilt from those entries must be the root recorded on chain
 * (`chainRoot`), and the anchor's own root must agree. Without `chainRoot` only the offline part runs.
 * A log whose hash chain was recomputed after an edit passes verifyHashChain and fails here with
 * "chain-mismatch". Errors of the lookup (node down) propagate.
 */
export async function checkAnchorAgainstChain(
  anchor: Pick<AnchorInfo, "fromSeq" | "toSeq" | "root" | "evidenceId">,
  entries: readonly ChainedEntry[],
  opts: { chainRoot?: ChainRootLookup; expectedFromSeq?: number } = {},
): Promise<AnchorVerdict> {
  const verdict = (reason: AnchorVerdictReason | undefined, recomputedRoot: string | null, chainRoot: string | null): AnchorVerdict => ({
    ok: reason === undefined,
    ...(reason ? { reason } : {}),
    fromSeq: anchor.fromSeq,
    toSeq: anchor.toSeq,
    evidenceId: anchor.evidenceId,
    recomputedRoot,
    anchorRoot: anchor.root,
    chainRoot,
    onChain: opts.chainRoot !== undefined,
  });
  if (opts.expectedFromSeq !== undefined && anchor.fromSeq !== opts.expectedFromSeq) return verdict("anchor-gap", null, null);
  const local = checkAnchor(anchor, entries);
  if (!local.ok && local.reason !== "root-mismatch") return verdict(local.reason, null, null);
  const recomputed = local.root ?? null;
  if (!opts.chainRoot) return verdict(local.ok ? undefined : "root-mismatch", recomputed, null);
  const chainRoot = await opts.chainRoot(anchor.evidenceId);
  if (chainRoot === null) return verdict("chain-missing", recomputed, null);
  if (!eqHash(recomputed, chainRoot)) return verdict("chain-mismatch", recomputed, chainRoot);
  if (!eqHash(anchor.root, chainRoot)) return verdict("stored-root-mismatch", recomputed, chainRoot);
  return verdict(undefined, recomputed, chainRoot);
}

/** One sentence for an anchor verdict. */
export function describeAnchor(v: AnchorVerdict): string {
  const range = `anchor of entries ${v.fromSeq}-${v.toSeq}`;
  switch (v.reason) {
    case undefined:
      return `${range}: the Merkle root of the entries equals the root recorded on chain${v.onChain ? "" : " (not compared with the chain)"}`;
    case "chain-mismatch":
      return `${range}: the entries' Merkle root ${v.recomputedRoot} is not the root ${v.chainRoot} recorded on chain — an entry from seq ${v.fromSeq} on was rewritten`;
    case "chain-missing":
      return `${range}: no evidence ${v.evidenceId} on chain`;
    case "stored-root-mismatch":
      return `${range}: the anchor line's root ${v.anchorRoot} differs from the chain's ${v.chainRoot}`;
    case "root-mismatch":
      return `${range}: the entries' Merkle root ${v.recomputedRoot} is not the anchor's root ${v.anchorRoot}`;
    case "range-incomplete":
      return `${range}: the export does not hold every entry of the range`;
    case "evidence-id-mismatch":
      return `${range}: the evidence id is not bound to the range`;
    case "anchor-gap":
      return `${range}: the anchor does not follow the previous one (anchors missing)`;
  }
}

// ─── A log export ───────────────────────────────────────────────────────────────────────────

// ─── The whole log: entries, tree, checkpoints, chain ──────────────────────────────────────

/** Everything the log verification reads; from an offline bundle (the CLI) or from the store (the gateway). */
export interface LogSource {
  origin: string;
  logId: string;
  /** The checkpoint signer's public key (note verifier key). */
  verifierKey: string;
  /** First seq whose `hash` is its leaf hash. */
  leafHashFrom: number;
  /** Every entry from seq 1, in order. */
  entries(): AsyncIterable<ChainedEntry> | Iterable<ChainedEntry>;
  checkpoints: ReadonlyArray<Pick<ExportCheckpoint, "size" | "root" | "note" | "anchor">>;
  /** Consistency proofs between successive checkpoints (a bundle carries them; the gateway recomputes). */
  consistency?: ReadonlyArray<Pick<ExportConsistency, "from" | "to" | "proof">>;
  /** Anchors of the first scheme (ranges), kept as history. */
  legacyAnchors?: readonly AnchorInfo[];
  /**
   * The log as it was when exported (an offline bundle), not the whole log now: checkpoints the chain
   * recorded beyond its last entry were anchored after the export, and are not missing entries.
   */
  snapshot?: boolean;
}

/** The log's checkpoint record on chain (EvidenceRegistry.checkpointCount / checkpointAt). */
export interface ChainCheckpoints {
  count(): Promise<number>;
  at(index: number): Promise<{ treeSize: number; rootHash: string }>;
  /** Legacy anchors: the root recorded under an evidence id, or null. */
  evidenceRoot?: ChainRootLookup;
}

/** The EvidenceRegistry's checkpoint record of a log, through a verifier chain. */
export function chainCheckpoints(chain: VerifierChain, logId: string): ChainCheckpoints {
  const evidence = chain.evidence as unknown as {
    checkpointCount(logId: string): Promise<bigint>;
    checkpointAt(logId: string, i: number): Promise<{ treeSize: bigint; rootHash: string }>;
  };
  return {
    count: async () => Number(await evidence.checkpointCount(logId)),
    at: async (i) => {
      const c = await evidence.checkpointAt(logId, i);
      return { treeSize: Number(c.treeSize), rootHash: c.rootHash };
    },
    evidenceRoot: evidenceRootLookup(chain.evidence),
  };
}

export interface CheckpointVerdict {
  size: number;
  index: number | null;
  ok: boolean;
  reason?: "root-mismatch" | "bad-signature" | "beyond-log" | "chain-missing" | "chain-mismatch" | "not-consistent";
  message: string;
}

export interface LogVerification {
  ok: boolean;
  /** passed; failed (something does not verify); unverifiable (nothing failed, but the chain could not be read now). */
  verdict: Verdict;
  /** Entries read, and the last seq. */
  entries: number;
  lastSeq: number | null;
  /** The root of the whole log, recomputed from its entries. */
  root: string | null;
  /** First broken entry (seq, why). */
  firstBad?: { seq: number; reason: ChainBreakReason };
  checkpoints: CheckpointVerdict[];
  /**
   * The chain's record of this log: every checkpoint on chain, checked against the recomputed tree
   * (`later`: anchored after a snapshot's last entry, so not checkable against it).
   */
  onChain: { count: number; checked: number; later?: number; firstBad?: CheckpointVerdict };
  legacy: { checked: number; ok: number; firstBad?: AnchorVerdict };
  /** Entries after the last anchored checkpoint. */
  unanchored: number;
  checks: CheckResult[];
}

const eqRoot = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * THE verification of the sandbox log, run by the gateway (GET /v1/sandbox/verify, over its store) and by
 * the auditor's CLI (over an offline bundle, with only a JSON-RPC endpoint):
 *
 * 1. entries: seq 1, 2, 3… with no gap; each `hash` recomputed from the entry's bytes; each `prevHash`
 *    the hash before it. Names the first edited, missing or unlinked entry.
 * 2. tree: the RFC 9162 root recomputed from every entry (streaming), at each checkpoint's size.
 * 3. checkpoints: each root equal to the recomputed one, each signed by the log's key (C2SP note).
 * 4. consistency: each given proof between successive checkpoints verifies (RFC 9162 §2.1.4.2).
 * 5. chain: each anchored checkpoint equals the chain's record at its index, and EVERY checkpoint the
 *    chain holds for this log equals the recomputed tree at its size: an anchor that rewrote history
 *    (not an extension of the previous one) fails here.
 * 6. legacy anchors (ranges of the first scheme): root recomputed, and equal to the chain's.
 *
 * @example
 * const report = await verifyLog(source, chainCheckpoints(chain, source.logId));
 */
export async function verifyLog(source: LogSource, chain?: ChainCheckpoints, opts: { hasher?: MerkleHasher } = {}): Promise<LogVerification> {
  const hasher = opts.hasher ?? defaultHasher;
  const checkpoints = [...source.checkpoints].sort((a, b) => a.size - b.size);
  const wanted = new Set(checkpoints.map((c) => c.size));
  const frontier = new MerkleFrontier(hasher);
  const roots = new Map<number, string>();
  const legacy = [...(source.legacyAnchors ?? [])];
  const legacyEntries: ChainedEntry[] = [];
  const legacyUpTo = legacy.reduce((m, a) => Math.max(m, a.toSeq), 0);
  let expectedSeq = 1;
  let expectedPrev = `0x${"0".repeat(64)}`;
  let firstBad: LogVerification["firstBad"];
  let count = 0;
  for await (const e of source.entries()) {
    if (!firstBad) {
      if (e.seq !== expectedSeq) firstBad = { seq: expectedSeq, reason: "seq-gap" };
      else {
        let computed = "";
        try {
          computed = entryHash(e, { leafHashFrom: source.leafHashFrom, hasher });
        } catch {
          computed = "";
        }
        if (!eqRoot(computed, String(e.hash))) firstBad = { seq: e.seq, reason: "hash-mismatch" };
        else if (!eqRoot(String(e.prevHash), expectedPrev)) firstBad = { seq: e.seq, reason: "prev-mismatch" };
      }
    }
    const leaf = e.seq >= source.leafHashFrom && !firstBad ? fromHex(e.hash.slice(2)) : hasher.hashLeaf(entryBytes(e));
    frontier.push(leaf);
    count += 1;
    if (wanted.has(count)) roots.set(count, `0x${toHex(frontier.root())}`);
    if (e.seq <= legacyUpTo) legacyEntries.push(e);
    expectedPrev = e.hash;
    expectedSeq += 1;
  }
  const root = count > 0 ? `0x${toHex(frontier.root())}` : null;

  // Checkpoints against the recomputed tree and their signatures.
  const verdicts: CheckpointVerdict[] = checkpoints.map((c) => {
    const index = c.anchor?.index ?? null;
    const recomputed = roots.get(c.size);
    if (c.size > count || !recomputed) return { size: c.size, index, ok: false, reason: "beyond-log", message: `checkpoint of size ${c.size}, but the log holds ${count} entries` };
    if (!eqRoot(recomputed, c.root)) return { size: c.size, index, ok: false, reason: "root-mismatch", message: `the entries give root ${recomputed} at size ${c.size}, the checkpoint says ${c.root}` };
    const sig = verifyCheckpoint(c.note, source.verifierKey, { origin: source.origin });
    if (!sig.ok || sig.checkpoint.size !== c.size || !eqRoot(`0x${toHex(sig.checkpoint.root)}`, c.root)) {
      return { size: c.size, index, ok: false, reason: "bad-signature", message: `the checkpoint of size ${c.size} is not signed by the log's key for this size and root` };
    }
    return { size: c.size, index, ok: true, message: `checkpoint of size ${c.size}: root recomputed and signature verified` };
  });
  for (const p of source.consistency ?? []) {
    const from = checkpoints.find((c) => c.size === p.from);
    const to = checkpoints.find((c) => c.size === p.to);
    if (!from || !to) continue;
    const r = verifyConsistency(p.from, p.to, fromHex(from.root.slice(2)), fromHex(to.root.slice(2)), p.proof.map((h) => fromHex(h.slice(2))), hasher);
    const v = verdicts.find((x) => x.size === p.to)!;
    if (!r.ok && v.ok) Object.assign(v, { ok: false, reason: "not-consistent", message: `the checkpoint of size ${p.to} does not extend the one of size ${p.from} (${r.reason})` });
  }

  // The chain's record: every checkpoint of this log on chain must be the recomputed tree. A node that
  // cannot be read makes this check unverifiable now, never failed.
  const onChain: LogVerification["onChain"] = { count: 0, checked: 0 };
  let chainError: string | undefined;
  if (chain) {
    try {
      onChain.count = await chain.count();
      const record: Array<{ treeSize: number; rootHash: string }> = [];
      for (let i = 0; i < onChain.count; i++) {
        const c = await chain.at(i);
        record.push(c);
        let verdict: CheckpointVerdict | undefined;
        if (c.treeSize > count) {
          if (source.snapshot) {
            onChain.later = (onChain.later ?? 0) + 1;
            continue;
          }
          verdict = { size: c.treeSize, index: i, ok: false, reason: "beyond-log", message: `the chain's checkpoint ${i} is of size ${c.treeSize}, beyond the ${count} entries here` };
        } else {
          const recomputed = roots.get(c.treeSize) ?? (await rootAtSize(source, c.treeSize, hasher));
          if (!eqRoot(recomputed, c.rootHash)) {
            verdict = { size: c.treeSize, index: i, ok: false, reason: "not-consistent", message: `the chain's checkpoint ${i} (size ${c.treeSize}, root ${c.rootHash}) is not this log's tree at that size (${recomputed}): it rewrites the log's history` };
          }
        }
        onChain.checked += 1;
        if (verdict && !onChain.firstBad) onChain.firstBad = verdict;
      }
      // Each checkpoint said to be anchored must be exactly the chain's record at its index.
      checkpoints.forEach((c, k) => {
        const v = verdicts[k];
        if (!v.ok || v.index === null) return;
        const r = record[v.index];
        if (!r) Object.assign(v, { ok: false, reason: "chain-missing", message: `checkpoint ${v.index} (size ${v.size}) is not on chain` });
        else if (r.treeSize !== c.size || !eqRoot(r.rootHash, c.root)) {
          Object.assign(v, { ok: false, reason: "chain-mismatch", message: `checkpoint ${v.index} on chain is size ${r.treeSize} root ${r.rootHash}, the log says size ${c.size} root ${c.root}` });
        }
      });
    } catch (e) {
      chainError = `the chain's checkpoint record cannot be read now: ${errorText(e)}`;
    }
  }

  // Legacy anchors.
  const legacyReport: LogVerification["legacy"] = { checked: 0, ok: 0 };
  let expectedFrom = 1;
  let legacyError: string | undefined;
  for (const a of legacy) {
    let v: AnchorVerdict;
    try {
      v = await checkAnchorAgainstChain(a, legacyEntries, { chainRoot: legacyError ? undefined : chain?.evidenceRoot, expectedFromSeq: expectedFrom });
    } catch (e) {
      // The node is down: the offline part still runs, the comparison with the chain cannot be made now.
      legacyError = `the EvidenceRegistry cannot be read now: ${errorText(e)}`;
      v = await checkAnchorAgainstChain(a, legacyEntries, { expectedFromSeq: expectedFrom });
    }
    expectedFrom = a.toSeq + 1;
    legacyReport.checked += 1;
    if (v.ok) legacyReport.ok += 1;
    else legacyReport.firstBad ??= v;
  }

  const lastAnchored = checkpoints.filter((c) => c.anchor).at(-1)?.size ?? 0;
  const badCheckpoint = verdicts.find((v) => !v.ok);
  const checks: CheckResult[] = [
    {
      check: "log-entries",
      verdict: verdictOf(!firstBad),
      passed: !firstBad,
      reason: firstBad ? describeBreak(firstBad) : `${count} entries link from seq 1 to ${count}, each recomputed from its bytes`,
    },
    {
      check: "log-checkpoints",
      verdict: verdictOf(!badCheckpoint),
      passed: !badCheckpoint,
      reason: badCheckpoint ? badCheckpoint.message : `${verdicts.length} signed checkpoint(s) equal the tree recomputed from the entries${source.consistency?.length ? `, ${source.consistency.length} consistency proof(s) verified` : ""}`,
    },
  ];
  if (chain) {
    const checked = onChain.checked;
    const later = onChain.later ? `; ${onChain.later} later checkpoint(s) on chain were anchored after this snapshot` : "";
    checks.push(
      onChain.firstBad
        ? { check: "log-chain", verdict: "failed", passed: false, reason: onChain.firstBad.message }
        : chainError
          ? { check: "log-chain", verdict: "unverifiable", passed: false, reason: chainError }
          : { check: "log-chain", verdict: "passed", passed: true, reason: `all ${checked} checkpoint(s) of this log on chain are this log's tree, each extending the one before${later}` },
    );
  }
  if (legacy.length) {
    checks.push(
      legacyReport.firstBad
        ? { check: "log-legacy-anchors", verdict: "failed", passed: false, reason: describeAnchor(legacyReport.firstBad) }
        : legacyError
          ? { check: "log-legacy-anchors", verdict: "unverifiable", passed: false, reason: `${legacy.length} anchor(s) of the first scheme match their entries, but ${legacyError}` }
          : { check: "log-legacy-anchors", verdict: "passed", passed: true, reason: `${legacy.length} anchor(s) of the first scheme verify${chain ? " against the chain" : " (not compared with the chain)"}` },
    );
  }
  return {
    ok: checks.every((c) => c.passed),
    verdict: overallVerdict(checks),
    entries: count,
    lastSeq: count || null,
    root,
    ...(firstBad ? { firstBad } : {}),
    checkpoints: verdicts,
    onChain,
    legacy: legacyReport,
    unanchored: Math.max(0, count - lastAnchored),
    checks,
  };
}

/** One sentence naming the first broken entry and why. */
function describeBreak(b: { seq: number; reason: ChainBreakReason }): string {
  switch (b.reason) {
    case "hash-mismatch":
      return `entry ${b.seq} was edited: its bytes do not hash to the hash it carries (hash-mismatch)`;
    case "prev-mismatch":
      return `entry ${b.seq} does not link to the entry before it (prev-mismatch)`;
    case "seq-gap":
      return `entry ${b.seq} is missing: the entries skip it (seq-gap)`;
  }
}

/** The tree's root at a size no checkpoint named (a second pass over the entries). */
async function rootAtSize(source: LogSource, size: number, hasher: MerkleHasher): Promise<string> {
  const f = new MerkleFrontier(hasher);
  let n = 0;
  for await (const e of source.entries()) {
    if (n === size) break;
    f.push(hasher.hashLeaf(entryBytes(e)));
    n += 1;
  }
  return n === size ? `0x${toHex(f.root())}` : "";
}

/** A parsed offline bundle as a LogSource. */
export function bundleSource(text: string): LogSource & { parsed: ReturnType<typeof parseExport> } {
  const parsed = parseExport(text);
  const h = parsed.header;
  if (!h) throw new SyntaxError("the bundle has no header line");
  return {
    parsed,
    origin: h.origin,
    logId: h.logId,
    verifierKey: h.verifierKey,
    leafHashFrom: h.leafHashFrom,
    entries: () => parsed.entries,
    checkpoints: parsed.checkpoints,
    consistency: parsed.consistency,
    legacyAnchors: parsed.anchors,
    snapshot: true,
  };
}

// ─── Compliance decisions in an export ──────────────────────────────────────────────────────

export interface ComplianceFinding {
  found: boolean;
  complianceRef: string;
  /** The compliance.decision entry (the last one with this ref). */
  decision?: ChainedEntry;
  /** Its compliance.rule entries, rule by rule. */
  rules: Array<{ seq: number; rule: string | null; decision: string | null; reason: unknown }>;
  passed: boolean;
}

/** The compliance decision with this ref in a log (export text or parsed entries), with its rule-by-rule entries. */
export function findCompliance(exportOrEntries: string | readonly ChainedEntry[], complianceRef: string): ComplianceFinding {
  const entries = typeof exportOrEntries === "string" ? parseExport(exportOrEntries).entries : exportOrEntries;
  const ref = complianceRef.toLowerCase();
  const withRef = entries.filter((e) => e.ref?.toLowerCase() === ref);
  const decisions = withRef.filter((e) => e.action === "compliance.decision");
  const decision = decisions.at(-1);
  const after = decisions.at(-2)?.seq ?? 0;
  const rules = withRef
    .filter((e) => e.action === "compliance.rule" && e.seq > after && (!decision || e.seq < decision.seq))
    .map((e) => ({ seq: e.seq, rule: e.rule, decision: e.decision, reason: (e.payload as { reason?: unknown } | null)?.reason ?? null }));
  return { found: !!decision, complianceRef, ...(decision ? { decision } : {}), rules, passed: decision?.decision === "passed" };
}

/** A compliance lookup over entries already verified (used by the CLI with a verified export). */
export function complianceLookupOf(entries: readonly ChainedEntry[]) {
  return (ref: string) => entries.filter((e) => e.ref?.toLowerCase() === ref.toLowerCase());
}
