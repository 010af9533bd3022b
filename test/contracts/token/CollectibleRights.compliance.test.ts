import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { TypedDataEncoder } from "ethers";
import { DAY, LEVEL, MODE, collectionParams, createApproved } from "../fixtures";
import {
  APPROVAL_TYPES,
  COMPLIANCE_KEY,
  approvalDomain,
  approveCreate,
  approveMetadata,
  createCollectionValue,
  deadlineIn,
} from "../helpers/approvals";
import { shouldRejectWrongRoles } from "../helpers/roles";
import { EVIDENCE, REASON, ROLES, rightsFixture } from "./rightsFixtures";

const UINT24_MAX = 2 ** 24 - 1;

/** {rightsFixture} plus an ERC-1271 contract signer (a one-key "multisig" owned by `multisigKey`) with the role. */
async function erc1271Fixture() {
  const f = await loadFixture(rightsFixture);
  const multisigKey = new ethers.Wallet(ethers.id("test:multisig-owner"));
  const multisig = await ethers.deployContract("ERC1271SignerMock", [multisigKey.address]);
  await multisig.waitForDeployment();
  await f.rights.connect(f.accounts.admin).grantRole(ROLES.COMPLIANCE_SIGNER, await multisig.getAddress());
  return { ...f, multisig, multisigKey };
}

