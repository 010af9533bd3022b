import { toChecksumAddress } from "../../shared/api";
import { parseCid } from "../../shared/cid";
import type { Services } from "../services";

type Hit = { type: "token" | "collection" | "address" | "identity" | "did" | "content-hash" | "transaction" | "cid" | "evidence"; id: string; label: string; path: string };

/**
 * GET /v1/search?q=: a token id, a collection id, an address, a DID, a content hash, a transaction hash,
 * an identity id, an evidence hash or a CID; answers typed hits from the index (at most 20).
 *
 * @example
 * const { hits } = await search(services, "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc");
 */
export async function search(services: Pick<Services, "store" | "config" | "chain">, q: string) {
  const db = services.store.db;
  const text = q.trim();
  const hits: Hit[] = [];
  if (/^[0-9]{1,78}$/.test(text)) {
    const n = BigInt(text);
    if (n < 2n ** 63n) {
      const c = await db.query(`SELECT collection_id FROM ix_collections WHERE collection_id = $1`, [Number(n)]);
      if (c.length) hits.push({ type: "collection", id: text, label: `collection ${text}`, path: `/v1/collections/${text}` });
    }
    const t = await db.query(`SELECT token_id, collection_id, serial FROM ix_tokens WHERE token_id = $1`, [n.toString()]);
    for (const r of t) hits.push({ type: "token", id: String(r.token_id), label: `token ${r.token_id} (collection ${r.collection_id}, edition ${r.serial})`, path: `/v1/tokens/${r.token_id}` });
  } else if (/^0x[0-9a-fA-F]{40}$/.test(text)) {
    const a = text.toLowerCase();
    hits.push({ type: "address", id: toChecksumAddress(text), label: `account ${toChecksumAddress(text)}`, path: `/v1/accounts/${toChecksumAddress(text)}` });
    const w = await db.query<{ identity_id: string }>(`SELECT identity_id FROM ix_wallets WHERE wallet = $1`, [a]);
    for (const r of w) hits.push({ type: "identity", id: r.identity_id, label: `identity ${r.identity_id}`, path: `/v1/identities/${toChecksumAddress(text)}` });
  } else if (/^0x[0-9a-fA-F]{64}$/.test(text)) {
    const h = text.toLowerCase();
    const [content, txs, ids, evidence] = await Promise.all([
      db.query(`SELECT collection_id FROM ix_collections WHERE content_hash = $1`, [h]),
      db.query(`SELECT DISTINCT tx_hash, block_number FROM ix_events WHERE tx_hash = $1`, [h]),
      db.query(`SELECT identity_id FROM ix_identities WHERE identity_id = $1`, [h]),
      db.query(`SELECT evidence_id, version FROM ix_evidence WHERE hash = $1 OR evidence_id = $1`, [h]),
    ]);
    for (const r of content) hits.push({ type: "content-hash", id: String(r.collection_id), label: `the work of collection ${r.collection_id}`, path: `/v1/collections/${r.collection_id}` });
    for (const r of txs) hits.push({ type: "transaction", id: String(r.tx_hash), label: `transaction in block ${r.block_number}`, path: `/v1/events?txHash=${r.tx_hash}` });
    for (const r of ids) hits.push({ type: "identity", id: String(r.identity_id), label: `identity ${r.identity_id}`, path: `/v1/identities/${r.identity_id}/history` });
    for (const r of evidence) hits.push({ type: "evidence", id: String(r.evidence_id), label: `evidence ${r.evidence_id} (version ${r.version})`, path: `/v1/evidence/${h}` });
  } else if (/^did:[a-z0-9]+:[0-9]+:0x[0-9a-fA-F]{64}$/.test(text)) {
    const id = text.split(":")[3].toLowerCase();
    const r = await db.query(`SELECT identity_id FROM ix_identities WHERE identity_id = $1`, [id]);
    if (r.length) hits.push({ type: "did", id: text, label: `identity ${id}`, path: `/v1/dids/${encodeURIComponent(text)}` });
  } else if (parseCid(text)) {
    const cid = parseCid(text)!.toV1().toString();
    const rows = await db.query(
      `SELECT c.collection_id FROM ix_collections c LEFT JOIN ix_metadata m ON m.cid = c.metadata_cid WHERE c.metadata_cid = $1 OR m.image = $2`,
      [cid, `ipfs://${cid}`],
    );
    for (const r of rows) hits.push({ type: "cid", id: cid, label: `content of collection ${r.collection_id}`, path: `/v1/collections/${r.collection_id}` });
  }
  return { query: text, hits: hits.slice(0, 20) };
}
