import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Interface } from "ethers";
import {
  IAccessControlDefaultAdminRules__factory,
  ICollectibleRights__factory,
  IERC2981__factory,
  IERC4906__factory,
  IERC5192__factory,
  IERC5267__factory,
} from "../../../typechain-types";
import { DAY, LEVEL, MODE, RIGHTS, collectionParams, createApproved, deployRegistryFixture } from "../fixtures";
import { COMPLIANCE_KEY } from "../helpers/approvals";
import { DEFAULT_ADMIN_ROLE, shouldBehaveLikeDefaultAdminRules, shouldBehaveLikeRoleAdmin } from "../helpers/roles";
import { ROLES, createCollection, mintedFixture, minedAt, req, rightsFixture, tokenIdOf } from "./rightsFixtures";

const UINT64_MAX = 2n ** 64n - 1n;

/** XOR of the selectors of the functions `iface` has and none of `inherited` has (Solidity's interfaceId). */
function ownInterfaceId(iface: Interface, inherited: Interface[]): string {
  const inheritedSelectors = new Set<string>();
  for (const i of inherited) i.forEachFunction((fn) => inheritedSelectors.add(fn.selector));
  let id = 0n;
  iface.forEachFunction((fn) => {
    if (!inheritedSelectors.has(fn.selector)) id ^= BigInt(fn.selector);
  });
  return ethers.toBeHex(id, 4);
}

