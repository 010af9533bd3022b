import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { keyConfirmationRequired, loadConfig } from "../../../server/config";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * Issue 13, finding 9: a stolen admin API key alone must not grant a regulator's powers. With
 * KEY_CONFIRMATION=required (the default outside a local chain), a regulator, attestor or admin key is only
 * requested by one administrator and created when another confirms; every step is on the sandbox log.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

describe("API keys: privileged keys need a second administrator", function () {
  this.timeout(120_000);
  let fx: Fx;
  let gw: TestGateway;
  let first: string;
  let second: string;
  let firstId: string;
  let secondId: string;

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { KEY_CONFIRMATION: "required" } });
    first = await gw.key("admin", { label: "first admin" });
    second = await gw.key("admin", { label: "second admin" });
    firstId = (await gw.call("GET", "/v1/keys/me", { token: first })).body.id;
    secondId = (await gw.call("GET", "/v1/keys/me", { token: second })).body.id;
  });
  after(async () => gw?.close());

  const labels = async () => (await gw.call("GET", "/v1/keys", { token: first })).body.keys.map((k: { label: string }) => k.label);

  for (const role of ["regulator", "attestor", "admin"] as const) {
    it(`${role === "regulator" ? "a" : "an"} ${role} key is only requested by one admin, and created when another confirms`, async function () {
      const label = `new ${role} ${randomUUID().slice(0, 8)}`;
      const from = (await gw.services.store.log.last())?.seq ?? 0;
      const requested = await gw.call("POST", "/v1/keys", { token: first, json: { role, label } });
      expect(requested.status, JSON.stringify(requested.body)).to.equal(202);
      expect(requested.body).to.include({ state: "awaiting-confirmation", role, label, requestedBy: firstId });
      expect(requested.body).to.not.have.property("token");
      expect(requested.body.confirmUrl).to.equal(`/v1/keys/requests/${requested.body.requestId}/confirm`);
      expect(Date.parse(requested.body.expiresAt) - Date.now()).to.be.within(23 * 3_600_000, 24 * 3_600_000);
      expect(await labels()).to.not.include(label);

      // The requester cannot confirm its own request: a stolen admin key alone creates nothing.
      const own = await gw.call("POST", requested.body.confirmUrl, { token: first });
      expect(own.status).to.equal(403);
      expect(own.body.error.code).to.equal("KEY_CONFIRMATION_INVALID");
      expect(own.body.error.details).to.deep.equal({ why: "the requester cannot confirm its own request" });
      expect(await labels()).to.not.include(label);

      const confirmed = await gw.call("POST", requested.body.confirmUrl, { token: second });
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
      expect(confirmed.body).to.include({ role, label });
      expect(confirmed.body.token).to.match(new RegExp(`^dar_${role}_`));
      const me = await gw.call("GET", "/v1/keys/me", { token: confirmed.body.token });
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ id: confirmed.body.id, role });

      const again = await gw.call("POST", requested.body.confirmUrl, { token: second });
      expect(again.status).to.equal(403);
      expect(again.body.error.details).to.deep.equal({ why: "already confirmed" });

      const log = (await gw.services.store.log.list({ afterSeq: from, limit: 100 })).filter((e) => e.action.startsWith("key."));
      expect(log.map((e) => [e.action, e.decision, e.actor])).to.deep.equal([
        ["key.created", "pending", firstId],
        ["key.refused", "refused", firstId],
        ["key.created", "created", secondId],
        ["key.refused", "refused", secondId],
      ]);
      expect(log[2].payload).to.deep.include({ keyId: confirmed.body.id, role, requestId: requested.body.requestId, requestedBy: firstId, confirmedBy: secondId });
      expect(JSON.stringify(log)).to.not.include(confirmed.body.token);
    });
  }

  it("issuer and auditor keys are created at once", async function () {
    const issuer = await gw.call("POST", "/v1/keys", { token: first, json: { role: "issuer", label: "pilot A", wallet: fx.accounts.issuer.address } });
    expect(issuer.status, JSON.stringify(issuer.body)).to.equal(201);
    expect(issuer.body).to.include({ role: "issuer", wallet: fx.accounts.issuer.address });
    const auditor = await gw.call("POST", "/v1/keys", { token: first, json: { role: "auditor", label: "auditor A" } });
    expect(auditor.status).to.equal(201);
    expect(auditor.body.token).to.match(/^dar_auditor_/);
  });

  it("refuses an unknown or expired request, and a revoked admin's confirmation", async function () {
    const unknown = await gw.call("POST", `/v1/keys/requests/${randomUUID()}/confirm`, { token: second });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.details]).to.deep.equal([403, "KEY_CONFIRMATION_INVALID", { why: "no such request" }]);

    const expired = randomUUID();
    await gw.services.store.apiKeys.addRequest({
      id: expired,
      role: "regulator",
      label: "stale request",
      wallet: null,
      identityId: null,
      requestedBy: firstId,
      createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      expiresAt: new Date(Date.now() - 86_400_000).toISOString(),
      keyId: null,
    });
    const late = await gw.call("POST", `/v1/keys/requests/${expired}/confirm`, { token: second });
    expect([late.status, late.body.error.details]).to.deep.equal([403, { why: "expired" }]);

    const requested = await gw.call("POST", "/v1/keys", { token: first, json: { role: "regulator", label: "needs a live admin" } });
    const third = await gw.key("admin", { label: "third admin" });
    const thirdId = (await gw.call("GET", "/v1/keys/me", { token: third })).body.id;
    expect((await gw.call("POST", `/v1/keys/${thirdId}/revoke`, { token: first })).status).to.equal(200);
    const revoked = await gw.call("POST", requested.body.confirmUrl, { token: third });
    expect([revoked.status, revoked.body.error.code]).to.deep.equal([401, "AUTH_REVOKED"]);
    expect(await labels()).to.not.include("needs a live admin");
  });

  it("KEY_CONFIRMATION: 'auto' requires it outside a local chain, 'required' everywhere, 'off' nowhere", function () {
    const at = (value: string) => loadConfig({ KEY_CONFIRMATION: value });
    expect(keyConfirmationRequired(at("auto"), 31337)).to.equal(false);
    expect(keyConfirmationRequired(at("auto"), 1337)).to.equal(false);
    expect(keyConfirmationRequired(at("auto"), 1)).to.equal(true);
    expect(keyConfirmationRequired(at("auto"), 11155111)).to.equal(true);
    expect(keyConfirmationRequired(at("required"), 31337)).to.equal(true);
    expect(keyConfirmationRequired(at("off"), 1)).to.equal(false);
  });
});
