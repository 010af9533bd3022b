import { sha256 } from "ethers";
import { cidOf, sameCid } from "../cid";
import type { LogEntry as ChainedEntry } from "../log/entry";
import { errorText } from "./chain";
import { custodyMoves, type CustodyEntry } from "./custody";
import type { ContentSource } from "./sources";

/**
 * The verdict of a check: passed, failed, or unverifiable now (a source is down or does not hold the
 * content). "Cannot check now" never reads as "failed the check".
 */
export type Verdict = "passed" | "failed" | "unverifiable";

/** One verdict. `check` names it, `reason` says why in one sentence; `passed` is `verdict === "passed"`. */
export interface CheckResult {
  check: string;
  verdict: Verdict;
  passed: boolean;
  reason: string;
  details?: Record<string, unknown>;
}

const result = (check: string, verdict: Verdict, reason: string, details?: Record<string, unknown>): CheckResult => ({
  check,
  verdict,
  passed: verdict === "passed",
  reason,
  ...(details ? { details } : {}),
});

/** passed or failed, for checks that are always decidable. */
export const verdictOf = (ok: boolean): Verdict => (ok ? "passed" : "failed");

/** The verdict of several checks: failed if any failed, else unverifiable if any could not be made, else passed. */
export function overallVerdict(checks: readonly CheckResult[]): Verdict {
  if (checks.some((c) => c.verdict === "failed")) return "failed";
  if (checks.some((c) => c.verdict === "unverifiable")) return "unverifiable";
  return "passed";
}

/** Finds the sandbox log entries carrying `ref` (the gateway: its store; the CLI: a verified log export). */
export type ComplianceLookup = (ref: string) => Promise<readonly ChainedEntry[]> | readonly ChainedEntry[];

/**
 * metadata-cid: the metadata re-fetched from `source` hashes (recomputed here, Kubo-compatible UnixFS) to
 * the on-chain metadataCID. Returns the parsed metadata when it does, for the media check.
 */
