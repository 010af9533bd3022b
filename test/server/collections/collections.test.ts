import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cidOf } from "../../../shared/cid";
import { formatReasons } from "../../../shared/errors";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup, waitForJob } from "../support/issuer";

describe("gateway: collections, mint jobs, tokens and provenance", function () {
  this.timeout(180_000);
  let gw: TestGateway;
  let fx: Awaited<ReturnType<typeof gatewayChainFixture>>;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;

  beforeEach(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
    issuer = await issuerSetup(gw, fx);
  });
  afterEach(async () => gw.close());

  it("creates a collection only after compliance passes: pins media and metadata, then creates it on chain", async () => {
    const { form, media } = await issuer.form("sunrise");
    const res = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.contentHash).to.equal(ethers.sha256(media));
    expect(res.body.mediaCID).to.equal(await cidOf(media));

    const onChain = await fx.contracts.rights.getCollection(res.body.collectionId);
    expect(onChain.issuer).to.equal(fx.accounts.issuer.address);
    expect(onChain.metadataCID).to.equal(res.body.metadataCID);
    expect(onChain.complianceRef).to.equal(res.body.complianceRef);
    expect(Number(onChain.holdingPeriod)).to.equal(180 * 86_400);

    const served = await fetch(`${gw.url}/ipfs/${res.body.metadataCID}`);
    expect(served.status).to.equal(200);
    const metadata = (await served.json()) as Record<string, any>;
    expect(metadata.image).to.equal(`ipfs://${res.body.mediaCID}`);
    expect(metadata.properties.contentHash).to.equal(res.body.contentHash);
    expect(metadata.properties.complianceRef).to.equal(res.body.complianceRef);
    expect(metadata.properties.issuer.did).to.equal(`did:dareg:31337:${fx.ids.issuer}`);

    const decision = await gw.services.store.log.findByRef(res.body.complianceRef);
    expect(decision.map((e) => e.action)).to.include("compliance.decision");
  });

  it("rejects a non-compliant collection with a 422 listing every failed check, and pins and sends nothing", async () => {
    const bad = collectionRequest({
      name: "赌 博 lottery",
      description: "联系 13812345678 或 someone@example.com",
      attributes: [{ trait_type: "price", value: "¥100" }],
      transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 1, minLevel: 2 },
    });
    const { form, media } = await issuer.form("bad", bad, { recordCopyright: false });
    const before = await fx.contracts.rights.collectionCount();
    const check = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form });
    expect(check.status).to.equal(200);
    expect(check.body.passed).to.equal(false);
    // Each finding comes as a code with its parameters, so the console renders it in the user's language.
    const privacyCheck = check.body.results.find((r: { rule: string }) => r.rule === "privacy");
    expect(privacyCheck.reasons).to.deep.equal([
      { code: "PERSONAL_DATA", params: { kind: "mobile", field: "description" } },
      { code: "PERSONAL_DATA", params: { kind: "email", field: "description" } },
    ]);
    expect(formatReasons(privacyCheck.reasons, "zh")).to.equal("公开元数据的 description 含个人信息（手机号码）；公开元数据的 description 含个人信息（电子邮箱）");

    const { form: again } = await issuer.form("bad", bad, { recordCopyright: false });
    const res = await gw.call("POST", "/v1/collections", { token: issuer.token, form: again });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal("COMPLIANCE_REJECTED");
    const failed = res.body.error.details.failed.map((r: { rule: string }) => r.rule);
    expect(failed).to.include.members(["content-review", "privacy", "rights", "anti-financialization"]);
    for (const r of res.body.error.details.failed as Array<{ reason: string; reasons: Array<{ code: string; params: Record<string, unknown> }> }>) {
      expect(r.reason).to.equal(formatReasons(r.reasons, "en"));
    }
    expect(await fx.contracts.rights.collectionCount()).to.equal(before);
    expect(await gw.services.ipfs.isPinned(await cidOf(media))).to.equal(false);
  });

  it("mints a job exactly once per Idempotency-Key, reports progress per recipient, and serves token and provenance", async () => {
    const { form, media } = await issuer.form("mint");
    const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.collectionId;
    const { alice, bob, carol } = fx.accounts;
    const stranger = ethers.Wallet.createRandom().address;
    const body = { recipients: [alice.address, bob.address, stranger, carol.address] };

    const first = await gw.call("POST", `/v1/collections/${id}/mint`, { token: issuer.token, json: body, headers: { "idempotency-key": "order-1" } });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    const again = await gw.call("POST", `/v1/collections/${id}/mint`, { token: issuer.token, json: body, headers: { "idempotency-key": "order-1" } });
    expect(again.status).to.equal(202);
    expect(again.body.jobId).to.equal(first.body.jobId);
    const conflict = await gw.call("POST", `/v1/collections/${id}/mint`, {
      token: issuer.token,
      json: { recipients: [alice.address] },
      headers: { "idempotency-key": "order-1" },
    });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.code).to.equal("IDEMPOTENCY_CONFLICT");
    const missing = await gw.call("POST", `/v1/collections/${id}/mint`, { token: issuer.token, json: body });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.code).to.equal("IDEMPOTENCY_KEY_REQUIRED");

    const job = await waitForJob(gw, issuer.token, first.body.jobId);
    expect(job.state).to.equal("done");
    expect(job.counts).to.include({ total: 4, minted: 3, failed: 1 });
    const refused = job.items.find((i: { recipient: string }) => i.recipient === stranger);
    expect(refused.state).to.equal("failed");
    expect(refused.reason).to.match(/recipient-admission/);
    expect(await fx.contracts.rights.totalSupply(id)).to.equal(3n);
    const minted = job.items.filter((i: { state: string }) => i.state === "minted");
    for (const item of minted) expect(await fx.contracts.rights.ownerOf(item.tokenId)).to.equal(item.recipient);

    const auditor = await gw.key("auditor");
    const tokenId = minted[0].tokenId;
    const token = await gw.call("GET", `/v1/tokens/${tokenId}`, { token: auditor });
    expect(token.status).to.equal(200);
    expect(token.body).to.include({ owner: alice.address, collectionId: id, edition: "1", locked: true, frozen: false });

    const regulator = await gw.key("regulator");
    const frozen = await gw.call("POST", `/v1/regulator/tokens/${tokenId}/freeze`, {
      token: regulator,
      json: { reason: "dispute 2026-17", evidence: { text: "court filing" } },
    });
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
    const forced = await gw.call("POST", `/v1/regulator/tokens/${tokenId}/force-transfer`, {
      token: regulator,
      json: { from: alice.address, to: carol.address, reason: "LOST_WALLET", evidence: { hash: ethers.id("ticket") } },
    });
    expect(forced.status, JSON.stringify(forced.body)).to.equal(200);

    const prov = await gw.call("GET", `/v1/tokens/${tokenId}/provenance`, { token: auditor });
    expect(prov.status, JSON.stringify(prov.body)).to.equal(200);
    expect(prov.body.entries.map((e: { kind: string }) => e.kind)).to.deep.equal(["mint", "freeze", "forced-transfer"]);
    expect(prov.body.entries[0].to).to.include({ address: alice.address, level: 2, verified: true, did: `did:dareg:31337:${fx.ids.alice}` });
    expect(prov.body.entries[2].to).to.include({ address: carol.address, verified: true });
    expect(prov.body.integrity.passed, JSON.stringify(prov.body.integrity)).to.equal(true);

    const verifyForm = new FormData();
    verifyForm.set("file", new Blob([Buffer.from(media)]), "any-name.bin");
    const verified = await gw.call("POST", "/v1/verify", { token: auditor, form: verifyForm });
    expect(verified.status).to.equal(200);
    expect(verified.body).to.include({ registered: true, collectionId: id, issuer: fx.accounts.issuer.address });
  });
});
