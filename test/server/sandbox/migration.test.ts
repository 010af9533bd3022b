/**
 * Migration of a sandbox log written by the first release (sha256 hash chain, keccak range anchors in
 * the EvidenceRegistry, no tree) to the verifiable log, on a real SQLite file and a real PostgreSQL
 * database: the old log is written as the first release wrote it (its schema, its hashes, its anchors
 * on chain), then the real gateway starts on it.
 *   npx hardhat test test/server/sandbox/migration.test.ts
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { main as verifyCli } from "../../../scripts/verify";
import { LEAF_HASH_FROM } from "../../../server/sandbox/journal";
import { openSqliteDb, type Db } from "../../../server/store/db";
import { migrate, MIGRATIONS } from "../../../server/store/migrations";
import { openPostgresDb } from "../../../server/store/postgres-db";
import { canonicalJson } from "../../../shared/log/canonical";
import { entryBytes, entryLeafHash, GENESIS_HASH, HASHED_FIELDS, type LogEntry } from "../../../shared/log/entry";
import { parseExport } from "../../../shared/log/export";
import { verifyReceipt } from "../../../shared/log/receipt";
import { bundleSource, chainCheckpoints, verifyLog } from "../../../shared/verify/log";
import { postgresCluster } from "../../support/postgres";
import { ReferenceTree } from "../../shared/log/rfc9162-reference";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { allEntries, hex, nodesOfSize, type Fx, type SqlStore } from "./support";

/** The first release's entry hash: sha256 of the canonical JSON of every field but `hash`. */
function firstReleaseHash(body: Omit<LogEntry, "hash">): string {
  const picked: Record<string, unknown> = {};
  for (const f of HASHED_FIELDS) picked[f] = body[f];
  return ethers.sha256(ethers.toUtf8Bytes(canonicalJson(picked)));
}

