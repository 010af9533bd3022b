/**
 * The sandbox log's HTTP API on the real gateway (SQLite, embedded IPFS, the in-process chain): every
 * reply is checked against its route contract by the test client, every receipt and proof with the
 * shared verification code, every error by its catalogued code.
 *   npx hardhat test test/server/sandbox/sandbox.routes.test.ts
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { entryBytes } from "../../../shared/log/entry";
import { CSV_COLUMNS, parseExport } from "../../../shared/log/export";
import { fromHex, verifyCheckpoint, verifyConsistency, verifyReceipt } from "../../../shared/log";
import { bundleSource, chainCheckpoints, verifyLog } from "../../../shared/verify/log";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { forgeHistory, type Fx, type SqlStore } from "./support";

describe("gateway: sandbox log endpoints", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let fx: Fx;
  let regulator: string;

  /** A few real requests that the gateway logs: identities registered on chain, and a refused key. */
  async function activity(n = 3) {
    const attestor = await gw.key("attestor");
    const now = await chainNowMs();
    for (let i = 0; i < n; i++) {
      const f = new FormData();
      f.set("data", JSON.stringify({ wallet: ethers.Wallet.createRandom().address, level: 2, jurisdiction: 156, expiresAt: new Date(now + 86_400_000 * 30).toISOString(), kycEvidenceHash: ethers.id(`dossier ${i} ${Math.random()}`) }));
      const r = await gw.call("POST", "/v1/identities", { token: attestor, form: f });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    }
  }

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { env: { ANCHOR_EVERY_ENTRIES: "1000" } });
    regulator = await gw.key("regulator");
    await activity();
    expect((await gw.call("GET", "/v1/sandbox/logs", { token: "wrong" })).status).to.equal(401);
  });
  afterEach(async () => gw?.close());

  const size = () => gw.services.sandbox.journal.size();
  const api = () => gw.api(regulator);

  it("lists entries with filters and cursor pagination", async () => {
    const page1 = await gw.call("GET", "/v1/sandbox/logs?limit=2", { token: regulator });
    expect(page1.status).to.equal(200);
    expect(page1.body.entries).to.have.length(2);
    expect(page1.body.nextCursor).to.equal(page1.body.entries[1].seq);
    const page2 = await gw.call("GET", `/v1/sandbox/logs?limit=2&cursor=${page1.body.nextCursor}`, { token: regulator });
    expect(page2.body.entries[0].seq).to.equal(page1.body.entries[1].seq + 1);
    expect(page2.body.entries[0].prevHash).to.equal(page1.body.entries[1].hash);
    const writes = await gw.call("GET", "/v1/sandbox/logs?action=chain.identity.registerIdentity&decision=sent", { token: regulator });
    expect(writes.body.entries).to.have.length(3);
    // Who acted, as a regulator reads it: the key's label and role (never its secret); listing keys stays the admin's.
    const actor = writes.body.entries[0].actor;
    expect(writes.body.actors).to.deep.equal({ [actor]: { label: "attestor key", role: "attestor" } });
    expect((await gw.call("GET", "/v1/keys", { token: regulator })).status).to.equal(403);
    const none = await gw.call("GET", `/v1/sandbox/logs?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, { token: regulator });
    expect(none.body.entries).to.have.length(0);
  });

  it("GET /v1/sandbox/log-key is public, names the log the chain records, and stays the same across restarts", async () => {
    const key = await gw.api().call("logKey");
    expect(key).to.deep.include({ algorithm: "ed25519", tree: "rfc9162-sha256" });
    expect(key.origin).to.equal(`dareg-sandbox-log/31337/${(await fx.contracts.evidence.getAddress()).toLowerCase()}`);
    expect(key.logId).to.equal(ethers.keccak256(ethers.toUtf8Bytes(key.origin)));
    const dataDir = gw.dataDir;
    await gw.close(true);
    gw = await startTestGateway(fx.deployment, { dataDir });
    expect(await gw.api().call("logKey")).to.deep.equal(key);
  });

  it("receipts: GET /logs/:seq/proof verifies in the shared code against the latest checkpoint, and once anchored against the anchored one", async () => {
    const key = await gw.api().call("logKey");
    const n = await size();
    for (let seq = 1; seq <= n; seq++) {
      const p = await api().call("logProof", { params: { seq } });
      expect(verifyReceipt(p.latest, entryBytes(p.entry), key.verifierKey), `entry ${seq}`).to.deep.include({ ok: true, index: seq - 1, treeSize: n, checkpointVerified: true });
      expect(p.anchored).to.equal(null);
      expect(p).to.deep.include({ origin: key.origin, logId: key.logId, verifierKey: key.verifierKey, chainId: 31337, evidenceRegistry: fx.deployment.contracts.evidenceRegistry.address });
    }
    const { checkpoint } = await api().call("anchorLog");
    expect(checkpoint!.size).to.equal(n);
    const onChain = await fx.contracts.evidence.checkpointAt(key.logId, 0);
    expect([Number(onChain.treeSize), onChain.rootHash, onChain.anchorer]).to.deep.equal([n, checkpoint!.root, fx.accounts.anchorer.address]);
    await activity(1);
    const p = await api().call("logProof", { params: { seq: 2 } });
    expect(p.latest.treeSize).to.equal(await size());
    expect(p.anchored!.anchor).to.deep.equal({ ...checkpoint!.anchor!, logId: key.logId });
    expect(verifyReceipt(p.anchored!.receipt, entryBytes(p.entry), key.verifierKey)).to.deep.include({ ok: true, treeSize: n, root: onChain.rootHash.toLowerCase() });
    // A receipt for an edited entry does not verify.
    expect(verifyReceipt(p.anchored!.receipt, entryBytes({ ...p.entry, actor: "someone-else" }), key.verifierKey)).to.deep.include({ ok: false, reason: "leaf-mismatch" });
  });

  it("consistency: GET /consistency proves each anchored checkpoint extends the one before; GET /checkpoints lists them signed", async () => {
    const key = await gw.api().call("logKey");
    const first = (await api().call("anchorLog")).checkpoint!;
    await activity(2);
    const second = (await api().call("anchorLog")).checkpoint!;
    const c = await api().call("logConsistency", { query: { from: first.size, to: second.size } });
    expect(c).to.deep.include({ scheme: "rfc9162-sha256-v1", from: first.size, to: second.size, rootFrom: first.root, rootTo: second.root });
    expect(verifyConsistency(first.size, second.size, fromHex(first.root), fromHex(second.root), c.proof.map((h) => fromHex(h))).ok).to.equal(true);
    const truncated = c.proof.slice(0, -1).map((h) => fromHex(h));
    expect(verifyConsistency(first.size, second.size, fromHex(first.root), fromHex(second.root), truncated)).to.deep.include({ ok: false, reason: "proof-length" });
    const list = await api().call("listCheckpoints");
    expect(list.size).to.equal(await size());
    expect(list.checkpoints.map((x) => [x.size, x.root, x.anchor!.index])).to.deep.equal([
      [first.size, first.root, 0],
      [second.size, second.root, 1],
    ]);
    for (const x of list.checkpoints) expect(verifyCheckpoint(x.note, key.verifierKey).ok).to.equal(true);
  });

  it("exports stream: the bundle verifies against the chain, JSONL filters, CSV has its columns", async () => {
    const key = await gw.api().call("logKey");
    await api().call("anchorLog");
    await activity(1);
    const res = await api().raw("exportLog", { query: { format: "bundle" } });
    expect(res.headers.get("content-type")).to.match(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).to.equal('attachment; filename="sandbox-log.bundle.jsonl"');
    expect(res.headers.get("transfer-encoding")).to.equal("chunked");
    let text = "";
    let chunks = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks += 1;
      text += Buffer.from(chunk).toString("utf8");
    }
    expect(chunks).to.be.greaterThan(0);
    const bundle = parseExport(text);
    expect(bundle.header).to.deep.include({ origin: key.origin, logId: key.logId, verifierKey: key.verifierKey, size: bundle.entries.length });
    const report = await verifyLog(bundleSource(text), chainCheckpoints(gw.services.chain, key.logId));
    expect(report, JSON.stringify(report.checks)).to.deep.include({ ok: true, verdict: "passed" });

    const jsonl = await gw.call("GET", "/v1/sandbox/export?format=jsonl&action=chain.identity.registerIdentity", { token: regulator });
    expect(jsonl.headers.get("content-disposition")).to.equal('attachment; filename="sandbox-log.jsonl"');
    const filtered = parseExport(jsonl.body as string);
    expect(filtered.entries.length).to.be.greaterThan(0);
    expect(filtered.entries.every((e) => e.action === "chain.identity.registerIdentity")).to.equal(true);
    expect(filtered.header!.filter).to.deep.equal({ action: "chain.identity.registerIdentity" });
    const viaLogs = await gw.call("GET", "/v1/sandbox/logs?format=jsonl&action=chain.identity.registerIdentity", { token: regulator });
    expect(parseExport(viaLogs.body as string).entries).to.deep.equal(filtered.entries);

    const csv = await gw.call("GET", "/v1/sandbox/export?format=csv&decision=sent", { token: regulator });
    expect(csv.headers.get("content-type")).to.match(/^text\/csv/);
    const rows = String(csv.body).trimEnd().split("\r\n");
    expect(rows[0]).to.equal(CSV_COLUMNS.join(","));
    expect(rows.length).to.be.greaterThan(1);
  });

  it("bad input and wrong callers get catalogued codes, never a 500", async () => {
    const n = await size();
    /** `token` null: no Authorization header. */
    const code = async (path: string, status: number, expected: string, token: string | null = regulator) => {
      const r = await gw.call("GET", path, { token: token ?? undefined });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).to.equal(status);
      expect(r.body.error.code, path).to.equal(expected);
      return r.body.error;
    };
    await code("/v1/sandbox/logs/0/proof", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/logs/abc/proof", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/logs/1.5/proof", 400, "VALIDATION_FAILED");
    expect((await code(`/v1/sandbox/logs/${n + 1}/proof`, 404, "LOG_ENTRY_NOT_FOUND")).params).to.deep.equal({ seq: n + 1 });
    await code("/v1/sandbox/logs/100000000000000000000/proof", 400, "VALIDATION_FAILED");
    const order = await code("/v1/sandbox/consistency?from=3&to=2", 400, "VALIDATION_FAILED");
    expect(order.params).to.deep.equal({ where: "query", summary: `need 1 ≤ from ≤ to ≤ ${n}` });
    await code(`/v1/sandbox/consistency?from=1&to=${n + 1}`, 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/consistency?from=abc&to=2", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/consistency?from=0&to=2", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/consistency?from=1", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/consistency?from=1&to=2&extra=1", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/export?format=xml", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/logs?limit=5000", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/logs?cursor=-1", 400, "VALIDATION_FAILED");
    await code("/v1/sandbox/logs/1/proof", 401, "AUTH_MISSING", null);
    const issuer = await gw.key("issuer", { wallet: fx.accounts.issuer.address });
    await code("/v1/sandbox/logs/1/proof", 403, "ROLE_FORBIDDEN", issuer);
    await code("/v1/sandbox/export?format=bundle", 403, "ROLE_FORBIDDEN", issuer);
  });

  it("a store whose history was rewritten: verification names it, and anchoring it is refused (nothing recorded on chain)", async () => {
    const key = await gw.api().call("logKey");
    const anchored = (await api().call("anchorLog")).checkpoint!;
    expect((await api().call("verifyLog")).ok).to.equal(true);
    await forgeHistory(gw.services.store as SqlStore, 2, "someone-else");
    await activity(1);

    const report = await api().call("verifyLog");
    expect(report).to.deep.include({ ok: false });
    expect(report.firstBad).to.equal(undefined); // the forger re-linked the hash chain…
    expect(report.checkpoints[0]).to.deep.include({ size: anchored.size, index: 0, ok: false, reason: "root-mismatch" });
    expect(report.onChain.firstBad).to.deep.include({ index: 0, size: anchored.size, reason: "not-consistent" }); // …but not what the chain holds

    const refused = await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
    expect(refused.status).to.equal(409);
    expect(refused.body.error).to.deep.include({ code: "LOG_TAMPERED" });
    expect(refused.body.error.params.seq).to.equal(anchored.size);
    expect(refused.body.error.message).to.match(new RegExp(`^The sandbox log is broken at entry ${anchored.size} \\(the first ${anchored.size} entries do not give the root of checkpoint #0 on chain`));
    expect(Number(await fx.contracts.evidence.checkpointCount(key.logId))).to.equal(1);
  });
});
