import { expect } from "chai";
import { ethers } from "hardhat";
import { chainComplianceContext } from "../../../server/compliance/chain-context";
import { UnavailableError } from "../../../server/errors";
import { LEVEL, STATUS, code, collectionParams } from "../../contracts/fixtures";
import { deadChain, loadRegistry, memoryIssuance, recordEvidence } from "./helpers";

describe("server/compliance/chain-context, on the Hardhat chain", function () {
  it("identityOf returns the identity of a linked wallet, as numbers", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
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
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    await (await f.contracts.identity.connect(f.accounts.regulator).suspendIdentity(f.ids.alice, code("check"))).wait();
    expect((await ctx.identityOf(f.accounts.alice.address))?.status).to.equal(STATUS.Suspended);
    expect(await ctx.identityOf(f.accounts.outsider.address)).to.equal(undefined);
    expect(await ctx.identityOf("not-an-address")).to.equal(undefined);
  });

  it("isVerified answers as the IdentityRegistry does", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    expect(await ctx.isVerified(f.accounts.issuer.address, 4)).to.equal(true);
    expect(await ctx.isVerified(f.accounts.alice.address, 2)).to.equal(true);
    expect(await ctx.isVerified(f.accounts.alice.address, 3)).to.equal(false);
    expect(await ctx.isVerified(f.accounts.outsider.address, 1)).to.equal(false);
    expect(await ctx.isVerified("0x12", 1)).to.equal(false);
  });

  it("areVerified answers for many wallets in one call, invalid addresses false", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    const { alice, outsider, issuer } = f.accounts;
    expect(await ctx.areVerified([alice.address, "0x12", outsider.address, issuer.address], 2)).to.deep.equal([true, false, false, true]);
    expect(await ctx.areVerified([alice.address], 3)).to.deep.equal([false]);
    expect(await ctx.areVerified([alice.address], -1)).to.deep.equal([false]);
  });

  it("hasIssuerRole reads ISSUER_ROLE on CollectibleRights", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    expect(await ctx.hasIssuerRole(f.accounts.issuer.address)).to.equal(true);
    expect(await ctx.hasIssuerRole(f.accounts.operator.address)).to.equal(false);
    await (await f.contracts.rights.connect(f.accounts.admin).grantRole(await f.contracts.rights.ISSUER_ROLE(), f.accounts.dave.address)).wait();
    expect(await ctx.hasIssuerRole(f.accounts.dave.address)).to.equal(true);
  });

  it("evidenceRecorded reads EvidenceRegistry.existsByHash", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    const hash = ethers.sha256(ethers.toUtf8Bytes("著作权登记证书"));
    expect(await ctx.evidenceRecorded(hash)).to.equal(false);
    await recordEvidence(f, hash);
    expect(await ctx.evidenceRecorded(hash)).to.equal(true);
    expect(await ctx.evidenceRecorded(ethers.ZeroHash)).to.equal(false);
    expect(await ctx.evidenceRecorded("0xabc")).to.equal(false);
  });

  it("contentRegistered returns the id of the collection holding a content hash", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(f.chain, memoryIssuance().issuance);
    const params = collectionParams({ seed: "ctx" });
    expect(await ctx.contentRegistered(params.contentHash as string)).to.equal(undefined);
    await (await f.contracts.rights.connect(f.accounts.issuer).createCollection(f.accounts.issuer.address, params)).wait();
    expect(await ctx.contentRegistered(params.contentHash as string)).to.equal("1");
    expect(await ctx.contentRegistered("nope")).to.equal(undefined);
  });

  it("passes issuance through and uses the system clock unless given one", async function () {
    const f = await loadRegistry();
    const store = memoryIssuance([{ wallet: f.accounts.issuer.address, at: new Date(), editions: 7 }]);
    const ctx = chainComplianceContext(f.chain, store.issuance);
    expect(await ctx.issuance(f.accounts.issuer.address, new Date(0))).to.deep.equal({ collections: 1, editions: 7 });
    expect(Math.abs(ctx.now().getTime() - Date.now())).to.be.below(5_000);
    const fixed = new Date("2026-11-01T00:00:00Z");
    expect(chainComplianceContext(f.chain, store.issuance, { now: () => fixed }).now()).to.equal(fixed);
  });

  it("turns an unreachable node into UnavailableError (CHAIN_UNAVAILABLE)", async function () {
    const f = await loadRegistry();
    const ctx = chainComplianceContext(await deadChain(f.chain), memoryIssuance().issuance);
    for (const call of [
      () => ctx.identityOf(f.accounts.issuer.address),
      () => ctx.isVerified(f.accounts.issuer.address, 4),
      () => ctx.hasIssuerRole(f.accounts.issuer.address),
      () => ctx.evidenceRecorded(ethers.id("x")),
      () => ctx.contentRegistered(ethers.id("y")),
    ]) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(UnavailableError);
      expect((err as UnavailableError).code).to.equal("CHAIN_UNAVAILABLE");
    }
  });
});
