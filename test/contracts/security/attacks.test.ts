/**
 * The attacks proved by the security review, each replayed against the deployed system and now refused by
 * the chain with its exact custom error, whatever a gateway does. One `it` per attack.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CHINA, DAY, LEVEL, MODE, code, collectionParams, createApproved } from "../fixtures";
import { COMPLIANCE_KEY, approveCreate, approveMetadata } from "../helpers/approvals";
import {
  EVIDENCE,
  REASON,
  createCollection,
  minedAt,
  recipientsHash,
  registerWallet,
  req,
  rightsFixture,
  tokenIdOf,
} from "../token/rightsFixtures";

const UINT24_MAX = 2 ** 24 - 1;

describe("Security review: the proved attacks are refused on chain", function () {
  it("1. an issuer creates a collection by itself with a made-up complianceRef, holding 0 and 16,777,215 editions", async function () {
    const f = await loadFixture(rightsFixture);
    const { rights } = f;
    const { issuer, regulator } = f.accounts;
    const params = collectionParams({
      seed: "speculative drop",
      holdingPeriod: 0,
      maxSupply: UINT24_MAX,
      complianceRef: ethers.id("made up, never decided"),
    });
    // Signed by the issuer itself: not a compliance signer.
    const selfSigned = await approveCreate(rights, issuer, issuer.address, params);
    await expect(rights.connect(issuer).createCollection(issuer.address, params, selfSigned))
      .to.be.revertedWithCustomError(rights, "ApprovalSignerNotAuthorized")
      .withArgs(issuer.address);
    // Claiming the compliance signer without its signature.
    const forged = { ...selfSigned, signer: COMPLIANCE_KEY.address };
    await expect(rights.connect(issuer).createCollection(issuer.address, params, forged))
      .to.be.revertedWithCustomError(rights, "ApprovalInvalidSignature")
      .withArgs(COMPLIANCE_KEY.address);
    // Even a genuine approval cannot take a collection below the regulator's floors.
    await rights
      .connect(regulator)
      .setPolicyFloors({ minHoldingPeriod: 180 * DAY, maxEditions: 10_000, allowedModes: 3, minHolderLevel: 1 }, REASON, EVIDENCE);
    await expect(createApproved(rights, issuer, issuer.address, params))
      .to.be.revertedWithCustomError(rights, "CollectionHoldingPeriodBelowFloor")
      .withArgs(0, 180 * DAY);
    await expect(createApproved(rights, issuer, issuer.address, { ...params, holdingPeriod: 180 * DAY }))
      .to.be.revertedWithCustomError(rights, "CollectionMaxSupplyAboveCap")
      .withArgs(UINT24_MAX, 10_000);
    expect(await rights.collectionOfContent(params.contentHash)).to.equal(0n);
    expect(await rights.isComplianceRefUsed(params.complianceRef)).to.equal(false);
  });

  it("2. an issuer re-points a collection's metadata without approval (or replays an old one)", async function () {
    const f = await loadFixture(rightsFixture);
    const { rights } = f;
    const { issuer, operator } = f.accounts;
    const ref = ethers.id("made-up metadata decision");
    const selfSigned = await approveMetadata(rights, issuer, 1n, issuer.address, "bafkreiswapped", ref);
    for (const sender of [issuer, operator]) {
      await expect(rights.connect(sender).setMetadataCID(1n, "bafkreiswapped", ref, selfSigned))
        .to.be.revertedWithCustomError(rights, "ApprovalSignerNotAuthorized")
        .withArgs(issuer.address);
    }
    // An approval of another CID does not cover this one; one already used cannot be replayed.
    const approved = await approveMetadata(rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreireviewed", ref);
    await expect(rights.connect(issuer).setMetadataCID(1n, "bafkreiswapped", ref, approved))
      .to.be.revertedWithCustomError(rights, "ApprovalInvalidSignature")
      .withArgs(COMPLIANCE_KEY.address);
    await rights.connect(issuer).setMetadataCID(1n, "bafkreireviewed", ref, approved);
    await rights.connect(issuer).setMetadataCID(
      1n,
      "bafkreiv3",
      ethers.id("v3"),
      await approveMetadata(rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv3", ethers.id("v3")),
    );
    await expect(rights.connect(issuer).setMetadataCID(1n, "bafkreireviewed", ref, approved))
      .to.be.revertedWithCustomError(rights, "ComplianceRefAlreadyUsed")
      .withArgs(ref);
    expect((await rights.getCollection(1n)).metadataCID).to.equal("bafkreiv3");
  });

  it("3. issuer B front-runs issuer A's request nonce in B's own collection: A's nonce is untouched and A's request runs", async function () {
    const f = await loadFixture(rightsFixture);
    const { rights } = f;
    const { issuer: issuerA, operator, alice, bob, carol } = f.accounts;
    const issuerB = f.issuer2;
    await (await createApproved(rights, issuerB, issuerB.address, collectionParams({ seed: "B's work" }))).wait();
    const collectionB = await rights.collectionCount();
    const nonceOfA = req("A's pending batch");
    // B saw A's pending mintBatch(A, 1, [alice, bob], nonceOfA) and sends its own with the same nonce first.
    await expect(rights.connect(issuerB).mintBatch(issuerB.address, collectionB, [carol.address], nonceOfA))
      .to.emit(rights, "EditionsMinted")
      .withArgs(collectionB, nonceOfA, issuerB.address, issuerB.address, tokenIdOf(collectionB, 1), 1n, recipientsHash([carol.address]));
    expect(await rights.isRequestUsed(issuerB.address, nonceOfA)).to.equal(true);
    expect(await rights.isRequestUsed(issuerA.address, nonceOfA)).to.equal(false);
    // B cannot spend A's nonce in A's name either.
    await expect(rights.connect(issuerB).mintBatch(issuerA.address, 1n, [carol.address], nonceOfA))
      .to.be.revertedWithCustomError(rights, "IssuerUnauthorizedCaller")
      .withArgs(issuerB.address, issuerA.address);
    // A's request (sent by its gateway) runs as intended, and its settlement event matches A's batch only.
    await expect(rights.connect(operator).mintBatch(issuerA.address, 1n, [alice.address, bob.address], nonceOfA))
      .to.emit(rights, "EditionsMinted")
      .withArgs(1n, nonceOfA, issuerA.address, operator.address, tokenIdOf(1, 1), 2n, recipientsHash([alice.address, bob.address]));
  });

  it("4. an attestor unlinks a suspended identity's wallet and re-registers it under a new identity", async function () {
    const f = await loadFixture(rightsFixture);
    const { identity } = f;
    const { attestor, regulator, carol } = f.accounts;
    await identity.connect(regulator).suspendIdentity(f.ids.carol, code("aml-review"));
    await expect(identity.connect(attestor).unlinkWallet(carol.address, code("new-kyc")))
      .to.be.revertedWithCustomError(identity, "IdentityNotActive")
      .withArgs(f.ids.carol, 2);
    await expect(
      identity
        .connect(attestor)
        .registerIdentity(ethers.id("identity:carol-fresh"), carol.address, LEVEL.REAL_NAME, CHINA, f.expiresAt, code("kyc")),
    )
      .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
      .withArgs(carol.address, f.ids.carol);
    expect(await identity.isVerified(carol.address, LEVEL.PHONE)).to.be.false;
    // Only the regulator may free the wallet.
    await expect(identity.connect(regulator).unlinkWallet(carol.address, code("regulator-release")))
      .to.emit(identity, "WalletUnlinked")
      .withArgs(f.ids.carol, carol.address, regulator.address, code("regulator-release"));
  });

  it("5. a wallet holding a Locked token (collection minLevel 3) is relinked to a level-2 identity", async function () {
    const f = await loadFixture(rightsFixture);
    const { identity, rights } = f;
    const { attestor, regulator, issuer, dave } = f.accounts;
    const id = await createCollection(f, { seed: "enterprise only", mode: MODE.Locked, minLevel: LEVEL.ENTERPRISE });
    await minedAt(rights.connect(issuer).mint(issuer.address, id, dave.address, req("dave")));
    const tokenId = tokenIdOf(id, 1);
    for (const caller of [attestor, regulator]) {
      await expect(identity.connect(caller).unlinkWallet(dave.address, code("relink")))
        .to.be.revertedWithCustomError(identity, "IdentityWalletHoldsTokens")
        .withArgs(dave.address, await rights.getAddress(), 1n);
    }
    await expect(registerWallet(f, "dave-level-2", dave.address, LEVEL.REAL_NAME, f.expiresAt))
      .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
      .withArgs(dave.address, f.ids.dave);
    expect(await identity.identityOf(dave.address)).to.equal(f.ids.dave);
    expect(await rights.ownerOf(tokenId)).to.equal(dave.address);
  });

  it("6. the evidence writer's key rewrites a sandbox-log anchor (update, a smaller or equal tree)", async function () {
    const f = await loadFixture(rightsFixture);
    const { evidence } = f.contracts;
    const { operator: writer, anchorer } = f.accounts;
    const logId = ethers.id("sandbox-log");
    const root = ethers.sha256(ethers.toUtf8Bytes("tree head at 100"));
    const forged = ethers.sha256(ethers.toUtf8Bytes("rewritten history"));
    await evidence.connect(anchorer).anchorCheckpoint(logId, 100n, root);
    const before = [...(await evidence.latestCheckpoint(logId))];
    await expect(evidence.connect(writer).anchorCheckpoint(logId, 101n, forged))
      .to.be.revertedWithCustomError(evidence, "AccessControlUnauthorizedAccount")
      .withArgs(writer.address, ethers.id("ANCHOR_ROLE"));
    await expect(evidence.connect(writer).update(logId, forged, "{}"))
      .to.be.revertedWithCustomError(evidence, "EvidenceNotFound")
      .withArgs(logId);
    for (const size of [100n, 99n]) {
      await expect(evidence.connect(anchorer).anchorCheckpoint(logId, size, forged))
        .to.be.revertedWithCustomError(evidence, "CheckpointSizeNotIncreasing")
        .withArgs(logId, size, 100n);
    }
    expect([...(await evidence.latestCheckpoint(logId))]).to.deep.equal(before);
    expect(await evidence.checkpointCount(logId)).to.equal(1n);
  });
});
