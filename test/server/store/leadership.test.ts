import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDb, type Db } from "../../../server/store/db";
import { openPostgresDb } from "../../../server/store/postgres-db";
import { openSqlStore } from "../../../server/store/sql-store";
import { postgresCluster, type PgCluster } from "../../support/postgres";
import { leadersOf } from "./leaders";

/**
 * What several gateways on one store agree on: a value generated on first start (kv.setIfAbsent), and which of
 * them leads (Db.tryLeadership: the indexer, the anchorer). SQLite is one process per file; PostgreSQL
 * holds a session advisory lock per leadership.
 */
describe("server/store: values and leadership shared by several gateways", function () {
  this.timeout(120_000);
  let pg: PgCluster;
  before(async () => {
    pg = await postgresCluster();
  });

  const holders = async (db: Pick<Db, "query">, name: string) => (await leadersOf(db, name)).map((h) => h.pid);

  for (const kind of ["sqlite", "postgres"] as const) {
    it(`${kind}: kv.setIfAbsent keeps the first value stored when several processes claim a key at once`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "claim-"));
      const url = kind === "postgres" ? pg.createDatabase() : undefined;
      const open = () => openSqlStore(url ? openPostgresDb(url) : openSqliteDb(join(dir, "gateway.db")));
      const stores = kind === "postgres" ? await Promise.all([open(), open(), open()]) : [await open()];
      try {
        const claimed = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % stores.length].kv.setIfAbsent("log.signingKey:x", `key-${i}`)));
        expect(new Set(claimed).size, claimed.join(",")).to.equal(1);
        expect(claimed[0]).to.match(/^key-\d+$/);
        expect(await stores[0].kv.get("log.signingKey:x")).to.equal(claimed[0]);
        // A later claim never replaces it; set() still does.
        expect(await stores[0].kv.setIfAbsent("log.signingKey:x", "late")).to.equal(claimed[0]);
        await stores[0].kv.set("log.signingKey:x", "replaced");
        expect(await stores[stores.length - 1].kv.setIfAbsent("log.signingKey:x", "late")).to.equal("replaced");
      } finally {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("postgres: gateways opening a fresh database at once migrate it once, without failing", async () => {
    const url = pg.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openSqlStore(openPostgresDb(url))));
    try {
      const rows = await stores[0].db.query<{ version: number; n: number }>(`SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version`);
      expect(rows.length).to.be.greaterThan(0);
      expect(rows.map((r) => Number(r.n))).to.deep.equal(rows.map(() => 1));
      expect(rows.map((r) => r.version)).to.deep.equal([...rows.keys()].map((i) => i + 1));
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it("sqlite: one process per file, so leadership is always granted and never lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lead-"));
    const db = openSqliteDb(join(dir, "gateway.db"));
    try {
      const a = await db.tryLeadership("anchorer");
      expect(a).to.be.a("function");
      expect(a!.lost).to.equal(false);
      await a!();
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("postgres: one holder per name among processes; released, it passes to the next; names are independent", async () => {
    const url = pg.createDatabase();
    const a = openPostgresDb(url);
    const b = openPostgresDb(url);
    try {
      const held = await a.tryLeadership("anchorer");
      expect(held).to.be.a("function");
      expect(held!.lost).to.equal(false);
      expect(await b.tryLeadership("anchorer")).to.equal(undefined);
      // Another name is another lock: the indexer may lead elsewhere.
      const indexer = await b.tryLeadership("indexer");
      expect(indexer).to.be.a("function");
      expect(await holders(a, "anchorer")).to.have.length(1);
      await held!();
      expect(await holders(a, "anchorer")).to.have.length(0);
      const next = await b.tryLeadership("anchorer");
      expect(next).to.be.a("function");
      expect(await a.tryLeadership("anchorer")).to.equal(undefined);
      await next!();
      await indexer!();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("postgres: a holder whose session ends (server restart, process gone) is told it lost the lead, does not crash, and another takes it", async () => {
    const url = pg.createDatabase();
    const a = openPostgresDb(url);
    const b = openPostgresDb(url);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    // Mocha's own handler would fail the test on an unhandled 'error' of the held connection: record it instead.
    const mochaHandlers = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", onUncaught);
    try {
      const held = await a.tryLeadership("indexer");
      expect(held).to.be.a("function");
      const [pid] = await holders(b, "indexer");
      expect(pid).to.be.a("number");
      const [terminated] = await b.query<{ ok: boolean }>(`SELECT pg_terminate_backend($1) AS ok`, [pid]);
      expect(terminated.ok).to.equal(true);
      for (let i = 0; !held!.lost; i++) {
        expect(i, "the holder was never told").to.be.lessThan(100);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(uncaught).to.deep.equal([]);
      const taken = await b.tryLeadership("indexer");
      expect(taken).to.be.a("function");
      expect(await a.tryLeadership("indexer")).to.equal(undefined);
      // Releasing a lost lead is harmless, and releases nothing of the new holder's.
      await held!();
      expect(await holders(b, "indexer")).to.have.length(1);
      await taken!();
    } finally {
      process.off("uncaughtException", onUncaught);
      for (const h of mochaHandlers) process.on("uncaughtException", h);
      await a.close();
      await b.close();
    }
  });
});
