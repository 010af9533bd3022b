import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { jsonRpcProvider } from "../../../server/chain/chain";
import type { LogEntry } from "../../../server/store/store";
import { cidOf } from "../../../shared/cid";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup, png } from "../support/issuer";
import { startEmptyChain, type EmptyChain } from "./anvil";
import { startRpcProxy, type RpcProxy } from "./rpc-proxy";

/**
 * Issue 14, findings 3 and 9: the gateway never reports an outcome it does not know. On an empty (reset)
 * chain or another chain, /healthz answers 503 with the code that says why, every request answers a
 * catalogued 503, and compliance decides nothing (the log says compliance could not run). A node error
 * during compliance is a 503, never a failed decision. No upstream text (an RPC URL with its API key)
 * reaches a client.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

/** A multipart collection request with fresh media and a copyright file (nothing recorded on chain). */
function collectionForm(seed: string): FormData {
  const f = new FormData();
  f.set("data", JSON.stringify(collectionRequest()));
  f.set("media", new Blob([Buffer.from(png(seed))]), "work.png");
  f.set("copyrightEvidence", new Blob([Buffer.from(`copyright certificate ${seed}`)]), "certificate.pdf");
  return f;
}

/** The sandbox log entries after `seq` (every action). */
const entriesAfter = (gw: TestGateway, seq: number): Promise<LogEntry[]> => gw.services.store.log.list({ afterSeq: seq, limit: 1000 });
const lastSeq = async (gw: TestGateway) => (await gw.services.store.log.last())?.seq ?? 0;

/** A request on a chain that cannot serve: a catalogued 503 whose code is one of `codes`. */
function expectUnavailable(res: { status: number; body: any }, codes: string[]) {
  expect(res.status, JSON.stringify(res.body)).to.equal(503);
  expect(codes, JSON.stringify(res.body)).to.include(res.body.error.code);
  expect(res.body.error.message).not.to.match(/could not decode|BAD_DATA|0x[0-9a-f]{40}/i);
}

describe("gateway on a chain that cannot serve it", function () {
  this.timeout(180_000);

  for (const [title, chainId, healthCode] of [
    ["an empty chain (reset: same chain id and addresses, no code)", 31337, "CHAIN_CONTRACTS_MISSING"],
    ["another chain (chain id 1337)", 1337, "CHAIN_MISMATCH"],
  ] as const) {
    describe(title, function () {
      let fx: Fx;
      let chain: EmptyChain;
      let gw: TestGateway;
      let issuerToken: string;
      let auditorToken: string;
      let provider: ReturnType<typeof jsonRpcProvider>;

      before(async function () {
        fx = await loadFixture(gatewayChainFixture);
        chain = await startEmptyChain(chainId);
        // The deployment of the Hardhat chain, served from a chain that does not hold it.
        provider = jsonRpcProvider(chain.url, fx.deployment.chainId, 2_000);
        gw = await startTestGateway(fx.deployment, { provider, startIndexer: false, startWorker: false });
        issuerToken = await gw.key("issuer", { wallet: fx.accounts.issuer.address });
        auditorToken = await gw.key("auditor");
      });
      after(async function () {
        await gw?.close();
        provider?.destroy();
        await chain?.stop();
      });

      it(`/healthz answers 503 with ${healthCode}, the other parts still reported`, async function () {
        const res = await gw.call("GET", "/healthz");
        expect(res.status).to.equal(503);
        expect(res.body.ok).to.equal(false);
        expect(res.body.chain).to.include({ ok: false, code: healthCode });
        expect(res.body.chain.error).to.be.a("string").and.not.match(/could not|0x/i);
        if (healthCode === "CHAIN_MISMATCH") expect(res.body.chain.error).to.equal(`The node is on chain ${chainId}, the deployment on chain ${fx.deployment.chainId}.`);
        else expect(res.body.chain.error).to.equal("The registry's contracts have no code on this chain (identity, rights, evidence): the chain was reset or is the wrong one.");
        expect(res.body.ipfs.ok).to.equal(true);
        expect(res.body.store.ok).to.equal(true);
      });

      it("reads answer a catalogued 503, never ethers' raw BAD_DATA or a 502", async function () {
        expectUnavailable(await gw.call("GET", "/v1/collections/1", { token: auditorToken }), ["CHAIN_CONTRACTS_MISSING", "CHAIN_MISMATCH"]);
        expectUnavailable(await gw.call("GET", `/v1/identities/${fx.accounts.alice.address}`, { token: auditorToken }), ["CHAIN_CONTRACTS_MISSING", "CHAIN_MISMATCH"]);
        const zh = await gw.call("GET", "/v1/collections/1", { token: auditorToken, headers: { "accept-language": "zh-CN" } });
        expect(zh.status).to.equal(503);
        expect(zh.body.error.message).to.match(/^本链上没有登记系统的合约代码/);
      });

      it("compliance decides nothing: /v1/collections/check answers 503 and the log says compliance could not run", async function () {
        const from = await lastSeq(gw);
        const res = await gw.call("POST", "/v1/collections/check", { token: issuerToken, form: collectionForm(`check-${chainId}`) });
        expectUnavailable(res, [healthCode]);
        const entries = await entriesAfter(gw, from);
        expect(entries.map((e) => [e.action, e.decision])).to.deep.equal([["compliance.unavailable", "unavailable"]]);
        expect(entries[0].payload).to.deep.include({ kind: "collection" });
        expect((entries[0].payload as { error: { code: string } }).error.code).to.equal(healthCode);
      });

      it("collection creation answers 503: nothing decided, reserved, pinned or sent", async function () {
        const from = await lastSeq(gw);
        const seed = `create-${chainId}`;
        const res = await gw.call("POST", "/v1/collections", { token: issuerToken, form: collectionForm(seed), headers: { "idempotency-key": `empty-${chainId}` } });
        expectUnavailable(res, [healthCode]);
        const actions = (await entriesAfter(gw, from)).map((e) => e.action);
        expect(actions).to.include("compliance.unavailable");
        expect(actions).to.not.include.members(["compliance.decision", "compliance.rule", "quota.reserved", "collection.created"]);
        expect(await gw.services.store.quotas.usage(fx.accounts.issuer.address, new Date(0).toISOString())).to.deep.equal({ collections: 0, editions: 0 });
        expect(await gw.services.ipfs.isPinned(await cidOf(png(seed)))).to.equal(false);
        expect(await gw.services.store.txs.open()).to.deep.equal([]);
      });
    });
  }
});

