import type { Db, Row } from "./db";
import { migrate } from "./migrations";
import { fromHex, toHex } from "../../shared/log/bytes";
import type { AsyncNodeReader, NodeId, StoredNode } from "../../shared/log/store";
import type {
  AnchorRecord,
  CheckpointRecord,
  ApiKeyRecord,
  JobItem,
  JobRecord,
  JobState,
  KeyRequestRecord,
  LogEntry,
  LogFilter,
  OperationRecord,
  Store,
  TxRecord,
} from "./store";

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const num = (v: unknown): number => Number(v);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const unjson = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));

const apiKeyFrom = (r: Row): ApiKeyRecord => ({
  id: String(r.id),
  role: r.role as ApiKeyRecord["role"],
  label: String(r.label),
  wallet: str(r.wallet),
  identityId: str(r.identity_id),
  createdAt: String(r.created_at),
  revokedAt: str(r.revoked_at),
});

const keyRequestFrom = (r: Row): KeyRequestRecord => ({
  id: String(r.id),
  role: r.role as KeyRequestRecord["role"],
  label: String(r.label),
  wallet: str(r.wallet),
  identityId: str(r.identity_id),
  requestedBy: String(r.requested_by),
  createdAt: String(r.created_at),
  expiresAt: String(r.expires_at),
  keyId: str(r.key_id),
});

const jobFrom = (r: Row): JobRecord => ({
  id: String(r.id),
  apiKeyId: String(r.api_key_id),
  idempotencyKey: String(r.idempotency_key),
  bodyHash: String(r.body_hash),
  collectionId: String(r.collection_id),
  issuer: String(r.issuer),
  state: r.state as JobState,
  reason: str(r.reason),
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
});

const itemFrom = (r: Row): JobItem => ({
  jobId: String(r.job_id),
  idx: num(r.idx),
  recipient: String(r.recipient),
  state: r.state as JobItem["state"],
  requestId: str(r.request_id),
  tokenId: str(r.token_id),
  txHash: str(r.tx_hash),
  reason: str(r.reason),
});

const opFrom = (r: Row): OperationRecord => ({
  id: String(r.id),
  kind: String(r.kind),
  actor: String(r.actor),
  idempotencyKey: str(r.idempotency_key),
  requestHash: String(r.request_hash),
  state: r.state as OperationRecord["state"],
  reason: str(r.reason),
  txHash: str(r.tx_hash),
  context: unjson(r.context),
  result: unjson(r.result),
  error: unjson(r.error),
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
});

const txFrom = (r: Row): TxRecord => ({
  hash: String(r.hash),
  signer: String(r.signer),
  nonce: num(r.nonce),
  raw: String(r.raw),
  purpose: String(r.purpose),
  state: r.state as TxRecord["state"],
  blockNumber: r.block_number === null || r.block_number === undefined ? null : num(r.block_number),
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
});

const logFrom = (r: Row): LogEntry => ({
  seq: num(r.seq),
  ts: String(r.ts),
  actor: String(r.actor),
  action: String(r.action),
  rule: str(r.rule),
  decision: str(r.decision),
  collectionId: str(r.collection_id),
  tokenId: str(r.token_id),
  policyVersion: str(r.policy_version),
  inputHash: str(r.input_hash),
  ref: str(r.ref),
  payload: JSON.parse(String(r.payload)),
  prevHash: String(r.prev_hash),
  hash: String(r.hash),
});

const anchorFrom = (r: Row): AnchorRecord => ({
  id: num(r.id),
  fromSeq: num(r.from_seq),
  toSeq: num(r.to_seq),
  root: String(r.root),
  evidenceId: String(r.evidence_id),
  txHash: String(r.tx_hash),
  blockNumber: num(r.block_number),
  createdAt: String(r.created_at),
});

const checkpointFrom = (r: Row): CheckpointRecord => ({
  size: num(r.size),
  root: String(r.root),
  note: String(r.note),
  createdAt: String(r.created_at),
  anchor: r.anchor_index === null || r.anchor_index === undefined ? null : { index: num(r.anchor_index), txHash: String(r.tx_hash), blockNumber: num(r.block_number) },
});

