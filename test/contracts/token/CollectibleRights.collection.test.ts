import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import { DAY, LEVEL, MODE, code, collectionParams, createApproved } from "../fixtures";
import { COMPLIANCE_KEY, approveMetadata } from "../helpers/approvals";
import { ROLES, createCollection, mintedFixture, minedAt, rightsFixture, tokenIdOf } from "./rightsFixtures";

type F = Awaited<ReturnType<typeof rightsFixture>>;

/** setMetadataCID sent by `sender` with a fresh complianceRef approved by the fixture's compliance key. */
async function setMetadata(f: F, sender: Signer, collectionId: bigint, metadataCID: string, ref = ethers.id(`meta:${metadataCID}:${collectionId}`)) {
  const approval = await approveMetadata(f.rights, COMPLIANCE_KEY, collectionId, f.accounts.issuer.address, metadataCID, ref);
  return f.rights.connect(sender).setMetadataCID(collectionId, metadataCID, ref, approval);
}

const UINT24_MAX = 2 ** 24 - 1;

describe("CollectibleRights: collections", function () {
  describe("createCollection", function () {
    it("the issuer creates a collection: CollectionCreated with the issuer as operator, and every field stored", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, carol } = f.accounts;
      const params = collectionParams({
        seed: "full-fields",
        maxSupply: 42,
        royaltyReceiver: carol.address,
        royaltyBps: 750,
        rights: 0x0f,
        mode: MODE.Locked,
        holdingPeriod: 7 * DAY,
        minLevel: LEVEL.ENTERPRISE,
      });
      const tx = createApproved(rights, issuer, issuer.address, params);
      await expect(tx)
        .to.emit(rights, "CollectionCreated")
        .withArgs(2n, issuer.address, params.contentHash, issuer.address, params.metadataCID, params.complianceRef);
      const createdAt = await minedAt(await tx);
      const c = await rights.getCollection(2n);
      expect({
        issuer: c.issuer,
        holdingPeriod: c.holdingPeriod,
        minted: c.minted,
        maxSupply: c.maxSupply,
        mode: c.mode,
        minLevel: c.minLevel,
        royaltyReceiver: c.royaltyReceiver,
        royaltyBps: c.royaltyBps,
        rights: c.rights,
        burned: c.burned,
        createdAt: c.createdAt,
        contentHash: c.contentHash,
        complianceRef: c.complianceRef,
        metadataComplianceRef: c.metadataComplianceRef,
        metadataCID: c.metadataCID,
        licenceCID: c.licenceCID,
      }).to.deep.equal({
        issuer: issuer.address,
        holdingPeriod: BigInt(7 * DAY),
        minted: 0n,
        maxSupply: 42n,
        mode: BigInt(MODE.Locked),
        minLevel: BigInt(LEVEL.ENTERPRISE),
        royaltyReceiver: carol.address,
        royaltyBps: 750n,
        rights: 15n,
        burned: 0n,
        createdAt,
        contentHash: params.contentHash,
        complianceRef: params.complianceRef,
        metadataComplianceRef: ethers.ZeroHash,
        metadataCID: params.metadataCID,
        licenceCID: params.licenceCID,
      });
      expect(await rights.collectionCount()).to.equal(2n);
      expect(await rights.isComplianceRefUsed(params.complianceRef)).to.equal(true);
      expect(await rights.collectionOfContent(params.contentHash)).to.equal(2n);
      expect(await rights.totalSupply(2n)).to.equal(0n);
    });

    it("an OPERATOR creates for an issuer: the event records both, the collection belongs to the issuer", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, operator } = f.accounts;
      const params = collectionParams({ seed: "via-operator" });
      await expect(createApproved(rights, operator, issuer.address, params))
        .to.emit(rights, "CollectionCreated")
        .withArgs(2n, issuer.address, params.contentHash, operator.address, params.metadataCID, params.complianceRef);
      expect((await rights.getCollection(2n)).issuer).to.equal(issuer.address);
    });

    it("ids are sequential from 1", async function () {
      const f = await loadFixture(rightsFixture);
      expect((await f.rights.getCollection(1n)).contentHash).to.equal(f.params.contentHash);
      for (const expected of [2n, 3n, 4n]) {
        expect(await createCollection(f, { seed: `seq-${expected}` })).to.equal(expected);
      }
    });

    describe("who may create", function () {
      for (const name of ["admin", "attestor", "regulator", "outsider", "alice", "issuer2"] as const) {
        it(`${name} (neither the issuer nor an operator) gets IssuerUnauthorizedCaller`, async function () {
          const f = await loadFixture(rightsFixture);
          const caller = name === "issuer2" ? f.issuer2 : f.accounts[name];
          const { issuer } = f.accounts;
          await expect(createApproved(f.rights, caller, issuer.address, collectionParams({ seed: "x" })))
            .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
            .withArgs(caller.address, issuer.address);
        });
      }

      it("an account without ISSUER_ROLE acting for itself gets IssuerMissingRole", async function () {
        const f = await loadFixture(rightsFixture);
        const { dave } = f.accounts;
        await expect(createApproved(f.rights, dave, dave.address, collectionParams({ seed: "x" })))
          .to.be.revertedWithCustomError(f.rights, "IssuerMissingRole")
          .withArgs(dave.address);
      });

      it("an operator acting for an address without ISSUER_ROLE gets IssuerMissingRole", async function () {
        const f = await loadFixture(rightsFixture);
        const { operator, alice } = f.accounts;
        for (const who of [alice.address, operator.address, ethers.ZeroAddress]) {
          await expect(createApproved(f.rights, operator, who, collectionParams({ seed: "x" })))
            .to.be.revertedWithCustomError(f.rights, "IssuerMissingRole")
            .withArgs(who);
        }
      });
    });

    describe("IssuerNotVerified (licensed issuer, level 4, now)", function () {
      it("when the issuer's identity is suspended (and again after reinstatement it works)", async function () {
        const f = await loadFixture(rightsFixture);
        const { identity, rights, ids } = f;
        const { regulator, issuer, operator } = f.accounts;
        await identity.connect(regulator).suspendIdentity(ids.issuer, code("audit"));
        const params = collectionParams({ seed: "x" });
        await expect(createApproved(rights, issuer, issuer.address, params))
          .to.be.revertedWithCustomError(rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
        await expect(createApproved(rights, operator, issuer.address, params))
          .to.be.revertedWithCustomError(rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
        await identity.connect(regulator).reinstateIdentity(ids.issuer, code("cleared"));
        await expect(createApproved(rights, issuer, issuer.address, params)).to.emit(
          rights,
          "CollectionCreated"
        );
      });

      it("when the issuer's identity is revoked", async function () {
        const f = await loadFixture(rightsFixture);
        const { regulator, issuer } = f.accounts;
        await f.identity.connect(regulator).revokeIdentity(f.ids.issuer, code("fraud"));
        await expect(createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x" })))
          .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
      });

      it("when the issuer's identity has expired", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        await time.increaseTo(f.expiresAt);
        await expect(createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x" })))
          .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
      });

      it("when the issuer's level is below 4", async function () {
        const f = await loadFixture(rightsFixture);
        const { attestor, issuer } = f.accounts;
        await f.identity
          .connect(attestor)
          .updateIdentity(f.ids.issuer, LEVEL.ENTERPRISE, 156, ethers.id("kyc:downgrade"), code("licence-lapsed"));
        await expect(createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x" })))
          .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
      });

      it("when the ISSUER_ROLE holder has no identity at all", async function () {
        const f = await loadFixture(rightsFixture);
        const { admin, outsider } = f.accounts;
        await f.rights.connect(admin).grantRole(ROLES.ISSUER, outsider.address);
        await expect(createApproved(f.rights, outsider, outsider.address, collectionParams({ seed: "x" })))
          .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
          .withArgs(outsider.address, LEVEL.LICENSED_ISSUER);
      });
    });

    describe("parameter validation", function () {
      it("CollectionMissingHash for a zero content hash or a zero compliance reference", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        for (const bad of [
          collectionParams({ seed: "x", contentHash: ethers.ZeroHash }),
          collectionParams({ seed: "x", complianceRef: ethers.ZeroHash }),
        ]) {
          await expect(createApproved(f.rights, issuer, issuer.address, bad))
            .to.be.revertedWithCustomError(f.rights, "CollectionMissingHash")
            .withArgs();
        }
      });

      it("CollectionEmptyCID for an empty metadata CID or an empty licence CID", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        for (const bad of [
          collectionParams({ seed: "x", metadataCID: "" }),
          collectionParams({ seed: "x", licenceCID: "" }),
        ]) {
          await expect(createApproved(f.rights, issuer, issuer.address, bad))
            .to.be.revertedWithCustomError(f.rights, "CollectionEmptyCID")
            .withArgs();
        }
      });

      it("CollectionContentAlreadyRegistered names the collection holding the hash, whoever tries (first registration wins)", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer, operator } = f.accounts;
        await createCollection(f, { seed: "second" });
        const dupOfSecond = collectionParams({
          seed: "second",
          metadataCID: "other",
          complianceRef: ethers.id("other"),
        });
        await expect(createApproved(f.rights, issuer, issuer.address, dupOfSecond))
          .to.be.revertedWithCustomError(f.rights, "CollectionContentAlreadyRegistered")
          .withArgs(dupOfSecond.contentHash, 2n);
        await expect(createApproved(f.rights, f.issuer2, f.issuer2.address, collectionParams()))
          .to.be.revertedWithCustomError(f.rights, "CollectionContentAlreadyRegistered")
          .withArgs(f.params.contentHash, 1n);
        await expect(createApproved(f.rights, operator, issuer.address, collectionParams()))
          .to.be.revertedWithCustomError(f.rights, "CollectionContentAlreadyRegistered")
          .withArgs(f.params.contentHash, 1n);
      });

      it("CollectionInvalidMaxSupply for 0 and for 2^24 (limit 2^24 - 1)", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        for (const maxSupply of [0, 2 ** 24, 2 ** 32 - 1]) {
          await expect(
            createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x", maxSupply }))
          )
            .to.be.revertedWithCustomError(f.rights, "CollectionInvalidMaxSupply")
            .withArgs(maxSupply, UINT24_MAX);
        }
      });

      it("accepts maxSupply 1 and 2^24 - 1", async function () {
        const f = await loadFixture(rightsFixture);
        const a = await createCollection(f, { seed: "one", maxSupply: 1 });
        const b = await createCollection(f, { seed: "max", maxSupply: UINT24_MAX });
        expect((await f.rights.getCollection(a)).maxSupply).to.equal(1n);
        expect((await f.rights.getCollection(b)).maxSupply).to.equal(BigInt(UINT24_MAX));
      });

      it("CollectionInvalidRoyalty for bps above 10,000 and for bps > 0 with no receiver", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer, carol } = f.accounts;
        const cases: Array<[string, number]> = [
          [carol.address, 10_001],
          [carol.address, 65_535],
          [ethers.ZeroAddress, 1],
          [ethers.ZeroAddress, 10_001],
        ];
        for (const [royaltyReceiver, royaltyBps] of cases) {
          await expect(
            createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x", royaltyReceiver, royaltyBps }))
          )
            .to.be.revertedWithCustomError(f.rights, "CollectionInvalidRoyalty")
            .withArgs(royaltyReceiver, royaltyBps);
        }
      });

      it("accepts 10,000 bps with a receiver, and 0 bps with or without a receiver", async function () {
        const f = await loadFixture(rightsFixture);
        const { carol } = f.accounts;
        await createCollection(f, { seed: "a", royaltyReceiver: carol.address, royaltyBps: 10_000 });
        await createCollection(f, { seed: "b", royaltyReceiver: ethers.ZeroAddress, royaltyBps: 0 });
        const c = await createCollection(f, { seed: "c", royaltyReceiver: carol.address, royaltyBps: 0 });
        expect(await f.rights.royaltyInfo(tokenIdOf(c, 1), 1000n)).to.deep.equal([carol.address, 0n]);
      });

      it("CollectionInvalidRights for 0 and for bits outside 0x0F", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        for (const rights of [0, 0x10, 0x1f, 0x80, 0xff]) {
          await expect(
            createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x", rights }))
          )
            .to.be.revertedWithCustomError(f.rights, "CollectionInvalidRights")
            .withArgs(rights);
        }
      });

      it("accepts every rights mask from 1 to 0x0F", async function () {
        const f = await loadFixture(rightsFixture);
        for (let rights = 1; rights <= 0x0f; rights++) {
          const id = await createCollection(f, { seed: `rights-${rights}`, rights });
          expect((await f.rights.getCollection(id)).rights).to.equal(BigInt(rights));
        }
      });

      it("CollectionInvalidMinLevel for 0 and 5 (and 255)", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        for (const minLevel of [0, 5, 255]) {
          await expect(
            createApproved(f.rights, issuer, issuer.address, collectionParams({ seed: "x", minLevel }))
          )
            .to.be.revertedWithCustomError(f.rights, "CollectionInvalidMinLevel")
            .withArgs(minLevel);
        }
      });

      it("accepts minLevel 1 to 4", async function () {
        const f = await loadFixture(rightsFixture);
        for (const minLevel of [1, 2, 3, 4]) {
          const id = await createCollection(f, { seed: `level-${minLevel}`, minLevel });
          expect((await f.rights.getCollection(id)).minLevel).to.equal(BigInt(minLevel));
        }
      });

      it("checks the caller before the parameters, and the parameters in the documented order", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer, outsider } = f.accounts;
        const allBad = collectionParams({
          contentHash: ethers.ZeroHash,
          metadataCID: "",
          maxSupply: 0,
          royaltyBps: 20_000,
          rights: 0,
          minLevel: 0,
        });
        await expect(createApproved(f.rights, outsider, issuer.address, allBad))
          .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
          .withArgs(outsider.address, issuer.address);
        await expect(createApproved(f.rights, issuer, issuer.address, allBad))
          .to.be.revertedWithCustomError(f.rights, "CollectionMissingHash")
          .withArgs();
        // A taken hash is reported before the numeric fields are looked at.
        await expect(
          createApproved(f.rights, issuer, issuer.address, collectionParams({ maxSupply: 0, rights: 0 }))
        )
          .to.be.revertedWithCustomError(f.rights, "CollectionContentAlreadyRegistered")
          .withArgs(f.params.contentHash, 1n);
      });

      it("a rejected creation registers nothing", async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer } = f.accounts;
        const bad = collectionParams({ seed: "rejected", minLevel: 9 });
        await expect(createApproved(f.rights, issuer, issuer.address, bad))
          .to.be.revertedWithCustomError(f.rights, "CollectionInvalidMinLevel")
          .withArgs(9);
        expect(await f.rights.collectionOfContent(bad.contentHash)).to.equal(0n);
        expect(await f.rights.collectionCount()).to.equal(1n);
        expect(await f.rights.isComplianceRefUsed(bad.complianceRef)).to.equal(false);
      });
    });
  });

  describe("setMetadataCID", function () {
    it("the issuer updates the CID: CollectionMetadataUpdated with its complianceRef + BatchMetadataUpdate over the collection's id range", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, tokenIds } = f;
      const { issuer } = f.accounts;
      const ref = ethers.id("decision:metadata-v2");
      const tx = setMetadata(f, issuer, 1n, "bafkreinewmetadata", ref);
      await expect(tx)
        .to.emit(rights, "CollectionMetadataUpdated")
        .withArgs(1n, issuer.address, "bafkreinewmetadata", ref);
      await expect(tx).to.emit(rights, "BatchMetadataUpdate").withArgs(tokenIdOf(1, 1), tokenIdOf(1, 100));
      const c = await rights.getCollection(1n);
      expect([c.metadataCID, c.metadataComplianceRef, c.complianceRef]).to.deep.equal([
        "bafkreinewmetadata",
        ref,
        f.params.complianceRef,
      ]);
      expect(await rights.isComplianceRefUsed(ref)).to.equal(true);
      for (const id of tokenIds) expect(await rights.tokenURI(id)).to.equal("ipfs://bafkreinewmetadata");
      // The licence CID is untouched.
      expect((await rights.getCollection(1n)).licenceCID).to.equal(f.params.licenceCID);
    });

    it("an OPERATOR updates it for the issuer; the event names the issuer", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, operator } = f.accounts;
      const ref = ethers.id("decision:via-operator");
      await expect(setMetadata(f, operator, 1n, "bafkreiv2", ref))
        .to.emit(f.rights, "CollectionMetadataUpdated")
        .withArgs(1n, issuer.address, "bafkreiv2", ref);
    });

    it("the range follows the collection's id and maxSupply", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      const id = await createCollection(f, { seed: "small", maxSupply: 7 });
      await expect(setMetadata(f, issuer, id, "bafkreiv2"))
        .to.emit(f.rights, "BatchMetadataUpdate")
        .withArgs(tokenIdOf(id, 1), tokenIdOf(id, 7));
    });

    it("CollectionNotFound for an unknown collection", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      for (const id of [0n, 2n]) {
        await expect(setMetadata(f, issuer, id, "bafkreiv2"))
          .to.be.revertedWithCustomError(f.rights, "CollectionNotFound")
          .withArgs(id);
      }
    });

    it("IssuerUnauthorizedCaller when anyone but the collection's issuer or an operator calls, other issuers included", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, outsider, alice, admin, regulator } = f.accounts;
      for (const caller of [f.issuer2, outsider, alice, admin, regulator]) {
        await expect(setMetadata(f, caller, 1n, "bafkreiv2"))
          .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
          .withArgs(caller.address, issuer.address);
      }
    });

    it("the issuer must still hold ISSUER_ROLE and be verified at level 4", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, admin, regulator } = f.accounts;
      await f.identity.connect(regulator).suspendIdentity(f.ids.issuer, code("REVIEW"));
      await expect(setMetadata(f, issuer, 1n, "bafkreiv2"))
        .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
        .withArgs(issuer.address, 4);
      await f.identity.connect(regulator).reinstateIdentity(f.ids.issuer, code("CLEARED"));
      await f.rights.connect(admin).revokeRole(await f.rights.ISSUER_ROLE(), issuer.address);
      await expect(setMetadata(f, issuer, 1n, "bafkreiv2"))
        .to.be.revertedWithCustomError(f.rights, "IssuerMissingRole")
        .withArgs(issuer.address);
    });

    it("CollectionEmptyCID for an empty CID", async function () {
      const f = await loadFixture(rightsFixture);
      await expect(setMetadata(f, f.accounts.issuer, 1n, ""))
        .to.be.revertedWithCustomError(f.rights, "CollectionEmptyCID")
        .withArgs();
    });

    it("CollectionMetadataUnchanged for the current CID", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      await expect(setMetadata(f, issuer, 1n, f.params.metadataCID as string))
        .to.be.revertedWithCustomError(f.rights, "CollectionMetadataUnchanged")
        .withArgs(1n);
      await setMetadata(f, issuer, 1n, "bafkreiv2");
      await expect(setMetadata(f, issuer, 1n, "bafkreiv2"))
        .to.be.revertedWithCustomError(f.rights, "CollectionMetadataUnchanged")
        .withArgs(1n);
      // Going back to the first CID is a change.
      await expect(setMetadata(f, issuer, 1n, f.params.metadataCID as string)).to.emit(
        f.rights,
        "CollectionMetadataUpdated"
      );
    });
  });
});
