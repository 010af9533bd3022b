import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type {
  AnchorRecord,
  ApiKeyRecord,
  JobItem,
  JobRecord,
  JobState,
  LogEntry,
  LogFilter,
  NewJob,
  Store,
} from "./store";

/** Versioned schema migrations; append only, never edit an applied one. */
export const MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "initial",
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        label TEXT NOT NULL,
        wallet TEXT,
        identity_id TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        api_key_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        issuer TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (api_key_id, idempotency_key)
      );
      CREATE INDEX jobs_state ON jobs(state);
      CREATE TABLE job_items (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        idx INTEGER NOT NULL,
        recipient TEXT NOT NULL,
        state TEXT NOT NULL,
        request_id TEXT,
        token_id TEXT,
        tx_hash TEXT,
        reason TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
      );
      CREATE INDEX job_items_request ON job_items(request_id);
      CREATE TABLE sandbox_log (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        rule TEXT,
        decision TEXT,
        collection_id TEXT,
        token_id TEXT,
        policy_version TEXT,
        input_hash TEXT,
        ref TEXT,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX sandbox_log_ts ON sandbox_log(ts);
      CREATE INDEX sandbox_log_ref ON sandbox_log(ref);
      CREATE INDEX sandbox_log_collection ON sandbox_log(collection_id);
      CREATE INDEX sandbox_log_token ON sandbox_log(token_id);
      CREATE TABLE anchors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        from_seq INTEGER NOT NULL,
        to_seq INTEGER NOT NULL,
        root TEXT NOT NULL,
        evidence_id TEXT NOT NULL,
        tx_hash TEXT NOT NULL,
        block_number INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];

type Row = Record<string, unknown>;

const apiKeyFrom = (r: Row): ApiKeyRecord => ({
  id: r.id as string,
  role: r.role as ApiKeyRecord["role"],
  label: r.label as string,
  wallet: (r.wallet as string | null) ?? null,
  identityId: (r.identity_id as string | null) ?? null,
  createdAt: r.created_at as string,
  revokedAt: (r.revoked_at as string | null) ?? null,
});

const jobFrom = (r: Row): JobRecord => ({
  id: r.id as string,
  apiKeyId: r.api_key_id as string,
  idempotencyKey: r.idempotency_key as string,
  bodyHash: r.body_hash as string,
  collectionId: r.collection_id as string,
  issuer: r.issuer as string,
  state: r.state as JobState,
  reason: (r.reason as string | null) ?? null,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
});

const itemFrom = (r: Row): JobItem => ({
  jobId: r.job_id as string,
  idx: r.idx as number,
  recipient: r.recipient as string,
  state: r.state as JobItem["state"],
  requestId: (r.request_id as string | null) ?? null,
  tokenId: (r.token_id as string | null) ?? null,
  txHash: (r.tx_hash as string | null) ?? null,
  reason: (r.reason as string | null) ?? null,
});

const logFrom = (r: Row): LogEntry => ({
  seq: r.seq as number,
  ts: r.ts as string,
  actor: r.actor as string,
  action: r.action as string,
  rule: (r.rule as string | null) ?? null,
  decision: (r.decision as string | null) ?? null,
  collectionId: (r.collection_id as string | null) ?? null,
  tokenId: (r.token_id as string | null) ?? null,
  policyVersion: (r.policy_version as string | null) ?? null,
  inputHash: (r.input_hash as string | null) ?? null,
  ref: (r.ref as string | null) ?? null,
  payload: JSON.parse(r.payload as string),
  prevHash: r.prev_hash as string,
  hash: r.hash as string,
});

const anchorFrom = (r: Row): AnchorRecord => ({
  id: r.id as number,
  fromSeq: r.from_seq as number,
  toSeq: r.to_seq as number,
  root: r.root as string,
  evidenceId: r.evidence_id as string,
  txHash: r.tx_hash as string,
  blockNumber: r.block_number as number,
  createdAt: r.created_at as string,
});

/**
 * Embedded SQLite store (better-sqlite3), WAL mode, synchronous=FULL so an acknowledged write survives a
 * crash of the process or the machine.
 *
 * @example
 * const store = openSqliteStore("./data/gateway.db");
 */
