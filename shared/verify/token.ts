import { sha256 } from "ethers";
import { didOf } from "../did";
import { tokenIdOf } from "../token-id";
import type { VerifierChain } from "./chain";
import { integrityChecks, overallVerdict, verdictOf, type CheckResult, type ComplianceLookup, type Verdict } from "./checks";
import { lastHolder, readCollection, readCustody, type CollectionOnChain, type CustodyEntry } from "./custody";
import type { ContentSource } from "./sources";

export interface VerifyOptions {
  source: ContentSource;
  didMethod?: string;
  /** Sandbox log lookup for the compliance-ref check; without it that check is left out. */
  compliance?: ComplianceLookup;
  maxBytes?: number;
  /** RPC reads in flight at once (default 8). */
  concurrency?: number;
}

export interface TokenReport {
  subject: "token";
  tokenId: string;
  collectionId: string;
  serial: string;
  owner: string | null;
  collection: CollectionOnChain;
  entries: CustodyEntry[];
  verdict: Verdict;
  passed: boolean;
  checks: CheckResult[];
}

/**
 * Everything the gateway claims about a token, re-derived from the chain and IPFS: it exists, its on-chain
 * owner is the end of its custody chain, the metadata CID and media hash hold, every holder was verified
 * when the token arrived (or the regulator forced it), and the complianceRef names a passed decision.
 */
export async function verifyToken(chain: VerifierChain, tokenId: bigint | string, opts: VerifyOptions): Promise<TokenReport> {
  const custody = await readCustody(chain, tokenId, { didMethod: opts.didMethod ?? "dareg", concurrency: opts.concurrency });
  const state = await chain.rights.tokenState(BigInt(custody.tokenId));
  const owner = state.owner === "0x0000000000000000000000000000000000000000" ? null : state.owner;
  const checks: CheckResult[] = [];
  if (custody.entries.length === 0) {
    checks.push({ check: "token-exists", verdict: "failed", passed: false, reason: `token ${custody.tokenId} was never minted` });
  } else {
    const end = lastHolder(custody.entries);
    const same = (end ?? "").toLowerCase() === (owner ?? "").toLowerCase();
    checks.push({
      check: "custody-chain",
      verdict: verdictOf(same),
      passed: same,
      reason: same
        ? owner
          ? `${custody.entries.length} event(s) from the mint lead to the current owner ${owner}`
          : `${custody.entries.length} event(s) from the mint to the burn`
        : `the events end with ${end ?? "no holder"}, the contract says ${owner ?? "no owner"}`,
    });
    const integrity = await integrityChecks({
      source: opts.source,
      metadataCID: custody.collection.metadataCID,
      contentHash: custody.collection.contentHash,
      complianceRef: custody.collection.complianceRef,
      compliance: opts.compliance,
      custody: { entries: custody.entries, minLevel: custody.collection.minLevel },
      maxBytes: opts.maxBytes,
    });
    checks.push(...integrity.checks);
  }
  return {
    subject: "token",
    tokenId: custody.tokenId,
    collectionId: custody.collectionId,
    serial: custody.serial,
    owner,
    collection: custody.collection,
    entries: custody.entries,
    verdict: overallVerdict(checks),
    passed: overallVerdict(checks) === "passed",
    checks,
  };
}

export interface FileAnswer {
  registered: boolean;
  contentHash: string;
  collectionId?: string;
  issuer?: string;
  issuerDid?: string;
  registeredAt?: string;
  blockNumber?: number | null;
  txHash?: string | null;
  metadataCID?: string;
  complianceRef?: string;
}

/** Is this file's sha256 registered as a collection's contentHash? In which collection, by which issuer, when? */
export async function verifyFile(chain: VerifierChain, bytes: Uint8Array, opts: { didMethod?: string } = {}): Promise<FileAnswer> {
  const contentHash = sha256(bytes);
  const collectionId = await chain.rights.collectionOfContent(contentHash);
  if (collectionId === 0n) return { registered: false, contentHash };
  const [collection, created] = await Promise.all([
    chain.rights.getCollection(collectionId),
    chain.rights.queryFilter(
      chain.rights.filters.CollectionCreated(collectionId, undefined, contentHash),
      chain.deployment.contracts.collectibleRights.blockNumber,
    ),
  ]);
  const issuerId = await chain.identity.identityOf(collection.issuer);
  const event = created[0];
  return {
    registered: true,
    contentHash,
    collectionId: collectionId.toString(),
    issuer: collection.issuer,
    issuerDid: didOf(opts.didMethod ?? "dareg", chain.chainId, issuerId),
    registeredAt: new Date(Number(collection.createdAt) * 1000).toISOString(),
    blockNumber: event?.blockNumber ?? null,
    txHash: event?.transactionHash ?? null,
    metadataCID: collection.metadataCID,
    complianceRef: collection.complianceRef,
  };
}

/** verifyFile as a report with one check. */
export async function verifyFileReport(chain: VerifierChain, bytes: Uint8Array, opts: { didMethod?: string } = {}) {
  const answer = await verifyFile(chain, bytes, opts);
  const check: CheckResult = answer.registered
    ? {
        check: "file-registered",
        verdict: verdictOf(true),
        passed: true,
        reason: `sha256 ${answer.contentHash} is the content of collection ${answer.collectionId}, registered by ${answer.issuerDid} (${answer.issuer}) at ${answer.registeredAt} in block ${answer.blockNumber}`,
      }
    : { check: "file-registered", verdict: "failed", passed: false, reason: `no collection has content hash ${answer.contentHash}` };
  return { subject: "file" as const, ...answer, passed: check.passed, checks: [check] };
}