/** The log tree's stored nodes through a database handle (one query per batch of ids). */
function nodeReader(db: Db): AsyncNodeReader {
  const getMany = async (ids: readonly NodeId[]) => {
    if (ids.length === 0) return [];
    const where = ids.map((_, i) => `(level = $${i * 2 + 1} AND idx = $${i * 2 + 2})`).join(" OR ");
    const rows = await db.query<{ level: unknown; idx: unknown; hash: string }>(`SELECT level, idx, hash FROM log_nodes WHERE ${where}`, ids.flatMap((id) => [id.level, id.index]));
    const found = new Map(rows.map((r) => [`${num(r.level)}:${num(r.idx)}`, fromHex(r.hash)]));
    return ids.map((id) => found.get(`${id.level}:${id.index}`));
  };
  return {
    async get(level, index) {
      return (await getMany([{ level, index }]))[0];
    },
    getMany,
  };
}

async function putNodes(t: Db, nodes: readonly StoredNode[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 200) {
    const chunk = nodes.slice(i, i + 200);
    await t.run(
      `INSERT INTO log_nodes (level, idx, hash) VALUES ${chunk.map((_, j) => `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3})`).join(", ")} ON CONFLICT (level, idx) DO NOTHING`,
      chunk.flatMap((n) => [n.level, n.index, toHex(n.hash)]),
    );
  }
}

const LOG_COLUMNS = "seq, ts, actor, action, rule, decision, collection_id, token_id, policy_version, input_hash, ref, payload, prev_hash, hash";

/**
 * The store, written once in SQL for SQLite and PostgreSQL (see db.ts). Applies the migrations first.
 *
 * @example
 * const store = await openSqlStore(openSqliteDb("./data/gateway.db"));
 */
