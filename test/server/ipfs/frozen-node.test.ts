import { expect } from "chai";
import pino from "pino";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cidOf } from "../../../shared/cid";
import { startJsIpfs, type JsIpfsNode } from "../../support/jsipfs";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup, waitForJob } from "../support/issuer";
import { daemonPins, pidListeningOn } from "./daemon";
import { startFreezeProxy, type FreezeProxy } from "./freeze-proxy";

/**
 * Issue 14, findings 4 and 5, on a real js-ipfs daemon frozen with SIGSTOP: collection creation answers a
 * fast 503 instead of hanging for the request timeout, the pins a failed request's adds make when the daemon
 * resumes are undone (the daemon's own pin list is the proof), content other collections share stays
 * pinned, and provenance says "unverifiable now", never "failed", while IPFS cannot answer.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
const IPFS_TIMEOUT_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("gateway with a frozen IPFS node (js-ipfs, SIGSTOP)", function () {
  this.timeout(300_000);
  let fx: Fx;
  let node: JsIpfsNode;
  let pid: number;
  let proxy: FreezeProxy;
  let gw: TestGateway;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;
  let auditor: string;
  const logLines: Array<Record<string, unknown>> = [];
  let created: { mediaCID: string; metadataCID: string; licenceCID: string; collectionId: string };
  let tokenId: string;

  const freeze = () => process.kill(pid, "SIGSTOP");
  const resume = () => process.kill(pid, "SIGCONT");

  before(async function () {
    this.timeout(15 * 60_000); // the first run installs js-ipfs
    fx = await loadFixture(gatewayChainFixture);
    node = await startJsIpfs();
    pid = pidListeningOn(Number(new URL(node.apiUrl).port));
    proxy = await startFreezeProxy(node.apiUrl, pid);
    const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    gw = await startTestGateway(fx.deployment, { logger, env: { IPFS_API_URL: proxy.url, IPFS_TIMEOUT_MS: String(IPFS_TIMEOUT_MS) } });
    issuer = await issuerSetup(gw, fx);
    auditor = await gw.key("auditor");
  });

  after(async function () {
    if (pid) {
      try {
        resume();
      } catch {
        // already gone
      }
    }
    await gw?.close();
    await proxy?.close();
    await node?.stop();
  });

  it("serves normally first: a collection's media, metadata and licence are pinned on the daemon", async function () {
    const { form } = await issuer.form("frozen-a");
    const res = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    created = res.body;
    const pins = await daemonPins(node.apiUrl);
    for (const cid of [created.mediaCID, created.metadataCID, created.licenceCID]) expect(pins.has(cid), cid).to.equal(true);
    const mint = await gw.call("POST", `/v1/collections/${created.collectionId}/mint`, {
      token: issuer.token,
      json: { recipients: [fx.accounts.alice.address] },
      headers: { "idempotency-key": "frozen-mint" },
    });
    expect(mint.status, JSON.stringify(mint.body)).to.equal(202);
    const job = await waitForJob(gw, issuer.token, mint.body.jobId);
    expect(job.state).to.equal("done");
    tokenId = job.items[0].tokenId;
  });

  it("frozen mid-add: a fast 503, the quota released, and the late pins undone when the daemon resumes", async function () {
    // All three files new (a licence of its own), so the add the daemon freezes in is this request's.
    const request = collectionRequest({ licence: { text: "A licence of its own: frozen-b. 专属许可。", rights: ["display"] } });
    const { form, media } = await issuer.form("frozen-b", request);
    const mediaCID = await cidOf(media);
    const usageBefore = await gw.services.store.quotas.usage(fx.accounts.issuer.address, new Date(0).toISOString());
    const from = (await gw.services.store.log.last())!.seq;
    const frozen = proxy.freezeOnNextAdd();

    const started = Date.now();
    const res = await gw.call("POST", "/v1/collections", { token: issuer.token, form, headers: { "idempotency-key": "frozen-b" } });
    const ms = Date.now() - started;
    await frozen;
    expect(res.status, JSON.stringify(res.body)).to.equal(503);
    expect(res.body.error.code).to.equal("IPFS_TIMEOUT");
    // The add's limit: IPFS_TIMEOUT_MS and a second per MiB begun.
    expect(res.body.error.params).to.deep.equal({ timeoutMs: IPFS_TIMEOUT_MS + 1000 });
    // A few IPFS_TIMEOUT_MS, not the 120 s the issue saw (a generous bound on a busy machine).
    expect(ms, `${ms} ms`).to.be.below(4 * IPFS_TIMEOUT_MS + 8_000);

    // /healthz notices too, and the failed request gave its quota back.
    const health = await gw.call("GET", "/healthz");
    expect(health.status).to.equal(503);
    expect(health.body.ipfs).to.include({ ok: false, kind: "remote" });
    expect(health.body.chain.ok).to.equal(true);
    expect(await gw.services.store.quotas.usage(fx.accounts.issuer.address, new Date(0).toISOString())).to.deep.equal(usageBefore);
    const released = await gw.services.store.log.list({ action: "quota.released", afterSeq: from });
    expect(released.map((e) => (e.payload as { error: { code: string } }).error.code)).to.deep.equal(["IPFS_TIMEOUT"]);

    resume();
    // The daemon finds the whole add waiting and pins it (the gateway logs that it found the pin and undid
    // it: the proof that a late pin happened); the pin list then stays without it.
    const deadline = Date.now() + 60_000;
    let unpinnedSince: number | undefined;
    for (;;) {
      const pins = await daemonPins(node.apiUrl);
      // Shared and earlier content stays: the licence text is the same as collection 1's.
      for (const cid of [created.mediaCID, created.metadataCID, created.licenceCID]) expect(pins.has(cid), `${cid} must stay pinned`).to.equal(true);
      const undone = logLines.filter((l) => l.event === "ipfs.late-pin" && l.action === "unpinned").map((l) => String(l.cid));
      const left = [mediaCID, ...undone].filter((cid) => pins.has(cid));
      if (undone.length > 0 && left.length === 0) {
        unpinnedSince ??= Date.now();
        if (Date.now() - unpinnedSince > 3 * IPFS_TIMEOUT_MS) break; // and it stays undone
      } else {
        unpinnedSince = undefined;
      }
      expect(Date.now(), `late pins not undone (undone: ${undone.join(", ") || "none"}; still pinned: ${left.join(", ") || "none"})`).to.be.below(deadline);
      await sleep(500);
    }

    // Serving again: the same work can be created now, and its pins are kept.
    const health2 = await gw.call("GET", "/healthz");
    expect(health2.status).to.equal(200);
    const retry = await gw.call("POST", "/v1/collections", { token: issuer.token, form: (await issuer.form("frozen-b", request)).form, headers: { "idempotency-key": "frozen-b-retry" } });
    expect(retry.status, JSON.stringify(retry.body)).to.equal(201);
    expect(retry.body.mediaCID).to.equal(mediaCID);
    const pins = await daemonPins(node.apiUrl);
    for (const cid of [retry.body.mediaCID, retry.body.metadataCID, retry.body.licenceCID]) expect(pins.has(cid), cid).to.equal(true);
  });

  it("provenance while IPFS cannot answer: 'unverifiable' with the reason, never 'failed'; 'passed' once it answers", async function () {
    freeze();
    let frozenProvenance: { status: number; body: any };
    let content: { status: number; body: any };
    try {
      frozenProvenance = await gw.call("GET", `/v1/tokens/${tokenId}/provenance`, { token: auditor });
      content = await gw.call("GET", `/ipfs/${created.mediaCID}`);
    } finally {
      resume();
    }
    expect(frozenProvenance.status, JSON.stringify(frozenProvenance.body)).to.equal(200);
    const integrity = frozenProvenance.body.integrity;
    expect(integrity.verdict).to.equal("unverifiable");
    expect(integrity.passed).to.equal(false);
    const byCheck = Object.fromEntries(integrity.checks.map((c: { check: string; verdict: string; reason: string }) => [c.check, c]));
    expect(byCheck["metadata-cid"].verdict).to.equal("unverifiable");
    expect(byCheck["metadata-cid"].reason).to.match(/^metadata cannot be fetched now: The IPFS node (cannot be reached|did not answer)/);
    expect(byCheck["media-content-hash"].verdict).to.equal("unverifiable");
    expect(integrity.checks.filter((c: { verdict: string }) => c.verdict === "failed")).to.deep.equal([]);
    expect(JSON.stringify(integrity)).not.to.include(new URL(proxy.url).port);
    expect(content.status).to.equal(503);
    expect(content.body.error.code).to.be.oneOf(["IPFS_UNAVAILABLE", "IPFS_TIMEOUT"]);

    const later = await gw.call("GET", `/v1/tokens/${tokenId}/provenance`, { token: auditor });
    expect(later.status).to.equal(200);
    expect(later.body.integrity.verdict, JSON.stringify(later.body.integrity.checks)).to.equal("passed");
    expect(later.body.integrity.passed).to.equal(true);
  });
});
