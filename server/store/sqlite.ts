import { openSqliteDb, type SqliteOptions } from "./db";
import { openSqlStore } from "./sql-store";

/**
 * The embedded store: SQLite (better-sqlite3, WAL) in one file, the same SQL as the PostgreSQL store.
 *
 * @example
 * const store = await openSqliteStore("./data/gateway.db");
 */
export async function openSqliteStore(file: string, opts: SqliteOptions = {}) {
  return openSqlStore(openSqliteDb(file, opts));
}
