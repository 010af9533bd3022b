import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashApiKey } from "../../../server/auth/api-keys";
import { openSqliteDb, type Db } from "../../../server/store/db";
import { MIGRATIONS, migrate } from "../../../server/store/migrations";
import { openPostgresDb } from "../../../server/store/postgres-db";
import { openSqlStore } from "../../../server/store/sql-store";
import { postgresAvailable, postgresCluster } from "../../support/postgres";

const AT = "2026-01-05T08:00:00.000Z";
const TOKEN = "dar_issuer_first-release-key";
const ISSUER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const RECIPIENT = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

/** What the first release wrote: a key, a job half minted, two log entries, an anchor and a kv pair. */
async function writeFirstRelease(db: Db): Promise<void> {
  await db.run(`INSERT INTO api_keys (id, key_hash, role, label, wallet, identity_id, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`, [
    "key-1",
    hashApiKey(TOKEN),
    "issuer",
    "first release",
    ISSUER,
    "0x" + "11".repeat(32),
    AT,
  ]);
  await db.run(
    `INSERT INTO jobs (id, api_key_id, idempotency_key, body_hash, collection_id, issuer, state, reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    ["job-1", "key-1", "order-1", "ab".repeat(32), "7", ISSUER, "running", null, AT],
  );
  await db.run(`INSERT INTO job_items (job_id, idx, recipient, state, request_id, token_id, tx_hash, reason, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
    "job-1",
    0,
    RECIPIENT,
    "minted",
    "0",
    "30064771073",
    "0x" + "aa".repeat(32),
    null,
    AT,
  ]);
  await db.run(`INSERT INTO job_items (job_id, idx, recipient, state, request_id, token_id, tx_hash, reason, updated_at) VALUES ($1, $2, $3, $4, NULL, NULL, NULL, NULL, $5)`, [
    "job-1",
    1,
    ISSUER,
    "pending",
    AT,
  ]);
  for (const seq of [1, 2]) {
    await db.run(
      `INSERT INTO sandbox_log (seq, ts, actor, action, rule, decision, collection_id, token_id, policy_version, input_hash, ref, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, NULL, $5, $6, NULL, NULL, NULL, $7, $8, $9, $10)`,
      [seq, AT, "key-1", "mint.accepted", "queued", "7", "job-1", JSON.stringify({ jobId: "job-1", n: seq }), "0x" + String(seq - 1).repeat(64), "0x" + String(seq).repeat(64)],
    );
  }
  await db.run(`INSERT INTO anchors (from_seq, to_seq, root, evidence_id, tx_hash, block_number, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    1,
    2,
    "0x" + "cc".repeat(32),
    "0x" + "dd".repeat(32),
    "0x" + "ee".repeat(32),
    42,
    AT,
  ]);
  await db.run(`INSERT INTO kv (key, value) VALUES ($1, $2)`, ["chain.identity", '{"chainId":31337}']);
}

/** The upgrade of a first-release database, on a database opened by `open` (each call a new connection to the same data). */
function shouldUpgradeTheFirstRelease(open: () => Db | Promise<Db>) {
  it("upgrades a database of the first release (migration 1) to the latest schema, keeping every row readable and usable", async () => {
    const old = await open();
    expect(await migrate(old, MIGRATIONS.slice(0, 1))).to.deep.equal([1]);
    await writeFirstRelease(old);
    await old.close();

    const store = await openSqlStore(await open());
    try {
      const versions = await store.db.query<{ version: unknown }>("SELECT version FROM schema_migrations ORDER BY version");
      expect(versions.map((v) => Number(v.version))).to.deep.equal(MIGRATIONS.map((m) => m.version));

      expect(await store.apiKeys.findByHash(hashApiKey(TOKEN))).to.deep.equal({
        id: "key-1",
        role: "issuer",
        label: "first release",
        wallet: ISSUER,
        identityId: "0x" + "11".repeat(32),
        createdAt: AT,
        revokedAt: null,
      });
      expect(await store.jobs.get("job-1")).to.include({ id: "job-1", idempotencyKey: "order-1", collectionId: "7", issuer: ISSUER, state: "running" });
      const items = await store.jobs.items("job-1");
      expect(items.map((i) => [i.idx, i.state, i.requestId, i.tokenId, i.txHash])).to.deep.equal([
        [0, "minted", "0", "30064771073", "0x" + "aa".repeat(32)],
        [1, "pending", null, null, null],
      ]);
      const entries = await store.log.list({});
      expect(entries.map((e) => [e.seq, e.action, e.decision, e.ref, e.payload, e.hash])).to.deep.equal([
        [1, "mint.accepted", "queued", "job-1", { jobId: "job-1", n: 1 }, "0x" + "1".repeat(64)],
        [2, "mint.accepted", "queued", "job-1", { jobId: "job-1", n: 2 }, "0x" + "2".repeat(64)],
      ]);
      expect(await store.anchors.list()).to.deep.equal([
        { id: 1, fromSeq: 1, toSeq: 2, root: "0x" + "cc".repeat(32), evidenceId: "0x" + "dd".repeat(32), txHash: "0x" + "ee".repeat(32), blockNumber: 42, createdAt: AT },
      ]);
      expect(await store.kv.get("chain.identity")).to.equal('{"chainId":31337}');

      // The columns added later have their defaults on the old rows: the job can be leased and fenced.
      const leased = await store.jobs.lease("gw-a", AT, "2026-01-05T08:00:30.000Z");
      expect(leased.map((l) => [l.job.id, l.fence])).to.deep.equal([["job-1", 1]]);
      expect(await store.jobs.holds("job-1", "gw-a", 1, "2026-01-05T08:01:00.000Z")).to.equal(true);
      // The tables added later work beside the old data.
      expect(await store.nonces.next(ISSUER)).to.equal(0n);
      await store.txs.add({ hash: "0x" + "ff".repeat(32), signer: ISSUER, nonce: 3, raw: "0x02", purpose: "mint:job-1:1", state: "sent", blockNumber: null, createdAt: AT, updatedAt: AT });
      expect((await store.txs.byPurpose("mint:job-1:1")).map((t) => t.nonce)).to.deep.equal([3]);
      await store.log.append((last) => ({ ...last!, seq: last!.seq + 1, prevHash: last!.hash, hash: "0x" + "3".repeat(64) }));
      expect(await store.log.count()).to.equal(3);
    } finally {
      await store.close();
    }

    // Opening it again applies nothing.
    const again = await open();
    try {
      expect(await migrate(again)).to.deep.equal([]);
    } finally {
      await again.close();
    }
  });
}

describe("server/store: migrations keep the data of older databases", function () {
  this.timeout(120_000);

  describe("SQLite (a database file)", () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), "migrations-"))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    shouldUpgradeTheFirstRelease(() => openSqliteDb(join(dir, "gateway.db")));
  });

  describe("PostgreSQL", () => {
    let url: string;
    before(async function () {
      // .ci/run installs PostgreSQL 15; the SQLite case above runs everywhere.
      if (!postgresAvailable()) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
      url = (await postgresCluster()).createDatabase();
    });
    shouldUpgradeTheFirstRelease(() => openPostgresDb(url));
  });
});
