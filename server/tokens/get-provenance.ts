import { sha256, ZeroAddress, ZeroHash, type Log } from "ethers";
import { cidOf, sameCid } from "../../shared/cid";
import { didOf } from "../dids/did";
import { AppError, NotFoundError } from "../errors";
import type { Services } from "../http/services";
import { parseTokenId } from "./token-id";

export interface Holder {
  address: string;
  did: string | null;
  level: number | null;
  verified: boolean;
}

export interface ProvenanceEntry {
  kind: "mint" | "transfer" | "forced-transfer" | "burn" | "freeze" | "unfreeze" | "licence-granted" | "licence-revoked";
  blockNumber: number;
  txHash: string;
  logIndex: number;
  time: string;
  from: Holder | null;
  to: Holder | null;
  details: Record<string, unknown>;
}

export interface IntegrityCheck {
  check: "metadata-cid" | "media-content-hash" | "compliance-ref";
  passed: boolean;
  reason: string;
}

const KINDS: Record<string, ProvenanceEntry["kind"]> = {
  TokenFrozen: "freeze",
  TokenUnfrozen: "unfreeze",
  ForcedTransfer: "forced-transfer",
  TokenTakenDown: "burn",
  LicenceGranted: "licence-granted",
  LicenceRevoked: "licence-revoked",
};

/**
 * GET /v1/tokens/:id/provenance: the chain of custody from the token's own events, read by indexed topic
 * (Transfer by tokenId in topic 3, the regulator and licence events by tokenId in topic 1), never by
 * scanning blocks; each party's DID and level are read as they were at that block. Plus an integrity
 * verdict: metadata re-fetched by CID hashes to that CID, media hashes to the on-chain contentHash, and the
 * complianceRef is in the sandbox log.
 *
 * @example
 * const { entries, integrity } = await getProvenance(services, "18446744073709551617");
 */
export async function getProvenance(services: Services, id: string) {
  const { chain } = services;
  const { tokenId, collectionId, serial } = parseTokenId(id);
  const rights = chain.rights;
  const fromBlock = chain.deployment.contracts.collectibleRights.blockNumber;
  const topic = "0x" + tokenId.toString(16).padStart(64, "0");
  const names = Object.keys(KINDS);
  const [transfers, others] = await chain.read(() =>
    Promise.all([
      rights.queryFilter(rights.filters.Transfer(undefined, undefined, tokenId), fromBlock),
      chain.provider.getLogs({
        address: chain.deployment.contracts.collectibleRights.address,
        fromBlock,
        topics: [names.map((n) => rights.interface.getEvent(n as "TokenFrozen")!.topicHash), topic],
      }),
    ]),
  );
  if (transfers.length === 0) throw new NotFoundError("TOKEN_NOT_FOUND", `Token ${id} was never minted.`);

  const blockTimes = new Map<number, string>();
  const timeOf = async (n: number) => {
    if (!blockTimes.has(n)) {
      const b = await chain.read(() => chain.provider.getBlock(n));
      blockTimes.set(n, new Date((b?.timestamp ?? 0) * 1000).toISOString());
    }
    return blockTimes.get(n)!;
  };
  const collection = await chain.read(() => rights.getCollection(collectionId));
  const minLevel = Number(collection.minLevel);
  const holderAt = async (address: string, blockNumber: number): Promise<Holder | null> => {
    if (address === ZeroAddress) return null;
    const at = { blockTag: blockNumber };
    const identityId = await chain.read(() => chain.identity.identityOf(address, at));
    if (identityId === ZeroHash) return { address, did: null, level: null, verified: false };
    const [identity, verified] = await chain.read(() =>
      Promise.all([chain.identity.getIdentity(identityId, at), chain.identity.isVerified(address, minLevel, at)]),
    );
    return { address, did: didOf(services.config.DID_METHOD, chain.chainId, identityId), level: Number(identity.level), verified };
  };

  const forcedKeys = new Set<string>();
  const parsed = others.map((l: Log) => ({ log: l, ev: rights.interface.parseLog(l)! }));
  for (const { log } of parsed.filter((p) => p.ev.name === "ForcedTransfer" || p.ev.name === "TokenTakenDown")) {
    forcedKeys.add(log.transactionHash);
  }
  const entries: ProvenanceEntry[] = [];
  for (const t of transfers) {
    const from = t.args.from as string;
    const to = t.args.to as string;
    // Forced transfers and takedowns are reported by their own regulator events, which carry the reason.
    if (forcedKeys.has(t.transactionHash) && from !== ZeroAddress) continue;
    entries.push({
      kind: from === ZeroAddress ? "mint" : to === ZeroAddress ? "burn" : "transfer",
      blockNumber: t.blockNumber,
      txHash: t.transactionHash,
      logIndex: t.index,
      time: await timeOf(t.blockNumber),
      from: await holderAt(from, t.blockNumber - 1),
      to: await holderAt(to, t.blockNumber),
      details: {},
    });
  }
  for (const { log, ev } of parsed) {
    const a = ev.args as unknown as Record<string, unknown>;
    const from = (a.from ?? a.holder ?? null) as string | null;
    const to = (a.to ?? a.licensee ?? null) as string | null;
    entries.push({
      kind: KINDS[ev.name],
      blockNumber: log.blockNumber,
      txHash: log.transactionHash,
      logIndex: log.index,
      time: await timeOf(log.blockNumber),
      from: from ? await holderAt(from, log.blockNumber - 1) : null,
      to: to ? await holderAt(to, log.blockNumber) : null,
      details: Object.fromEntries(
        ev.fragment.inputs
          .filter((i) => !["tokenId", "from", "to", "holder", "licensee"].includes(i.name))
          .map((i) => [i.name, typeof a[i.name] === "bigint" ? (a[i.name] as bigint).toString() : a[i.name]]),
      ),
    });
  }
  entries.sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);

  return {
    tokenId: tokenId.toString(),
    collectionId: collectionId.toString(),
    edition: serial.toString(),
    contentHash: collection.contentHash,
    metadataCID: collection.metadataCID,
    complianceRef: collection.complianceRef,
    entries,
    integrity: await integrityOf(services, collection.metadataCID, collection.contentHash, collection.complianceRef),
  };
}

