import { expect } from "chai";
import { ethers } from "hardhat";
import { chainComplianceContext } from "../../../server/compliance/chain-context";
import { Chain } from "../../../server/chain/chain";
import { DEV_KEYS } from "../../../server/config";
import { AppError } from "../../../server/errors";
import { LEVEL, STATUS, code, collectionParams, createApproved } from "../../contracts/fixtures";
import { deadChain, loadRegistry, memoryIssuance, recordEvidence } from "./helpers";

describe("server/compliance/chain-context, on the Hardhat chain", function () {
  it("identityOf returns the identity of a linked wallet, as numbers", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    const id = await ctx.identityOf(f.accounts.issuer.address);
    expect(id).to.deep.equal({
      identityId: f.ids.issuer,
      level: LEVEL.LICENSED_ISSUER,
      status: STATUS.Active,
      expiresAt: Number(f.expiresAt),
      evidenceHash: ethers.id(`kyc:${f.ids.issuer}`),
    });
  });

  it("identityOf follows status changes and returns undefined for unlinked or malformed wallets", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    await (await f.contracts.identity.connect(f.accounts.regulator).suspendIdentity(f.ids.alice, code("check"))).wait();
    expect((await ctx.identityOf(f.accounts.alice.address))?.status).to.equal(STATUS.Suspended);
    expect(await ctx.identityOf(f.accounts.outsider.address)).to.equal(undefined);
    expect(await ctx.identityOf("not-an-address")).to.equal(undefined);
  });

  it("isVerified answers as the IdentityRegistry does", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    expect(await ctx.isVerified(f.accounts.issuer.address, 4)).to.equal(true);
    expect(await ctx.isVerified(f.accounts.alice.address, 2)).to.equal(true);
    expect(await ctx.isVerified(f.accounts.alice.address, 3)).to.equal(false);
    expect(await ctx.isVerified(f.accounts.outsider.address, 1)).to.equal(false);
    expect(await ctx.isVerified("0x12", 1)).to.equal(false);
  });

  it("areVerified answers for many wallets in one call, invalid addresses false", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    const { alice, outsider, issuer } = f.accounts;
    expect(await ctx.areVerified([alice.address, "0x12", outsider.address, issuer.address], 2)).to.deep.equal([true, false, false, true]);
    expect(await ctx.areVerified([alice.address], 3)).to.deep.equal([false]);
    expect(await ctx.areVerified([alice.address], -1)).to.deep.equal([false]);
  });

  it("hasIssuerRole reads ISSUER_ROLE on CollectibleRights", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    expect(await ctx.hasIssuerRole(f.accounts.issuer.address)).to.equal(true);
    expect(await ctx.hasIssuerRole(f.accounts.operator.address)).to.equal(false);
    await (await f.contracts.rights.connect(f.accounts.admin).grantRole(await f.contracts.rights.ISSUER_ROLE(), f.accounts.dave.address)).wait();
    expect(await ctx.hasIssuerRole(f.accounts.dave.address)).to.equal(true);
  });

  it("evidenceRecorded reads EvidenceRegistry.existsByHash", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    const hash = ethers.sha256(ethers.toUtf8Bytes("著作权登记证书"));
    expect(await ctx.evidenceRecorded(hash)).to.equal(false);
    await recordEvidence(f, hash);
    expect(await ctx.evidenceRecorded(hash)).to.equal(true);
    expect(await ctx.evidenceRecorded(ethers.ZeroHash)).to.equal(false);
    expect(await ctx.evidenceRecorded("0xabc")).to.equal(false);
  });

  it("contentRegistered returns the id of the collection holding a content hash", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    const params = collectionParams({ seed: "ctx" });
    expect(await ctx.contentRegistered(params.contentHash as string)).to.equal(undefined);
    await (await createApproved(f.contracts.rights, f.accounts.issuer, f.accounts.issuer.address, params)).wait();
    expect(await ctx.contentRegistered(params.contentHash as string)).to.equal("1");
    expect(await ctx.contentRegistered("nope")).to.equal(undefined);
  });

  it("passes issuance through and uses the system clock unless given one", async function () {
    const f = await loadRegistry();
    const store = memoryIssuance([{ wallet: f.accounts.issuer.address, at: new Date(), editions: 7 }]);
    const ctx = chainComplianceContext(f.chain, store);
    expect(await ctx.issuance(f.accounts.issuer.address, new Date(0))).to.deep.equal({ collections: 1, editions: 7 });
    expect(Math.abs(ctx.now().getTime() - Date.now())).to.be.below(5_000);
    const fixed = new Date("2026-11-01T00:00:00Z");
    expect(chainComplianceContext(f.chain, store, { now: () => fixed }).now()).to.equal(fixed);
  });

  it("passes evidenceUses through from the store", async function () {
    const f = await loadRegistry();
    const hash = ethers.sha256(ethers.toUtf8Bytes("certificate used twice"));
    const ctx = chainComplianceContext(f.chain, memoryIssuance([], { [hash]: 2 }));
    expect(await ctx.evidenceUses(hash)).to.equal(2);
    expect(await ctx.evidenceUses(ethers.id("other"))).to.equal(0);
  });

  it("evidenceRecord names the first writer, and whose API key asked when the gateway's operator wrote it", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance());
    const direct = ethers.sha256(ethers.toUtf8Bytes("recorded by an evidence writer directly"));
    expect(await ctx.evidenceRecord(direct)).to.equal(undefined);
    await recordEvidence(f, direct);
    const r = await ctx.evidenceRecord(direct);
    expect(r).to.include({ writer: f.accounts.operator.address, viaGateway: false, byRole: null });
    expect(Date.parse(r!.recordedAt)).to.be.greaterThan(0);

    // The same account as this gateway's operator key: the record says which API key's role asked for it.
    const gateway = new Chain({ deployment: f.chain.deployment, provider: ethers.provider, keys: { operator: DEV_KEYS.operator } });
    expect(gateway.signerAddress("operator")).to.equal(f.accounts.operator.address);
    const viaGateway = chainComplianceContext(gateway, memoryIssuance());
    const forAttestor = ethers.sha256(ethers.toUtf8Bytes("recorded through the gateway for an attestor"));
    await (await f.contracts.evidence.connect(f.accounts.operator).record(ethers.id("ev:att"), forAttestor, JSON.stringify({ byRole: "attestor" }))).wait();
    expect(await viaGateway.evidenceRecord(forAttestor)).to.include({ writer: f.accounts.operator.address, viaGateway: true, byRole: "attestor" });
    const opaque = ethers.sha256(ethers.toUtf8Bytes("metadata that is not JSON"));
    await (await f.contracts.evidence.connect(f.accounts.operator).record(ethers.id("ev:opaque"), opaque, "not json")).wait();
    expect(await viaGateway.evidenceRecord(opaque)).to.include({ viaGateway: true, byRole: null });
    expect(await ctx.evidenceRecord(ethers.ZeroHash)).to.equal(undefined);
    expect(await ctx.evidenceRecord("0x1234")).to.equal(undefined);
  });

  it("turns an unreachable node into a 503 CHAIN_UNAVAILABLE on every look-up", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(await deadChain(f.chain), memoryIssuance());
    for (const call of [
      () => ctx.identityOf(f.accounts.issuer.address),
      () => ctx.isVerified(f.accounts.issuer.address, 4),
      () => ctx.hasIssuerRole(f.accounts.issuer.address),
      () => ctx.areVerified([f.accounts.issuer.address], 4),
      () => ctx.evidenceRecorded(ethers.id("x")),
      () => ctx.evidenceRecord(ethers.id("x")),
      () => ctx.contentRegistered(ethers.id("y")),
    ]) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).code).to.equal("CHAIN_UNAVAILABLE");
      expect((err as AppError).httpStatus).to.equal(503);
    }
  });
});
