import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup, waitForJob } from "../support/issuer";

describe("gateway: regulator actions, collections and evidence reads", function () {
  this.timeout(180_000);
  let gw: TestGateway;
  let fx: Awaited<ReturnType<typeof gatewayChainFixture>>;
  let regulator: string;
  let auditor: string;
  let tokenIds: string[];
  let collectionId: string;
  let copyrightHash: string;

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
    regulator = await gw.key("regulator");
    auditor = await gw.key("auditor");
    const issuer = await issuerSetup(gw, fx);
    const { form, copyright } = await issuer.form("regulator");
    copyrightHash = ethers.sha256(copyright);
    const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    collectionId = created.body.collectionId;
    const { alice, bob } = fx.accounts;
    const job = await gw.call("POST", `/v1/collections/${collectionId}/mint`, {
      token: issuer.token,
      json: { recipients: [alice.address, bob.address, alice.address] },
      headers: { "idempotency-key": "regulator-suite" },
    });
    const done = await waitForJob(gw, issuer.token, job.body.jobId);
    tokenIds = done.items.map((i: { tokenId: string }) => i.tokenId);
  });
  afterEach(async () => gw.close());

  const act = (path: string, extra: Record<string, unknown> = {}) =>
    gw.call("POST", path, { token: regulator, json: { reason: "case 2026-42", evidence: { text: "order of the court" }, ...extra } });

  it("freezes and unfreezes wallets and tokens, each with a reason code and evidence hash, and logs each action", async () => {
    const { alice } = fx.accounts;
    const { rights } = fx.contracts;
    const r1 = await act(`/v1/regulator/wallets/${alice.address}/freeze`);
    expect(r1.status, JSON.stringify(r1.body)).to.equal(200);
    expect(r1.body.evidenceHash).to.equal(ethers.sha256(ethers.toUtf8Bytes("order of the court")));
    expect(r1.body.reasonCode).to.equal(ethers.encodeBytes32String("case 2026-42"));
    expect(await rights.isWalletFrozen(alice.address)).to.equal(true);
    const again = await act(`/v1/regulator/wallets/${alice.address}/freeze`);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal("WALLET_ALREADY_FROZEN");
    expect((await act(`/v1/regulator/wallets/${alice.address}/unfreeze`)).status).to.equal(200);
    expect((await act(`/v1/regulator/tokens/${tokenIds[1]}/freeze`)).status).to.equal(200);
    expect((await rights.tokenState(tokenIds[1])).frozen).to.equal(true);
    expect((await act(`/v1/regulator/tokens/${tokenIds[1]}/unfreeze`)).status).to.equal(200);
    const logged = await gw.services.store.log.list({ action: "chain.rights.freezeWallet" });
    // the accepted freeze: signed and recorded before broadcast, then its mined outcome; the refused second one
    expect(logged.map((l) => l.decision)).to.deep.equal(["pending", "sent", "failed"]);
    for (const l of logged) expect(l.payload).to.include({ reason: "case 2026-42", evidenceHash: r1.body.evidenceHash });
    expect(logged[1].payload).to.include({ outcome: "mined", txHash: logged[0].payload.txHash });
    expect(logged[2].payload).to.deep.include({ sent: false, error: { code: "WALLET_ALREADY_FROZEN", params: { wallet: alice.address } } });
  });

  it("pauses and unpauses, and takes down tokens of an infringing work", async () => {
    const { rights } = fx.contracts;
    expect((await act("/v1/regulator/pause")).status).to.equal(200);
    expect(await rights.paused()).to.equal(true);
    await time.increase(181 * 86_400);
    await expect(rights.connect(fx.accounts.alice).transferFrom(fx.accounts.alice.address, fx.accounts.carol.address, tokenIds[0]))
      .to.be.revertedWithCustomError(rights, "RegistryIsPaused");
    expect((await act("/v1/regulator/unpause")).status).to.equal(200);
    const unpausedAgain = await act("/v1/regulator/unpause");
    expect(unpausedAgain.status).to.equal(409);
    expect(unpausedAgain.body.error.code).to.equal("REGISTRY_NOT_PAUSED");

    const down = await act("/v1/regulator/takedown", { tokenIds: [tokenIds[0], tokenIds[2]] });
    expect(down.status, JSON.stringify(down.body)).to.equal(200);
    expect(await rights.totalSupply(collectionId)).to.equal(1n);
    const gone = await gw.call("GET", `/v1/tokens/${tokenIds[0]}`, { token: auditor });
    expect(gone.status).to.equal(404);
    const prov = await gw.call("GET", `/v1/tokens/${tokenIds[0]}/provenance`, { token: auditor });
    expect(prov.body.entries.map((e: { kind: string }) => e.kind)).to.deep.equal(["mint", "burn"]);
    const missing = await act("/v1/regulator/takedown", { tokenIds: [tokenIds[0]] });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal("TOKEN_NOT_FOUND");
  });

  it("a forced transfer to an unverified wallet is refused with the decoded reason", async () => {
    const stranger = ethers.Wallet.createRandom().address;
    const r = await act(`/v1/regulator/tokens/${tokenIds[0]}/force-transfer`, { from: fx.accounts.alice.address, to: stranger });
    expect(r.status).to.equal(422);
    expect(r.body.error.code).to.equal("RECIPIENT_NOT_VERIFIED");
    expect(r.body.error.message).to.include(stranger);
    expect(r.body.error.details).to.deep.include({ error: "RecipientNotVerified" });
  });

  it("reads a collection and the evidence behind it", async () => {
    const c = await gw.call("GET", `/v1/collections/${collectionId}`, { token: auditor });
    expect(c.status).to.equal(200);
    expect(c.body).to.include({ collectionId, issuer: fx.accounts.issuer.address, maxSupply: 50, minted: 3, totalSupply: 3 });
    expect(c.body.transferPolicy).to.deep.equal({ mode: "GiftToVerified", holdingPeriodSeconds: 180 * 86_400, minLevel: 2 });
    expect(c.body.rights).to.deep.equal(["display", "personalUse"]);
    expect((await gw.call("GET", "/v1/collections/99", { token: auditor })).status).to.equal(404);
    const e = await gw.call("GET", `/v1/evidence/${copyrightHash}`, { token: auditor });
    expect(e.status).to.equal(200);
    expect(e.body).to.include({ hash: copyrightHash, version: 1 });
    expect(JSON.parse(e.body.metadata)).to.include({ kind: "copyright" });
    expect((await gw.call("GET", `/v1/evidence/${ethers.id("nothing")}`, { token: auditor })).status).to.equal(404);
  });
});
