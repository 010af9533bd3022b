import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteStore } from "../../../server/store/sqlite";
import { shouldBehaveLikeAStore } from "./store.behavior";

describe("server/store on SQLite", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    dirs.push(dir);
    return join(dir, "gateway.db");
  };

  shouldBehaveLikeAStore(() => openSqliteStore(fresh()));

  it("upgrades a database made by the first release (migration 1 only) in place, keeping its rows", async () => {
    const file = fresh();
    const db = new Database(file);
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const { MIGRATIONS } = await import("../../../server/store/migrations");
    db.exec(MIGRATIONS[0].sql.replace(/\{\{serial\}\}/g, "INTEGER PRIMARY KEY AUTOINCREMENT").replace(/\{\{bigint\}\}/g, "INTEGER"));
    db.prepare(`INSERT INTO schema_migrations VALUES (1, 'initial', '2026-11-01T00:00:00Z')`).run();
    db.prepare(`INSERT INTO kv (key, value) VALUES ('k', 'v')`).run();
    db.close();
    const store = await openSqliteStore(file);
    try {
      expect(await store.kv.get("k")).to.equal("v");
      expect(await store.nonces.next("0x1")).to.equal(0n);
    } finally {
      await store.close();
    }
  });

  it("rolls a failed transaction back, and statements outside wait for it", async () => {
    const store = await openSqliteStore(fresh());
    try {
      await store.kv.set("a", "1");
      const failing = store.db.tx(async (t) => {
        await t.run(`UPDATE kv SET value = '2' WHERE key = 'a'`);
        await new Promise((r) => setTimeout(r, 20));
        throw new Error("boom");
      });
      const outside = store.kv.get("a");
      const err = await failing.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error)?.message).to.equal("boom");
      expect(await outside).to.equal("1");
      expect(await store.kv.get("a")).to.equal("1");
    } finally {
      await store.close();
    }
  });
});
