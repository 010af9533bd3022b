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
 * reported once, by their regulator event (which carries the reason), and marked `forced`.
 *
 * @example
 * const custody = await readCustody(chain, 18446744073709551617n, { didMethod: "dareg" });
 */
export async function readCustody(chain: VerifierChain, tokenIdIn: bigint | string, opts: { didMethod: string }): Promise<Custody> {
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
    const [identity, verified] = await Promise.all([chain.identity.getIdentity(identityId, at), chain.identity.isVerified(who, collection.minLevel, at)]);
    return { address: who, did: didOf(opts.didMethod, chain.chainId, identityId), level: Number(identity.level), verified };
  };

  const parsed = others.map((l: Log) => ({ log: l, ev: rights.interface.parseLog(l)! }));
  const forcedTxs = new Set(parsed.filter((p) => p.ev.name === "ForcedTransfer" || p.ev.name === "TokenTakenDown").map((p) => p.log.transactionHash));
  const entries: CustodyEntry[] = [];
  for (const t of transfers) {
    const from = t.args.from as string;
    const to = t.args.to as string;
    if (forcedTxs.has(t.transactionHash) && from !== ZeroAddress) continue;
    entries.push({
      kind: from === ZeroAddress ? "mint" : to === ZeroAddress ? "burn" : "transfer",
      blockNumber: t.blockNumber,
      txHash: t.transactionHash,
      logIndex: t.index,
      time: await timeOf(t.blockNumber),
      from: await holderAt(from, t.blockNumber - 1),
      to: await holderAt(to, t.blockNumber),
      forced: false,
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
      forced: ev.name === "ForcedTransfer" || ev.name === "TokenTakenDown",
      details: Object.fromEntries(
        ev.fragment.inputs
          .filter((i) => !["tokenId", "from", "to", "holder", "licensee"].includes(i.name))
          .map((i) => [i.name, typeof a[i.name] === "bigint" ? (a[i.name] as bigint).toString() : a[i.name]]),
      ),
    });
  }
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
