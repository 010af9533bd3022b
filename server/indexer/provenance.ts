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

/**
 * Whether a wallet was verified at `minLevel` as of a block, from the indexed identity history alone (no
 * historical eth_call, so no archive node): the identity the wallet was linked to after the block, that
 * identity's level, status and expiry after the block, and the block's time. Equal, by property test, to
 * `isVerified(wallet, minLevel)` called at that block.
 */
export async function holderAt(db: Db, opts: { didMethod: string; chainId: number }, wallet: string, blockNumber: number, minLevel: number): Promise<Holder> {
  const w = wallet.toLowerCase();
  const link = (
    await db.query<{ identity_id: string | null }>(
      `SELECT identity_id FROM ix_wallet_links WHERE wallet = $1 AND block_number <= $2 ORDER BY block_number DESC, log_index DESC LIMIT 1`,
      [w, blockNumber],
    )
  )[0];
  if (!link?.identity_id) return { address: wallet, did: null, level: null, verified: false };
  const state = (
    await db.query<{ level: unknown; status: unknown; expires_at: unknown }>(
      `SELECT level, status, expires_at FROM ix_identity_states WHERE identity_id = $1 AND block_number <= $2 ORDER BY block_number DESC, log_index DESC LIMIT 1`,
      [link.identity_id, blockNumber],
    )
  )[0];
  const time = (await db.query<{ time: unknown }>(`SELECT time FROM ix_blocks WHERE number = $1`, [blockNumber]))[0];
  const level = state ? Number(state.level) : null;
  const verified = !!state && Number(state.status) === ACTIVE && time !== undefined && Number(time.time) < Number(state.expires_at) && Number(state.level) >= minLevel;
  return { address: wallet, did: didOf(opts.didMethod, opts.chainId, link.identity_id), level, verified };
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
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const holder = (who: string | null, block: number) => (who ? holderAt(db, opts, checksumOf(who, events), block, minLevel) : Promise.resolve(null));
  const out: CustodyEntry[] = [];
  for (const e of events) {
    if (e.name === "Transfer") {
      if (forcedTxs.has(e.txHash) && e.from) continue;
      out.push({
        kind: !e.from ? "mint" : !e.to ? "burn" : "transfer",
        blockNumber: e.blockNumber,
        txHash: e.txHash,
        logIndex: e.logIndex,
        time: iso(e.time),
        from: await holder(e.from, e.blockNumber - 1),
        to: await holder(e.to, e.blockNumber),
        forced: false,
        details: {},
      });
      continue;
    }
    const kind = KINDS[e.name];
    if (!kind) continue;
    out.push({
      kind,
      blockNumber: e.blockNumber,
      txHash: e.txHash,
      logIndex: e.logIndex,
      time: iso(e.time),
      from: await holder(e.from, e.blockNumber - 1),
      to: await holder(e.to, e.blockNumber),
      forced: e.name === "ForcedTransfer" || e.name === "TokenTakenDown",
      details: Object.fromEntries(Object.entries(e.args).filter(([k]) => !SKIP_DETAILS.has(k))),
    });
  }
  return out;
}

/** The checksummed spelling of an address as the events carry it (the index stores lower case). */
function checksumOf(lowerAddress: string, events: ReadonlyArray<{ args: Record<string, unknown> }>): string {
  for (const e of events) {
    for (const v of Object.values(e.args)) {
      if (typeof v === "string" && v.toLowerCase() === lowerAddress) return v;
    }
  }
  return lowerAddress;
}
