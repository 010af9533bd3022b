import type { EvidenceRegistry } from "../../typechain-types";
import {
  checkAnchor,
  merkleProof,
  parseExport,
  verifyHashChain,
  verifyMerkleProof,
  type AnchorCheckReason,
  type AnchorInfo,
  type ChainBreakReason,
  type ChainedEntry,
  type ExportHeader,
  type MerkleStep,
} from "../log-chain";
import type { VerifierChain } from "./chain";
import { verdictOf, type CheckResult } from "./checks";

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

export interface LogProof {
  seq: number;
  entry: ChainedEntry;
  anchor: AnchorInfo;
  leafIndex: number;
  leafCount: number;
  proof: MerkleStep[];
  /** entryHash(entry) === entry.hash, the proof leads to the anchor's root, and that root is on chain. */
  verified: boolean;
  reason: string;
}

export interface LogReport {
  passed: boolean;
  checks: CheckResult[];
  header: ExportHeader | undefined;
  entries: number;
  lastSeq: number | null;
  /** First entry that does not verify (hash chain), or the first entry of the first bad anchor. */
  firstBad?: { seq: number; reason: ChainBreakReason | AnchorVerdictReason };
  anchors: AnchorVerdict[];
  /** Entries after the last anchor: their integrity rests on the hash chain only. */
  unanchored: number;
  /** The parsed entries, for findCompliance and proofs. */
  parsedEntries: ChainedEntry[];
  parsedAnchors: AnchorInfo[];
  /** Inclusion proof of entry `seq` in its anchor, checked against the chain's root. */
  proof(seq: number): LogProof | undefined;
}

/**
 * Verifies a sandbox log export (JSONL, shared/log-chain.ts format) against the chain: the header names
 * this chain and EvidenceRegistry, the hash chain holds from seq 1, and every anchor's Merkle root equals
 * EvidenceRegistry.findById(evidenceId).hash. Names the first bad entry. Throws SyntaxError on a file that
 * is not an export.
 */
export async function verifyLogExport(text: string, chain: VerifierChain): Promise<LogReport> {
  const parsed = parseExport(text);
  const checks: CheckResult[] = [];
  const header = parsed.header;
  const registry = chain.deployment.contracts.evidenceRegistry.address;
  const headerOk =
    !!header && header.chainId === chain.chainId && (header.evidenceRegistry ?? "").toLowerCase() === registry.toLowerCase();
  checks.push({
    check: "log-header",
    verdict: verdictOf(headerOk),
    passed: headerOk,
    reason: !header
      ? "the export has no header line"
      : headerOk
        ? `the export is of chain ${header.chainId}, EvidenceRegistry ${registry}`
        : `the export names chain ${header.chainId} / ${header.evidenceRegistry}, the deployment chain ${chain.chainId} / ${registry}`,
  });
  const filtered = !!header && Object.keys(header.filter ?? {}).length > 0;

  const hc = verifyHashChain(parsed.entries);
  let firstBad: LogReport["firstBad"] = hc.ok ? undefined : hc.firstBad;
  checks.push({
    check: "log-hash-chain",
    verdict: verdictOf(hc.ok),
    passed: hc.ok,
    reason: hc.ok
      ? `${parsed.entries.length} entries link from seq 1 to ${hc.lastSeq ?? 0}, each hash recomputed`
      : `entry ${hc.firstBad.seq} breaks the hash chain (${hc.firstBad.reason}${
          hc.firstBad.reason === "hash-mismatch" ? ": its content was edited" : hc.firstBad.reason === "seq-gap" ? ": an entry is missing" : ""
        })${filtered ? "; the export is filtered, export the whole log to verify the chain" : ""}`,
    ...(hc.ok ? {} : { details: hc.firstBad }),
  });

  const lookup = evidenceRootLookup(chain.evidence);
  const anchors: AnchorVerdict[] = [];
  let expectedFrom = 1;
  for (const a of [...parsed.anchors].sort((x, y) => x.fromSeq - y.fromSeq)) {
    const v = await checkAnchorAgainstChain(a, parsed.entries, { chainRoot: lookup, expectedFromSeq: filtered ? undefined : expectedFrom });
    expectedFrom = a.toSeq + 1;
    anchors.push(v);
  }
  const badAnchor = anchors.find((a) => !a.ok);
  if (badAnchor && !firstBad) firstBad = { seq: badAnchor.fromSeq, reason: badAnchor.reason! };
  checks.push({
    check: "log-anchors",
    verdict: verdictOf(!badAnchor && anchors.length > 0),
    passed: !badAnchor && anchors.length > 0,
    reason: badAnchor
      ? describeAnchor(badAnchor)
      : anchors.length
        ? `${anchors.length} anchor(s) covering entries 1-${anchors.at(-1)!.toSeq}: each Merkle root equals the root recorded in the EvidenceRegistry`
        : "no anchors in the export: nothing ties the entries to the chain",
    ...(badAnchor ? { details: { ...badAnchor } } : {}),
  });

  const lastSeq = parsed.entries.at(-1)?.seq ?? null;
  const lastAnchored = anchors.at(-1)?.toSeq ?? 0;
  const anchorFor = (seq: number) => anchors.findIndex((a) => seq >= a.fromSeq && seq <= a.toSeq);
  return {
    passed: checks.every((c) => c.passed),
    checks,
    header,
    entries: parsed.entries.length,
    lastSeq,
    ...(firstBad ? { firstBad } : {}),
    anchors,
    unanchored: Math.max(0, (lastSeq ?? 0) - lastAnchored),
    parsedEntries: parsed.entries,
    parsedAnchors: parsed.anchors,
    proof(seq: number) {
      const i = anchorFor(seq);
      if (i < 0) return undefined;
      const verdict = anchors[i];
      const anchor = parsed.anchors.find((a) => a.fromSeq === verdict.fromSeq && a.toSeq === verdict.toSeq)!;
      const range = parsed.entries.filter((e) => e.seq >= anchor.fromSeq && e.seq <= anchor.toSeq);
      const leafIndex = range.findIndex((e) => e.seq === seq);
      if (leafIndex < 0) return undefined;
      const entry = range[leafIndex];
      const proof = merkleProof(
        range.map((e) => e.hash),
        leafIndex,
      );
      const hashOk = verifyHashChain([entry], { startPrevHash: entry.prevHash }).ok;
      const root = verdict.chainRoot ?? anchor.root;
      const inTree = verifyMerkleProof(entry.hash, proof, root);
      const verified = hashOk && inTree && verdict.ok;
      return {
        seq,
        entry,
        anchor,
        leafIndex,
        leafCount: range.length,
        proof,
        verified,
        reason: !hashOk
          ? `entry ${seq}'s hash is not the hash of its content`
          : !inTree
            ? `entry ${seq} is not in the tree of root ${root}`
            : !verdict.ok
              ? `entry ${seq} is in the anchor's tree but the anchor does not verify: ${describeAnchor(verdict)}`
              : `entry ${seq} is leaf ${leafIndex} of ${range.length} under root ${root}, recorded on chain as evidence ${anchor.evidenceId}`,
      };
    },
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
