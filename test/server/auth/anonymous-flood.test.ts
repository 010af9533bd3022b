import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ANONYMOUS_ACTOR } from "../../../shared/domain";
import { ANCHORER_KEY, gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * Issue 7, "anonymous traffic makes the operator spend gas": every refused request stays on the record,
 * counted per source, actor and minute, so a flood cannot flood the log; and nothing an unauthenticated
 * caller does counts towards anchoring, so it can never make the gateway send a transaction. An
 * authenticated caller's actions do (the positive control).
 */
describe("auth failures: a flood of anonymous requests is counted, and never costs gas", function () {
  this.timeout(180_000);
  let gw: TestGateway;
  const anchorer = new ethers.Wallet(ANCHORER_KEY).address;
  const anchorerNonce = () => ethers.provider.getTransactionCount(anchorer);

  before(async function () {
    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { ANCHOR_EVERY_ENTRIES: "3" } });
  });
  after(async () => gw?.close());

  it("300 unauthenticated requests: a few counted entries on the log, no checkpoint, no transaction", async function () {
    const nonceBefore = await anchorerNonce();
    const from = (await gw.services.store.log.last())?.seq ?? 0;
    const shapes: Array<Record<string, string>> = [{}, { authorization: "Basic Zm9vOmJhcg==" }, { authorization: `Bearer dar_admin_${randomBytes(24).toString("base64url")}` }];
    const paths = ["/v1/keys", "/v1/sandbox/verify", "/v1/identities/0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "/v1/events"];
    for (let i = 0; i < 300; i++) {
      const res = await fetch(`${gw.url}${paths[i % paths.length]}`, { headers: shapes[i % shapes.length] });
      expect(res.status).to.equal(401);
      await res.arrayBuffer();
    }
    await gw.services.authFailures.flush(true);
    await new Promise((r) => setTimeout(r, 1_000)); // time for a background anchoring, were one due

    const entries = await gw.services.store.log.list({ afterSeq: from, limit: 1000 });
    expect(entries.every((e) => e.action === "auth.failure" && e.actor === ANONYMOUS_ACTOR && e.decision === "denied")).to.equal(true);
    expect(entries.length, "one entry per source and minute (two if the minute turned)").to.be.within(1, 2);
    const total = (key: string) => entries.reduce((n, e) => n + ((e.payload as { codes: Record<string, number> }).codes[key] ?? 0), 0);
    expect(entries.reduce((n, e) => n + (e.payload as { count: number }).count, 0)).to.equal(300);
    expect({ AUTH_MISSING: total("AUTH_MISSING"), AUTH_MALFORMED: total("AUTH_MALFORMED"), AUTH_INVALID: total("AUTH_INVALID") }).to.deep.equal({ AUTH_MISSING: 100, AUTH_MALFORMED: 100, AUTH_INVALID: 100 });
    expect((entries[0].payload as { paths: string[] }).paths).to.have.members(["GET /v1/keys", "GET /v1/sandbox/verify", "GET /v1/identities/:address", "GET /v1/events"]);
    expect(await gw.services.store.checkpoints.lastAnchored()).to.equal(undefined);
    expect(await anchorerNonce()).to.equal(nonceBefore);
  });

  it("the positive control: an administrator's actions count, and anchoring sends its transaction", async function () {
    const nonceBefore = await anchorerNonce();
    const admin = await gw.key("admin");
    for (let i = 0; i < 3; i++) {
      const res = await gw.call("POST", "/v1/keys", { token: admin, json: { role: "auditor", label: `counted ${i}` } });
      expect(res.status).to.equal(201);
    }
    for (let i = 0; i < 50 && !(await gw.services.store.checkpoints.lastAnchored()); i++) await new Promise((r) => setTimeout(r, 200));
    const anchored = await gw.services.store.checkpoints.lastAnchored();
    expect(anchored, "a checkpoint was anchored").to.not.equal(undefined);
    expect(await anchorerNonce()).to.be.greaterThan(nonceBefore);
  });
});
