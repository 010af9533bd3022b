import { ZeroAddress, ZeroHash, type Log } from "ethers";
import { didOf } from "../did";
import { decodeTokenId } from "../token-id";
import type { VerifierChain } from "./chain";

export interface Holder {
  address: string;
  did: string | null;
  level: number | null;
  /** isVerified(address, collection.minLevel) as of the block the entry was read at. */
  verified: boolean;
}

export type CustodyKind = "mint" | "transfer" | "forced-transfer" | "burn" | "freeze" | "unfreeze" | "licence-granted" | "licence-revoked";

export interface CustodyEntry {
  kind: CustodyKind;
  blockNumber: number;
  txHash: string;
  logIndex: number;
  time: string;
  /** The party before (read at blockNumber - 1). */
  from: Holder | null;
  /** The party after (read at blockNumber: the state the contract left once the block was applied). */
  to: Holder | null;
  /** True when the regulator moved or burned the token (ForcedTransfer, TokenTakenDown). */
  forced: boolean;
  details: Record<string, unknown>;
}

export interface CollectionOnChain {
  issuer: string;
  minLevel: number;
  minted: number;
  burned: number;
  maxSupply: number;
  contentHash: string;
  metadataCID: string;
  complianceRef: string;
  createdAt: number;
}

export interface Custody {
  tokenId: string;
  collectionId: string;
  serial: string;
  collection: CollectionOnChain;
  /** Events in chain order. Empty when the token was never minted. */
  entries: CustodyEntry[];
}

const KINDS: Record<string, CustodyKind> = {
  TokenFrozen: "freeze",
  TokenUnfrozen: "unfreeze",
  ForcedTransfer: "forced-transfer",
  TokenTakenDown: "burn",
  LicenceGranted: "licence-granted",
  LicenceRevoked: "licence-revoked",
};

/** How many RPC reads the verifier keeps in flight by default: fast on any node, gentle on a rate-limited one. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * `fn` over every item with at most `limit` calls in flight, results in the items' order (a small
 * p-limit: the verifier stays browser-safe and dependency-free).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The collection as stored on chain, in plain numbers and strings. */
export async function readCollection(chain: VerifierChain, collectionId: bigint, blockTag?: number): Promise<CollectionOnChain> {
  const c = await chain.rights.getCollection(collectionId, blockTag === undefined ? {} : { blockTag });
  return {
    issuer: c.issuer,
    minLevel: Number(c.minLevel),
    minted: Number(c.minted),
    burned: Number(c.burned),
    maxSupply: Number(c.maxSupply),
    contentHash: c.contentHash,
    metadataCID: c.metadataCID,
    complianceRef: c.complianceRef,
    createdAt: Number(c.createdAt),
  };
}

/**
 * The chain of custody of a token from its own events, read by indexed topic (Transfer by tokenId in
 * topic 3, the regulator and licence events by tokenId in topic 1), never by scanning blocks. Each party's
 * DID, level and verification at the collection's minLevel are read by eth_call at that block (historical
 * state: the node must keep it, i.e. an archive node for old blocks). Forced transfers and takedowns are
 * reported once, by their regulator event (which carries the reason), and marked `forced`. The entries'
 * historical reads run with at most `concurrency` reads in flight (default {@link DEFAULT_CONCURRENCY}).
 *
 * @example
 * const custody = await readCustody(chain, 18446744073709551617n, { didMethod: "dareg" });
 */