export function openSqliteStore(file: string): Store & { db: Database.Database } {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const q = {
    keyInsert: db.prepare(
      `INSERT INTO api_keys (id, key_hash, role, label, wallet, identity_id, created_at, revoked_at)
       VALUES (@id, @keyHash, @role, @label, @wallet, @identityId, @createdAt, @revokedAt)`,
    ),
    keyByHash: db.prepare(`SELECT * FROM api_keys WHERE key_hash = ?`),
    keyById: db.prepare(`SELECT * FROM api_keys WHERE id = ?`),
    keyList: db.prepare(`SELECT * FROM api_keys ORDER BY created_at, id`),
    keyRevoke: db.prepare(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
    jobByKey: db.prepare(`SELECT * FROM jobs WHERE api_key_id = ? AND idempotency_key = ?`),
    jobInsert: db.prepare(
      `INSERT INTO jobs (id, api_key_id, idempotency_key, body_hash, collection_id, issuer, state, reason, created_at, updated_at)
       VALUES (@id, @apiKeyId, @idempotencyKey, @bodyHash, @collectionId, @issuer, 'queued', NULL, @at, @at)`,
    ),
    itemInsert: db.prepare(
      `INSERT INTO job_items (job_id, idx, recipient, state, updated_at) VALUES (?, ?, ?, 'pending', ?)`,
    ),
    jobById: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
    items: db.prepare(`SELECT * FROM job_items WHERE job_id = ? ORDER BY idx`),
    unfinished: db.prepare(`SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, id`),
    jobState: db.prepare(`UPDATE jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?`),
    assign: db.prepare(
      `UPDATE job_items SET request_id = ?, state = 'pending', updated_at = ? WHERE job_id = ? AND idx = ?`,
    ),
    submitted: db.prepare(
      `UPDATE job_items SET state = 'submitted', tx_hash = ?, updated_at = ? WHERE job_id = ? AND request_id = ? AND state = 'pending'`,
    ),
    minted: db.prepare(
      `UPDATE job_items SET state = 'minted', token_id = ?, tx_hash = COALESCE(?, tx_hash), reason = NULL, updated_at = ? WHERE job_id = ? AND idx = ?`,
    ),
    failed: db.prepare(
      `UPDATE job_items SET state = 'failed', reason = ?, updated_at = ? WHERE job_id = ? AND idx = ?`,
    ),
    release: db.prepare(
      `UPDATE job_items SET request_id = NULL, state = 'pending', tx_hash = NULL, updated_at = ? WHERE job_id = ? AND request_id = ? AND state != 'minted'`,
    ),
    jobCounts: db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`),
    logLast: db.prepare(`SELECT * FROM sandbox_log ORDER BY seq DESC LIMIT 1`),
    logInsert: db.prepare(
      `INSERT INTO sandbox_log (seq, ts, actor, action, rule, decision, collection_id, token_id, policy_version, input_hash, ref, payload, prev_hash, hash)
       VALUES (@seq, @ts, @actor, @action, @rule, @decision, @collectionId, @tokenId, @policyVersion, @inputHash, @ref, @payload, @prevHash, @hash)`,
    ),
    logRange: db.prepare(`SELECT * FROM sandbox_log WHERE seq BETWEEN ? AND ? ORDER BY seq`),
    logByRef: db.prepare(`SELECT * FROM sandbox_log WHERE ref = ? ORDER BY seq`),
    logCount: db.prepare(`SELECT COUNT(*) AS n FROM sandbox_log`),
    anchorInsert: db.prepare(
      `INSERT INTO anchors (from_seq, to_seq, root, evidence_id, tx_hash, block_number, created_at)
       VALUES (@fromSeq, @toSeq, @root, @evidenceId, @txHash, @blockNumber, @createdAt)`,
    ),
    anchorList: db.prepare(`SELECT * FROM anchors ORDER BY id`),
    anchorLast: db.prepare(`SELECT * FROM anchors ORDER BY id DESC LIMIT 1`),
    anchorById: db.prepare(`SELECT * FROM anchors WHERE id = ?`),
    kvGet: db.prepare(`SELECT value FROM kv WHERE key = ?`),
    kvSet: db.prepare(`INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
  };

  const createJob = db.transaction((job: NewJob, at: string) => {
    const existing = q.jobByKey.get(job.apiKeyId, job.idempotencyKey) as Row | undefined;
    if (existing) return { job: jobFrom(existing), created: false };
    q.jobInsert.run({ ...job, at });
    job.recipients.forEach((r, i) => q.itemInsert.run(job.id, i, r, at));
    return { job: jobFrom(q.jobById.get(job.id) as Row), created: true };
  });
  const assign = db.transaction((jobId: string, idxs: number[], requestId: string, at: string) => {
    for (const i of idxs) q.assign.run(requestId, at, jobId, i);
  });
  const markMinted = db.transaction(
    (jobId: string, minted: Array<{ idx: number; tokenId: string }>, txHash: string | null, at: string) => {
      for (const m of minted) q.minted.run(m.tokenId, txHash, at, jobId, m.idx);
    },
  );
  const markFailed = db.transaction((jobId: string, idxs: number[], reason: string, at: string) => {
    for (const i of idxs) q.failed.run(reason, at, jobId, i);
  });
  const appendLog = db.transaction((build: (last: LogEntry | undefined) => LogEntry) => {
    const lastRow = q.logLast.get() as Row | undefined;
    const entry = build(lastRow ? logFrom(lastRow) : undefined);
    q.logInsert.run({ ...entry, payload: JSON.stringify(entry.payload) });
    return entry;
  });

  return {
    kind: "sqlite",
    db,
    apiKeys: {
      async create(record, keyHash) {
        q.keyInsert.run({ ...record, keyHash });
      },
      async findByHash(keyHash) {
        const r = q.keyByHash.get(keyHash) as Row | undefined;
        return r ? apiKeyFrom(r) : undefined;
      },
      async get(id) {
        const r = q.keyById.get(id) as Row | undefined;
        return r ? apiKeyFrom(r) : undefined;
      },
      async list() {
        return (q.keyList.all() as Row[]).map(apiKeyFrom);
      },
      async revoke(id, at) {
        return q.keyRevoke.run(at, id).changes > 0;
      },
    },
    jobs: {
      async create(job, at) {
        return createJob(job, at);
      },
      async get(id) {
        const r = q.jobById.get(id) as Row | undefined;
        return r ? jobFrom(r) : undefined;
      },
      async items(jobId) {
        return (q.items.all(jobId) as Row[]).map(itemFrom);
      },
      async unfinished() {
        return (q.unfinished.all() as Row[]).map(jobFrom);
      },
      async setState(id, state, reason, at) {
        q.jobState.run(state, reason, at, id);
      },
      async assign(jobId, idxs, requestId, at) {
        assign(jobId, idxs, requestId, at);
      },
      async markSubmitted(jobId, requestId, txHash, at) {
        q.submitted.run(txHash, at, jobId, requestId);
      },
      async markMinted(jobId, minted, txHash, at) {
        markMinted(jobId, minted, txHash, at);
      },
      async markFailed(jobId, idxs, reason, at) {
        markFailed(jobId, idxs, reason, at);
      },
      async release(jobId, requestId, at) {
        q.release.run(at, jobId, requestId);
      },
      async countsByState() {
        return Object.fromEntries((q.jobCounts.all() as Row[]).map((r) => [r.state as string, r.n as number]));
      },
    },
    log: {
      async append(build) {
        return appendLog(build);
      },
      async list(f: LogFilter) {
        const where: string[] = [];
        const args: unknown[] = [];
        const eq = (col: string, v: unknown) => {
          if (v !== undefined) {
            where.push(`${col} = ?`);
            args.push(v);
          }
        };
        if (f.from !== undefined) {
          where.push("ts >= ?");
          args.push(f.from);
        }
        if (f.to !== undefined) {
          where.push("ts <= ?");
          args.push(f.to);
        }
        if (f.afterSeq !== undefined) {
          where.push("seq > ?");
          args.push(f.afterSeq);
        }
        eq("actor", f.actor);
        eq("action", f.action);
        eq("rule", f.rule);
        eq("decision", f.decision);
        eq("collection_id", f.collectionId);
        eq("token_id", f.tokenId);
        const sql =
          `SELECT * FROM sandbox_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq` +
          (f.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(f.limit))}` : "");
        return (db.prepare(sql).all(...args) as Row[]).map(logFrom);
      },
      async range(fromSeq, toSeq) {
        return (q.logRange.all(fromSeq, toSeq) as Row[]).map(logFrom);
      },
      async last() {
        const r = q.logLast.get() as Row | undefined;
        return r ? logFrom(r) : undefined;
      },
      async findByRef(ref) {
        return (q.logByRef.all(ref) as Row[]).map(logFrom);
      },
      async count() {
        return (q.logCount.get() as { n: number }).n;
      },
    },
    anchors: {
      async add(anchor) {
        const info = q.anchorInsert.run(anchor);
        return anchorFrom(q.anchorById.get(info.lastInsertRowid) as Row);
      },
      async list() {
        return (q.anchorList.all() as Row[]).map(anchorFrom);
      },
      async last() {
        const r = q.anchorLast.get() as Row | undefined;
        return r ? anchorFrom(r) : undefined;
      },
    },
    kv: {
      async get(key) {
        return (q.kvGet.get(key) as { value: string } | undefined)?.value;
      },
      async set(key, value) {
        q.kvSet.run(key, value);
      },
    },
    async ping() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare(`SELECT version FROM schema_migrations`).all() as Array<{ version: number }>).map((r) => r.version),
  );
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
  }
}
