import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

describe("gateway: sandbox log endpoints", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let fx: Awaited<ReturnType<typeof gatewayChainFixture>>;
  let regulator: string;

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { env: { ANCHOR_EVERY_ENTRIES: "1000" } });
    regulator = await gw.key("regulator");
    const attestor = await gw.key("attestor");
    const now = await chainNowMs();
    for (let i = 0; i < 3; i++) {
      const f = new FormData();
      f.set(
        "data",
        JSON.stringify({
          wallet: ethers.Wallet.createRandom().address,
          level: 2,
          jurisdiction: 156,
          expiresAt: new Date(now + 86_400_000 * 30).toISOString(),
          kycEvidenceHash: ethers.id(`dossier ${i}`),
        }),
      );
      const r = await gw.call("POST", "/v1/identities", { token: attestor, form: f });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    }
    expect((await gw.call("GET", "/v1/sandbox/logs", { token: "wrong" })).status).to.equal(401);
  });
  afterEach(async () => gw.close());

  it("lists entries with filters and cursor pagination", async () => {
    const page1 = await gw.call("GET", "/v1/sandbox/logs?limit=2", { token: regulator });
    expect(page1.status).to.equal(200);
    expect(page1.body.entries).to.have.length(2);
    expect(page1.body.nextCursor).to.equal(page1.body.entries[1].seq);
    const page2 = await gw.call("GET", `/v1/sandbox/logs?limit=2&cursor=${page1.body.nextCursor}`, { token: regulator });
    expect(page2.body.entries[0].seq).to.equal(page1.body.entries[1].seq + 1);
    expect(page2.body.entries[0].prevHash).to.equal(page1.body.entries[1].hash);

    const failures = await gw.call("GET", "/v1/sandbox/logs?action=auth.failure", { token: regulator });
    expect(failures.body.entries).to.have.length(1);
    expect(failures.body.entries[0].payload).to.include({ code: "AUTH_INVALID", status: 401 });
    const writes = await gw.call("GET", "/v1/sandbox/logs?action=chain.identity.registerIdentity&decision=sent", { token: regulator });
    expect(writes.body.entries).to.have.length(3);
    const none = await gw.call("GET", `/v1/sandbox/logs?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, { token: regulator });
    expect(none.body.entries).to.have.length(0);
    const bad = await gw.call("GET", "/v1/sandbox/logs?limit=5000", { token: regulator });
    expect(bad.status).to.equal(400);
  });

  it("exports JSONL (with anchors) and CSV", async () => {
    await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
    const jsonl = await gw.call("GET", "/v1/sandbox/logs?format=jsonl", { token: regulator });
    expect(jsonl.status).to.equal(200);
    expect(jsonl.headers.get("content-type")).to.match(/ndjson/);
    const lines = String(typeof jsonl.body === "string" ? jsonl.body : JSON.stringify(jsonl.body))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].type).to.equal("header");
    expect(lines.filter((l) => l.type === "entry").length).to.be.greaterThan(5);
    expect(lines.filter((l) => l.type === "anchor")).to.have.length(1);
    const csv = await gw.call("GET", "/v1/sandbox/logs?format=csv&action=auth.failure", { token: regulator });
    const rows = String(csv.body).trim().split("\r\n");
    expect(rows[0]).to.match(/^seq,ts,actor,action/);
    expect(rows).to.have.length(2);
  });

  it("anchors on demand and verifies; an edited row is named, and a recomputed chain is caught by the anchor", async () => {
    const anchor = await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
    expect(anchor.status).to.equal(200);
    const { evidenceId, root } = anchor.body.anchor;
    expect((await fx.contracts.evidence.findById(evidenceId)).hash).to.equal(root);
    const ok = await gw.call("GET", "/v1/sandbox/verify", { token: regulator });
    expect(ok.body).to.include({ ok: true });
    expect(ok.body.anchors).to.include({ checked: 1, ok: 1 });

    const db = (gw.services.store as unknown as { db: { prepare(s: string): { run(...a: unknown[]): unknown } } }).db;
    db.prepare("UPDATE sandbox_log SET actor = 'someone-else' WHERE seq = 3").run();
    const broken = await gw.call("GET", "/v1/sandbox/verify", { token: regulator });
    expect(broken.body.ok).to.equal(false);
    expect(broken.body.firstBad).to.deep.equal({ seq: 3, reason: "hash-mismatch" });

    // Recompute the whole chain after the edit: the hash chain passes, the anchor on chain does not.
    const { entryHash } = await import("../../../shared/log-chain");
    const all = await gw.services.store.log.range(1, 1_000_000);
    let prev = all[0].prevHash;
    for (const e of all) {
      const fixed = { ...e, prevHash: prev };
      const hash = entryHash(fixed);
      db.prepare("UPDATE sandbox_log SET prev_hash = ?, hash = ? WHERE seq = ?").run(prev, hash, e.seq);
      prev = hash;
    }
    const rewritten = await gw.call("GET", "/v1/sandbox/verify", { token: regulator });
    expect(rewritten.body.ok).to.equal(false);
    expect(rewritten.body.firstBad).to.equal(undefined);
    expect(rewritten.body.badAnchor.reason).to.equal("chain-mismatch");
    expect(rewritten.body.badAnchor.fromSeq).to.be.at.most(3);
    expect(rewritten.body.badAnchor.toSeq).to.be.at.least(3);
  });
});
