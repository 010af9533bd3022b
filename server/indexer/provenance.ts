import type { CustodyEntry, Holder } from "../../shared/verify";
import { didOf } from "../../shared/did";
import type { Db } from "../store/db";
import { eventFromRow } from "./apply";

const KINDS: Record<string, CustodyEntry["kind"]> = {
  TokenFrozen: "freeze",
  TokenUnfrozen: "unfreeze",
  ForcedTransfer: "forced-transfer",
  TokenTakenDown: "burn",
  LicenceGranted: "licence-granted",
  LicenceRevoked: "licence-revoked",
};
const SKIP_DETAILS = new Set(["tokenId", "from", "to", "holder", "licensee"]);
const ACTIVE = 1;

type Link = { block: number; logIndex: number; identityId: string | null };
type State = { block: number; logIndex: number; level: number; status: number; expiresAt: number };

/** The last of `rows` (sorted by block, then log index) at or before the end of `block`. */
function lastAt<T extends { block: number }>(rows: readonly T[] | undefined, block: number): T | undefined {
  if (!rows) return undefined;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].block <= block) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? rows[lo - 1] : undefined;
}

/** `sql` with `$1…$n` for `values`, in chunks the databases accept; the rows of every chunk. */
async function inChunks<R>(db: Db, values: readonly unknown[], sql: (placeholders: string) => string): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    out.push(...(await db.query<R>(sql(chunk.map((_, j) => `$${j + 1}`).join(", ")), chunk)));
  }
  return out;
}

/**
 * Who the parties of some blocks were, from the indexed identity history alone (no historical eth_call,
 * so no archive node): the identity each wallet was linked to after the block, that identity's level,
 * status and expiry after the block, and the block's time. Loaded in a few queries for all the parties
 * and blocks of a custody chain, then answered in memory. Equal, by property test, to
 * `isVerified(wallet, minLevel)` called at that block.
 */
export async function holderHistory(db: Db, opts: { didMethod: string; chainId: number }, wallets: readonly string[], blocks: readonly number[]) {
  const ws = [...new Set(wallets.map((w) => w.toLowerCase()))];
  const links = new Map<string, Link[]>();
  const linkRows = await inChunks<{ wallet: string; block_number: unknown; log_index: unknown; identity_id: string | null }>(
    db,
    ws,
    (p) => `SELECT wallet, block_number, log_index, identity_id FROM ix_wallet_links WHERE wallet IN (${p}) ORDER BY block_number, log_index`,
  );
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const r of linkRows) push(links, r.wallet, { block: Number(r.block_number), logIndex: Number(r.log_index), identityId: r.identity_id });
  const ids = [...new Set(linkRows.map((r) => r.identity_id).filter((x): x is string => !!x))];
  const states = new Map<string, State[]>();
  const stateRows = await inChunks<{ identity_id: string; block_number: unknown; log_index: unknown; level: unknown; status: unknown; expires_at: unknown }>(
    db,
    ids,
    (p) => `SELECT * FROM ix_identity_states WHERE identity_id IN (${p}) ORDER BY block_number, log_index`,
  );
  for (const r of stateRows) {
    push(states, r.identity_id, { block: Number(r.block_number), logIndex: Number(r.log_index), level: Number(r.level), status: Number(r.status), expiresAt: Number(r.expires_at) });
  }
  const times = new Map<number, number>();
  const timeRows = await inChunks<{ number: unknown; time: unknown }>(db, [...new Set(blocks)], (p) => `SELECT number, time FROM ix_blocks WHERE number IN (${p})`);
  for (const r of timeRows) times.set(Number(r.number), Number(r.time));

  /** The party `wallet` (checksummed as given) as of the end of `block`. */
  return (wallet: string, block: number, minLevel: number): Holder => {
    const link = lastAt(links.get(wallet.toLowerCase()), block);
    if (!link?.identityId) return { address: wallet, did: null, level: null, verified: false };
    const state = lastAt(states.get(link.identityId), block);
    const time = times.get(block);
    const verified = !!state && state.status === ACTIVE && time !== undefined && time < state.expiresAt && state.level >= minLevel;
    return { address: wallet, did: didOf(opts.didMethod, opts.chainId, link.identityId), level: state ? state.level : null, verified };
  };
}

/**
 * The chain of custody of a token from the index: the same entries, in the same order and shape, as
 * shared/verify readCustody builds from the chain (forced transfers and takedowns reported once, by their
 * regulator event), with each party's DID, level and verification from the indexed history.
 */
export async function indexedCustody(db: Db, opts: { didMethod: string; chainId: number }, tokenId: bigint, minLevel: number): Promise<CustodyEntry[]> {
  const rows = await db.query(`SELECT * FROM ix_events WHERE token_id = $1 ORDER BY block_number, log_index`, [tokenId.toString()]);
  const events = rows.map(eventFromRow);
  const forcedTxs = new Set(events.filter((e) => e.name === "ForcedTransfer" || e.name === "TokenTakenDown").map((e) => e.txHash));
  const kept = events.filter((e) => (e.name === "Transfer" ? !(forcedTxs.has(e.txHash) && e.from) : KINDS[e.name] !== undefined));
  const spell = checksums(events);
  const holderAt = await holderHistory(
    db,
    opts,
    kept.flatMap((e) => [e.from, e.to].filter((x): x is string => !!x)),
    kept.flatMap((e) => [e.blockNumber - 1, e.blockNumber]),
  );
  const holder = (who: string | null, block: number) => (who ? holderAt(spell(who), block, minLevel) : null);
  const iso = (t: number) => new Date(t * 1000).toISOString();
  return kept.map((e): CustodyEntry => {
    const transfer = e.name === "Transfer";
    return {
      kind: transfer ? (!e.from ? "mint" : !e.to ? "burn" : "transfer") : KINDS[e.name],
      blockNumber: e.blockNumber,
      txHash: e.txHash,
      logIndex: e.logIndex,
      time: iso(e.time),
      from: holder(e.from, e.blockNumber - 1),
      to: holder(e.to, e.blockNumber),
      forced: e.name === "ForcedTransfer" || e.name === "TokenTakenDown",
      details: transfer ? {} : Object.fromEntries(Object.entries(e.args).filter(([k]) => !SKIP_DETAILS.has(k))),
    };
  });
}

/** The checksummed spelling of each address the events carry (the index stores lower case). */
function checksums(events: ReadonlyArray<{ args: Record<string, unknown> }>): (lowerAddress: string) => string {
  const spelled = new Map<string, string>();
  for (const e of events) {
    for (const v of Object.values(e.args)) {
      if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) && !spelled.has(v.toLowerCase())) spelled.set(v.toLowerCase(), v);
    }
  }
  return (a) => spelled.get(a.toLowerCase()) ?? a;
}
