import { expect } from "chai";
import { ethers } from "hardhat";
import { rights } from "../../../../server/compliance/rules/rights";
import { collectionParams, createApproved } from "../../../contracts/fixtures";
import { certificate, collectionInput, defaultPolicy, loadRegistry, memoryIssuance, png, policyWith, realContext, recordEvidence } from "../helpers";

describe("server/compliance/rules/rights (确权), on the Hardhat chain", function () {
  const policy = defaultPolicy();

  async function setup() {
    const f = await loadRegistry();
    await recordEvidence(f, ethers.sha256(certificate()), "copyright-1");
    return f;
  }

  it("applies to collections only", function () {
    expect(rights.appliesTo).to.deep.equal(["collection"]);
  });

  it("passes when the copyright evidence is on record and the work is new", async function () {
    const f = await setup();
    const r = await rights.check(collectionInput(f.accounts.issuer.address), await realContext(f.chain), policy);
    expect(r.rule).to.equal("rights");
    expect(r.passed, r.reason).to.equal(true);
    expect(r.details).to.deep.equal({
      evidence: {
        present: true,
        filename: "certificate.pdf",
        sha256: ethers.sha256(certificate()),
        size: certificate().length,
        maxBytes: policy.evidence.maxBytes,
        recorded: true,
        recordedBy: { writer: f.accounts.operator.address, viaGateway: false, role: null },
        independent: true,
        uses: 0,
        maxUses: policy.evidence.maxWorksPerEvidence,
      },
      content: { present: true, contentHash: ethers.sha256(png()), registeredIn: null },
    });
  });

  it("fails when the issuer recorded its own copyright evidence: the record proves nothing", async function () {
    const f = await loadRegistry();
    const { evidence } = f.contracts;
    const { issuer, admin } = f.accounts;
    await (await evidence.connect(admin).grantRole(await evidence.EVIDENCE_WRITER_ROLE(), issuer.address)).wait();
    const own = certificate("the issuer's own upload");
    const hash = ethers.sha256(own);
    await (await evidence.connect(issuer).record(ethers.id("ev:own"), hash, "{}")).wait();
    const r = await rights.check(
      collectionInput(issuer.address, { copyrightEvidence: { bytes: own, filename: "own.pdf" } }),
      await realContext(f.chain),
      policy,
    );
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal(`the copyright evidence ${hash} was recorded by the issuer itself; it must be recorded by an attestor or another independent party`);
    expect(r.details).to.have.nested.property("evidence.independent", false);
    expect(r.details).to.have.nested.property("evidence.recordedBy.writer", issuer.address);
  });

  it("fails when the evidence already backs as many works as the policy allows", async function () {
    const f = await setup();
    const hash = ethers.sha256(certificate());
    const maxUses = policy.evidence.maxWorksPerEvidence;
    const used = await rights.check(collectionInput(f.accounts.issuer.address), await realContext(f.chain, memoryIssuance([], { [hash]: maxUses })), policy);
    expect(used.passed).to.equal(false);
    expect(used.reason).to.equal(`the copyright evidence ${hash} already backs ${maxUses} work(s); the policy allows ${maxUses}`);
    expect(used.details).to.have.nested.property("evidence.uses", maxUses);
    const roomier = policyWith((p) => {
      p.evidence.maxWorksPerEvidence = maxUses + 1;
    });
    const ok = await rights.check(collectionInput(f.accounts.issuer.address), await realContext(f.chain, memoryIssuance([], { [hash]: maxUses })), roomier);
    expect(ok.passed, ok.reason).to.equal(true);
  });

  it("fails without a copyright evidence file", async function () {
    const f = await setup();
    const r = await rights.check(collectionInput(f.accounts.issuer.address, { copyrightEvidence: undefined }), await realContext(f.chain), policy);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal("the copyright evidence file is missing");
    const empty = await rights.check(
      collectionInput(f.accounts.issuer.address, { copyrightEvidence: { bytes: new Uint8Array() } }),
      await realContext(f.chain),
      policy,
    );
    expect(empty.reason).to.equal("the copyright evidence file is empty");
  });

  it("fails when the evidence's sha256 is not recorded in the EvidenceRegistry", async function () {
    const f = await setup();
    const other = certificate("another certificate, never recorded");
    const r = await rights.check(
      collectionInput(f.accounts.issuer.address, { copyrightEvidence: { bytes: other, filename: "other.pdf" } }),
      await realContext(f.chain),
      policy,
    );
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal(`the copyright evidence ${ethers.sha256(other)} is not recorded in the EvidenceRegistry`);
    expect(r.details).to.have.nested.property("evidence.recorded", false);
  });

  it("fails when the evidence file is above evidence.maxBytes", async function () {
    const f = await setup();
    const tiny = policyWith((p) => {
      p.evidence.maxBytes = 10;
    });
    const r = await rights.check(collectionInput(f.accounts.issuer.address), await realContext(f.chain), tiny);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.include("above the limit of 10");
  });

  it("fails when the work is already registered on chain, naming the collection", async function () {
    const f = await setup();
    const media = png(7);
    const contentHash = ethers.sha256(media);
    const { issuer } = f.accounts;
    await (await createApproved(f.contracts.rights, issuer, issuer.address, collectionParams({ contentHash }))).wait();
    const r = await rights.check(
      collectionInput(issuer.address, { media: { bytes: media, filename: "copy.png" } }),
      await realContext(f.chain),
      policy,
    );
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal(`the work ${contentHash} is already registered by collection 1`);
    expect(r.details).to.have.nested.property("content.registeredIn", "1");
    // A different work is still free.
    const fresh = await rights.check(collectionInput(issuer.address, { media: { bytes: png(8) } }), await realContext(f.chain), policy);
    expect(fresh.passed, fresh.reason).to.equal(true);
  });

  it("fails without media (no content hash to check), listing it with the evidence failure", async function () {
    const f = await loadRegistry();
    const r = await rights.check(collectionInput(f.accounts.issuer.address, { media: undefined }), await realContext(f.chain), policy);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.include("not recorded in the EvidenceRegistry").and.to.include("no media file");
  });
});