/** The first release's Merkle root ("keccak256-positional-duplast-v1"), written here from its definition. */
function firstReleaseRoot(hashes: string[]): string {
  let level = hashes.map((h) => ethers.keccak256(ethers.concat(["0x00", h])));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(ethers.keccak256(ethers.concat(["0x01", level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

const COLUMNS = "seq, ts, actor, action, rule, decision, collection_id, token_id, policy_version, input_hash, ref, payload, prev_hash, hash";

/**
 * Writes a log as the first release did: the schema before the tree (migrations 1–4), `count` entries
 * hash-chained with sha256, and when the log holds `anchorAfter[i]` entries an anchor of the range since
 * the last one, recorded in the EvidenceRegistry by the operator's evidence key, then its `sandbox.anchor`
 * entry (which opens the next range).
 */
async function writeFirstReleaseLog(db: Db, fx: Fx, count: number, anchorAfter: number[]): Promise<{ entries: LogEntry[]; anchors: Array<{ fromSeq: number; toSeq: number; root: string; evidenceId: string }> }> {
  await migrate(db, MIGRATIONS.slice(0, 4));
  const entries: LogEntry[] = [];
  const anchors: Array<{ fromSeq: number; toSeq: number; root: string; evidenceId: string }> = [];
  const put = async (body: Omit<LogEntry, "seq" | "ts" | "prevHash" | "hash">) => {
    const seq = entries.length + 1;
    const full = { seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), prevHash: entries.at(-1)?.hash ?? GENESIS_HASH, ...body };
    const e: LogEntry = { ...full, hash: firstReleaseHash(full) };
    await db.run(`INSERT INTO sandbox_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, [
      e.seq, e.ts, e.actor, e.action, e.rule, e.decision, e.collectionId, e.tokenId, e.policyVersion, e.inputHash, e.ref, JSON.stringify(e.payload), e.prevHash, e.hash,
    ]);
    entries.push(e);
  };
  let from = 1;
  for (let i = 0; i < count; i++) {
    await put({ actor: i % 2 ? "key-regulator" : "key-issuer", action: "compliance.rule", rule: "privacy", decision: i % 5 ? "passed" : "failed", collectionId: String(1 + (i % 3)), tokenId: null, policyVersion: "2025-06", inputHash: ethers.id(`input ${i}`), ref: null, payload: { i, reason: `rule ${i}` } });
    if (anchorAfter.includes(entries.length)) {
      const to = entries.length;
      const range = entries.slice(from - 1, to);
      const root = firstReleaseRoot(range.map((e) => e.hash));
      const evidenceId = ethers.keccak256(ethers.toUtf8Bytes(`sandbox-log:${from}-${to}`));
      const metadata = canonicalJson({ type: "sandbox-log-anchor", v: 1, fromSeq: from, toSeq: to, count: to - from + 1, lastHash: range.at(-1)!.hash, merkle: "keccak256-positional-duplast-v1" });
      const tx = await fx.contracts.evidence.connect(fx.accounts.operator).record(evidenceId, root, metadata);
      const mined = (await tx.wait())!;
      await db.run(`INSERT INTO anchors (from_seq, to_seq, root, evidence_id, tx_hash, block_number, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [from, to, root, evidenceId, tx.hash, mined.blockNumber, new Date().toISOString()]);
      anchors.push({ fromSeq: from, toSeq: to, root, evidenceId });
      await put({ actor: "system", action: "sandbox.anchor", rule: null, decision: "anchored", collectionId: null, tokenId: null, policyVersion: null, inputHash: null, ref: tx.hash, payload: { anchorId: anchors.length, fromSeq: from, toSeq: to, root, evidenceId, txHash: tx.hash, blockNumber: mined.blockNumber, merkle: "keccak256-positional-duplast-v1" } });
      from = to + 1; // the anchor's own entry opens the next range, as in the first release
    }
  }
  return { entries, anchors };
}

interface Where {
  name: string;
  /** A fresh database: its handle for writing the old log, and the gateway options that open the same one. */
  fresh(dataDir: string): Promise<{ db: Db; env: Record<string, string> }>;
}

const WHERE: Where[] = [
  { name: "a SQLite file (DATA_DIR/gateway.db)", fresh: async (dataDir) => ({ db: openSqliteDb(join(dataDir, "gateway.db")), env: {} }) },
  {
    name: "PostgreSQL (DATABASE_URL)",
    fresh: async () => {
      const url = (await postgresCluster()).createDatabase();
      return { db: openPostgresDb(url), env: { DATABASE_URL: url } };
    },
  },
];

function migratesAFirstReleaseLog(where: Where) {
  let fx: Fx;
  let dataDir: string;
  let env: Record<string, string>;
  let old: Awaited<ReturnType<typeof writeFirstReleaseLog>>;
  let gw: TestGateway | undefined;
  const start = async () => (gw = await startTestGateway(fx.deployment, { dataDir, env: { ANCHOR_EVERY_ENTRIES: "1000000", ...env } }));
  const store = () => gw!.services.store as SqlStore;

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
    dataDir = mkdtempSync(join(tmpdir(), "migrate-"));
    const fresh = await where.fresh(dataDir);
    env = fresh.env;
    // 23 entries: anchors of 1-8 (its entry is 9) and 9-15 (its entry is 16), 17-23 unanchored.
    old = await writeFirstReleaseLog(fresh.db, fx, 21, [8, 15]);
    await fresh.db.close();
  });
  afterEach(async () => {
    await gw?.close(true);
    gw = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("builds the tree over the old entries on start, keeps them and their anchors as they were, and the whole log verifies", async () => {
    expect(old.entries).to.have.length(23);
    await start();
    const s = store();
    expect(await allEntries(s)).to.deep.equal(old.entries);
    expect(await s.kv.get(LEAF_HASH_FROM)).to.equal("24");
    expect(await s.logTree.count()).to.equal(nodesOfSize(23));
    // Every entry is a leaf, SHA-256(0x00 ‖ its bytes), whatever its old hash.
    const ref = new ReferenceTree(old.entries.map((e) => entryLeafHash(e)));
    expect(hex(await gw!.services.sandbox.journal.root(23))).to.equal(hex(ref.root(23)));
    expect((await s.anchors.list()).map((a) => [a.fromSeq, a.toSeq, a.root])).to.deep.equal(old.anchors.map((a) => [a.fromSeq, a.toSeq, a.root]));

    const regulator = await gw!.key("regulator");
    const report = (await gw!.call("GET", "/v1/sandbox/verify", { token: regulator })).body;
    expect(report, JSON.stringify(report.checks)).to.deep.include({ ok: true, entries: 23, unanchored: 23 });
    expect(report.legacy).to.deep.equal({ checked: 2, ok: 2 });
    expect(report.checks.find((c: { check: string }) => c.check === "log-legacy-anchors").reason).to.equal("2 anchor(s) of the first scheme verify against the chain");
  });

  it("an old entry gets a receipt; new entries chain on; a checkpoint anchors old and new; restarting changes nothing", async () => {
    await start();
    const regulator = await gw!.key("regulator");
    const key = (await gw!.call("GET", "/v1/sandbox/log-key")).body;
    const p = (await gw!.call("GET", "/v1/sandbox/logs/3/proof", { token: regulator })).body;
    expect(p.entry).to.deep.equal(old.entries[2]);
    expect(p.latest.leafHash).to.not.equal(p.entry.hash); // its old hash is not its leaf hash
    expect(verifyReceipt(p.latest, entryBytes(p.entry), key.verifierKey)).to.deep.include({ ok: true, index: 2 });

    const fresh = await gw!.services.sandbox.append({ actor: "key-issuer", action: "collection.create", decision: "passed", payload: { after: "migration" } });
    expect(fresh.seq).to.be.greaterThan(23);
    expect(fresh.hash).to.equal(hex(entryLeafHash(fresh)));
    const [before] = await store().log.range(fresh.seq - 1, fresh.seq - 1);
    expect(fresh.prevHash).to.equal(before.hash);

    const anchored = (await gw!.call("POST", "/v1/sandbox/anchor", { token: regulator })).body.checkpoint;
    expect(anchored.size).to.equal(fresh.seq);
    const onChain = await fx.contracts.evidence.checkpointAt(key.logId, 0);
    expect([Number(onChain.treeSize), onChain.rootHash]).to.deep.equal([anchored.size, anchored.root]);
    const again = (await gw!.call("GET", "/v1/sandbox/logs/3/proof", { token: regulator })).body;
    expect(verifyReceipt(again.anchored.receipt, entryBytes(again.entry), key.verifierKey)).to.deep.include({ ok: true, treeSize: anchored.size, root: anchored.root });

    const nodes = await store().logTree.count();
    const size = await gw!.services.sandbox.journal.size();
    await gw!.close(true);
    await start();
    expect(await store().kv.get(LEAF_HASH_FROM)).to.equal("24");
    expect(await store().logTree.count()).to.equal(nodes);
    expect(nodes).to.equal(nodesOfSize(size));
    expect((await gw!.call("GET", "/v1/sandbox/log-key")).body).to.deep.equal(key);
    expect((await gw!.call("GET", "/v1/sandbox/verify", { token: await gw!.key("regulator") })).body).to.deep.include({ ok: true, verdict: "passed" });
  });

  it("the offline bundle carries the old anchors as history; the CLI checks them and the checkpoints against the chain", async () => {
    await start();
    const regulator = await gw!.key("regulator");
    await gw!.call("POST", "/v1/sandbox/anchor", { token: regulator });
    const text = (await gw!.call("GET", "/v1/sandbox/export?format=bundle", { token: regulator })).body as string;
    const bundle = parseExport(text);
    expect(bundle.header!.leafHashFrom).to.equal(24);
    expect(bundle.anchors.map((a) => [a.fromSeq, a.toSeq])).to.deep.equal([
      [1, 8],
      [9, 15],
    ]);
    const report = await verifyLog(bundleSource(text), chainCheckpoints(gw!.services.chain, bundle.header!.logId));
    expect(report, JSON.stringify(report.checks)).to.deep.include({ ok: true, verdict: "passed" });
    expect(report.checks.map((c) => c.check)).to.deep.equal(["log-entries", "log-checkpoints", "log-chain", "log-legacy-anchors"]);

    const dir = mkdtempSync(join(tmpdir(), "migrate-cli-"));
    try {
      writeFileSync(join(dir, "bundle.jsonl"), text);
      writeFileSync(join(dir, "deployment.json"), JSON.stringify(fx.deployment));
      let out = "";
      const code = await verifyCli(["log", join(dir, "bundle.jsonl"), "--deployment", join(dir, "deployment.json")], {
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
        provider: ethers.provider as unknown as Provider,
      });
      expect(code, out).to.equal(0);
      expect(out).to.match(/PASS {2}log-legacy-anchors {2}2 anchor\(s\) of the first scheme verify against the chain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an old entry edited after migration, even with its old hash chain recomputed, is caught by its anchor on chain", async () => {
    await start();
    const regulator = await gw!.key("regulator");
    await gw!.call("POST", "/v1/sandbox/anchor", { token: regulator });
    // The careful forger of the first release: entry 12's failed rule turned into a pass, every old hash
    // from there recomputed.
    const s = store();
    expect((await s.log.range(12, 12))[0].decision).to.equal("failed");
    await s.db.run("UPDATE sandbox_log SET decision = 'passed' WHERE seq = 12");
    let prev = (await s.log.range(11, 11))[0].hash;
    for (const e of await s.log.range(12, 23)) {
      const { hash: _h, ...body } = { ...e, prevHash: prev };
      prev = firstReleaseHash(body);
      await s.db.run("UPDATE sandbox_log SET prev_hash = $1, hash = $2 WHERE seq = $3", [body.prevHash, prev, e.seq]);
    }
    await s.db.run("UPDATE sandbox_log SET prev_hash = $1 WHERE seq = 24", [prev]);
    const report = (await gw!.call("GET", "/v1/sandbox/verify", { token: regulator })).body;
    expect(report.ok).to.equal(false);
    // Entry 24, the first with a leaf hash, now links to a rewritten predecessor: its own hash covers prevHash.
    expect(report.firstBad).to.deep.equal({ seq: 24, reason: "hash-mismatch" });
    expect(report.legacy.firstBad).to.deep.include({ fromSeq: 9, toSeq: 15, reason: "chain-mismatch", onChain: true });
    expect(report.checks.find((c: { check: string }) => c.check === "log-legacy-anchors").reason).to.match(
      /^anchor of entries 9-15: the entries' Merkle root 0x[0-9a-f]{64} is not the root 0x[0-9a-f]{64} recorded on chain — an entry from seq 9 on was rewritten$/,
    );
    expect(report.checkpoints[0]).to.deep.include({ ok: false, reason: "root-mismatch" });
  });
}

describe("server/sandbox: migrating a first-release sandbox log", function () {
  this.timeout(120_000);
  for (const where of WHERE) describe(`on ${where.name}`, () => migratesAFirstReleaseLog(where));
});