describe("CollectibleRights: deployment, roles, interfaces, ids and views", function () {
  describe("deployment", function () {
    it("has the name, symbol and identity registry it was deployed with, and starts empty and unpaused", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      const { rights, identity } = contracts;
      expect(await rights.name()).to.equal("Digital Collectibles");
      expect(await rights.symbol()).to.equal("DCOL");
      expect(await rights.identityRegistry()).to.equal(await identity.getAddress());
      expect(await rights.collectionCount()).to.equal(0n);
      expect(await rights.paused()).to.be.false;
    });

    it("starts with permissive policy floors: no holding period, 2^24 - 1 editions, both modes, level 1", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      const floors = await contracts.rights.policyFloors();
      expect([floors.minHoldingPeriod, floors.maxEditions, floors.allowedModes, floors.minHolderLevel]).to.deep.equal([
        0n,
        2n ** 24n - 1n,
        3n,
        1n,
      ]);
    });

    it("exposes the role ids as keccak256 of their names", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      expect(await contracts.rights.ISSUER_ROLE()).to.equal(ROLES.ISSUER);
      expect(await contracts.rights.OPERATOR_ROLE()).to.equal(ROLES.OPERATOR);
      expect(await contracts.rights.COMPLIANCE_SIGNER_ROLE()).to.equal(ROLES.COMPLIANCE_SIGNER);
      expect(await contracts.rights.REGULATOR_ROLE()).to.equal(ROLES.REGULATOR);
      expect(await contracts.rights.DEFAULT_ADMIN_ROLE()).to.equal(DEFAULT_ADMIN_ROLE);
    });

    it("gives DEFAULT_ADMIN_ROLE to the admin only, and each role to the accounts it was wired to", async function () {
      const { contracts, accounts } = await loadFixture(deployRegistryFixture);
      const { rights } = contracts;
      const { admin, attestor, regulator, issuer, operator, alice, outsider } = accounts;
      const expected: Array<[string, string, boolean]> = [
        [DEFAULT_ADMIN_ROLE, admin.address, true],
        [ROLES.REGULATOR, regulator.address, true],
        [ROLES.ISSUER, issuer.address, true],
        [ROLES.OPERATOR, operator.address, true],
        [ROLES.COMPLIANCE_SIGNER, COMPLIANCE_KEY.address, true],
        [ROLES.COMPLIANCE_SIGNER, operator.address, false],
        [ROLES.REGULATOR, admin.address, false],
        [ROLES.ISSUER, operator.address, false],
        [ROLES.OPERATOR, issuer.address, false],
      ];
      for (const [role, account, has] of expected) {
        expect(await rights.hasRole(role, account), `${role} ${account}`).to.equal(has);
      }
      for (const account of [attestor, alice, outsider]) {
        for (const role of [DEFAULT_ADMIN_ROLE, ROLES.ISSUER, ROLES.OPERATOR, ROLES.REGULATOR]) {
          expect(await rights.hasRole(role, account.address)).to.be.false;
        }
      }
      for (const role of [ROLES.ISSUER, ROLES.OPERATOR, ROLES.COMPLIANCE_SIGNER, ROLES.REGULATOR]) {
        expect(await rights.getRoleAdmin(role)).to.equal(DEFAULT_ADMIN_ROLE);
      }
      expect(await rights.defaultAdmin()).to.equal(admin.address);
      expect(await rights.owner()).to.equal(admin.address);
    });
  });

  describe("role administration", function () {
    const ctx = (role: string) => async () => {
      const f = await loadFixture(rightsFixture);
      return { contract: f.rights, signers: f.signers, role };
    };
    const names = {
      admin: "admin",
      grantee: "outsider",
      nonAdmins: ["attestor", "regulator", "issuer", "operator", "holder"],
    } as const;
    shouldBehaveLikeRoleAdmin("ISSUER_ROLE", names, ctx(ROLES.ISSUER));
    shouldBehaveLikeRoleAdmin("OPERATOR_ROLE", names, ctx(ROLES.OPERATOR));
    shouldBehaveLikeRoleAdmin("REGULATOR_ROLE", names, ctx(ROLES.REGULATOR));
    shouldBehaveLikeRoleAdmin("COMPLIANCE_SIGNER_ROLE", names, ctx(ROLES.COMPLIANCE_SIGNER));
    shouldBehaveLikeDefaultAdminRules(async (delay, admin) => {
      const f = await loadFixture(rightsFixture);
      const factory = await ethers.getContractFactory("CollectibleRights", {
        libraries: { CollectibleRightsLogic: await f.contracts.rightsLogic.getAddress() },
      });
      return factory.deploy(delay, admin, "Digital Collectibles", "DCOL", await f.identity.getAddress());
    });

    it("an account granted ISSUER_ROLE (and verified at level 4) can issue; once revoked it cannot", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights, issuer2 } = f;
      const { admin } = f.accounts;
      await rights.connect(admin).revokeRole(ROLES.ISSUER, issuer2.address);
      const params = collectionParams({ seed: "issuer2" });
      await expect(createApproved(rights, issuer2, issuer2.address, params))
        .to.be.revertedWithCustomError(rights, "IssuerMissingRole")
        .withArgs(issuer2.address);
      await rights.connect(admin).grantRole(ROLES.ISSUER, issuer2.address);
      await expect(createApproved(rights, issuer2, issuer2.address, params))
        .to.emit(rights, "CollectionCreated")
        .withArgs(2n, issuer2.address, params.contentHash, issuer2.address, params.metadataCID, params.complianceRef);
    });

    it("an account granted OPERATOR_ROLE can act for an issuer; once revoked it is refused", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { admin, issuer, outsider } = f.accounts;
      const params = collectionParams({ seed: "via-new-operator" });
      await expect(createApproved(rights, outsider, issuer.address, params))
        .to.be.revertedWithCustomError(rights, "IssuerUnauthorizedCaller")
        .withArgs(outsider.address, issuer.address);
      await rights.connect(admin).grantRole(ROLES.OPERATOR, outsider.address);
      await expect(createApproved(rights, outsider, issuer.address, params))
        .to.emit(rights, "CollectionCreated")
        .withArgs(2n, issuer.address, params.contentHash, outsider.address, params.metadataCID, params.complianceRef);
      await rights.connect(admin).revokeRole(ROLES.OPERATOR, outsider.address);
      await expect(rights.connect(outsider).mint(issuer.address, 2n, outsider.address, req("x")))
        .to.be.revertedWithCustomError(rights, "IssuerUnauthorizedCaller")
        .withArgs(outsider.address, issuer.address);
    });

    it("a role holder can renounce its own role", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      await expect(rights.connect(regulator).renounceRole(ROLES.REGULATOR, regulator.address))
        .to.emit(rights, "RoleRevoked")
        .withArgs(ROLES.REGULATOR, regulator.address, regulator.address);
      await expect(rights.connect(regulator).pause(ethers.ZeroHash, ethers.ZeroHash))
        .to.be.revertedWithCustomError(rights, "AccessControlUnauthorizedAccount")
        .withArgs(regulator.address, ROLES.REGULATOR);
    });
  });

  describe("ERC-165 supportsInterface", function () {
    const supported: Array<[string, string]> = [
      ["ERC-165", "0x01ffc9a7"],
      ["ERC-721", "0x80ac58cd"],
      ["ERC-721 Metadata", "0x5b5e139f"],
      ["ERC-2981", "0x2a55205a"],
      ["ERC-4906", "0x49064906"],
      ["ERC-5192", "0xb45a3c0e"],
      ["IAccessControl", "0x7965db0b"],
      ["IAccessControlDefaultAdminRules", "0x31498786"],
    ];
    for (const [label, interfaceId] of supported) {
      it(`supports ${label} (${interfaceId})`, async function () {
        const { contracts } = await loadFixture(deployRegistryFixture);
        expect(await contracts.rights.supportsInterface(interfaceId)).to.be.true;
      });
    }

    it("supports ICollectibleRights (the XOR of its own selectors)", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      const id = ownInterfaceId(ICollectibleRights__factory.createInterface(), [
        IAccessControlDefaultAdminRules__factory.createInterface(),
        IERC2981__factory.createInterface(),
        IERC4906__factory.createInterface(),
        IERC5192__factory.createInterface(),
        IERC5267__factory.createInterface(),
      ]);
      expect(id).to.not.equal("0x00000000");
      expect(await contracts.rights.supportsInterface(id)).to.be.true;
    });

    for (const interfaceId of ["0xffffffff", "0x12345678", "0x00000000", "0x780e9d63" /* ERC721Enumerable */]) {
      it(`does not support ${interfaceId}`, async function () {
        const { contracts } = await loadFixture(deployRegistryFixture);
        expect(await contracts.rights.supportsInterface(interfaceId)).to.be.false;
      });
    }
  });

  describe("token ids", function () {
    it("tokenIdOf is collectionId << 64 | serial", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      const { rights } = contracts;
      expect(await rights.tokenIdOf(1n, 1n)).to.equal((1n << 64n) + 1n);
      expect(await rights.tokenIdOf(2n, 7n)).to.equal(tokenIdOf(2, 7));
      expect(await rights.tokenIdOf(0n, 0n)).to.equal(0n);
      expect(await rights.tokenIdOf(UINT64_MAX, UINT64_MAX)).to.equal(2n ** 128n - 1n);
    });

    it("decodeTokenId inverts tokenIdOf and ignores bits above 128", async function () {
      const { contracts } = await loadFixture(deployRegistryFixture);
      const { rights } = contracts;
      for (const [c, s] of [
        [1n, 1n],
        [3n, 100n],
        [UINT64_MAX, UINT64_MAX],
        [0n, 5n],
      ]) {
        const [collectionId, serial] = await rights.decodeTokenId(tokenIdOf(c, s));
        expect([collectionId, serial]).to.deep.equal([c, s]);
      }
      const [collectionId, serial] = await rights.decodeTokenId((1n << 200n) | tokenIdOf(4, 9));
      expect([collectionId, serial]).to.deep.equal([4n, 9n]);
    });

    it("minted editions get serials 1..n under their collection's id", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, tokenIds } = f;
      const { alice, bob } = f.accounts;
      expect(tokenIds).to.deep.equal([(1n << 64n) | 1n, (1n << 64n) | 2n, (1n << 64n) | 3n]);
      expect(await rights.ownerOf(tokenIds[0])).to.equal(alice.address);
      expect(await rights.ownerOf(tokenIds[1])).to.equal(alice.address);
      expect(await rights.ownerOf(tokenIds[2])).to.equal(bob.address);
    });
  });

  describe("views", function () {
    it("getCollection returns every field as created, with minted/burned counters", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, params } = f;
      const { issuer } = f.accounts;
      const c = await rights.getCollection(1n);
      expect(c.issuer).to.equal(issuer.address);
      expect(c.holdingPeriod).to.equal(BigInt(params.holdingPeriod));
      expect(c.minted).to.equal(3n);
      expect(c.maxSupply).to.equal(100n);
      expect(c.mode).to.equal(BigInt(MODE.GiftToVerified));
      expect(c.minLevel).to.equal(BigInt(LEVEL.REAL_NAME));
      expect(c.royaltyReceiver).to.equal(issuer.address);
      expect(c.royaltyBps).to.equal(500n);
      expect(c.rights).to.equal(BigInt(RIGHTS.DISPLAY | RIGHTS.PERSONAL_USE));
      expect(c.burned).to.equal(0n);
      expect(c.createdAt).to.be.greaterThan(0n);
      expect(c.contentHash).to.equal(params.contentHash);
      expect(c.complianceRef).to.equal(params.complianceRef);
      expect(c.metadataComplianceRef).to.equal(ethers.ZeroHash);
      expect(c.metadataCID).to.equal(params.metadataCID);
      expect(c.licenceCID).to.equal(params.licenceCID);
    });

    it("getCollection and totalSupply revert with CollectionNotFound for id 0 and unknown ids", async function () {
      const { rights } = await loadFixture(rightsFixture);
      for (const id of [0n, 2n, UINT64_MAX]) {
        await expect(rights.getCollection(id)).to.be.revertedWithCustomError(rights, "CollectionNotFound").withArgs(id);
        await expect(rights.totalSupply(id)).to.be.revertedWithCustomError(rights, "CollectionNotFound").withArgs(id);
      }
    });

    it("collectionOfContent maps a registered hash to its collection and anything else to 0", async function () {
      const f = await loadFixture(rightsFixture);
      expect(await f.rights.collectionOfContent(f.params.contentHash)).to.equal(1n);
      expect(await f.rights.collectionOfContent(ethers.id("never registered"))).to.equal(0n);
      expect(await f.rights.collectionOfContent(ethers.ZeroHash)).to.equal(0n);
    });

    it("tokenState is all zero for a token that never existed; an unused nonce is unused, its word zero", async function () {
      const { rights, accounts } = await loadFixture(rightsFixture);
      const t = await rights.tokenState(tokenIdOf(1, 1));
      expect([t.owner, t.acquiredAt, t.epoch, t.frozen]).to.deep.equal([ethers.ZeroAddress, 0n, 0n, false]);
      expect(await rights.isRequestUsed(accounts.issuer.address, req("never used"))).to.equal(false);
      expect(await rights.requestBitmap(accounts.issuer.address, 0n)).to.equal(0n);
    });

    it("tokenURI is ipfs://<metadataCID> and reverts for a missing token", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, tokenIds, params } = f;
      expect(await rights.tokenURI(tokenIds[0])).to.equal(`ipfs://${params.metadataCID}`);
      expect(await rights.tokenURI(tokenIds[2])).to.equal(`ipfs://${params.metadataCID}`);
      const missing = tokenIdOf(1, 4);
      await expect(rights.tokenURI(missing))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(missing);
    });

    it("collectionCount counts the collections created", async function () {
      const f = await loadFixture(rightsFixture);
      expect(await f.rights.collectionCount()).to.equal(1n);
      expect(await createCollection(f, { seed: "second" })).to.equal(2n);
      expect(await createCollection(f, { seed: "third" })).to.equal(3n);
      expect(await f.rights.collectionCount()).to.equal(3n);
    });
  });

  describe("ERC-2981 royaltyInfo", function () {
    it("pays royaltyBps of the price to the receiver (500 bps of 10,000 → 500)", async function () {
      const f = await loadFixture(mintedFixture);
      const [receiver, amount] = await f.rights.royaltyInfo(f.tokenIds[0], 10_000n);
      expect(receiver).to.equal(f.accounts.issuer.address);
      expect(amount).to.equal(500n);
    });

    it("rounds down for prices that do not divide evenly", async function () {
      const f = await loadFixture(mintedFixture);
      const cases: Array<[bigint, bigint]> = [
        [19n, 0n], // 19 * 500 / 10000 = 0.95
        [21n, 1n], // 1.05
        [10_019n, 500n], // 500.95
        [ethers.parseEther("1") + 1n, ethers.parseEther("0.05")],
        [0n, 0n],
      ];
      for (const [price, expected] of cases) {
        const [, amount] = await f.rights.royaltyInfo(f.tokenIds[0], price);
        expect(amount, `price ${price}`).to.equal(expected);
      }
    });

    it("uses the collection of the token id (a 100% royalty collection pays the whole price)", async function () {
      const f = await loadFixture(rightsFixture);
      const { carol } = f.accounts;
      const id = await createCollection(f, { seed: "full", royaltyReceiver: carol.address, royaltyBps: 10_000 });
      const [receiver, amount] = await f.rights.royaltyInfo(tokenIdOf(id, 1), 12_345n);
      expect([receiver, amount]).to.deep.equal([carol.address, 12_345n]);
    });

    it("returns (zero address, 0) for a collection without royalty and for an unknown collection", async function () {
      const f = await loadFixture(rightsFixture);
      const id = await createCollection(f, { seed: "no-royalty" });
      expect(await f.rights.royaltyInfo(tokenIdOf(id, 1), 10_000n)).to.deep.equal([ethers.ZeroAddress, 0n]);
      expect(await f.rights.royaltyInfo(tokenIdOf(99, 1), 10_000n)).to.deep.equal([ethers.ZeroAddress, 0n]);
    });
  });

  describe("balances and ownership basics", function () {
    it("balanceOf counts tokens per holder, ownerOf names them; getApproved/isApprovedForAll start empty", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, tokenIds } = f;
      const { alice, bob, carol } = f.accounts;
      expect(await rights.balanceOf(alice.address)).to.equal(2n);
      expect(await rights.balanceOf(bob.address)).to.equal(1n);
      expect(await rights.balanceOf(carol.address)).to.equal(0n);
      for (const id of tokenIds) expect(await rights.getApproved(id)).to.equal(ethers.ZeroAddress);
      expect(await rights.isApprovedForAll(alice.address, bob.address)).to.be.false;
    });

    it("balanceOf(0) reverts ERC721InvalidOwner; ownerOf/getApproved of a missing token revert ERC721NonexistentToken", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      await expect(rights.balanceOf(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(rights, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
      for (const missing of [0n, tokenIdOf(1, 4), tokenIdOf(2, 1)]) {
        await expect(rights.ownerOf(missing))
          .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
          .withArgs(missing);
        await expect(rights.getApproved(missing))
          .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
          .withArgs(missing);
      }
    });

    it("records the mint block time as the collection's createdAt and the edition's acquiredAt", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      const params = collectionParams({ seed: "timed", holdingPeriod: 3 * DAY });
      const createdAt = await minedAt(createApproved(f.rights, issuer, issuer.address, params));
      expect((await f.rights.getCollection(2n)).createdAt).to.equal(createdAt);
      const mintedAt = await minedAt(f.rights.connect(issuer).mint(issuer.address, 2n, alice.address, req("t")));
      expect((await f.rights.tokenState(tokenIdOf(2, 1))).acquiredAt).to.equal(mintedAt);
    });
  });
});
