import type { Pool, PoolClient } from "pg";
import { AppError } from "../errors";
import type { Db, Row } from "./db";

/** Errors of a server that is down, restarting or unreachable: the store is unavailable (503), nothing was decided. */
const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|terminating connection|the database system is (starting up|shutting down)|timeout expired|Client has encountered a connection error/i;
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006", "08007", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND"]);

function mapError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string })?.code;
  if ((code && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE.test(String((e as Error)?.message ?? e))) {
    return new AppError("STORE_UNAVAILABLE", {}, { cause: e });
  }
  return e;
}

/** A stable 64-bit-safe key for pg_advisory_xact_lock from a lock name. */
const lockKey = (name: string) => {
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
};

export interface PostgresOptions {
  /** Connections in the pool. */
  max?: number;
  /** Time to wait for a connection before answering STORE_UNAVAILABLE. */
  connectionTimeoutMs?: number;
}

/**
 * PostgreSQL through `pg`: a pool; transactions on a connection of their own, with a transaction-scoped
 * advisory lock when named (so several gateways on one database serialise the log's appends, nonce
 * allocation and quota reservations). A server that is down or restarting answers STORE_UNAVAILABLE (503);
 * the pool reconnects by itself when it is back.
 *
 * @example
 * const db = openPostgresDb("postgres://gateway@db.internal/registry");
 */
export function openPostgresDb(url: string, opts: PostgresOptions = {}): Db & { pool: Pool } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require("pg") as typeof import("pg");
  // BIGINT and COUNT(*) as numbers (block numbers and counts stay far below 2^53).
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000 });
  // An idle connection dropped by a server restart must not crash the process.
  pool.on("error", () => undefined);

  const on = (client: Pool | PoolClient): Omit<Db, "tx" | "close" | "ping" | "tryLeadership"> => ({
    dialect: "postgres",
    async query<T = Row>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await client.query(sql, params as unknown[])).rows as T[];
      } catch (e) {
        throw mapError(e);
      }
    },
    async run(sql: string, params: readonly unknown[] = []) {
      try {
        return (await client.query(sql, params as unknown[])).rowCount ?? 0;
      } catch (e) {
        throw mapError(e);
      }
    },
    async exec(sql: string) {
      try {
        await client.query(sql);
      } catch (e) {
        throw mapError(e);
      }
    },
  });

  const db: Db & { pool: Pool } = {
    ...on(pool),
    pool,
    async tx<T>(fn: (db: Db) => Promise<T>, o: { lock?: string } = {}): Promise<T> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw mapError(e);
      }
      const handle: Db = { ...on(client), tx: (inner) => inner(handle), ping: async () => undefined, close: async () => undefined, tryLeadership: async () => undefined };
      try {
        await client.query("BEGIN");
        if (o.lock) await client.query("SELECT pg_advisory_xact_lock($1)", [lockKey(o.lock)]);
        const result = await fn(handle);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw mapError(e);
      } finally {
        client.release();
      }
    },
    async tryLeadership(name) {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw mapError(e);
      }
      try {
        const r = await client.query("SELECT pg_try_advisory_lock($1) AS ok", [lockKey(`leader:${name}`)]);
        if (!r.rows[0]?.ok) {
          client.release();
          return undefined;
        }
      } catch (e) {
        client.release(true);
        throw mapError(e);
      }
      // The connection holds the lock: kept out of the pool until released (or the process dies).
      return async () => {
        await client.query("SELECT pg_advisory_unlock($1)", [lockKey(`leader:${name}`)]).catch(() => undefined);
        client.release();
      };
    },
    async ping() {
      try {
        await pool.query("SELECT 1");
      } catch (e) {
        throw mapError(e);
      }
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}
