import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { issuerAdmission, type AdmissionFailure } from "../../../../server/compliance/rules/issuer-admission";
import { CHINA, DAY, LEVEL, code } from "../../../contracts/fixtures";
import { collectionInput, defaultPolicy, loadRegistry, realContext, recordEvidence, recordIssuerLicence } from "../helpers";

describe("server/compliance/rules/issuer-admission (用户准入), on the Hardhat chain", function () {
  const policy = defaultPolicy();
  const codesOf = (details: unknown) => (details as { failures: AdmissionFailure[] }).failures.map((f) => f.code);

  async function check(f: Awaited<ReturnType<typeof loadRegistry>>, wallet: string) {
    return issuerAdmission.check(collectionInput(wallet), await realContext(f.chain), policy);
  }

  it("applies to collections, mints and metadata changes", function () {
    expect(issuerAdmission.appliesTo).to.have.members(["collection", "mint", "metadata"]);
  });

  it("admits the licensed issuer once its business-licence evidence is recorded", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    const r = await check(f, f.accounts.issuer.address);
    expect(r.rule).to.equal("issuer-admission");
    expect(r.passed, r.reason).to.equal(true);
    expect(r.details).to.deep.include({
      wallet: f.accounts.issuer.address,
      identityId: f.ids.issuer,
      level: 4,
      status: "Active",
      evidenceHash: ethers.id(`kyc:${f.ids.issuer}`),
      verifiedOnChain: true,
      issuerRole: true,
      failures: [],
    });
  });

  it("refuses the issuer while its business-licence evidence is not in the EvidenceRegistry", async function () {
    const f = await loadRegistry();
    const r = await check(f, f.accounts.issuer.address);
    expect(r.passed).to.equal(false);
    expect(codesOf(r.details)).to.deep.equal(["LICENCE_EVIDENCE_NOT_RECORDED"]);
    expect(r.reason).to.include(ethers.id(`kyc:${f.ids.issuer}`));
  });

  it("refuses an issuer whose identity carries no evidence hash", async function () {
    const f = await loadRegistry();
    const [wallet] = f.accounts.rest;
    const expiresAt = (await time.latest()) + 365 * DAY;
    await (
      await f.contracts.identity
        .connect(f.accounts.attestor)
        .registerIdentity(ethers.id("identity:no-dossier"), wallet.address, LEVEL.LICENSED_ISSUER, CHINA, expiresAt, ethers.ZeroHash)
    ).wait();
    await (await f.contracts.rights.connect(f.accounts.admin).grantRole(await f.contracts.rights.ISSUER_ROLE(), wallet.address)).wait();
    const r = await check(f, wallet.address);
    expect(codesOf(r.details)).to.deep.equal(["NO_LICENCE_EVIDENCE"]);
  });

  it("reports a suspended identity as suspended", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await (await f.contracts.identity.connect(f.accounts.regulator).suspendIdentity(f.ids.issuer, code("investigation"))).wait();
    const r = await check(f, f.accounts.issuer.address);
    expect(r.passed).to.equal(false);
    expect(codesOf(r.details)).to.deep.equal(["SUSPENDED"]);
    expect(r.details).to.have.property("status", "Suspended");
    expect(r.reason).to.include("suspended");
  });

  it("reports a revoked identity as revoked", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await (await f.contracts.identity.connect(f.accounts.regulator).revokeIdentity(f.ids.issuer, code("licence-withdrawn"))).wait();
    const r = await check(f, f.accounts.issuer.address);
    expect(codesOf(r.details)).to.deep.equal(["REVOKED"]);
    expect(r.details).to.have.property("verifiedOnChain", false);
  });

  it("reports an expired identity as expired", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await time.increaseTo(f.expiresAt + 1n);
    const r = await check(f, f.accounts.issuer.address);
    expect(codesOf(r.details)).to.deep.equal(["EXPIRED"]);
  });

  it("reports an identity expired by block time even when the server clock is behind", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await time.increaseTo(f.expiresAt + 1n);
    const ctx = await realContext(f.chain);
    const lagging = { ...ctx, now: () => new Date((Number(f.expiresAt) - 60) * 1000) };
    const r = await issuerAdmission.check(collectionInput(f.accounts.issuer.address), lagging, policy);
    expect(codesOf(r.details)).to.deep.equal(["EXPIRED"]);
    expect(r.reason).to.include("by block time");
  });

  it("refuses a verified wallet below level 4 and without ISSUER_ROLE (enterprise, level 3)", async function () {
    const f = await loadRegistry();
    const r = await check(f, f.accounts.dave.address);
    expect(r.passed).to.equal(false);
    expect(codesOf(r.details)).to.include.members(["LEVEL_TOO_LOW", "MISSING_ISSUER_ROLE"]);
    expect(r.details).to.have.property("level", 3);
  });

  it("refuses a level-4 issuer whose ISSUER_ROLE was revoked", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await (await f.contracts.rights.connect(f.accounts.admin).revokeRole(await f.contracts.rights.ISSUER_ROLE(), f.accounts.issuer.address)).wait();
    const r = await check(f, f.accounts.issuer.address);
    expect(codesOf(r.details)).to.deep.equal(["MISSING_ISSUER_ROLE"]);
  });

  it("refuses a wallet with no identity, and a malformed wallet", async function () {
    const f = await loadRegistry();
    const r = await check(f, f.accounts.outsider.address);
    expect(codesOf(r.details)).to.deep.equal(["NO_IDENTITY", "MISSING_ISSUER_ROLE"]);
    expect(r.details).to.have.property("identityId", null);
    const bad = await check(f, "0x1234");
    expect(bad.passed).to.equal(false);
    expect(codesOf(bad.details)).to.deep.equal(["INVALID_WALLET"]);
  });

  it("lists every failure of the issuer together", async function () {
    const f = await loadRegistry();
    await recordEvidence(f, ethers.id("unrelated"));
    await (await f.contracts.identity.connect(f.accounts.regulator).suspendIdentity(f.ids.issuer, code("x"))).wait();
    await (await f.contracts.rights.connect(f.accounts.admin).revokeRole(await f.contracts.rights.ISSUER_ROLE(), f.accounts.issuer.address)).wait();
    const r = await check(f, f.accounts.issuer.address);
    expect(codesOf(r.details)).to.deep.equal(["SUSPENDED", "LICENCE_EVIDENCE_NOT_RECORDED", "MISSING_ISSUER_ROLE"]);
  });
});
