import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors";

export type Row = Record<string, unknown>;
export type Dialect = "sqlite" | "postgres";

/**
 * A SQL database as the store uses it: `$1`-style parameters, rows as plain objects, and transactions
 * that run an async function on a connection of their own. The SQL store (sql-store.ts) is written once
 * against this, for SQLite (here) and PostgreSQL (postgres-db.ts).
 */
export interface Db {
  readonly dialect: Dialect;
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. `lock` names a
   * lock taken for the whole transaction (PostgreSQL advisory lock; SQLite: the database write lock),
   * which serialises writers that must see each other's rows (the log's sequence, quota counters).
   */
  tx<T>(fn: (db: Db) => Promise<T>, opts?: { lock?: string }): Promise<T>;
  /**
   * Tries to become the one holder of a named lock among every process on this database (PostgreSQL: a
   * session advisory lock on a connection of its own, released when the process dies; SQLite: one
   * process per file, so always granted). Returns a release function, or undefined when another holds it.
   */
  tryLeadership(name: string): Promise<(() => Promise<void>) | undefined>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A database that is busy past its timeout or cannot read its file answers STORE_UNAVAILABLE (503). */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = String((e as { code?: string })?.code ?? "");
    if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL)/.test(code) || (e as Error)?.message === "The database connection is not open") {
      throw new AppError("STORE_UNAVAILABLE", {}, { cause: e });
    }
    throw e;
  }
}

/** `$1` → `?1` (SQLite's numbered parameters, which better-sqlite3 binds by number), and booleans as 0/1. */
const sqliteSql = (sql: string) => sql.replace(/\$(\d+)/g, "?$1");
const sqliteParams = (params: readonly unknown[]): [Record<number, unknown>] | [] => {
  if (params.length === 0) return [];
  const named: Record<number, unknown> = {};
  params.forEach((p, i) => (named[i + 1] = typeof p === "boolean" ? (p ? 1 : 0) : p));
  return [named];
};

export interface SqliteOptions {
  /** FULL: an acknowledged write survives power loss; NORMAL (WAL): survives kill -9 of the process. */
  synchronous?: "FULL" | "NORMAL";
}

/**
 * SQLite through better-sqlite3 (one connection, WAL). Its calls are synchronous, so a transaction's
 * statements could interleave with other requests' between two awaits: every statement outside a
 * transaction therefore waits until the running transaction ends, and transactions run one at a time.
 */
export function openSqliteDb(file: string, opts: SqliteOptions = {}): Db & { raw: Database.Database } {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma(`synchronous = ${opts.synchronous ?? "FULL"}`);
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");

  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let st = cache.get(sql);
    if (!st) {
      st = raw.prepare(sqliteSql(sql));
      if (cache.size > 500) cache.clear();
      cache.set(sql, st);
    }
    return st;
  };
  const direct: Omit<Db, "tx" | "close" | "ping" | "tryLeadership"> = {
    dialect: "sqlite",
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return guard(() => {
        const st = prepare(sql);
        return (st.reader ? st.all(...sqliteParams(params)) : (st.run(...sqliteParams(params)), [])) as T[];
      });
    },
    async run(sql: string, params: readonly unknown[] = []) {
      return guard(() => prepare(sql).run(...sqliteParams(params)).changes);
    },
    async exec(sql: string) {
      guard(() => raw.exec(sql));
    },
  };

  let current: Promise<unknown> = Promise.resolve();
  let inTx = false;

  const db: Db & { raw: Database.Database } = {
    dialect: "sqlite",
    raw,
    // The check and the statement run in one synchronous step: no transaction can open in between.
    async query(sql, params) {
      while (inTx) await current.catch(() => undefined);
      return direct.query(sql, params);
    },
    async run(sql, params) {
      while (inTx) await current.catch(() => undefined);
      return direct.run(sql, params);
    },
    async exec(sql) {
      while (inTx) await current.catch(() => undefined);
      return direct.exec(sql);
    },
    tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      const run = async () => {
        inTx = true;
        raw.exec("BEGIN IMMEDIATE");
        const handle: Db = { ...direct, tx: (inner) => inner(handle), ping: async () => undefined, close: async () => undefined, tryLeadership: async () => async () => undefined };
        try {
          const result = await fn(handle);
          raw.exec("COMMIT");
          return result;
        } catch (e) {
          if (raw.inTransaction) raw.exec("ROLLBACK");
          throw e;
        } finally {
          inTx = false;
        }
      };
      const result = current.then(run, run);
      current = result.catch(() => undefined);
      return result;
    },
    async ping() {
      raw.prepare("SELECT 1").get();
    },
    async tryLeadership() {
      return async () => undefined;
    },
    async close() {
      await current.catch(() => undefined);
      if (raw.open) raw.close();
    },
  };
  return db;
}
