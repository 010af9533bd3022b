import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ICollectibleRights } from "../../../typechain-types";
import { collectionParams } from "../../contracts/fixtures";
import { approveCreate, approveMetadata, COMPLIANCE_KEY } from "../../contracts/helpers/approvals";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup } from "../support/issuer";

/**
 * Issue 13 replayed against the gateway's own writes: the contracts refuse a collection or a metadata
 * change without the compliance signer's EIP-712 approval, and refuse an approval twice; these tests take
 * the approvals the gateway really signed (read back from its transactions) and try to misuse them as an
 * issuer would, then prove the metadata route reviews before it writes and that quotas hold when nine
 * requests race for five places.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
type Approval = ICollectibleRights.ComplianceApprovalStruct;

describe("compliance on chain, through the gateway: approvals, replays, metadata review, quotas", function () {
  this.timeout(300_000);
  let fx: Fx;
  let gw: TestGateway;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;
  let created: { collectionId: string; complianceRef: string; txHash: string; contentHash: string };
  let createArgs: { issuer: string; params: ICollectibleRights.CollectionParamsStruct; approval: Approval };

  /** The arguments of a CollectibleRights call the gateway sent, read back from its transaction. */
  async function sentArgs(txHash: string) {
    const tx = await ethers.provider.getTransaction(txHash);
    const parsed = fx.contracts.rights.interface.parseTransaction({ data: tx!.data });
    expect(tx!.from).to.equal(fx.accounts.operator.address); // the gateway's operator key sent it
    return parsed!;
  }
  const structOf = <T>(r: unknown): T => (r as { toObject(deep: boolean): T }).toObject(true);

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
    issuer = await issuerSetup(gw, fx);
    const res = await gw.call("POST", "/v1/collections", { token: issuer.token, form: (await issuer.form("onchain-1")).form });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    created = res.body;
    const parsed = await sentArgs(created.txHash);
    expect(parsed.name).to.equal("createCollection");
    createArgs = { issuer: parsed.args[0], params: structOf(parsed.args[1]), approval: structOf(parsed.args[2]) };
    expect(createArgs.approval.signer).to.equal(COMPLIANCE_KEY.address);
    expect(createArgs.params.complianceRef).to.equal(created.complianceRef);
  });
  after(async () => gw?.close());

  it("an issuer cannot create a collection itself without the compliance signer's approval", async function () {
    const { rights } = fx.contracts;
    const { issuer: wallet } = fx.accounts;
    // What the issuer did: a made-up complianceRef, no holding period, the largest supply.
    const params = collectionParams({ seed: "self-made", holdingPeriod: 0, maxSupply: 16_777_215, complianceRef: ethers.id("made up decision") });
    const selfSigned = await approveCreate(rights, wallet, wallet.address, params);
    await expect(rights.connect(wallet).createCollection(wallet.address, params, selfSigned))
      .to.be.revertedWithCustomError(rights, "ApprovalSignerNotAuthorized")
      .withArgs(wallet.address);
    const forged = await approveCreate(rights, wallet, wallet.address, params, { claimedSigner: COMPLIANCE_KEY.address });
    await expect(rights.connect(wallet).createCollection(wallet.address, params, forged))
      .to.be.revertedWithCustomError(rights, "ApprovalInvalidSignature")
      .withArgs(COMPLIANCE_KEY.address);
    // The gateway's real signature does not cover other parameters.
    await expect(rights.connect(wallet).createCollection(wallet.address, params, createArgs.approval))
      .to.be.revertedWithCustomError(rights, "ApprovalInvalidSignature")
      .withArgs(COMPLIANCE_KEY.address);
    expect(await rights.collectionCount()).to.equal(1n);
  });

  it("an approval the gateway signed cannot be replayed, for another work or for the same one", async function () {
    const { rights } = fx.contracts;
    const { issuer: wallet, operator } = fx.accounts;
    // Another work under the decision that approved collection 1: its complianceRef is spent.
    const other = { ...createArgs.params, contentHash: ethers.sha256(ethers.toUtf8Bytes("another work")), holdingPeriod: 0 };
    await expect(rights.connect(wallet).createCollection(wallet.address, other, createArgs.approval))
      .to.be.revertedWithCustomError(rights, "ComplianceRefAlreadyUsed")
      .withArgs(created.complianceRef);
    // The very same call again, by the issuer or by the gateway's operator: the work is registered.
    for (const sender of [wallet, operator]) {
      await expect(rights.connect(sender).createCollection(createArgs.issuer, createArgs.params, createArgs.approval))
        .to.be.revertedWithCustomError(rights, "CollectionContentAlreadyRegistered")
        .withArgs(created.contentHash, 1n);
    }
    expect(await rights.collectionCount()).to.equal(1n);
  });

  it("the metadata route reviews the new metadata before the chain changes, and the chain records its complianceRef", async function () {
    const { rights } = fx.contracts;
    const before = await rights.getCollection(1);
    const fromSeq = (await gw.services.store.log.last())!.seq;
    const operatorNonce = () => ethers.provider.getTransactionCount(fx.accounts.operator.address);
    const sentBefore = await operatorNonce();

    const refused = await gw.call("POST", "/v1/collections/1/metadata", {
      token: issuer.token,
      json: { name: "长城日出 赌博专场", description: "高回报 投资回报", attributes: [] },
    });
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(refused.body.error.code).to.equal("COMPLIANCE_REJECTED");
    expect(refused.body.error.params.rules).to.deep.equal(["content-review"]);
    expect((await rights.getCollection(1)).metadataCID).to.equal(before.metadataCID);
    expect(await operatorNonce(), "the gateway sent no transaction").to.equal(sentBefore);
    const refusedLog = await gw.services.store.log.list({ afterSeq: fromSeq, limit: 100 });
    const decision = refusedLog.find((e) => e.action === "compliance.decision")!;
    expect(decision).to.include({ decision: "failed", collectionId: "1" });
    expect((decision.payload as { kind: string }).kind).to.equal("metadata");
    expect(refusedLog.map((e) => e.action)).to.not.include("collection.metadata");

    const fromSeq2 = (await gw.services.store.log.last())!.seq;
    const changed = await gw.call("POST", "/v1/collections/1/metadata", {
      token: issuer.token,
      json: { name: "长城日出 第二版 Great Wall Sunrise II", description: "Re-edited description. 修订说明。", attributes: [{ trait_type: "edition", value: "II" }] },
    });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    const onChain = await rights.getCollection(1);
    expect(onChain.metadataCID).to.equal(changed.body.metadataCID);
    expect(onChain.metadataComplianceRef).to.equal(changed.body.complianceRef);
    expect(onChain.complianceRef, "the creation's decision stays").to.equal(created.complianceRef);
    const receipt = await ethers.provider.getTransactionReceipt(changed.body.txHash);
    const event = receipt!.logs.map((l) => rights.interface.parseLog(l)).find((p) => p?.name === "CollectionMetadataUpdated");
    expect(event!.args.toArray()).to.deep.equal([1n, fx.accounts.issuer.address, changed.body.metadataCID, changed.body.complianceRef]);
    // On the record in order: the passed decision whose ref the chain holds, then the change.
    const log = await gw.services.store.log.list({ afterSeq: fromSeq2, limit: 100 });
    const passed = log.find((e) => e.action === "compliance.decision")!;
    const done = log.find((e) => e.action === "collection.metadata")!;
    expect(passed).to.include({ decision: "passed", ref: changed.body.complianceRef, collectionId: "1" });
    expect(done).to.include({ ref: changed.body.complianceRef, collectionId: "1" });
    expect(passed.seq).to.be.below(done.seq);

    // The issuer cannot re-point the collection itself.
    const { issuer: wallet } = fx.accounts;
    const cid = "bafkreiunreviewedmetadata";
    const ref = ethers.id("unreviewed metadata");
    await expect(rights.connect(wallet).setMetadataCID(1, cid, ref, await approveMetadata(rights, wallet, 1n, wallet.address, cid, ref)))
      .to.be.revertedWithCustomError(rights, "ApprovalSignerNotAuthorized")
      .withArgs(wallet.address);
  });

  it("an older approved metadata change cannot be replayed over a newer one", async function () {
    const { rights } = fx.contracts;
    const { issuer: wallet } = fx.accounts;
    const first = await gw.call("POST", "/v1/collections/1/metadata", { token: issuer.token, json: { name: "版本三 Version III", description: "", attributes: [] } });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    const second = await gw.call("POST", "/v1/collections/1/metadata", { token: issuer.token, json: { name: "版本四 Version IV", description: "", attributes: [] } });
    expect(second.status, JSON.stringify(second.body)).to.equal(200);
    const parsed = await sentArgs(first.body.txHash);
    expect(parsed.name).to.equal("setMetadataCID");
    const [collectionId, metadataCID, complianceRef, approval] = parsed.args;
    expect([collectionId, metadataCID, complianceRef]).to.deep.equal([1n, first.body.metadataCID, first.body.complianceRef]);
    await expect(rights.connect(wallet).setMetadataCID(collectionId, metadataCID, complianceRef, structOf<Approval>(approval)))
      .to.be.revertedWithCustomError(rights, "ComplianceRefAlreadyUsed")
      .withArgs(first.body.complianceRef);
    expect((await rights.getCollection(1)).metadataCID).to.equal(second.body.metadataCID);
  });

  it("quotas hold under concurrency: nine creations at once against a daily cap of five", async function () {
    // A gateway of its own: its store has issued nothing today.
    const fresh = await startTestGateway(fx.deployment);
    try {
      const cap = fresh.services.compliance.policy.quotas.perIssuerDaily.collections;
      expect(cap).to.equal(5);
      const setup = await issuerSetup(fresh, fx);
      const forms = [];
      for (let i = 0; i < 9; i++) forms.push((await setup.form(`quota-race-${i}`)).form);
      const countBefore = await fx.contracts.rights.collectionCount();
      const replies = await Promise.all(forms.map((form, i) => fresh.call("POST", "/v1/collections", { token: setup.token, form, headers: { "idempotency-key": `race-${i}` } })));
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(replies.map((r) => r.body))).to.deep.equal([201, 201, 201, 201, 201, 422, 422, 422, 422]);
      for (const r of replies.filter((x) => x.status === 422)) {
        expect(r.body.error.code).to.equal("COMPLIANCE_REJECTED");
        expect(r.body.error.params.rules).to.deep.equal(["sandbox-quotas"]);
      }
      expect(await fx.contracts.rights.collectionCount()).to.equal(countBefore + 5n);
      const usage = await fresh.services.store.quotas.usage(fx.accounts.issuer.address, new Date(0).toISOString());
      expect(usage).to.deep.equal({ collections: 5, editions: 5 * 50 });
      // A tenth, later, is refused by the rule itself.
      const tenth = await fresh.call("POST", "/v1/collections", { token: setup.token, form: (await setup.form("quota-race-9")).form });
      expect(tenth.status).to.equal(422);
      expect(tenth.body.error.params.rules).to.deep.equal(["sandbox-quotas"]);
    } finally {
      await fresh.close();
    }
  });
});
