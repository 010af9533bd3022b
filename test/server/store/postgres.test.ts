import { expect } from "chai";
import { AppError } from "../../../server/errors";
import { openPostgresDb } from "../../../server/store/postgres-db";
import { openSqlStore } from "../../../server/store/sql-store";
import { postgresCluster, type PgCluster } from "../../support/postgres";
import { shouldBehaveLikeAStore } from "./store.behavior";

describe("server/store on PostgreSQL", function () {
  this.timeout(120_000);
  let pg: PgCluster;
  before(async () => {
    pg = await postgresCluster();
  });

  shouldBehaveLikeAStore(() => openSqlStore(openPostgresDb(pg.createDatabase())));

  it("answers STORE_UNAVAILABLE while the server is down, loses nothing, and recovers by itself", async () => {
    const store = await openSqlStore(openPostgresDb(pg.createDatabase(), { connectionTimeoutMs: 1_000 }));
    try {
      await store.kv.set("before", "1");
      pg.stop();
      const err = await store.kv.set("during", "2").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal("STORE_UNAVAILABLE");
      expect((err as AppError).httpStatus).to.equal(503);
      pg.start();
      await store.kv.set("after", "3");
      expect(await store.kv.get("before")).to.equal("1");
      expect(await store.kv.get("after")).to.equal("3");
      expect(await store.kv.get("during")).to.equal(undefined);
    } finally {
      await store.close();
    }
  });

  it("keeps one log sequence when two stores (two gateways) append at once", async () => {
    const url = pg.createDatabase();
    const a = await openSqlStore(openPostgresDb(url));
    const b = await openSqlStore(openPostgresDb(url));
    try {
      const append = (store: typeof a, i: number) =>
        store.log.append((last) => ({
          seq: (last?.seq ?? 0) + 1,
          ts: new Date().toISOString(),
          actor: `g${i % 2}`,
          action: "a",
          rule: null,
          decision: null,
          collectionId: null,
          tokenId: null,
          policyVersion: null,
          inputHash: null,
          ref: null,
          payload: { i },
          prevHash: last?.hash ?? "0x00",
          hash: `0x${i}`,
        }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? a : b, i)));
      const all = await a.log.range(1, 100);
      expect(all.map((e) => e.seq)).to.deep.equal([...Array(40).keys()].map((i) => i + 1));
      for (let i = 1; i < all.length; i++) expect(all[i].prevHash).to.equal(all[i - 1].hash);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