export async function checkMetadataCid(
  source: ContentSource,
  metadataCID: string,
  maxBytes?: number,
): Promise<{ result: CheckResult; metadata?: { image?: unknown; [k: string]: unknown } }> {
  let bytes: Uint8Array;
  try {
    bytes = await source.get(metadataCID, maxBytes);
  } catch (e) {
    return { result: result("metadata-cid", "unverifiable", `metadata cannot be fetched now: ${errorText(e)}`, { metadataCID }) };
  }
  const recomputed = await cidOf(bytes);
  const ok = sameCid(recomputed, metadataCID);
  const r = result(
    "metadata-cid",
    ok ? "passed" : "failed",
    ok ? "the metadata re-fetched from IPFS hashes to its CID" : `the metadata hashes to ${recomputed}, not ${metadataCID}`,
    { metadataCID, recomputed },
  );
  if (!ok) return { result: r };
  try {
    return { result: r, metadata: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { result: result("metadata-cid", "failed", "the metadata hashes to its CID but is not JSON", { metadataCID, recomputed }) };
  }
}

/**
 * media-content-hash: sha256 of the image the (verified) metadata names equals the on-chain contentHash.
 * The image's CID is recomputed too, so a source serving other bytes under the image CID is caught even
 * before the hash comparison.
 */
export async function checkMediaContentHash(
  source: ContentSource,
  metadata: { image?: unknown } | undefined,
  contentHash: string,
  maxBytes?: number,
  metadataVerdict: Verdict = metadata ? "passed" : "failed",
): Promise<CheckResult> {
  const image = typeof metadata?.image === "string" ? metadata.image.replace(/^ipfs:\/\//, "") : "";
  if (!metadata) {
    return metadataVerdict === "unverifiable"
      ? result("media-content-hash", "unverifiable", "the metadata that names the media cannot be fetched now")
      : result("media-content-hash", "failed", "no verified metadata names the media");
  }
  if (!image || image === metadata.image) return result("media-content-hash", "failed", "the metadata names no ipfs:// image");
  let media: Uint8Array;
  try {
    media = await source.get(image, maxBytes);
  } catch (e) {
    return result("media-content-hash", "unverifiable", `the media cannot be fetched now: ${errorText(e)}`, { mediaCID: image });
  }
  const hash = sha256(media);
  const ok = hash.toLowerCase() === contentHash.toLowerCase();
  return result(
    "media-content-hash",
    ok ? "passed" : "failed",
    ok ? "the media's sha256 equals the on-chain contentHash" : `the media hashes to ${hash}, the chain says ${contentHash}`,
    { mediaCID: image, sha256: hash, contentHash },
  );
}

/**
 * holders-verified: every holder was verified at the collection's minLevel (eth_call isVerified at the
 * block in which the token arrived, as read by readCustody), unless the regulator forced the transfer.
 */
export function checkHoldersVerified(entries: readonly CustodyEntry[], minLevel: number): CheckResult {
  const arrivals = custodyMoves(entries).filter((e) => e.kind !== "burn" && e.to);
  if (arrivals.length === 0) return result("holders-verified", "failed", "the token has no holder on chain (never minted)");
  const bad = arrivals.find((e) => !e.forced && !e.to!.verified);
  const forced = arrivals.filter((e) => e.forced).length;
  if (bad) {
    return result(
      "holders-verified",
      "failed",
      `${bad.to!.address} received the token in block ${bad.blockNumber} (${bad.kind}) without being verified at level ${minLevel}`,
      { address: bad.to!.address, blockNumber: bad.blockNumber, txHash: bad.txHash, minLevel },
    );
  }
  return result(
    "holders-verified",
    "passed",
    `all ${arrivals.length} holder(s) were verified at level ${minLevel} when the token arrived` + (forced ? ` (${forced} forced transfer(s) by the regulator exempt)` : ""),
    { holders: arrivals.length, forced, minLevel },
  );
}

/** compliance-ref: the complianceRef names a passed compliance decision in the sandbox log. */
export async function checkComplianceRef(lookup: ComplianceLookup, complianceRef: string): Promise<CheckResult> {
  let entries: readonly ChainedEntry[];
  try {
    entries = await lookup(complianceRef);
  } catch (e) {
    return result("compliance-ref", "unverifiable", `the sandbox log cannot be searched now: ${errorText(e)}`);
  }
  const decisions = entries.filter((e) => e.action === "compliance.decision" && e.ref?.toLowerCase() === complianceRef.toLowerCase());
  const passed = decisions.filter((e) => e.decision === "passed");
  if (passed.length) {
    return result("compliance-ref", "passed", `approved by the compliance decision in sandbox log entry ${passed[0].seq} (policy ${passed[0].policyVersion})`, {
      seq: passed[0].seq,
      policyVersion: passed[0].policyVersion,
    });
  }
  return result(
    "compliance-ref",
    "failed",
    decisions.length
      ? `the compliance decision in sandbox log entry ${decisions[0].seq} is "${decisions[0].decision}", not "passed"`
      : "no passed compliance decision with this reference in the sandbox log",
  );
}

export interface IntegrityInput {
  source: ContentSource;
  metadataCID: string;
  contentHash: string;
  complianceRef: string;
  /** Without it the compliance-ref check is left out. */
  compliance?: ComplianceLookup;
  /** Custody entries and the collection's minLevel; without them the holders-verified check is left out. */
  custody?: { entries: readonly CustodyEntry[]; minLevel: number };
  maxBytes?: number;
}

/** The content checks of a collection (and of a token when custody is given), in report order. */
export async function integrityChecks(input: IntegrityInput): Promise<{ verdict: Verdict; passed: boolean; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  const meta = await checkMetadataCid(input.source, input.metadataCID, input.maxBytes);
  checks.push(meta.result);
  checks.push(await checkMediaContentHash(input.source, meta.metadata, input.contentHash, input.maxBytes, meta.result.verdict));
  if (input.custody) checks.push(checkHoldersVerified(input.custody.entries, input.custody.minLevel));
  if (input.compliance) checks.push(await checkComplianceRef(input.compliance, input.complianceRef));
  const verdict = overallVerdict(checks);
  return { verdict, passed: verdict === "passed", checks };
}
