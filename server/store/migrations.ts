import type { Db, Dialect } from "./db";

/**
 * Versioned schema migrations, append-only: never edit one that has been applied. Written once for both
 * databases; `{{...}}` placeholders take the few types that differ.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const TYPES: Record<Dialect, Record<string, string>> = {
  sqlite: { serial: "INTEGER PRIMARY KEY AUTOINCREMENT", bigint: "INTEGER" },
  postgres: { serial: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT" },
};

export const MIGRATIONS: readonly Migration[] = [
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
        seq {{bigint}} PRIMARY KEY,
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
        id {{serial}},
        from_seq {{bigint}} NOT NULL,
        to_seq {{bigint}} NOT NULL,
        root TEXT NOT NULL,
        evidence_id TEXT NOT NULL,
        tx_hash TEXT NOT NULL,
        block_number {{bigint}} NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: "operations, signed transactions, request nonces, quota reservations, key requests",
    sql: `
      CREATE TABLE operations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        idempotency_key TEXT,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        tx_hash TEXT,
        context TEXT,
        result TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX operations_idempotency ON operations(actor, idempotency_key);
      CREATE INDEX operations_state ON operations(state);
      CREATE TABLE txs (
        hash TEXT PRIMARY KEY,
        signer TEXT NOT NULL,
        nonce {{bigint}} NOT NULL,
        raw TEXT NOT NULL,
        purpose TEXT NOT NULL,
        state TEXT NOT NULL,
        block_number {{bigint}},
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX txs_state ON txs(state);
      CREATE INDEX txs_purpose ON txs(purpose);
      CREATE TABLE request_nonces (issuer TEXT PRIMARY KEY, next_nonce TEXT NOT NULL);
      CREATE TABLE quota_reservations (
        id TEXT PRIMARY KEY,
        issuer TEXT NOT NULL,
        collections INTEGER NOT NULL,
        editions {{bigint}} NOT NULL,
        evidence_hash TEXT,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX quota_reservations_issuer ON quota_reservations(issuer, created_at);
      CREATE INDEX quota_reservations_evidence ON quota_reservations(evidence_hash);
      CREATE TABLE key_requests (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        label TEXT NOT NULL,
        wallet TEXT,
        identity_id TEXT,
        requested_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        key_id TEXT
      );
    `,
  },
];

/** The SQL of a migration in a dialect. */
export const migrationSql = (m: Migration, dialect: Dialect): string =>
  m.sql.replace(/\{\{(\w+)\}\}/g, (_, t: string) => {
    const v = TYPES[dialect][t];
    if (!v) throw new Error(`migration ${m.version}: unknown type placeholder ${t}`);
    return v;
  });

/** Applies the migrations not applied yet, each in its own transaction; safe when several gateways start at once. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.tx(
      async (t) => {
        const rows = await t.query<{ version: number }>(`SELECT version FROM schema_migrations WHERE version = $1`, [m.version]);
        if (rows.length > 0) return false;
        await t.exec(migrationSql(m, db.dialect));
        await t.run(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
        return true;
      },
      { lock: "migrations" },
    );
    if (done) applied.push(m.version);
  }
  return applied;
}
