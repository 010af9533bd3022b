import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { openSqliteDb } from "../../../server/store/db";
import { migrate, MIGRATIONS } from "../../../server/store/migrations";

describe("store migration 6: holders per collection counted from an index built before it", function () {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "ix-mig-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("fills ix_holdings and ix_collections.holders from the tokens already indexed (burned ones left out)", async () => {
    const db = openSqliteDb(join(dir, "gateway.db"));
    try {
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version < 6))).to.deep.equal([1, 2, 3, 4, 5]);
      for (const id of [1, 2]) {
        await db.run(
          `INSERT INTO ix_collections (collection_id, issuer, content_hash, metadata_cid, compliance_ref, metadata_ref, max_supply, minted, burned, mode, holding_period, min_level, rights, created_block, created_time, tx_hash)
           VALUES ($1, '0xi', '0xc', 'bafy', '0xr', NULL, 10, 0, 0, 1, 0, 2, 1, 1, 1, '0xt')`,
          [id],
        );
      }
      const token = (id: string, collection: number, owner: string | null, burned: number) =>
        db.run(`INSERT INTO ix_tokens (token_id, collection_id, serial, owner, frozen, burned, acquired_time, epoch) VALUES ($1, $2, $3, $4, 0, $5, 1, 1)`, [id, collection, Number(id), owner, burned]);
      await token("1", 1, "0xa", 0);
      await token("2", 1, "0xa", 0);
      await token("3", 1, "0xb", 0);
      await token("4", 1, null, 1);
      await token("5", 2, "0xb", 0);
      expect(await migrate(db)).to.deep.equal([6]);
      const holders = await db.query<{ collection_id: unknown; holders: unknown }>(`SELECT collection_id, holders FROM ix_collections ORDER BY collection_id`);
      expect(holders.map((r) => [Number(r.collection_id), Number(r.holders)])).to.deep.equal([
        [1, 2],
        [2, 1],
      ]);
      const rows = await db.query<{ collection_id: unknown; owner: string; tokens: unknown }>(`SELECT * FROM ix_holdings ORDER BY collection_id, owner`);
      expect(rows.map((r) => [Number(r.collection_id), r.owner, Number(r.tokens)])).to.deep.equal([
        [1, "0xa", 2],
        [1, "0xb", 1],
        [2, "0xb", 1],
      ]);
    } finally {
      await db.close();
    }
  });
});