export async function openSqlStore(db: Db): Promise<Store & { db: Db }> {
  await migrate(db);

  const one = async <T>(sql: string, params: unknown[], map: (r: Row) => T): Promise<T | undefined> => {
    const rows = await db.query(sql, params);
    return rows[0] ? map(rows[0]) : undefined;
  };

  return {
    kind: db.dialect,
    db,
    apiKeys: {
      async create(record, keyHash) {
        await db.run(
          `INSERT INTO api_keys (id, key_hash, role, label, wallet, identity_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [record.id, keyHash, record.role, record.label, record.wallet, record.identityId, record.createdAt, record.revokedAt],
        );
      },
      findByHash: (keyHash) => one(`SELECT * FROM api_keys WHERE key_hash = $1`, [keyHash], apiKeyFrom),
      get: (id) => one(`SELECT * FROM api_keys WHERE id = $1`, [id], apiKeyFrom),
      async list() {
        return (await db.query(`SELECT * FROM api_keys ORDER BY created_at, id`)).map(apiKeyFrom);
      },
      async revoke(id, at) {
        return (await db.run(`UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, [at, id])) > 0;
      },
      async addRequest(r) {
        await db.run(
          `INSERT INTO key_requests (id, role, label, wallet, identity_id, requested_by, created_at, expires_at, key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)`,
          [r.id, r.role, r.label, r.wallet, r.identityId, r.requestedBy, r.createdAt, r.expiresAt],
        );
      },
      getRequest: (id) => one(`SELECT * FROM key_requests WHERE id = $1`, [id], keyRequestFrom),
      async confirmRequest(id, key, keyHash) {
        return db.tx(async (t) => {
          const changed = await t.run(`UPDATE key_requests SET key_id = $1 WHERE id = $2 AND key_id IS NULL`, [key.id, id]);
          if (changed === 0) return false;
          await t.run(
            `INSERT INTO api_keys (id, key_hash, role, label, wallet, identity_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`,
            [key.id, keyHash, key.role, key.label, key.wallet, key.identityId, key.createdAt],
          );
          return true;
        });
      },
    },
    jobs: {
      async create(job, at) {
        return db.tx(async (t) => {
          const existing = await t.query(`SELECT * FROM jobs WHERE api_key_id = $1 AND idempotency_key = $2`, [job.apiKeyId, job.idempotencyKey]);
          if (existing[0]) return { job: jobFrom(existing[0]), created: false };
          await t.run(
            `INSERT INTO jobs (id, api_key_id, idempotency_key, body_hash, collection_id, issuer, state, reason, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'queued', NULL, $7, $7)`,
            [job.id, job.apiKeyId, job.idempotencyKey, job.bodyHash, job.collectionId, job.issuer, at],
          );
          // One multi-row insert per chunk: a 1,000-recipient job stays one round trip per 200 items.
          for (let i = 0; i < job.recipients.length; i += 200) {
            const chunk = job.recipients.slice(i, i + 200);
            const values = chunk.map((_, j) => `($1, $2, $${j * 2 + 3}, $${j * 2 + 4}, 'pending')`).join(", ");
            const params: unknown[] = [job.id, at];
            chunk.forEach((r, j) => params.push(i + j, r));
            await t.run(`INSERT INTO job_items (job_id, updated_at, idx, recipient, state) VALUES ${values}`, params);
          }
          const created = await t.query(`SELECT * FROM jobs WHERE id = $1`, [job.id]);
          return { job: jobFrom(created[0]), created: true };
        });
      },
      get: (id) => one(`SELECT * FROM jobs WHERE id = $1`, [id], jobFrom),
      async items(jobId) {
        return (await db.query(`SELECT * FROM job_items WHERE job_id = $1 ORDER BY idx`, [jobId])).map(itemFrom);
      },
      async unfinished() {
        return (await db.query(`SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, id`)).map(jobFrom);
      },
      async setState(id, state, reason, at) {
        await db.run(`UPDATE jobs SET state = $1, reason = $2, updated_at = $3 WHERE id = $4`, [state, reason, at, id]);
      },
      async assign(jobId, idxs, requestId, at) {
        await db.tx(async (t) => {
          for (const i of idxs) {
            await t.run(`UPDATE job_items SET request_id = $1, state = 'pending', reason = NULL, updated_at = $2 WHERE job_id = $3 AND idx = $4`, [requestId, at, jobId, i]);
          }
        });
      },
      async markSubmitted(jobId, requestId, txHash, at) {
        await db.run(
          `UPDATE job_items SET state = 'submitted', tx_hash = $1, updated_at = $2 WHERE job_id = $3 AND request_id = $4 AND state IN ('pending', 'submitted')`,
          [txHash, at, jobId, requestId],
        );
      },
      async markMinted(jobId, minted, txHash, at) {
        await db.tx(async (t) => {
          for (const m of minted) {
            await t.run(
              `UPDATE job_items SET state = 'minted', token_id = $1, tx_hash = COALESCE($2, tx_hash), reason = NULL, updated_at = $3 WHERE job_id = $4 AND idx = $5`,
              [m.tokenId, txHash, at, jobId, m.idx],
            );
          }
        });
      },
      async markFailed(jobId, idxs, reason, at) {
        await db.tx(async (t) => {
          for (const i of idxs) {
            await t.run(`UPDATE job_items SET state = 'failed', reason = $1, updated_at = $2 WHERE job_id = $3 AND idx = $4 AND state != 'minted'`, [reason, at, jobId, i]);
          }
        });
      },
      async noteItems(jobId, requestId, reason, at) {
        await db.run(`UPDATE job_items SET reason = $1, updated_at = $2 WHERE job_id = $3 AND request_id = $4 AND state IN ('pending', 'submitted')`, [reason, at, jobId, requestId]);
      },
      async release(jobId, requestId, at) {
        await db.run(
          `UPDATE job_items SET request_id = NULL, state = 'pending', tx_hash = NULL, updated_at = $1 WHERE job_id = $2 AND request_id = $3 AND state != 'minted' AND state != 'failed'`,
          [at, jobId, requestId],
        );
      },
      async lease(owner, now, until) {
        return db.tx(async (t) => {
          const rows = await t.query(
            `SELECT * FROM jobs WHERE state IN ('queued', 'running') AND (owner IS NULL OR owner = $1 OR lease_until < $2) ORDER BY created_at, id`,
            [owner, now],
          );
          const out: Array<{ job: JobRecord; fence: number }> = [];
          for (const r of rows) {
            const takeover = r.owner !== owner;
            const changed = await t.run(
              `UPDATE jobs SET owner = $1, lease_until = $2, fence = fence + $3 WHERE id = $4 AND (owner IS NULL OR owner = $1 OR lease_until < $5)`,
              [owner, until, takeover ? 1 : 0, r.id, now],
            );
            if (changed === 1) out.push({ job: jobFrom(r), fence: num(r.fence) + (takeover ? 1 : 0) });
          }
          return out;
        });
      },
      async holds(jobId, owner, fence, until) {
        return (await db.run(`UPDATE jobs SET lease_until = $1 WHERE id = $2 AND owner = $3 AND fence = $4`, [until, jobId, owner, fence])) === 1;
      },
      async countsByState() {
        const rows = await db.query<{ state: string; n: unknown }>(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`);
        return Object.fromEntries(rows.map((r) => [r.state, num(r.n)]));
      },
    },
    nonces: {
      async next(issuer) {
        const key = issuer.toLowerCase();
        return db.tx(
          async (t) => {
            const rows = await t.query<{ next_nonce: string }>(`SELECT next_nonce FROM request_nonces WHERE issuer = $1`, [key]);
            const next = rows[0] ? BigInt(rows[0].next_nonce) : 0n;
            await t.run(
              `INSERT INTO request_nonces (issuer, next_nonce) VALUES ($1, $2) ON CONFLICT (issuer) DO UPDATE SET next_nonce = excluded.next_nonce`,
              [key, (next + 1n).toString()],
            );
            return next;
          },
          { lock: "request_nonces" },
        );
      },
    },
    operations: {
      async create(op) {
        return db.tx(
          async (t) => {
            if (op.idempotencyKey) {
              const existing = await t.query(`SELECT * FROM operations WHERE actor = $1 AND idempotency_key = $2`, [op.actor, op.idempotencyKey]);
              if (existing[0]) return { op: opFrom(existing[0]), created: false };
            }
            await t.run(
              `INSERT INTO operations (id, kind, actor, idempotency_key, request_hash, state, reason, tx_hash, context, result, error, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
              [op.id, op.kind, op.actor, op.idempotencyKey, op.requestHash, op.state, op.reason, op.txHash, json(op.context), json(op.result), json(op.error), op.createdAt, op.updatedAt],
            );
            return { op, created: true };
          },
          { lock: "operations" },
        );
      },
      get: (id) => one(`SELECT * FROM operations WHERE id = $1`, [id], opFrom),
      async update(id, patch, at) {
        const sets: string[] = [];
        const params: unknown[] = [];
        const add = (col: string, v: unknown) => {
          params.push(v);
          sets.push(`${col} = $${params.length}`);
        };
        if (patch.state !== undefined) add("state", patch.state);
        if (patch.reason !== undefined) add("reason", patch.reason);
        if (patch.txHash !== undefined) add("tx_hash", patch.txHash);
        if (patch.context !== undefined) add("context", json(patch.context));
        if (patch.result !== undefined) add("result", json(patch.result));
        if (patch.error !== undefined) add("error", json(patch.error));
        add("updated_at", at);
        params.push(id);
        await db.run(`UPDATE operations SET ${sets.join(", ")} WHERE id = $${params.length}`, params);
      },
      async reopen(id, at) {
        const changed = await db.run(
          `UPDATE operations SET state = 'pending', reason = 'checking the request', tx_hash = NULL, context = NULL, result = NULL, error = NULL, updated_at = $2 WHERE id = $1 AND state = 'failed'`,
          [id, at],
        );
        return changed === 1;
      },
      async pending() {
        return (await db.query(`SELECT * FROM operations WHERE state = 'pending' ORDER BY created_at`)).map(opFrom);
      },
      async hold(ids, owner, until) {
        for (const id of ids) await db.run(`UPDATE operations SET owner = $1, lease_until = $2 WHERE id = $3`, [owner, until, id]);
      },
      async takeOver(owner, now, until) {
        return db.tx(async (t) => {
          const rows = await t.query(
            `SELECT * FROM operations WHERE state = 'pending' AND (owner IS NULL OR owner = $1 OR lease_until < $2) ORDER BY created_at`,
            [owner, now],
          );
          const out: OperationRecord[] = [];
          for (const r of rows) {
            const changed = await t.run(`UPDATE operations SET owner = $1, lease_until = $2 WHERE id = $3 AND state = 'pending' AND (owner IS NULL OR owner = $1 OR lease_until < $4)`, [
              owner,
              until,
              r.id,
              now,
            ]);
            if (changed === 1) out.push(opFrom(r));
          }
          return out;
        });
      },
    },
    txs: {
      async add(tx) {
        await db.run(
          `INSERT INTO txs (hash, signer, nonce, raw, purpose, state, block_number, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (hash) DO NOTHING`,
          [tx.hash, tx.signer, tx.nonce, tx.raw, tx.purpose, tx.state, tx.blockNumber, tx.createdAt, tx.updatedAt],
        );
      },
      get: (hash) => one(`SELECT * FROM txs WHERE hash = $1`, [hash], txFrom),
      async setState(hash, state, blockNumber, at) {
        await db.run(`UPDATE txs SET state = $1, block_number = $2, updated_at = $3 WHERE hash = $4`, [state, blockNumber, at, hash]);
      },
      async open() {
        return (await db.query(`SELECT * FROM txs WHERE state = 'sent' ORDER BY created_at`)).map(txFrom);
      },
      async byPurpose(purpose) {
        return (await db.query(`SELECT * FROM txs WHERE purpose = $1 ORDER BY created_at`, [purpose])).map(txFrom);
      },
    },
    log: {
      async append(build, tree) {
        return db.tx(
          async (t) => {
            const lastRows = await t.query(`SELECT * FROM sandbox_log ORDER BY seq DESC LIMIT 1`);
            const entry = build(lastRows[0] ? logFrom(lastRows[0]) : undefined);
            await t.run(`INSERT INTO sandbox_log (${LOG_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, [
              entry.seq,
              entry.ts,
              entry.actor,
              entry.action,
              entry.rule,
              entry.decision,
              entry.collectionId,
              entry.tokenId,
              entry.policyVersion,
              entry.inputHash,
              entry.ref,
              JSON.stringify(entry.payload),
              entry.prevHash,
              entry.hash,
            ]);
            if (tree) await putNodes(t, await tree(entry, nodeReader(t)));
            return entry;
          },
          { lock: "sandbox_log" },
        );
      },
      async list(f: LogFilter) {
        const where: string[] = [];
        const params: unknown[] = [];
        const add = (cond: (p: string) => string, v: unknown) => {
          if (v === undefined) return;
          params.push(v);
          where.push(cond(`$${params.length}`));
        };
        add((p) => `ts >= ${p}`, f.from);
        add((p) => `ts <= ${p}`, f.to);
        add((p) => `seq > ${p}`, f.afterSeq);
        add((p) => `actor = ${p}`, f.actor);
        add((p) => `action = ${p}`, f.action);
        add((p) => `rule = ${p}`, f.rule);
        add((p) => `decision = ${p}`, f.decision);
        add((p) => `collection_id = ${p}`, f.collectionId);
        add((p) => `token_id = ${p}`, f.tokenId);
        const limit = f.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(f.limit))}` : "";
        const rows = await db.query(`SELECT * FROM sandbox_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq${limit}`, params);
        return rows.map(logFrom);
      },
      async range(fromSeq, toSeq) {
        return (await db.query(`SELECT * FROM sandbox_log WHERE seq BETWEEN $1 AND $2 ORDER BY seq`, [fromSeq, toSeq])).map(logFrom);
      },
      last: () => one(`SELECT * FROM sandbox_log ORDER BY seq DESC LIMIT 1`, [], logFrom),
      async findByRef(ref) {
        return (await db.query(`SELECT * FROM sandbox_log WHERE ref = $1 ORDER BY seq`, [ref])).map(logFrom);
      },
      async count() {
        const rows = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM sandbox_log`);
        return num(rows[0].n);
      },
      async countAfter(afterSeq, excludeActors) {
        const params: unknown[] = [afterSeq, ...excludeActors];
        const not = excludeActors.length ? ` AND actor NOT IN (${excludeActors.map((_, i) => `$${i + 2}`).join(", ")})` : "";
        const rows = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM sandbox_log WHERE seq > $1${not}`, params);
        return num(rows[0].n);
      },
    },
    logTree: {
      reader: () => nodeReader(db),
      async count() {
        return num((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM log_nodes`))[0].n);
      },
      put: (nodes) => db.tx((t) => putNodes(t, nodes)),
    },
    checkpoints: {
      async add(c) {
        await db.run(
          `INSERT INTO log_checkpoints (size, root, note, created_at, anchor_index, tx_hash, block_number) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (size) DO NOTHING`,
          [c.size, c.root, c.note, c.createdAt, c.anchor?.index ?? null, c.anchor?.txHash ?? null, c.anchor?.blockNumber ?? null],
        );
      },
      async setAnchor(size, a) {
        await db.run(`UPDATE log_checkpoints SET anchor_index = $1, tx_hash = $2, block_number = $3 WHERE size = $4`, [a.index, a.txHash, a.blockNumber, size]);
      },
      async list() {
        return (await db.query(`SELECT * FROM log_checkpoints ORDER BY size`)).map(checkpointFrom);
      },
      lastAnchored: () => one(`SELECT * FROM log_checkpoints WHERE anchor_index IS NOT NULL ORDER BY size DESC LIMIT 1`, [], checkpointFrom),
      get: (size) => one(`SELECT * FROM log_checkpoints WHERE size = $1`, [size], checkpointFrom),
    },
    anchors: {
      async add(a) {
        const rows = await db.query(
          `INSERT INTO anchors (from_seq, to_seq, root, evidence_id, tx_hash, block_number, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [a.fromSeq, a.toSeq, a.root, a.evidenceId, a.txHash, a.blockNumber, a.createdAt],
        );
        return anchorFrom(rows[0]);
      },
      async list() {
        return (await db.query(`SELECT * FROM anchors ORDER BY id`)).map(anchorFrom);
      },
      last: () => one(`SELECT * FROM anchors ORDER BY id DESC LIMIT 1`, [], anchorFrom),
    },
    quotas: {
      async reserve(r, windows) {
        return db.tx(
          async (t) => {
            const usage: Record<string, { collections: number; editions: number }> = {};
            let fits = true;
            for (const w of windows) {
              const rows = await t.query<{ c: unknown; e: unknown }>(
                `SELECT COALESCE(SUM(collections), 0) AS c, COALESCE(SUM(editions), 0) AS e FROM quota_reservations
                 WHERE issuer = $1 AND created_at >= $2 AND state IN ('reserved', 'used')`,
                [r.issuer.toLowerCase(), w.since],
              );
              const u = { collections: num(rows[0].c), editions: num(rows[0].e) };
              usage[w.name] = u;
              if (u.collections + r.collections > w.caps.collections || u.editions + r.editions > w.caps.editions) fits = false;
            }
            let evidenceUses = 0;
            if (r.evidence) {
              const rows = await t.query<{ n: unknown }>(
                `SELECT COUNT(*) AS n FROM quota_reservations WHERE evidence_hash = $1 AND state IN ('reserved', 'used')`,
                [r.evidence.hash.toLowerCase()],
              );
              evidenceUses = num(rows[0].n);
              if (evidenceUses >= r.evidence.maxUses) fits = false;
            }
            if (fits) {
              await t.run(
                `INSERT INTO quota_reservations (id, issuer, collections, editions, evidence_hash, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'reserved', $6, $6)`,
                [r.id, r.issuer.toLowerCase(), r.collections, r.editions, r.evidence?.hash.toLowerCase() ?? null, r.at],
              );
            }
            return { reserved: fits, usage, evidenceUses };
          },
          { lock: `quota` },
        );
      },
      async usage(issuer, since) {
        const rows = await db.query<{ c: unknown; e: unknown }>(
          `SELECT COALESCE(SUM(collections), 0) AS c, COALESCE(SUM(editions), 0) AS e FROM quota_reservations
           WHERE issuer = $1 AND created_at >= $2 AND state IN ('reserved', 'used')`,
          [issuer.toLowerCase(), since],
        );
        return { collections: num(rows[0].c), editions: num(rows[0].e) };
      },
      async evidenceUses(hash) {
        const rows = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM quota_reservations WHERE evidence_hash = $1 AND state IN ('reserved', 'used')`, [hash.toLowerCase()]);
        return num(rows[0].n);
      },
      async settle(id, state, at) {
        await db.run(`UPDATE quota_reservations SET state = $1, updated_at = $2 WHERE id = $3 AND state = 'reserved'`, [state, at, id]);
      },
    },
    kv: {
      async get(key) {
        const rows = await db.query<{ value: string }>(`SELECT value FROM kv WHERE key = $1`, [key]);
        return rows[0]?.value;
      },
      async set(key, value) {
        await db.run(`INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
      },
      async setIfAbsent(key, value) {
        await db.run(`INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, value]);
        const rows = await db.query<{ value: string }>(`SELECT value FROM kv WHERE key = $1`, [key]);
        return rows[0].value;
      },
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