/** The three integrity checks of a collection's content. */
export async function integrityOf(services: Services, metadataCID: string, contentHash: string, complianceRef: string) {
  const checks: IntegrityCheck[] = [];
  const maxBytes = services.config.MAX_FILE_BYTES;
  let metadata: { image?: string } | undefined;
  try {
    const bytes = await services.ipfs.get(metadataCID, { maxBytes });
    const recomputed = await cidOf(bytes);
    const ok = sameCid(recomputed, metadataCID);
    checks.push({
      check: "metadata-cid",
      passed: ok,
      reason: ok ? "the metadata re-fetched from IPFS hashes to its CID" : `the metadata hashes to ${recomputed}, not ${metadataCID}`,
    });
    metadata = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    checks.push({ check: "metadata-cid", passed: false, reason: `metadata not verifiable: ${(e as AppError).shortMessage ?? (e as Error).message}` });
  }
  const image = metadata?.image?.replace(/^ipfs:\/\//, "");
  if (!image) {
    checks.push({ check: "media-content-hash", passed: false, reason: "the metadata names no ipfs:// image" });
  } else {
    try {
      const media = await services.ipfs.get(image, { maxBytes });
      const hash = sha256(media);
      const ok = hash === contentHash;
      checks.push({
        check: "media-content-hash",
        passed: ok,
        reason: ok ? "the media's sha256 equals the on-chain contentHash" : `the media hashes to ${hash}, the chain says ${contentHash}`,
      });
    } catch (e) {
      checks.push({ check: "media-content-hash", passed: false, reason: `media not verifiable: ${(e as AppError).shortMessage ?? (e as Error).message}` });
    }
  }
  const decisions = (await services.store.log.findByRef(complianceRef)).filter(
    (e) => e.action === "compliance.decision" && e.decision === "passed",
  );
  checks.push({
    check: "compliance-ref",
    passed: decisions.length > 0,
    reason: decisions.length
      ? `approved by the compliance decision in sandbox log entry ${decisions[0].seq} (policy ${decisions[0].policyVersion})`
      : "no passed compliance decision with this reference in the sandbox log",
  });
  return { passed: checks.every((c) => c.passed), checks };
}
