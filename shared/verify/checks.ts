import { sha256 } from "ethers";
import { cidOf, sameCid } from "../cid";
import type { ChainedEntry } from "../log-chain";
import { errorText } from "./chain";
import { custodyMoves, type CustodyEntry } from "./custody";
import type { ContentSource } from "./sources";

/** One verdict. `check` names it, `reason` says why it passed or failed in one sentence. */
export interface CheckResult {
  check: string;
  passed: boolean;
  reason: string;
  details?: Record<string, unknown>;
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
    return { result: { check: "metadata-cid", passed: false, reason: `metadata not verifiable: ${errorText(e)}`, details: { metadataCID } } };
  }
  const recomputed = await cidOf(bytes);
  const ok = sameCid(recomputed, metadataCID);
  const result: CheckResult = {
    check: "metadata-cid",
    passed: ok,
    reason: ok ? "the metadata re-fetched from IPFS hashes to its CID" : `the metadata hashes to ${recomputed}, not ${metadataCID}`,
    details: { metadataCID, recomputed },
  };
  if (!ok) return { result };
  try {
    return { result, metadata: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { result: { ...result, passed: false, reason: "the metadata hashes to its CID but is not JSON" } };
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
): Promise<CheckResult> {
  const image = typeof metadata?.image === "string" ? metadata.image.replace(/^ipfs:\/\//, "") : "";
  if (!metadata) return { check: "media-content-hash", passed: false, reason: "no verified metadata names the media" };
  if (!image || image === metadata.image) return { check: "media-content-hash", passed: false, reason: "the metadata names no ipfs:// image" };
  let media: Uint8Array;
  try {
    media = await source.get(image, maxBytes);
  } catch (e) {
    return { check: "media-content-hash", passed: false, reason: `media not verifiable: ${errorText(e)}`, details: { mediaCID: image } };
  }
  const hash = sha256(media);
  const ok = hash.toLowerCase() === contentHash.toLowerCase();
  return {
    check: "media-content-hash",
    passed: ok,
    reason: ok ? "the media's sha256 equals the on-chain contentHash" : `the media hashes to ${hash}, the chain says ${contentHash}`,
    details: { mediaCID: image, sha256: hash, contentHash },
  };
}

/**
 * holders-verified: every holder was verified at the collection's minLevel (eth_call isVerified at the
 * block in which the token arrived, as read by readCustody), unless the regulator forced the transfer.
 */
export function checkHoldersVerified(entries: readonly CustodyEntry[], minLevel: number): CheckResult {
  const arrivals = custodyMoves(entries).filter((e) => e.kind !== "burn" && e.to);
  if (arrivals.length === 0) return { check: "holders-verified", passed: false, reason: "the token has no holder on chain (never minted)" };
  const bad = arrivals.find((e) => !e.forced && !e.to!.verified);
  const forced = arrivals.filter((e) => e.forced).length;
  if (bad) {
    return {
      check: "holders-verified",
      passed: false,
      reason: `${bad.to!.address} received the token in block ${bad.blockNumber} (${bad.kind}) without being verified at level ${minLevel}`,
      details: { address: bad.to!.address, blockNumber: bad.blockNumber, txHash: bad.txHash, minLevel },
    };
  }
  return {
    check: "holders-verified",
    passed: true,
    reason:
      `all ${arrivals.length} holder(s) were verified at level ${minLevel} when the token arrived` +
      (forced ? ` (${forced} forced transfer(s) by the regulator exempt)` : ""),
    details: { holders: arrivals.length, forced, minLevel },
  };
}

/** compliance-ref: the complianceRef names a passed compliance decision in the sandbox log. */
export async function checkComplianceRef(lookup: ComplianceLookup, complianceRef: string): Promise<CheckResult> {
  let entries: readonly ChainedEntry[];
  try {
    entries = await lookup(complianceRef);
  } catch (e) {
    return { check: "compliance-ref", passed: false, reason: `the sandbox log cannot be searched: ${errorText(e)}` };
  }
  const decisions = entries.filter((e) => e.action === "compliance.decision" && e.ref?.toLowerCase() === complianceRef.toLowerCase());
  const passed = decisions.filter((e) => e.decision === "passed");
  if (passed.length) {
    return {
      check: "compliance-ref",
      passed: true,
      reason: `approved by the compliance decision in sandbox log entry ${passed[0].seq} (policy ${passed[0].policyVersion})`,
      details: { seq: passed[0].seq, policyVersion: passed[0].policyVersion },
    };
  }
  return {
    check: "compliance-ref",
    passed: false,
    reason: decisions.length
      ? `the compliance decision in sandbox log entry ${decisions[0].seq} is "${decisions[0].decision}", not "passed"`
      : "no passed compliance decision with this reference in the sandbox log",
  };
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
export async function integrityChecks(input: IntegrityInput): Promise<{ passed: boolean; checks: CheckResult[] }> {
  const checks: CheckResult[] = [];
  const meta = await checkMetadataCid(input.source, input.metadataCID, input.maxBytes);
  checks.push(meta.result);
  checks.push(await checkMediaContentHash(input.source, meta.metadata, input.contentHash, input.maxBytes));
  if (input.custody) checks.push(checkHoldersVerified(input.custody.entries, input.custody.minLevel));
  if (input.compliance) checks.push(await checkComplianceRef(input.compliance, input.complianceRef));
  return { passed: checks.every((c) => c.passed), checks };
}
