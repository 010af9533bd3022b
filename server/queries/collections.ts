import type { CollectionSummary, TokenSummary } from "../../shared/api";
import { modeName, rightsOf } from "../../shared/domain";
import { toChecksumAddress } from "../../shared/api";
import type { Row } from "../store/db";
import type { Services } from "../services";
import { pageOf, whereOf } from "./cursor";

type Deps = Pick<Services, "store" | "cursors">;

const iso = (s: unknown) => new Date(Number(s) * 1000).toISOString();
const addr = (a: unknown) => toChecksumAddress(String(a));

function collectionFrom(r: Row): CollectionSummary {
  const minted = Number(r.minted);
  const max = Number(r.max_supply);
  return {
    collectionId: String(r.collection_id),
    issuer: addr(r.issuer),
    name: String(r.name ?? ""),
    description: String(r.description ?? ""),
    contentHash: String(r.content_hash),
    metadataCID: String(r.metadata_cid),
    maxSupply: max,
    minted,
    burned: Number(r.burned),
    holders: Number(r.holders ?? 0),
    mode: modeName(Number(r.mode)) ?? "Locked",
    holdingPeriodSeconds: Number(r.holding_period),
    minLevel: Number(r.min_level),
    rights: rightsOf(Number(r.rights)),
    complianceRef: String(r.compliance_ref),
    status: minted >= max ? "complete" : "minting",
    createdAt: iso(r.created_time),
    createdBlock: Number(r.created_block),
    txHash: String(r.tx_hash),
  };
}

/** LIKE pattern of a user's text, with its wildcards escaped. */
const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * GET /v1/collections: newest first, from the index; filter by issuer, text (name or description, from
 * the metadata) and status (minting, complete).
 *
 * @example
 * const page = await listCollections(services, { issuer: "0x…", limit: 20 });
 */
export async function listCollections(services: Deps, q: { issuer?: string; q?: string; status?: "minting" | "complete"; cursor?: string; limit: number }) {
  const after = services.cursors.decode("collections", q.cursor);
  const w = whereOf();
  if (after) w.add("c.collection_id < ?", Number(after[0]));
  if (q.issuer) w.add("c.issuer = ?", q.issuer.toLowerCase());
  if (q.q) w.add(`(LOWER(COALESCE(m.name, '')) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(m.description, '')) LIKE ? ESCAPE '\\')`, like(q.q), like(q.q));
  if (q.status === "complete") w.add("c.minted >= c.max_supply");
  if (q.status === "minting") w.add("c.minted < c.max_supply");
  const rows = await services.store.db.query(
    `SELECT c.*, m.name, m.description
     FROM ix_collections c LEFT JOIN ix_metadata m ON m.cid = c.metadata_cid
     ${w.sql()}
     ORDER BY c.collection_id DESC LIMIT ${w.param(q.limit + 1)}`,
    w.params,
  );
  return pageOf(rows, q.limit, collectionFrom, (r) => services.cursors.encode("collections", [Number(r.collection_id)]));
}

export function tokenFrom(r: Row): TokenSummary {
  const acquired = Number(r.acquired_time);
  const locked = Number(r.mode) === 0;
  return {
    tokenId: String(r.token_id),
    collectionId: String(r.collection_id),
    serial: String(r.serial),
    owner: r.owner ? addr(r.owner) : null,
    frozen: Number(r.frozen) === 1,
    burned: Number(r.burned) === 1,
    acquiredAt: iso(acquired),
    holdingEndsAt: locked || r.owner === null ? null : iso(acquired + Number(r.holding_period)),
  };
}

/**
 * GET /v1/collections/:id/tokens: the editions by serial, optionally of one owner.
 *
 * @example
 * const page = await listCollectionTokens(services, "1", { limit: 100 });
 */
export async function listCollectionTokens(services: Deps, collectionId: string, q: { owner?: string; cursor?: string; limit: number }) {
  const after = services.cursors.decode(`tokens:${collectionId}`, q.cursor);
  const params: unknown[] = [Number(collectionId), Number(after?.[0] ?? 0)];
  let ownerSql = "";
  if (q.owner) {
    params.push(q.owner.toLowerCase());
    ownerSql = ` AND t.owner = $${params.length}`;
  }
  params.push(q.limit + 1);
  const rows = await services.store.db.query(
    `SELECT t.*, c.mode, c.holding_period FROM ix_tokens t JOIN ix_collections c ON c.collection_id = t.collection_id
     WHERE t.collection_id = $1 AND t.serial > $2${ownerSql} ORDER BY t.serial LIMIT $${params.length}`,
    params,
  );
  return pageOf(rows, q.limit, tokenFrom, (r) => services.cursors.encode(`tokens:${collectionId}`, [Number(r.serial)]));
}
