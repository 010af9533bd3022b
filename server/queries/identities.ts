import type { IdentitySummary } from "../../shared/api";
import { toChecksumAddress } from "../../shared/api";
import { IDENTITY_STATUSES, STATUS_NAMES } from "../../shared/domain";
import { didOf } from "../../shared/did";
import { AppError } from "../errors";
import type { Row } from "../store/db";
import type { Services } from "../services";
import { pageOf, whereOf } from "./cursor";

type Deps = Pick<Services, "store" | "cursors" | "config" | "chain">;

const iso = (s: unknown) => new Date(Number(s) * 1000).toISOString();
const addr = (a: unknown) => toChecksumAddress(String(a));

/**
 * GET /v1/identities: soonest expiry first, the attestor's renewal queue; filters identityId, attestor, status, level
 * and expiringBefore, or expiringWithinDays of the chain's latest block.
 *
 * @example
 * const queue = await listIdentities(services, { attestor, expiringBefore: "2027-01-01T00:00:00Z", limit: 50 });
 */
export async function listIdentities(
  services: Deps,
  q: { identityId?: string; attestor?: string; status?: string; level?: number; expiringBefore?: string; expiringWithinDays?: number; cursor?: string; limit: number },
) {
  const db = services.store.db;
  const after = services.cursors.decode("identities", q.cursor);
  const w = whereOf();
  if (after) w.add("(i.expires_at > ? OR (i.expires_at = ? AND i.identity_id > ?))", Number(after[0]), Number(after[0]), String(after[1]));
  if (q.identityId) w.add("i.identity_id = ?", q.identityId.toLowerCase());
  if (q.attestor) w.add("i.attestor = ?", q.attestor.toLowerCase());
  if (q.status) w.add("i.status = ?", IDENTITY_STATUSES.find((s) => s.key === q.status)!.value);
  if (q.level !== undefined) w.add("i.level = ?", q.level);
  if (q.expiringBefore) w.add("i.expires_at < ?", Math.floor(Date.parse(q.expiringBefore) / 1000));
  if (q.expiringWithinDays) w.add("i.expires_at < ?", Number(await services.chain.now()) + q.expiringWithinDays * 86_400);
  const rows = await db.query(`SELECT i.* FROM ix_identities i ${w.sql()} ORDER BY i.expires_at, i.identity_id LIMIT ${w.param(q.limit + 1)}`, w.params);
  const wallets = new Map<string, string[]>();
  if (rows.length) {
    const ids = rows.map((r) => String(r.identity_id));
    const ws = await db.query<{ identity_id: string; wallet: string }>(
      `SELECT identity_id, wallet FROM ix_wallets WHERE identity_id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")}) ORDER BY linked_block, wallet`,
      ids,
    );
    for (const w of ws) wallets.set(w.identity_id, [...(wallets.get(w.identity_id) ?? []), addr(w.wallet)]);
  }
  const from = (r: Row): IdentitySummary => ({
    identityId: String(r.identity_id),
    did: didOf(services.config.DID_METHOD, services.chain.chainId, String(r.identity_id)),
    level: Number(r.level),
    status: STATUS_NAMES[Number(r.status)] ?? "None",
    expiresAt: iso(r.expires_at),
    attestor: addr(r.attestor),
    evidenceHash: String(r.evidence_hash),
    wallets: wallets.get(String(r.identity_id)) ?? [],
    updatedBlock: Number(r.updated_block),
  });
  return pageOf(rows, q.limit, from, (r) => services.cursors.encode("identities", [Number(r.expires_at), String(r.identity_id)]));
}

const HISTORY_TYPES: Record<string, "registered" | "updated" | "renewed" | "status-changed" | "wallet-linked" | "wallet-unlinked"> = {
  IdentityRegistered: "registered",
  IdentityUpdated: "updated",
  IdentityRenewed: "renewed",
  IdentityStatusChanged: "status-changed",
  WalletLinked: "wallet-linked",
  WalletUnlinked: "wallet-unlinked",
};

/**
 * GET /v1/identities/:identityId/history: every change, with the identity's state after each.
 *
 * @example
 * const { events } = await identityHistory(services, "0x…");
 */
export async function identityHistory(services: Deps, identityId: string) {
  const db = services.store.db;
  const id = identityId.toLowerCase();
  const rows = await db.query(`SELECT * FROM ix_events WHERE identity_id = $1 ORDER BY block_number, log_index`, [id]);
  if (rows.length === 0) throw new AppError("IDENTITY_NOT_FOUND", { identityId });
  const states = await db.query(`SELECT * FROM ix_identity_states WHERE identity_id = $1 ORDER BY block_number, log_index`, [id]);
  const stateAt = (block: number, logIndex: number) => {
    let s: Row | undefined;
    for (const x of states) {
      if (Number(x.block_number) < block || (Number(x.block_number) === block && Number(x.log_index) <= logIndex)) s = x;
      else break;
    }
    return s ?? states[0];
  };
  const events = rows
    .filter((r) => HISTORY_TYPES[String(r.name)])
    .map((r) => {
      const args = JSON.parse(String(r.args)) as Record<string, unknown>;
      const s = stateAt(Number(r.block_number), Number(r.log_index));
      return {
        type: HISTORY_TYPES[String(r.name)],
        blockNumber: Number(r.block_number),
        txHash: String(r.tx_hash),
        logIndex: Number(r.log_index),
        time: iso(r.time),
        actor: addr(r.actor ?? args.attestor ?? args.actor),
        level: Number(s?.level ?? 0),
        status: STATUS_NAMES[Number(s?.status ?? 0)] ?? "None",
        expiresAt: iso(s?.expires_at ?? 0),
        wallet: typeof args.wallet === "string" ? (args.wallet as string) : null,
        reason: typeof args.reason === "string" ? (args.reason as string) : null,
      };
    });
  return { identityId: id, events };
}
