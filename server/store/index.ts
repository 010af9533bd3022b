import { join } from "node:path";
import { openPostgresDb } from "./postgres-db";
import { openSqliteDb } from "./db";
import { openSqlStore } from "./sql-store";

/**
 * The gateway's store: PostgreSQL when DATABASE_URL is set (several gateways can share it), else SQLite
 * in DATA_DIR/gateway.db. The same SQL and migrations either way.
 *
 * @example
 * const store = await openStore({ DATA_DIR: "./data", DATABASE_URL: process.env.DATABASE_URL });
 */
export async function openStore(config: { DATA_DIR: string; DATABASE_URL?: string; SQLITE_SYNCHRONOUS?: "FULL" | "NORMAL" }) {
  if (config.DATABASE_URL) return openSqlStore(openPostgresDb(config.DATABASE_URL));
  return openSqlStore(openSqliteDb(join(config.DATA_DIR, "gateway.db"), { synchronous: config.SQLITE_SYNCHRONOUS }));
}