export interface CollectionReport {
  subject: "collection";
  collectionId: string;
  collection: CollectionOnChain;
  verdict: Verdict;
  passed: boolean;
  checks: CheckResult[];
  tokens: Array<{ tokenId: string; serial: string; owner: string | null; verdict: Verdict; passed: boolean; failed: CheckResult[] }>;
}

/**
 * A whole collection: supply (totalSupply = minted - burned, minted ≤ maxSupply), serials (1..minted each
 * minted exactly once, nothing beyond), holders (each live token's owner is the end of its custody chain
 * and every holder was verified on arrival), the content and compliance checks once, then verifyToken for
 * every live token. `onProgress(done, total)` after each token.
 */
export async function verifyCollection(
  chain: VerifierChain,
  collectionIdIn: bigint | string,
  opts: VerifyOptions & { onProgress?: (done: number, total: number) => void },
): Promise<CollectionReport> {
  const collectionId = BigInt(collectionIdIn);
  // Every token of a collection shares its metadata and media: fetch each CID once.
  const memo = new Map<string, Promise<Uint8Array>>();
  const upstream = opts.source;
  const source: ContentSource = {
    label: upstream.label,
    get(cid, maxBytes) {
      if (!memo.has(cid)) memo.set(cid, upstream.get(cid, maxBytes));
      return memo.get(cid)!;
    },
  };
  opts = { ...opts, source };
  const count = await chain.rights.collectionCount();
  const checks: CheckResult[] = [];
  if (collectionId < 1n || collectionId > count) {
    return {
      subject: "collection",
      collectionId: collectionId.toString(),
      collection: undefined as unknown as CollectionOnChain,
      verdict: "failed",
      passed: false,
      checks: [{ check: "collection-exists", verdict: "failed", passed: false, reason: `there is no collection ${collectionId} (the registry holds ${count})` }],
      tokens: [],
    };
  }
  const collection = await readCollection(chain, collectionId);
  const supply = Number(await chain.rights.totalSupply(collectionId));
  const supplyOk = supply === collection.minted - collection.burned && collection.minted <= collection.maxSupply;
  checks.push({
    check: "supply",
    verdict: verdictOf(supplyOk),
    passed: supplyOk,
    reason: supplyOk
      ? `${supply} live = ${collection.minted} minted - ${collection.burned} burned, within the edition size ${collection.maxSupply}`
      : `totalSupply ${supply}, minted ${collection.minted}, burned ${collection.burned}, edition size ${collection.maxSupply} do not add up`,
  });

  const tokens: CollectionReport["tokens"] = [];
  const serialProblems: string[] = [];
  let live = 0;
  let burned = 0;
  const total = collection.minted;
  opts.onProgress?.(0, total);
  for (let s = 1; s <= total; s++) {
    const tokenId = tokenIdOf(collectionId, BigInt(s));
    const report = await verifyToken(chain, tokenId, opts);
    const mints = report.entries.filter((e) => e.kind === "mint").length;
    if (mints !== 1) serialProblems.push(`serial ${s} was minted ${mints} times`);
    if (report.owner) live += 1;
    else burned += 1;
    // Content and compliance are the collection's: reported once below; per token keep custody and holders.
    tokens.push({ tokenId: report.tokenId, serial: report.serial, owner: report.owner, verdict: report.verdict, passed: report.passed, failed: report.checks.filter((c) => !c.passed) });
    opts.onProgress?.(s, total);
  }
  const beyond = await readCustody(chain, tokenIdOf(collectionId, BigInt(total + 1)), { didMethod: opts.didMethod ?? "dareg" });
  if (beyond.entries.length) serialProblems.push(`serial ${total + 1} exists beyond the minted count`);
  checks.push({
    check: "serials",
    verdict: verdictOf(serialProblems.length === 0 && live === supply && burned === collection.burned),
    passed: serialProblems.length === 0 && live === supply && burned === collection.burned,
    reason: serialProblems.length
      ? serialProblems.join("; ")
      : live !== supply || burned !== collection.burned
        ? `${live} tokens have an owner and ${burned} none, the contract counts ${supply} live and ${collection.burned} burned`
        : `serials 1-${total} each minted once (${live} live, ${burned} burned), none beyond`,
  });
  const badTokens = tokens.filter((t) => t.verdict === "failed");
  const unsure = tokens.filter((t) => t.verdict === "unverifiable");
  const tokensVerdict: Verdict = badTokens.length ? "failed" : unsure.length ? "unverifiable" : "passed";
  const first = badTokens[0] ?? unsure[0];
  checks.push({
    check: "tokens",
    verdict: tokensVerdict,
    passed: tokensVerdict === "passed",
    reason: first
      ? `${badTokens.length} of ${tokens.length} token(s) do not verify and ${unsure.length} cannot be checked now; first: ${first.tokenId}: ${first.failed.map((c) => `${c.check}: ${c.reason}`).join("; ")}`
      : `all ${tokens.length} token(s) verify: custody, holders, metadata, media${opts.compliance ? ", compliance" : ""}`,
  });
  if (total === 0) {
    const integrity = await integrityChecks({ ...opts, ...collection, compliance: opts.compliance });
    checks.push(...integrity.checks);
  }
  const verdict = overallVerdict(checks);
  return { subject: "collection", collectionId: collectionId.toString(), collection, verdict, passed: verdict === "passed", checks, tokens };
}
