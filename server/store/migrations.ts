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
  {
    version: 3,
    name: "event index and its projections",
    sql: `
      CREATE TABLE ix_cursor (contract TEXT PRIMARY KEY, block {{bigint}} NOT NULL);
      CREATE TABLE ix_blocks (number {{bigint}} PRIMARY KEY, hash TEXT NOT NULL, time {{bigint}} NOT NULL);
      CREATE TABLE ix_events (
        tx_hash TEXT NOT NULL,
        log_index INTEGER NOT NULL,
        block_number {{bigint}} NOT NULL,
        block_hash TEXT NOT NULL,
        time {{bigint}} NOT NULL,
        contract TEXT NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        collection_id {{bigint}},
        token_id TEXT,
        identity_id TEXT,
        from_addr TEXT,
        to_addr TEXT,
        actor TEXT,
        args TEXT NOT NULL,
        PRIMARY KEY (tx_hash, log_index)
      );
      CREATE INDEX ix_events_order ON ix_events(block_number, log_index);
      CREATE INDEX ix_events_token ON ix_events(token_id, block_number, log_index);
      CREATE INDEX ix_events_collection ON ix_events(collection_id, block_number, log_index);
      CREATE INDEX ix_events_identity ON ix_events(identity_id, block_number, log_index);
      CREATE INDEX ix_events_type ON ix_events(type, block_number, log_index);
      CREATE INDEX ix_events_from ON ix_events(from_addr, block_number, log_index);
      CREATE INDEX ix_events_to ON ix_events(to_addr, block_number, log_index);
      CREATE INDEX ix_events_actor ON ix_events(actor, block_number, log_index);
      CREATE TABLE ix_collections (
        collection_id {{bigint}} PRIMARY KEY,
        issuer TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        metadata_cid TEXT NOT NULL,
        compliance_ref TEXT NOT NULL,
        metadata_ref TEXT,
        max_supply INTEGER NOT NULL,
        minted INTEGER NOT NULL,
        burned INTEGER NOT NULL,
        mode INTEGER NOT NULL,
        holding_period {{bigint}} NOT NULL,
        min_level INTEGER NOT NULL,
        rights INTEGER NOT NULL,
        created_block {{bigint}} NOT NULL,
        created_time {{bigint}} NOT NULL,
        tx_hash TEXT NOT NULL
      );
      CREATE INDEX ix_collections_issuer ON ix_collections(issuer, collection_id);
      CREATE INDEX ix_collections_content ON ix_collections(content_hash);
      CREATE INDEX ix_collections_metadata ON ix_collections(metadata_cid);
      CREATE TABLE ix_metadata (cid TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, image TEXT);
      CREATE TABLE ix_tokens (
        token_id TEXT PRIMARY KEY,
        collection_id {{bigint}} NOT NULL,
        serial {{bigint}} NOT NULL,
        owner TEXT,
        frozen INTEGER NOT NULL,
        burned INTEGER NOT NULL,
        acquired_time {{bigint}} NOT NULL,
        epoch INTEGER NOT NULL
      );
      CREATE INDEX ix_tokens_collection ON ix_tokens(collection_id, serial);
      CREATE INDEX ix_tokens_owner ON ix_tokens(owner, collection_id, serial);
      CREATE TABLE ix_identities (
        identity_id TEXT PRIMARY KEY,
        level INTEGER NOT NULL,
        jurisdiction INTEGER NOT NULL,
        status INTEGER NOT NULL,
        expires_at {{bigint}} NOT NULL,
        attestor TEXT NOT NULL,
        evidence_hash TEXT NOT NULL,
        updated_block {{bigint}} NOT NULL
      );
      CREATE INDEX ix_identities_expiry ON ix_identities(expires_at, identity_id);
      CREATE INDEX ix_identities_attestor ON ix_identities(attestor, expires_at);
      CREATE TABLE ix_identity_states (
        identity_id TEXT NOT NULL,
        block_number {{bigint}} NOT NULL,
        log_index INTEGER NOT NULL,
        level INTEGER NOT NULL,
        status INTEGER NOT NULL,
        expires_at {{bigint}} NOT NULL,
        PRIMARY KEY (identity_id, block_number, log_index)
      );
      CREATE TABLE ix_wallets (wallet TEXT PRIMARY KEY, identity_id TEXT NOT NULL, linked_block {{bigint}} NOT NULL);
      CREATE INDEX ix_wallets_identity ON ix_wallets(identity_id);
      CREATE TABLE ix_wallet_links (
        wallet TEXT NOT NULL,
        block_number {{bigint}} NOT NULL,
        log_index INTEGER NOT NULL,
        identity_id TEXT,
        PRIMARY KEY (wallet, block_number, log_index)
      );
      CREATE TABLE ix_frozen_wallets (wallet TEXT PRIMARY KEY);
      CREATE TABLE ix_licences (
        token_id TEXT NOT NULL,
        licensee TEXT NOT NULL,
        holder TEXT NOT NULL,
        scope INTEGER NOT NULL,
        expires_at {{bigint}} NOT NULL,
        epoch INTEGER NOT NULL,
        PRIMARY KEY (token_id, licensee)
      );
      CREATE INDEX ix_licences_holder ON ix_licences(holder);
      CREATE INDEX ix_licences_licensee ON ix_licences(licensee);
      CREATE TABLE ix_roles (
        contract TEXT NOT NULL,
        role_hash TEXT NOT NULL,
        account TEXT NOT NULL,
        granted_block {{bigint}} NOT NULL,
        tx_hash TEXT NOT NULL,
        PRIMARY KEY (contract, role_hash, account)
      );
      CREATE TABLE ix_evidence (
        evidence_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        hash TEXT NOT NULL,
        writer TEXT NOT NULL,
        block_number {{bigint}} NOT NULL,
        tx_hash TEXT NOT NULL,
        PRIMARY KEY (evidence_id, version)
      );
      CREATE INDEX ix_evidence_hash ON ix_evidence(hash);
      CREATE TABLE ix_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: "leases: several gateways share jobs and operations",
    sql: `
      ALTER TABLE jobs ADD COLUMN owner TEXT;
      ALTER TABLE jobs ADD COLUMN lease_until TEXT;
      ALTER TABLE jobs ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE operations ADD COLUMN owner TEXT;
      ALTER TABLE operations ADD COLUMN lease_until TEXT;
    `,
  },
  {
    version: 5,
    name: "the sandbox log's RFC 9162 tree and its checkpoints",
    sql: `
      CREATE TABLE log_nodes (level INTEGER NOT NULL, idx {{bigint}} NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx));
      CREATE TABLE log_checkpoints (
        size {{bigint}} PRIMARY KEY,
        root TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        anchor_index {{bigint}},
        tx_hash TEXT,
        block_number {{bigint}}
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