export async function readCustody(chain: VerifierChain, tokenIdIn: bigint | string, opts: { didMethod: string; concurrency?: number }): Promise<Custody> {
  const tokenId = BigInt(tokenIdIn);
  const { collectionId, serial } = decodeTokenId(tokenId);
  const rights = chain.rights;
  const address = chain.deployment.contracts.collectibleRights.address;
  const fromBlock = chain.deployment.contracts.collectibleRights.blockNumber;
  const topic = "0x" + tokenId.toString(16).padStart(64, "0");
  const names = Object.keys(KINDS);
  const [transfers, others] = await Promise.all([
    rights.queryFilter(rights.filters.Transfer(undefined, undefined, tokenId), fromBlock),
    chain.provider.getLogs({
      address,
      fromBlock,
      topics: [names.map((n) => rights.interface.getEvent(n as "TokenFrozen")!.topicHash), topic],
    }),
  ]);
  const collection = await readCollection(chain, collectionId);
  const out: Custody = { tokenId: tokenId.toString(), collectionId: collectionId.toString(), serial: serial.toString(), collection, entries: [] };
  if (transfers.length === 0) return out;

  const blockTimes = new Map<number, Promise<string>>();
  const timeOf = (n: number) => {
    if (!blockTimes.has(n)) {
      blockTimes.set(n, chain.provider.getBlock(n).then((b) => new Date((b?.timestamp ?? 0) * 1000).toISOString()));
    }
    return blockTimes.get(n)!;
  };
  const holderAt = async (who: string, blockNumber: number): Promise<Holder | null> => {
    if (who === ZeroAddress) return null;
    const at = { blockTag: Math.max(0, blockNumber) };
    const identityId = await chain.identity.identityOf(who, at);
    if (identityId === ZeroHash) return { address: who, did: null, level: null, verified: false };
    // One read at a time per entry, so that `concurrency` bounds the reads in flight, not just the entries.
    const identity = await chain.identity.getIdentity(identityId, at);
    const verified = await chain.identity.isVerified(who, collection.minLevel, at);
    return { address: who, did: didOf(opts.didMethod, chain.chainId, identityId), level: Number(identity.level), verified };
  };

  const parsed = others.map((l: Log) => ({ log: l, ev: rights.interface.parseLog(l)! }));
  const forcedTxs = new Set(parsed.filter((p) => p.ev.name === "ForcedTransfer" || p.ev.name === "TokenTakenDown").map((p) => p.log.transactionHash));
  const moves = transfers.filter((t) => !(forcedTxs.has(t.transactionHash) && (t.args.from as string) !== ZeroAddress));
  const limit = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const entries: CustodyEntry[] = [
    ...(await mapLimit(moves, limit, async (t): Promise<CustodyEntry> => {
      const from = t.args.from as string;
      const to = t.args.to as string;
      const time = await timeOf(t.blockNumber);
      const fromHolder = await holderAt(from, t.blockNumber - 1);
      const toHolder = await holderAt(to, t.blockNumber);
      return {
        kind: from === ZeroAddress ? "mint" : to === ZeroAddress ? "burn" : "transfer",
        blockNumber: t.blockNumber,
        txHash: t.transactionHash,
        logIndex: t.index,
        time,
        from: fromHolder,
        to: toHolder,
        forced: false,
        details: {},
      };
    })),
    ...(await mapLimit(parsed, limit, async ({ log, ev }): Promise<CustodyEntry> => {
      const a = ev.args as unknown as Record<string, unknown>;
      const from = (a.from ?? a.holder ?? null) as string | null;
      const to = (a.to ?? a.licensee ?? null) as string | null;
      const time = await timeOf(log.blockNumber);
      const fromHolder = from ? await holderAt(from, log.blockNumber - 1) : null;
      const toHolder = to ? await holderAt(to, log.blockNumber) : null;
      return {
        kind: KINDS[ev.name],
        blockNumber: log.blockNumber,
        txHash: log.transactionHash,
        logIndex: log.index,
        time,
        from: fromHolder,
        to: toHolder,
        forced: ev.name === "ForcedTransfer" || ev.name === "TokenTakenDown",
        details: Object.fromEntries(
          ev.fragment.inputs
            .filter((i) => !["tokenId", "from", "to", "holder", "licensee"].includes(i.name))
            .map((i) => [i.name, typeof a[i.name] === "bigint" ? (a[i.name] as bigint).toString() : a[i.name]]),
        ),
      };
    })),
  ];
  entries.sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
  out.entries = entries;
  return out;
}

/** Entries that change the holder (mint, transfer, forced transfer, burn), in order. */
export const custodyMoves = (entries: readonly CustodyEntry[]) =>
  entries.filter((e) => e.kind === "mint" || e.kind === "transfer" || e.kind === "forced-transfer" || e.kind === "burn");

/** The holder at the end of the custody chain (null when burned or never minted). */
export function lastHolder(entries: readonly CustodyEntry[]): string | null {
  const last = custodyMoves(entries).at(-1);
  return last && last.kind !== "burn" ? (last.to?.address ?? null) : null;
}

/** A value for comparison: hex strings (addresses, hashes) in lower case, the rest as JSON. */
const norm = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "string" && /^0x[0-9a-fA-F]*$/.test(x) ? x.toLowerCase() : typeof x === "bigint" ? x.toString() : x));

/**
 * The differences between the custody read from the chain and a custody someone else reports (a
 * gateway's provenance), entry by entry and field by field, in words; empty when they agree.
 *
 * @example
 * const differences = diffCustody(custody.entries, gatewayProvenance.entries);
 */
export function diffCustody(chain: readonly CustodyEntry[], reported: readonly CustodyEntry[]): string[] {
  const out: string[] = [];
  const name = (e: CustodyEntry, i: number) => `entry ${i + 1} (${e.kind} in block ${e.blockNumber}, tx ${e.txHash} log ${e.logIndex})`;
  for (let i = 0; i < Math.max(chain.length, reported.length); i++) {
    const c = chain[i];
    const r = reported[i];
    if (!r) out.push(`${name(c, i)}: on chain, missing from the report`);
    else if (!c) out.push(`${name(r, i)}: reported, not on chain`);
    else {
      const fields: Array<[string, unknown, unknown]> = [
        ["kind", c.kind, r.kind],
        ["blockNumber", c.blockNumber, r.blockNumber],
        ["txHash", c.txHash, r.txHash],
        ["logIndex", c.logIndex, r.logIndex],
        ["time", c.time, r.time],
        ["forced", c.forced, r.forced],
        ...(["from", "to"] as const).flatMap((side) =>
          (["address", "did", "level", "verified"] as const).map((f): [string, unknown, unknown] => [`${side}.${f}`, c[side]?.[f] ?? null, r[side]?.[f] ?? null]),
        ),
        ["details", c.details, r.details],
      ];
      for (const [field, a, b] of fields) {
        if (norm(a) !== norm(b)) out.push(`${name(c, i)}: ${field} is ${norm(a)} on chain, ${norm(b)} in the report`);
      }
    }
  }
  return out;
}