describe("gateway behind an RPC endpoint that fails", function () {
  this.timeout(180_000);
  const API_KEY = "sk_live_9f8e7d6c5b4a39281706";
  let fx: Fx;
  let proxy: RpcProxy;
  let gw: TestGateway;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;
  let auditorToken: string;
  let provider: ReturnType<typeof jsonRpcProvider>;
  const CHAIN_TIMEOUT_MS = 1_500;

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    // A hosted provider's URL: the API key is part of the path.
    proxy = await startRpcProxy(`/v3/${API_KEY}`);
    provider = jsonRpcProvider(proxy.url, fx.deployment.chainId, CHAIN_TIMEOUT_MS);
    gw = await startTestGateway(fx.deployment, {
      provider,
      env: { CHAIN_TIMEOUT_MS: String(CHAIN_TIMEOUT_MS) },
      startIndexer: false,
    });
    issuer = await issuerSetup(gw, fx);
    auditorToken = await gw.key("auditor");
  });
  afterEach(() => proxy.setFault(null));
  after(async function () {
    await gw?.close();
    provider?.destroy();
    await proxy?.close();
  });

  const evidenceRegistry = () => fx.deployment.contracts.evidenceRegistry.address.toLowerCase();

  it("serves normally through the endpoint (the baseline)", async function () {
    const { form } = await issuer.form("rpc-baseline");
    const res = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.passed, JSON.stringify(res.body.results)).to.equal(true);
    expect(proxy.calls.some((c) => c.method === "eth_call")).to.equal(true);
  });

  for (const [what, fault, code] of [
    ["drops the connection", { kind: "drop" }, "CHAIN_UNAVAILABLE"],
    ["answers HTTP 502", { kind: "http", status: 502 }, "CHAIN_UNAVAILABLE"],
    ["stops answering", { kind: "freeze" }, "CHAIN_UNAVAILABLE"],
  ] as const) {
    it(`a node that ${what} during compliance: 503 ${code}, the log records compliance.unavailable, not a failed decision`, async function () {
      const { form } = await issuer.form(`rpc-${fault.kind}`);
      // Only the reads of the EvidenceRegistry fail (the issuer's licence, the copyright evidence); the
      // identity and content reads of the same rules succeed.
      proxy.setFault({ ...fault, match: (c) => c.method === "eth_call" && c.to === evidenceRegistry() });
      const from = await lastSeq(gw);
      const started = Date.now();
      const res = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form });
      const ms = Date.now() - started;
      expect(res.status, JSON.stringify(res.body)).to.equal(503);
      expect(res.body.error.code).to.equal(code);
      // A frozen node costs a few CHAIN_TIMEOUT_MS, not the 120 s of a request timeout (a generous bound).
      if (fault.kind === "freeze") expect(ms).to.be.below(10 * CHAIN_TIMEOUT_MS + 10_000);
      const entries = await entriesAfter(gw, from);
      expect(entries.map((e) => [e.action, e.decision])).to.deep.equal([["compliance.unavailable", "unavailable"]]);
      expect(entries[0].payload).to.deep.equal({ kind: "collection", error: { code, params: res.body.error.params } });
      proxy.setFault(null);
      // Once the node answers, the same request is decided (and passes).
      const again = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form: (await issuer.form(`rpc-${fault.kind}`)).form });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      expect(again.body.passed).to.equal(true);
    });
  }

  it("an endpoint that refuses its API key: neither the URL nor the key reaches any client", async function () {
    const { form } = await issuer.form("rpc-401");
    proxy.setFault({ kind: "http", status: 401, match: () => true });
    const replies = [
      await gw.call("GET", "/healthz"),
      await gw.call("GET", "/v1/collections/1", { token: auditorToken }),
      await gw.call("GET", `/v1/identities/${fx.accounts.alice.address}`, { token: auditorToken }),
      await gw.call("POST", "/v1/collections/check", { token: issuer.token, form }),
      await gw.call("GET", "/v1/collections/1", { token: auditorToken, headers: { "accept-language": "zh" } }),
    ];
    const port = new URL(proxy.url).port;
    for (const r of replies) {
      const text = JSON.stringify(r.body) + JSON.stringify([...r.headers.entries()]);
      expect(r.status, text).to.be.oneOf([502, 503]);
      expect(text).not.to.include(API_KEY);
      expect(text).not.to.include("/v3/");
      expect(text).not.to.include(port);
      expect(text).not.to.match(/server response|invalid project id|requestUrl/i);
    }
    expect(replies[0].body.chain).to.include({ ok: false });
    expect(replies[1].body.error).to.include({ code: "CHAIN_ERROR", message: "The blockchain node rejected the request." });
    expect(replies[4].body.error.message).to.equal("区块链节点拒绝了请求。");
  });
});
