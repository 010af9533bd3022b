/**
 * Who leads, read from PostgreSQL itself rather than from what a gateway says of itself: the sessions
 * holding a leadership's advisory lock (Db.tryLeadership). Registers no mocha test.
 */
import type { Db } from "../../../server/store/db";
import { leaderLockKey } from "../../../server/store/postgres-db";

/**
 * The backends holding leadership `name` now, with their application_name (a gateway's DATABASE_URL may
 * carry ?application_name=… to be told apart). A bigint advisory key shows in pg_locks as classid (high
 * 32 bits), objid (low 32 bits) and objsubid 1.
 */
export async function leadersOf(db: Pick<Db, "query">, name: string): Promise<Array<{ pid: number; application: string }>> {
  const key = leaderLockKey(name);
  return db.query<{ pid: number; application: string }>(
    `SELECT l.pid, COALESCE(a.application_name, '') AS application FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = $1 AND l.objid::bigint = $2`,
    [key < 0 ? 0xffffffff : 0, key >>> 0],
  );
}