describe("CollectibleRights: compliance approvals (EIP-712) and policy floors", function () {
  describe("EIP-712 domain and digests", function () {
    it("eip712Domain (ERC-5267) is CollectibleRights / 1 / this chain / this contract", async function () {
      const f = await loadFixture(rightsFixture);
      const domain = await f.rights.eip712Domain();
      const { chainId } = await ethers.provider.getNetwork();
      expect(domain.fields).to.equal("0x0f");
      expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).to.deep.equal([
        "CollectibleRights",
        "1",
        chainId,
        await f.rights.getAddress(),
      ]);
      expect(domain.salt).to.equal(ethers.ZeroHash);
      expect(domain.extensions).to.deep.equal([]);
    });

    it("hashCreateCollection equals ethers' TypedDataEncoder over the CreateCollection type", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, carol } = f.accounts;
      const params = collectionParams({
        seed: "digest",
        maxSupply: 1234,
        royaltyReceiver: carol.address,
        royaltyBps: 250,
        rights: 0x0f,
        mode: MODE.Locked,
        holdingPeriod: 7 * DAY,
        minLevel: LEVEL.ENTERPRISE,
        metadataCID: "bafkrei中文元数据",
      });
      const deadline = 1_900_000_000n;
      const expected = TypedDataEncoder.hash(
        await approvalDomain(f.rights),
        { CreateCollection: APPROVAL_TYPES.CreateCollection },
        createCollectionValue(issuer.address, params, deadline),
      );
      expect(await f.rights.hashCreateCollection(issuer.address, params, deadline)).to.equal(expected);
      expect(TypedDataEncoder.from({ CreateCollection: APPROVAL_TYPES.CreateCollection }).encodeType("CreateCollection")).to.equal(
        "CreateCollection(address issuer,bytes32 contentHash,string metadataCID,uint32 maxSupply,address royaltyReceiver," +
          "uint16 royaltyBps,string licenceCID,uint8 rights,uint8 mode,uint32 holdingPeriod,uint8 minLevel," +
          "bytes32 complianceRef,uint64 deadline)",
      );
    });

    it("hashUpdateMetadata equals ethers' TypedDataEncoder over the UpdateMetadata type", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      const value = {
        collectionId: 1n,
        issuer: issuer.address,
        metadataCID: "bafkreiv2",
        complianceRef: ethers.id("d"),
        deadline: 1_900_000_000n,
      };
      const expected = TypedDataEncoder.hash(
        await approvalDomain(f.rights),
        { UpdateMetadata: APPROVAL_TYPES.UpdateMetadata },
        value,
      );
      expect(
        await f.rights.hashUpdateMetadata(value.collectionId, value.issuer, value.metadataCID, value.complianceRef, value.deadline),
      ).to.equal(expected);
    });
  });

  describe("createCollection approvals", function () {
    it("consumes the complianceRef; the same approval (or any other for that ref) is refused afterwards", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, operator } = f.accounts;
      const params = collectionParams({ seed: "once" });
      const approval = await approveCreate(f.rights, COMPLIANCE_KEY, issuer.address, params);
      expect(await f.rights.isComplianceRefUsed(params.complianceRef)).to.equal(false);
      await expect(f.rights.connect(operator).createCollection(issuer.address, params, approval)).to.emit(
        f.rights,
        "CollectionCreated",
      );
      expect(await f.rights.isComplianceRefUsed(params.complianceRef)).to.equal(true);
      const again = collectionParams({ seed: "once-again", complianceRef: params.complianceRef });
      await expect(createApproved(f.rights, issuer, issuer.address, again))
        .to.be.revertedWithCustomError(f.rights, "ComplianceRefAlreadyUsed")
        .withArgs(params.complianceRef);
    });

    it("ApprovalExpired(deadline, now) one second after the deadline; the deadline second itself is valid", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      const params = collectionParams({ seed: "deadline" });
      const deadline = (await deadlineIn(100)) as bigint;
      const approval = await approveCreate(f.rights, COMPLIANCE_KEY, issuer.address, params, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, approval))
        .to.be.revertedWithCustomError(f.rights, "ApprovalExpired")
        .withArgs(deadline, deadline + 1n);

      const params2 = collectionParams({ seed: "deadline-2" });
      const deadline2 = (await deadlineIn(100)) as bigint;
      const approval2 = await approveCreate(f.rights, COMPLIANCE_KEY, issuer.address, params2, { deadline: deadline2 });
      await time.setNextBlockTimestamp(deadline2);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params2, approval2)).to.emit(
        f.rights,
        "CollectionCreated",
      );
    });

    it("ApprovalSignerNotAuthorized for a signer without COMPLIANCE_SIGNER_ROLE (the issuer, an operator, a revoked signer)", async function () {
      const f = await loadFixture(rightsFixture);
      const { admin, issuer, operator } = f.accounts;
      const params = collectionParams({ seed: "who-signs" });
      for (const key of [issuer, operator]) {
        const approval = await approveCreate(f.rights, key, issuer.address, params);
        await expect(f.rights.connect(issuer).createCollection(issuer.address, params, approval))
          .to.be.revertedWithCustomError(f.rights, "ApprovalSignerNotAuthorized")
          .withArgs(key.address);
      }
      await f.rights.connect(admin).revokeRole(ROLES.COMPLIANCE_SIGNER, COMPLIANCE_KEY.address);
      await expect(createApproved(f.rights, issuer, issuer.address, params))
        .to.be.revertedWithCustomError(f.rights, "ApprovalSignerNotAuthorized")
        .withArgs(COMPLIANCE_KEY.address);
    });

    it("ApprovalInvalidSignature when any signed field differs, for another issuer, or for garbage", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, operator } = f.accounts;
      const params = collectionParams({ seed: "tamper" });
      const approval = await approveCreate(f.rights, COMPLIANCE_KEY, issuer.address, params);
      const tampered = [
        { ...params, maxSupply: 101 },
        { ...params, holdingPeriod: 0 },
        { ...params, mode: MODE.Locked },
        { ...params, minLevel: LEVEL.PHONE },
        { ...params, metadataCID: "bafkreiother" },
        { ...params, licenceCID: "bafkreiotherlicence" },
        { ...params, rights: 0x0f },
        { ...params, royaltyBps: 1, royaltyReceiver: operator.address },
        { ...params, contentHash: ethers.id("other media") },
        { ...params, complianceRef: ethers.id("other decision") },
      ];
      for (const p of tampered) {
        await expect(f.rights.connect(issuer).createCollection(issuer.address, p, approval))
          .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
          .withArgs(COMPLIANCE_KEY.address);
      }
      await expect(f.rights.connect(f.issuer2).createCollection(f.issuer2.address, params, approval))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(COMPLIANCE_KEY.address);
      await expect(
        f.rights.connect(issuer).createCollection(issuer.address, params, { ...approval, deadline: BigInt(approval.deadline) + 1n }),
      )
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(COMPLIANCE_KEY.address);
      for (const signature of ["0x", "0x1234", ethers.hexlify(ethers.randomBytes(65))]) {
        await expect(f.rights.connect(issuer).createCollection(issuer.address, params, { ...approval, signature }))
          .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
          .withArgs(COMPLIANCE_KEY.address);
      }
    });

    it("a signature for another CollectibleRights deployment (another domain) is refused", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      const params = collectionParams({ seed: "domain" });
      const other = await ethers.deployContract("ERC1271SignerMock", [COMPLIANCE_KEY.address]); // any other address
      const foreign = await approveCreate(other, COMPLIANCE_KEY, issuer.address, params);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, foreign))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(COMPLIANCE_KEY.address);
    });

    it("checks the approval after the caller and the parameters: deadline, signer's role, ref unused, signature", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, outsider } = f.accounts;
      const params = collectionParams({ seed: "order" });
      const expired = { signer: outsider.address, deadline: 1n, signature: "0x" };
      await expect(f.rights.connect(outsider).createCollection(issuer.address, params, expired))
        .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
        .withArgs(outsider.address, issuer.address);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, { ...params, rights: 0 }, expired))
        .to.be.revertedWithCustomError(f.rights, "CollectionInvalidRights")
        .withArgs(0);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, expired))
        .to.be.revertedWithCustomError(f.rights, "ApprovalExpired")
        .withArgs(1n, BigInt(await time.latest()) + 1n);
      const used = { ...params, complianceRef: f.params.complianceRef };
      await expect(
        f.rights.connect(issuer).createCollection(issuer.address, used, { ...expired, deadline: 2n ** 64n - 1n }),
      )
        .to.be.revertedWithCustomError(f.rights, "ApprovalSignerNotAuthorized")
        .withArgs(outsider.address);
      await expect(
        f.rights
          .connect(issuer)
          .createCollection(issuer.address, used, { signer: COMPLIANCE_KEY.address, deadline: 2n ** 64n - 1n, signature: "0x" }),
      )
        .to.be.revertedWithCustomError(f.rights, "ComplianceRefAlreadyUsed")
        .withArgs(f.params.complianceRef);
    });
  });

  describe("ERC-1271 contract signers (a multisig)", function () {
    it("a valid approval from an ERC-1271 signer creates the collection and updates metadata", async function () {
      const f = await loadFixture(erc1271Fixture);
      const { issuer } = f.accounts;
      const signer = await f.multisig.getAddress();
      const params = collectionParams({ seed: "multisig" });
      const approval = await approveCreate(f.rights, f.multisigKey, issuer.address, params, { claimedSigner: signer });
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, approval))
        .to.emit(f.rights, "CollectionCreated")
        .withArgs(2n, issuer.address, params.contentHash, issuer.address, params.metadataCID, params.complianceRef);

      const ref = ethers.id("multisig metadata decision");
      const meta = await approveMetadata(f.rights, f.multisigKey, 2n, issuer.address, "bafkreimultisig", ref, {
        claimedSigner: signer,
      });
      await expect(f.rights.connect(issuer).setMetadataCID(2n, "bafkreimultisig", ref, meta))
        .to.emit(f.rights, "CollectionMetadataUpdated")
        .withArgs(2n, issuer.address, "bafkreimultisig", ref);
    });

    it("ApprovalInvalidSignature when the contract says no (another key, or the signer was disabled)", async function () {
      const f = await loadFixture(erc1271Fixture);
      const { issuer } = f.accounts;
      const signer = await f.multisig.getAddress();
      const params = collectionParams({ seed: "multisig-no" });
      const wrongKey = await approveCreate(f.rights, COMPLIANCE_KEY, issuer.address, params, { claimedSigner: signer });
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, wrongKey))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(signer);
      const good = await approveCreate(f.rights, f.multisigKey, issuer.address, params, { claimedSigner: signer });
      await f.multisig.setDisabled(true);
      await expect(f.rights.connect(issuer).createCollection(issuer.address, params, good))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(signer);
      // A contract that does not implement ERC-1271 at all.
      const registry = await f.identity.getAddress();
      await f.rights.connect(f.accounts.admin).grantRole(ROLES.COMPLIANCE_SIGNER, registry);
      await expect(
        f.rights.connect(issuer).createCollection(issuer.address, params, { ...good, signer: registry }),
      )
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(registry);
    });
  });

  describe("setMetadataCID approvals", function () {
    it("refuses an update without a valid approval, a reused ref, an expired one, a zero ref", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      const ref = ethers.id("metadata decision");
      const byIssuer = await approveMetadata(f.rights, issuer, 1n, issuer.address, "bafkreiv2", ref);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", ref, byIssuer))
        .to.be.revertedWithCustomError(f.rights, "ApprovalSignerNotAuthorized")
        .withArgs(issuer.address);
      const other = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiother", ref);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", ref, other))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(COMPLIANCE_KEY.address);
      // The collection's own creation ref is consumed too.
      const creationRef = f.params.complianceRef as string;
      const reuse = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv2", creationRef);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", creationRef, reuse))
        .to.be.revertedWithCustomError(f.rights, "ComplianceRefAlreadyUsed")
        .withArgs(creationRef);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", ethers.ZeroHash, other))
        .to.be.revertedWithCustomError(f.rights, "CollectionMissingHash")
        .withArgs();
      const deadline = await deadlineIn(10);
      const expiring = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv2", ref, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", ref, expiring))
        .to.be.revertedWithCustomError(f.rights, "ApprovalExpired")
        .withArgs(deadline, deadline + 1n);
      const good = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv2", ref);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv2", ref, good)).to.emit(
        f.rights,
        "CollectionMetadataUpdated",
      );
      const again = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv3", ref);
      await expect(f.rights.connect(issuer).setMetadataCID(1n, "bafkreiv3", ref, again))
        .to.be.revertedWithCustomError(f.rights, "ComplianceRefAlreadyUsed")
        .withArgs(ref);
    });

    it("an approval for one collection does not work for another", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      await createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "second" }));
      const ref = ethers.id("for collection 1");
      const forOne = await approveMetadata(f.rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiv2", ref);
      await expect(f.rights.connect(issuer).setMetadataCID(2n, "bafkreiv2", ref, forOne))
        .to.be.revertedWithCustomError(f.rights, "ApprovalInvalidSignature")
        .withArgs(COMPLIANCE_KEY.address);
    });
  });

  describe("policy floors", function () {
    const floors = { minHoldingPeriod: 180 * DAY, maxEditions: 10_000, allowedModes: 3, minHolderLevel: 2 };

    shouldRejectWrongRoles(
      "setPolicyFloors",
      { wrong: ["admin", "attestor", "issuer", "operator", "holder", "outsider"], allowed: "regulator" },
      async () => {
        const f = await loadFixture(rightsFixture);
        return { contract: f.rights, signers: f.signers, role: ROLES.REGULATOR };
      },
      (c, s) => c.connect(s).setPolicyFloors(floors, REASON, EVIDENCE),
    );

    it("the regulator sets them: PolicyFloorsSet(regulator, fields…, reason, evidence) and policyFloors()", async function () {
      const f = await loadFixture(rightsFixture);
      const { regulator } = f.accounts;
      await expect(f.rights.connect(regulator).setPolicyFloors(floors, REASON, EVIDENCE))
        .to.emit(f.rights, "PolicyFloorsSet")
        .withArgs(regulator.address, floors.minHoldingPeriod, floors.maxEditions, 3, 2, REASON, EVIDENCE);
      const now = await f.rights.policyFloors();
      expect([now.minHoldingPeriod, now.maxEditions, now.allowedModes, now.minHolderLevel]).to.deep.equal([
        BigInt(floors.minHoldingPeriod),
        10_000n,
        3n,
        2n,
      ]);
    });

    it("PolicyFloorsInvalid for no mode, unknown mode bits, a zero edition cap, or a holder level outside 1..4", async function () {
      const f = await loadFixture(rightsFixture);
      const { regulator } = f.accounts;
      for (const bad of [
        { ...floors, allowedModes: 0 },
        { ...floors, allowedModes: 4 },
        { ...floors, allowedModes: 7 },
        { ...floors, maxEditions: 0 },
        { ...floors, minHolderLevel: 0 },
        { ...floors, minHolderLevel: 5 },
      ]) {
        await expect(f.rights.connect(regulator).setPolicyFloors(bad, REASON, EVIDENCE))
          .to.be.revertedWithCustomError(f.rights, "PolicyFloorsInvalid")
          .withArgs(bad.minHoldingPeriod, bad.maxEditions, bad.allowedModes, bad.minHolderLevel);
      }
    });

    it("createCollection refuses anything below them, even with a valid approval, each with its error", async function () {
      const f = await loadFixture(rightsFixture);
      const { regulator, issuer } = f.accounts;
      await f.rights.connect(regulator).setPolicyFloors({ ...floors, allowedModes: 2 }, REASON, EVIDENCE);
      const cases: Array<[Parameters<typeof collectionParams>[0], string, unknown[]]> = [
        [{ seed: "a", holdingPeriod: 180 * DAY - 1 }, "CollectionHoldingPeriodBelowFloor", [180 * DAY - 1, 180 * DAY]],
        [{ seed: "b", maxSupply: 10_001 }, "CollectionMaxSupplyAboveCap", [10_001, 10_000]],
        [{ seed: "c", mode: MODE.Locked }, "CollectionModeNotAllowed", [MODE.Locked, 2]],
        [{ seed: "d", minLevel: LEVEL.PHONE }, "CollectionMinLevelBelowFloor", [LEVEL.PHONE, 2]],
      ];
      for (const [overrides, error, args] of cases) {
        await expect(createApproved(f.rights, issuer, issuer.address, collectionParams(overrides)))
          .to.be.revertedWithCustomError(f.rights, error)
          .withArgs(...args);
      }
      // Exactly at the floors passes.
      await expect(
        createApproved(
          f.rights,
          issuer,
          issuer.address,
          collectionParams({ seed: "ok", holdingPeriod: 180 * DAY, maxSupply: 10_000, minLevel: LEVEL.REAL_NAME }),
        ),
      ).to.emit(f.rights, "CollectionCreated");
    });

    it("floors are checked after the parameters' own validity (maxSupply 2^24 stays CollectionInvalidMaxSupply)", async function () {
      const f = await loadFixture(rightsFixture);
      const { regulator, issuer } = f.accounts;
      await f.rights.connect(regulator).setPolicyFloors(floors, REASON, EVIDENCE);
      await expect(createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x", maxSupply: 2 ** 24 })))
        .to.be.revertedWithCustomError(f.rights, "CollectionInvalidMaxSupply")
        .withArgs(2 ** 24, UINT24_MAX);
    });

    it("existing collections keep their terms when the floors rise", async function () {
      const f = await loadFixture(rightsFixture);
      const { regulator, issuer, alice } = f.accounts;
      await f.rights.connect(regulator).setPolicyFloors({ ...floors, minHolderLevel: 3 }, REASON, EVIDENCE);
      expect((await f.rights.getCollection(1n)).minLevel).to.equal(BigInt(LEVEL.REAL_NAME));
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, 1n)).to.emit(f.rights, "Transfer");
    });
  });
});
