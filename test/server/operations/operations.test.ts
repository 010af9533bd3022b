import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { jsonRpcProvider } from "../../../server/chain/chain";
import { ConfigError, loadConfig } from "../../../server/config";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup } from "../support/issuer";

describe("gateway: operations, bad input and dependencies down", function () {
  this.timeout(120_000);

  describe("with every dependency up", () => {
    let gw: TestGateway;
    before(async () => {
      const fx = await loadFixture(gatewayChainFixture);
      gw = await startTestGateway(fx.deployment);
    });
    after(async () => gw.close());

    it("GET /healthz reports chain, IPFS and store separately", async () => {
      const r = await gw.call("GET", "/healthz");
      expect(r.status).to.equal(200);
      expect(r.body.ok).to.equal(true);
      expect(r.body.chain.ok).to.equal(true);
      expect(r.body.ipfs).to.include({ ok: true, kind: "embedded" });
      expect(r.body.store).to.include({ ok: true, kind: "sqlite" });
    });

    it("GET /metrics serves Prometheus text with requests by route, jobs by state and error counters", async () => {
      await gw.call("GET", "/healthz");
      const r = await gw.call("GET", "/metrics", { token: await gw.key("auditor") });
      expect(r.status).to.equal(200);
      expect(r.body).to.match(/gateway_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
      expect(r.body).to.match(/gateway_http_request_duration_seconds_bucket/);
      expect(r.body).to.match(/gateway_jobs\{state="queued"\} 0/);
      expect(r.body).to.include("gateway_chain_errors_total");
      expect(r.body).to.include("gateway_ipfs_errors_total");
    });

    it("GET /v1/openapi.json documents every route from the same zod schemas", async () => {
      const r = await gw.call("GET", "/v1/openapi.json");
      expect(r.status).to.equal(200);
      expect(r.body.openapi).to.match(/^3\./);
      expect(r.body.paths["/v1/collections"].post.requestBody.content).to.have.property("multipart/form-data");
      expect(r.body.paths["/v1/collections/{id}/mint"].post.parameters.map((p: { name: string }) => p.name.toLowerCase())).to.include("idempotency-key");
      const data = r.body.paths["/v1/collections"].post.requestBody.content["multipart/form-data"].schema.properties.data;
      expect(data.properties).to.have.property("editionSize");
      expect(r.body.paths["/v1/sandbox/logs"].get.parameters.map((p: { name: string }) => p.name)).to.include.members(["from", "rule", "format"]);
    });

    it("answers bad input with 4xx codes, never 500", async () => {
      const attestor = await gw.key("attestor");
      const unknown = await gw.call("GET", "/v1/nothing", { token: attestor });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal("NOT_FOUND");
      const res = await fetch(`${gw.url}/v1/identities/wallets/unlink`, {
        method: "POST",
        headers: { authorization: `Bearer ${attestor}`, "content-type": "application/json" },
        body: "{not json",
      });
      expect(res.status).to.equal(400);
      expect(((await res.json()) as any).error.code).to.equal("MALFORMED_JSON");
      const big = await gw.call("POST", "/v1/identities/wallets/unlink", {
        token: attestor,
        json: { wallet: ethers.ZeroAddress, reason: "x".repeat(2 * 1024 * 1024) },
      });
      expect(big.status).to.equal(413);
      expect(big.body.error.code).to.equal("BODY_TOO_LARGE");
      const extra = await gw.call("POST", "/v1/identities/wallets/unlink", {
        token: attestor,
        json: { wallet: ethers.Wallet.createRandom().address, reason: "x", extra: 1 },
      });
      expect(extra.status).to.equal(400);
      expect(extra.body.error.code).to.equal("VALIDATION_FAILED");
      const notMultipart = await gw.call("POST", "/v1/identities", { token: attestor, json: {} });
      expect(notMultipart.status).to.equal(415);
      const badCid = await gw.call("GET", "/ipfs/not-a-cid");
      expect(badCid.status).to.equal(400);
      const absent = await gw.call("GET", "/ipfs/bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
      expect(absent.status).to.equal(404);
      expect(absent.body.error.code).to.equal("CONTENT_NOT_FOUND");
    });
  });

  it("chain down: /healthz is 503 for the chain, writes answer 503 CHAIN_UNAVAILABLE and nothing is written", async () => {
    const fx = await loadFixture(gatewayChainFixture);
    const gw = await startTestGateway(fx.deployment, { provider: jsonRpcProvider("http://127.0.0.1:9", fx.deployment.chainId) });
    try {
      const h = await gw.call("GET", "/healthz");
      expect(h.status).to.equal(503);
      expect(h.body.chain).to.include({ ok: false, code: "CHAIN_UNAVAILABLE" });
      expect(h.body.store.ok).to.equal(true);
      const regulator = await gw.key("regulator");
      const r = await gw.call("POST", `/v1/identities/${fx.ids.bob}/suspend`, { token: regulator, json: { reason: "x" } });
      expect(r.status).to.equal(503);
      expect(r.body.error.code).to.equal("CHAIN_UNAVAILABLE");
      expect(await fx.contracts.identity.isVerified(fx.accounts.bob.address, 1)).to.equal(true);
    } finally {
      await gw.close();
    }
  });

  it("IPFS down: a collection is refused with 503 IPFS_UNAVAILABLE and nothing reaches the chain", async () => {
    const fx = await loadFixture(gatewayChainFixture);
    const gw = await startTestGateway(fx.deployment, { env: { IPFS_API_URL: "http://127.0.0.1:9" } });
    try {
      const h = await gw.call("GET", "/healthz");
      expect(h.status).to.equal(503);
      expect(h.body.ipfs).to.include({ ok: false, kind: "remote" });
      const issuer = await issuerSetup(gw, fx);
      const before = await fx.contracts.rights.collectionCount();
      const r = await gw.call("POST", "/v1/collections", { token: issuer.token, form: (await issuer.form("ipfs-down")).form });
      expect(r.status, JSON.stringify(r.body)).to.equal(503);
      expect(r.body.error.code).to.equal("IPFS_UNAVAILABLE");
      expect(await fx.contracts.rights.collectionCount()).to.equal(before);
    } finally {
      await gw.close();
    }
  });

  it("config: defaults for the local stack, and a clear message for each bad value", () => {
    const c = loadConfig({});
    expect(c).to.include({ PORT: 8080, DATA_DIR: "./data", NETWORK: "localhost", RPC_URL: "http://127.0.0.1:8545" });
    expect(() => loadConfig({ PORT: "99999", RPC_URL: "nope", OPERATOR_KEY: "0x12", IPFS_API_URL: "ftp://x" }))
      .to.throw(ConfigError)
      .with.property("problems")
      .that.satisfies((p: string[]) =>
        ["PORT", "RPC_URL", "OPERATOR_KEY", "IPFS_API_URL"].every((k) => p.some((line) => line.startsWith(`${k}:`))),
      );
  });
});
