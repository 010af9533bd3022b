import { keccak256, toUtf8Bytes } from "ethers";
import type { IndexedEvent } from "../../shared/api";
import { toChecksumAddress } from "../../shared/api";
import { reply } from "../http/route";
import type { Row } from "../store/db";
import type { Services } from "../services";
import { pageOf, whereOf } from "./cursor";

type Deps = Pick<Services, "store" | "cursors" | "chain">;

export interface EventQuery {
  type?: string;
  txHash?: string;
  address?: string;
  tokenId?: string;
  collectionId?: string;
  fromBlock?: number;
  toBlock?: number;
  from?: string;
  to?: string;
  format: "json" | "csv";
  cursor?: string;
  limit: number;
}

const addr = (a: unknown) => (a ? toChecksumAddress(String(a)) : null);

function eventFrom(chainId: number) {
  return (r: Row): IndexedEvent => ({
    chainId,
    blockNumber: Number(r.block_number),
    txHash: String(r.tx_hash),
    logIndex: Number(r.log_index),
    time: new Date(Number(r.time) * 1000).toISOString(),
    contract: r.contract as IndexedEvent["contract"],
    type: r.type as IndexedEvent["type"],
    collectionId: r.collection_id === null || r.collection_id === undefined ? null : String(r.collection_id),
    tokenId: (r.token_id as string | null) ?? null,
    from: addr(r.from_addr),
    to: addr(r.to_addr),
    actor: addr(r.actor),
    args: JSON.parse(String(r.args)),
  });
}

function filterSql(q: EventQuery, after: Array<string | number> | undefined) {
  const w = whereOf();
  if (after) w.add("(block_number < ? OR (block_number = ? AND log_index < ?))", Number(after[0]), Number(after[0]), Number(after[1]));
  if (q.type) w.add("type = ?", q.type);
  if (q.txHash) w.add("tx_hash = ?", q.txHash.toLowerCase());
  if (q.address) w.add("(from_addr = ? OR to_addr = ? OR actor = ?)", q.address.toLowerCase(), q.address.toLowerCase(), q.address.toLowerCase());
  if (q.tokenId) w.add("token_id = ?", q.tokenId);
  if (q.collectionId) w.add("collection_id = ?", Number(q.collectionId));
  if (q.fromBlock !== undefined) w.add("block_number >= ?", q.fromBlock);
  if (q.toBlock !== undefined) w.add("block_number <= ?", q.toBlock);
  if (q.from) w.add("time >= ?", Math.floor(Date.parse(q.from) / 1000));
  if (q.to) w.add("time <= ?", Math.floor(Date.parse(q.to) / 1000));
  return { where: w.sql(), params: w.params };
}

const CSV_COLUMNS = ["blockNumber", "time", "txHash", "logIndex", "contract", "type", "collectionId", "tokenId", "from", "to", "actor", "args"] as const;
const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * GET /v1/events: newest first, with filters; format=csv streams every matching event (RFC 4180, CRLF),
 * page by page, so a large export never sits in memory.
 *
 * @example
 * const page = await listEvents(services, { type: "forced-transfer", format: "json", limit: 50 });
 */
export async function listEvents(services: Deps, q: EventQuery) {
  const db = services.store.db;
  const map = eventFrom(services.chain.chainId);
  if (q.format === "csv") {
    const cursors = services.cursors;
    async function* chunks(): AsyncGenerator<string> {
      yield `${CSV_COLUMNS.join(",")}\r\n`;
      let after = cursors.decode("events", q.cursor);
      for (;;) {
        const { where, params } = filterSql(q, after);
        const rows = await db.query(`SELECT * FROM ix_events ${where} ORDER BY block_number DESC, log_index DESC LIMIT 2000`, params);
        for (const r of rows) {
          const e = map(r);
          yield `${CSV_COLUMNS.map((c) => csvField(e[c])).join(",")}\r\n`;
        }
        if (rows.length < 2000) return;
        const last = rows[rows.length - 1];
        after = [Number(last.block_number), Number(last.log_index)];
      }
    }
    return reply.stream("text/csv; charset=utf-8", chunks(), "events.csv");
  }
  const { where, params } = filterSql(q, services.cursors.decode("events", q.cursor));
  params.push(q.limit + 1);
  const rows = await db.query(`SELECT * FROM ix_events ${where} ORDER BY block_number DESC, log_index DESC LIMIT $${params.length}`, params);
  return pageOf(rows, q.limit, map, (r) => services.cursors.encode("events", [Number(r.block_number), Number(r.log_index)]));
}

const ROLE_NAMES = ["DEFAULT_ADMIN_ROLE", "ATTESTOR_ROLE", "REGULATOR_ROLE", "ISSUER_ROLE", "OPERATOR_ROLE", "COMPLIANCE_SIGNER_ROLE", "EVIDENCE_WRITER_ROLE", "ANCHOR_ROLE"];
const ROLE_BY_HASH = new Map(ROLE_NAMES.map((n) => [n === "DEFAULT_ADMIN_ROLE" ? `0x${"0".repeat(64)}` : keccak256(toUtf8Bytes(n)), n]));

/**
 * GET /v1/roles: who holds which role on which contract, from the RoleGranted and RoleRevoked events.
 *
 * @example
 * const { roles } = await listRoles(services);
 */
export async function listRoles(services: Pick<Services, "store">) {
  const rows = await services.store.db.query(`SELECT * FROM ix_roles ORDER BY contract, role_hash, granted_block, account`);
  return {
    roles: rows.map((r) => ({
      contract: r.contract as "identity" | "rights" | "evidence",
      role: ROLE_BY_HASH.get(String(r.role_hash)) ?? String(r.role_hash),
      roleHash: String(r.role_hash),
      account: toChecksumAddress(String(r.account)),
      grantedBlock: Number(r.granted_block),
      txHash: String(r.tx_hash),
    })),
  };
}
