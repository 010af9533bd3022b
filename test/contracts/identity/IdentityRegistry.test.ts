import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { IdentityRegistry } from "../../../typechain-types";
import type { IIdentityRegistry } from "../../../typechain-types/contracts/identity/IdentityRegistry";
import {
  DEFAULT_ADMIN_ROLE,
  id,
  now,
  shouldBehaveLikeDefaultAdminRules,
  shouldBehaveLikeRoleAdmin,
  shouldRejectWrongRoles,
} from "../helpers/roles";

const ATTESTOR_ROLE = id("ATTESTOR_ROLE");
const REGULATOR_ROLE = id("REGULATOR_ROLE");
const MAX_LEVEL = 4n;
const MAX_WALLETS = 16n;
const ONE_DAY = 24n * 60n * 60n;
const ONE_YEAR = 365n * ONE_DAY;
const CHINA = 156;

/** Values of `IIdentityRegistry.IdentityStatus`. */
const Status = { None: 0n, Active: 1n, Suspended: 2n, Revoked: 3n } as const;

const ALICE_ID = id("identity:alice");
const BOB_ID = id("identity:bob");
const UNKNOWN_ID = id("identity:unknown");
const ALICE_DOSSIER = id("kyc-dossier:alice:v1");
const BOB_DOSSIER = id("kyc-dossier:bob:v1");
const REASON = ethers.encodeBytes32String("annual review");
const NO_REASON = ethers.ZeroHash;

/** Addresses that own no key: extra wallets for the MAX_WALLETS tests. */
function extraWallet(i: number): string {
  return ethers.getAddress(ethers.toBeHex(0xa11ce00000n + BigInt(i), 20));
}

// ─── Fixtures ───────────────────────────────────────────────────────────────────────────────

/** Deploys the registry with `admin` as admin, two attestors and one regulator. Nothing registered. */
async function deployIdentityRegistryFixture() {
  const [admin, attestor, attestor2, regulator, outsider, alice, alice2, bob, carol] = await ethers.getSigners();
  const identity = await ethers.deployContract("IdentityRegistry", [0, admin.address]);
  await identity.waitForDeployment();
  await identity.connect(admin).grantRole(ATTESTOR_ROLE, attestor.address);
  await identity.connect(admin).grantRole(ATTESTOR_ROLE, attestor2.address);
  await identity.connect(admin).grantRole(REGULATOR_ROLE, regulator.address);
  return {
    contracts: { identity },
    accounts: { admin, attestor, attestor2, regulator, outsider, alice, alice2, bob, carol },
  };
}

/**
 * On top of {deployIdentityRegistryFixture}: Alice (level 2, real-name individual) and Bob (level 3,
 * enterprise), both in China, registered by `attestor` and valid for one year.
 */
async function registeredIdentitiesFixture() {
  const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
  const { identity } = contracts;
  const { attestor, alice, bob } = accounts;
  const expiresAt = (await now()) + ONE_YEAR;
  await identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, expiresAt, ALICE_DOSSIER);
  await identity.connect(attestor).registerIdentity(BOB_ID, bob.address, 3, CHINA, expiresAt, BOB_DOSSIER);
  return { contracts, accounts, expiresAt };
}

// ─── Assertion helpers ──────────────────────────────────────────────────────────────────────

interface ExpectedIdentity {
  level: number | bigint;
  jurisdiction: number | bigint;
  expiresAt: bigint;
  status: bigint;
  attestor: string;
  evidenceHash: string;
  walletCount: number | bigint;
}

async function expectIdentity(identity: IdentityRegistry, identityId: string, expected: ExpectedIdentity) {
  const r = await identity.getIdentity(identityId);
  expect({
    level: r.level,
    jurisdiction: r.jurisdiction,
    expiresAt: r.expiresAt,
    status: r.status,
    attestor: r.attestor,
    evidenceHash: r.evidenceHash,
    walletCount: r.walletCount,
  }).to.deep.equal({
    level: BigInt(expected.level),
    jurisdiction: BigInt(expected.jurisdiction),
    expiresAt: expected.expiresAt,
    status: expected.status,
    attestor: expected.attestor,
    evidenceHash: expected.evidenceHash,
    walletCount: BigInt(expected.walletCount),
  });
}

async function expectStatus(identity: IdentityRegistry, identityId: string, status: bigint) {
  expect((await identity.getIdentity(identityId)).status).to.equal(status);
}

/** Asserts the wallet set of an identity (order is unspecified) and its walletCount. */
async function expectWallets(identity: IdentityRegistry, identityId: string, wallets: string[]) {
  expect([...(await identity.walletsOf(identityId))]).to.have.members(wallets).and.to.have.lengthOf(wallets.length);
  expect((await identity.getIdentity(identityId)).walletCount).to.equal(BigInt(wallets.length));
  for (const w of wallets) expect(await identity.identityOf(w)).to.equal(identityId);
}

function registration(
  identityId: string,
  wallet: string,
  expiresAt: bigint,
  overrides: Partial<IIdentityRegistry.IdentityRegistrationStruct> = {},
): IIdentityRegistry.IdentityRegistrationStruct {
  return { identityId, wallet, level: 2, jurisdiction: CHINA, expiresAt, evidenceHash: id(`dossier:${identityId}`), ...overrides };
}

describe("IdentityRegistry", function () {
  // ─── Deployment ─────────────────────────────────────────────────────────────────────────

  describe("deployment", function () {
    it("exposes the role ids and limits of the interface", async function () {
      const { contracts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      expect(await identity.ATTESTOR_ROLE()).to.equal(ATTESTOR_ROLE);
      expect(await identity.REGULATOR_ROLE()).to.equal(REGULATOR_ROLE);
      expect(await identity.DEFAULT_ADMIN_ROLE()).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await identity.LEVEL_LICENSED_ISSUER()).to.equal(MAX_LEVEL);
      expect(await identity.MAX_WALLETS()).to.equal(MAX_WALLETS);
    });

    it("gives DEFAULT_ADMIN_ROLE to the constructor's admin only, and no operational role", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { admin, attestor, regulator, outsider } = accounts;
      expect(await identity.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.true;
      expect(await identity.hasRole(ATTESTOR_ROLE, admin.address)).to.be.false;
      expect(await identity.hasRole(REGULATOR_ROLE, admin.address)).to.be.false;
      for (const s of [attestor, regulator, outsider]) {
        expect(await identity.hasRole(DEFAULT_ADMIN_ROLE, s.address)).to.be.false;
      }
    });

    it("can be deployed with an admin other than the deployer", async function () {
      const { accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { admin, outsider } = accounts;
      const other = await ethers.deployContract("IdentityRegistry", [0, outsider.address], admin);
      expect(await other.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.be.true;
      expect(await other.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.false;
    });

    it("the fixture grants ATTESTOR_ROLE and REGULATOR_ROLE to the named signers only", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, attestor2, regulator, outsider } = accounts;
      expect(await identity.hasRole(ATTESTOR_ROLE, attestor.address)).to.be.true;
      expect(await identity.hasRole(ATTESTOR_ROLE, attestor2.address)).to.be.true;
      expect(await identity.hasRole(REGULATOR_ROLE, regulator.address)).to.be.true;
      expect(await identity.hasRole(REGULATOR_ROLE, attestor.address)).to.be.false;
      expect(await identity.hasRole(ATTESTOR_ROLE, regulator.address)).to.be.false;
      expect(await identity.hasRole(ATTESTOR_ROLE, outsider.address)).to.be.false;
      expect(await identity.hasRole(REGULATOR_ROLE, outsider.address)).to.be.false;
    });
  });

  // ─── Access control ─────────────────────────────────────────────────────────────────────

  describe("role administration", function () {
    const ctx = (role: string) => async () => {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      return { contract: contracts.identity, signers: accounts, role };
    };
    shouldBehaveLikeRoleAdmin(
      "ATTESTOR_ROLE",
      { admin: "admin", grantee: "outsider", nonAdmins: ["attestor", "regulator", "outsider"] },
      ctx(ATTESTOR_ROLE),
    );
    shouldBehaveLikeRoleAdmin(
      "REGULATOR_ROLE",
      { admin: "admin", grantee: "outsider", nonAdmins: ["attestor", "regulator", "outsider"] },
      ctx(REGULATOR_ROLE),
    );
    shouldBehaveLikeDefaultAdminRules((delay, admin) => ethers.deployContract("IdentityRegistry", [delay, admin]));

    it("a newly granted attestor can register, and a revoked attestor no longer can", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { admin, outsider, attestor, carol } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      await identity.connect(admin).grantRole(ATTESTOR_ROLE, outsider.address);
      await expect(identity.connect(outsider).registerIdentity(id("c"), carol.address, 1, CHINA, expiresAt, ALICE_DOSSIER))
        .to.emit(identity, "IdentityRegistered")
        .withArgs(id("c"), carol.address, outsider.address, 1, CHINA, expiresAt, ALICE_DOSSIER);

      await identity.connect(admin).revokeRole(ATTESTOR_ROLE, attestor.address);
      await expect(identity.connect(attestor).registerIdentity(id("d"), extraWallet(0), 1, CHINA, expiresAt, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "AccessControlUnauthorizedAccount")
        .withArgs(attestor.address, ATTESTOR_ROLE);
    });

    it("a regulator who renounces REGULATOR_ROLE can no longer suspend", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await expect(identity.connect(regulator).renounceRole(REGULATOR_ROLE, regulator.address))
        .to.emit(identity, "RoleRevoked")
        .withArgs(REGULATOR_ROLE, regulator.address, regulator.address);
      await expect(identity.connect(regulator).suspendIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "AccessControlUnauthorizedAccount")
        .withArgs(regulator.address, REGULATOR_ROLE);
    });
  });

  describe("role boundaries", function () {
    const ctx = (role: string) => async () => {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      return { contract: contracts.identity, signers: accounts, role };
    };
    const attestorOnly = { wrong: ["regulator", "outsider", "admin", "alice"], allowed: "attestor" };
    const regulatorOnly = { wrong: ["attestor", "outsider", "admin", "alice"], allowed: "regulator" };
    // Every call below is valid in the registered fixture, so only the caller's role makes it revert.
    const farFuture = 4_000_000_000n;

    describe("attestor functions", function () {
      shouldRejectWrongRoles("registerIdentity", attestorOnly, ctx(ATTESTOR_ROLE), (c, s) =>
        c.connect(s).registerIdentity(id("new"), extraWallet(1), 2, CHINA, farFuture, ALICE_DOSSIER),
      );
      shouldRejectWrongRoles("batchRegisterIdentities", attestorOnly, ctx(ATTESTOR_ROLE), (c, s) =>
        c.connect(s).batchRegisterIdentities([registration(id("new"), extraWallet(1), farFuture)]),
      );
      shouldRejectWrongRoles("updateIdentity", attestorOnly, ctx(ATTESTOR_ROLE), (c, s) =>
        c.connect(s).updateIdentity(ALICE_ID, 3, CHINA, ALICE_DOSSIER, REASON),
      );
      shouldRejectWrongRoles("renewIdentity", attestorOnly, ctx(ATTESTOR_ROLE), (c, s) =>
        c.connect(s).renewIdentity(ALICE_ID, farFuture, ALICE_DOSSIER, REASON),
      );
      shouldRejectWrongRoles("linkWallet", attestorOnly, ctx(ATTESTOR_ROLE), (c, s) =>
        c.connect(s).linkWallet(ALICE_ID, extraWallet(1), REASON),
      );
      // unlink needs a linked wallet for the allowed call to succeed; the regulator may unlink too.
      shouldRejectWrongRoles(
        "unlinkWallet",
        { wrong: ["outsider", "admin", "alice"], allowed: "attestor" },
        async () => {
          const c = await ctx(ATTESTOR_ROLE)();
          await c.contract.connect(c.signers.attestor).linkWallet(ALICE_ID, extraWallet(2), REASON);
          return c;
        },
        (c, s) => c.connect(s).unlinkWallet(extraWallet(2), REASON),
      );
    });

    describe("regulator functions", function () {
      shouldRejectWrongRoles("suspendIdentity", regulatorOnly, ctx(REGULATOR_ROLE), (c, s) =>
        c.connect(s).suspendIdentity(ALICE_ID, REASON),
      );
      shouldRejectWrongRoles("revokeIdentity", regulatorOnly, ctx(REGULATOR_ROLE), (c, s) =>
        c.connect(s).revokeIdentity(ALICE_ID, REASON),
      );
      // reinstate needs a suspended identity for the allowed call to succeed.
      shouldRejectWrongRoles(
        "reinstateIdentity",
        regulatorOnly,
        async () => {
          const c = await ctx(REGULATOR_ROLE)();
          await c.contract.connect(c.signers.regulator).suspendIdentity(ALICE_ID, REASON);
          return c;
        },
        (c, s) => c.connect(s).reinstateIdentity(ALICE_ID, REASON),
      );
    });
  });

  // ─── registerIdentity ───────────────────────────────────────────────────────────────────

  describe("registerIdentity", function () {
    it("stores the identity, links its first wallet and emits IdentityRegistered then WalletLinked", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;

      const tx = identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, expiresAt, ALICE_DOSSIER);
      await expect(tx)
        .to.emit(identity, "IdentityRegistered")
        .withArgs(ALICE_ID, alice.address, attestor.address, 2, CHINA, expiresAt, ALICE_DOSSIER);
      await expect(tx).to.emit(identity, "WalletLinked").withArgs(ALICE_ID, alice.address, attestor.address, NO_REASON);

      await expectIdentity(identity, ALICE_ID, {
        level: 2,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Active,
        attestor: attestor.address,
        evidenceHash: ALICE_DOSSIER,
        walletCount: 1,
      });
      expect(await identity.walletsOf(ALICE_ID)).to.deep.equal([alice.address]);
      expect(await identity.identityOf(alice.address)).to.equal(ALICE_ID);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
    });

    it("emits IdentityRegistered before WalletLinked in the same transaction", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const tx = await identity
        .connect(attestor)
        .registerIdentity(ALICE_ID, alice.address, 2, CHINA, (await now()) + ONE_YEAR, ALICE_DOSSIER);
      const receipt = await tx.wait();
      const names = receipt!.logs.map((l) => identity.interface.parseLog(l)?.name);
      expect(names).to.deep.equal(["IdentityRegistered", "WalletLinked"]);
    });

    it("accepts every level from 0 to LEVEL_LICENSED_ISSUER (4)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      for (let level = 0; level <= 4; level++) {
        await expect(
          identity.connect(attestor).registerIdentity(id(`lvl${level}`), extraWallet(level), level, CHINA, expiresAt, ALICE_DOSSIER),
        )
          .to.emit(identity, "IdentityRegistered")
          .withArgs(id(`lvl${level}`), extraWallet(level), attestor.address, level, CHINA, expiresAt, ALICE_DOSSIER);
        expect((await identity.getIdentity(id(`lvl${level}`))).level).to.equal(BigInt(level));
      }
    });

    it("accepts any jurisdiction code and a zero dossier hash (stored as given)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, carol } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      await identity.connect(attestor).registerIdentity(id("hk"), carol.address, 1, 65535, expiresAt, ethers.ZeroHash);
      await expectIdentity(identity, id("hk"), {
        level: 1,
        jurisdiction: 65535,
        expiresAt,
        status: Status.Active,
        attestor: attestor.address,
        evidenceHash: ethers.ZeroHash,
        walletCount: 1,
      });
    });

    it("reverts with IdentityIdZero for the zero id", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await expect(
        identity.connect(attestor).registerIdentity(ethers.ZeroHash, alice.address, 2, CHINA, (await now()) + ONE_YEAR, ALICE_DOSSIER),
      )
        .to.be.revertedWithCustomError(identity, "IdentityIdZero")
        .withArgs();
    });

    it("reverts with IdentityInvalidWallet for the zero address, and registers nothing", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor } = accounts;
      await expect(
        identity.connect(attestor).registerIdentity(ALICE_ID, ethers.ZeroAddress, 2, CHINA, (await now()) + ONE_YEAR, ALICE_DOSSIER),
      )
        .to.be.revertedWithCustomError(identity, "IdentityInvalidWallet")
        .withArgs(ethers.ZeroAddress);
      await expectStatus(identity, ALICE_ID, Status.None);
    });

    it("reverts with IdentityInvalidLevel(level, 4) above the licensed-issuer level", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      for (const level of [5, 255]) {
        await expect(identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, level, CHINA, expiresAt, ALICE_DOSSIER))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidLevel")
          .withArgs(level, MAX_LEVEL);
      }
    });

    it("reverts with IdentityInvalidExpiry(expiresAt, now) when expiresAt equals the block time", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const blockTime = (await now()) + 100n;
      await time.setNextBlockTimestamp(blockTime);
      await expect(identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, blockTime, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidExpiry")
        .withArgs(blockTime, blockTime);
    });

    it("reverts with IdentityInvalidExpiry(expiresAt, now) for a past expiry and for zero", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      for (const delta of [1n, 1_000n]) {
        const blockTime = (await now()) + 100n;
        const expiresAt = blockTime - delta;
        await time.setNextBlockTimestamp(blockTime);
        await expect(identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, expiresAt, ALICE_DOSSIER))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidExpiry")
          .withArgs(expiresAt, blockTime);
      }
      const blockTime = (await now()) + 100n;
      await time.setNextBlockTimestamp(blockTime);
      await expect(identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, 0, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidExpiry")
        .withArgs(0, blockTime);
    });

    it("accepts an expiry one second after the block time", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const blockTime = (await now()) + 100n;
      await time.setNextBlockTimestamp(blockTime);
      await expect(identity.connect(attestor).registerIdentity(ALICE_ID, alice.address, 2, CHINA, blockTime + 1n, ALICE_DOSSIER))
        .to.emit(identity, "IdentityRegistered")
        .withArgs(ALICE_ID, alice.address, attestor.address, 2, CHINA, blockTime + 1n, ALICE_DOSSIER);
      expect(await now()).to.equal(blockTime);
      expect(await identity.isVerified(alice.address, 0)).to.be.true;
    });

    it("reverts with IdentityAlreadyRegistered for an existing id, whatever its status", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, attestor2, regulator, carol } = accounts;
      await expect(identity.connect(attestor2).registerIdentity(ALICE_ID, carol.address, 1, CHINA, expiresAt, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "IdentityAlreadyRegistered")
        .withArgs(ALICE_ID);
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).registerIdentity(ALICE_ID, carol.address, 1, CHINA, expiresAt, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "IdentityAlreadyRegistered")
        .withArgs(ALICE_ID);
    });

    it("reverts with IdentityWalletAlreadyLinked(wallet, currentId) for a wallet of another identity", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await expect(identity.connect(attestor).registerIdentity(id("alice-again"), alice.address, 2, CHINA, expiresAt, ALICE_DOSSIER))
        .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
        .withArgs(alice.address, ALICE_ID);
      await expectStatus(identity, id("alice-again"), Status.None);
      await expectWallets(identity, ALICE_ID, [alice.address]);
    });
  });

  // ─── batchRegisterIdentities ────────────────────────────────────────────────────────────

  describe("batchRegisterIdentities", function () {
    it("reverts with IdentityEmptyBatch for no entries", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.attestor).batchRegisterIdentities([]))
        .to.be.revertedWithCustomError(identity, "IdentityEmptyBatch")
        .withArgs();
    });

    it("registers every entry and emits IdentityRegistered and WalletLinked for each", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice, bob, carol } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [
        registration(ALICE_ID, alice.address, expiresAt, { level: 2, evidenceHash: ALICE_DOSSIER }),
        registration(BOB_ID, bob.address, expiresAt + ONE_DAY, { level: 3, jurisdiction: 344, evidenceHash: BOB_DOSSIER }),
        registration(id("identity:carol"), carol.address, expiresAt + 2n * ONE_DAY, { level: 4 }),
      ];

      const tx = identity.connect(attestor).batchRegisterIdentities(entries);
      for (const e of entries) {
        await expect(tx)
          .to.emit(identity, "IdentityRegistered")
          .withArgs(e.identityId, e.wallet, attestor.address, e.level, e.jurisdiction, e.expiresAt, e.evidenceHash);
        await expect(tx).to.emit(identity, "WalletLinked").withArgs(e.identityId, e.wallet, attestor.address, NO_REASON);
      }
      const receipt = await (await tx).wait();
      expect(receipt!.logs).to.have.lengthOf(2 * entries.length);

      for (const e of entries) {
        await expectIdentity(identity, e.identityId as string, {
          level: BigInt(e.level),
          jurisdiction: BigInt(e.jurisdiction),
          expiresAt: BigInt(e.expiresAt),
          status: Status.Active,
          attestor: attestor.address,
          evidenceHash: e.evidenceHash as string,
          walletCount: 1,
        });
        await expectWallets(identity, e.identityId as string, [e.wallet as string]);
        expect(await identity.isVerified(e.wallet as string, e.level)).to.be.true;
      }
    });

    it("accepts a single entry", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const entry = registration(ALICE_ID, alice.address, (await now()) + ONE_YEAR);
      await expect(identity.connect(attestor).batchRegisterIdentities([entry]))
        .to.emit(identity, "IdentityRegistered")
        .withArgs(ALICE_ID, alice.address, attestor.address, entry.level, CHINA, entry.expiresAt, entry.evidenceHash);
      await expectWallets(identity, ALICE_ID, [alice.address]);
    });

    /** Asserts that none of `entries` left a trace. */
    async function expectNothingRegistered(identity: IdentityRegistry, entries: IIdentityRegistry.IdentityRegistrationStruct[]) {
      for (const e of entries) {
        await expectStatus(identity, e.identityId as string, Status.None);
        expect(await identity.walletsOf(e.identityId as string)).to.deep.equal([]);
        if (e.wallet !== ethers.ZeroAddress) expect(await identity.identityOf(e.wallet as string)).to.equal(ethers.ZeroHash);
      }
    }

    it("reverts the whole batch when one entry has a bad level (IdentityInvalidLevel)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice, bob, carol } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [
        registration(ALICE_ID, alice.address, expiresAt),
        registration(BOB_ID, bob.address, expiresAt, { level: 9 }),
        registration(id("identity:carol"), carol.address, expiresAt),
      ];
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidLevel")
        .withArgs(9, MAX_LEVEL);
      await expectNothingRegistered(identity, entries);
    });

    it("reverts the whole batch when the last entry has a zero id (IdentityIdZero)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice, bob } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [registration(ALICE_ID, alice.address, expiresAt), registration(ethers.ZeroHash, bob.address, expiresAt)];
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityIdZero")
        .withArgs();
      await expectNothingRegistered(identity, entries.slice(0, 1));
      expect(await identity.identityOf(bob.address)).to.equal(ethers.ZeroHash);
    });

    it("reverts the whole batch when an entry has an expired expiry (IdentityInvalidExpiry)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice, bob } = accounts;
      const blockTime = (await now()) + 100n;
      const entries = [
        registration(ALICE_ID, alice.address, blockTime + ONE_YEAR),
        registration(BOB_ID, bob.address, blockTime - 1n),
      ];
      await time.setNextBlockTimestamp(blockTime);
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidExpiry")
        .withArgs(blockTime - 1n, blockTime);
      await expectNothingRegistered(identity, entries);
    });

    it("reverts the whole batch when an entry has the zero wallet (IdentityInvalidWallet)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [registration(ALICE_ID, alice.address, expiresAt), registration(BOB_ID, ethers.ZeroAddress, expiresAt)];
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidWallet")
        .withArgs(ethers.ZeroAddress);
      await expectNothingRegistered(identity, entries);
    });

    it("reverts the whole batch when two entries share an id (IdentityAlreadyRegistered)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice, bob } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [registration(ALICE_ID, alice.address, expiresAt), registration(ALICE_ID, bob.address, expiresAt)];
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityAlreadyRegistered")
        .withArgs(ALICE_ID);
      await expectNothingRegistered(identity, entries);
    });

    it("reverts the whole batch when two entries share a wallet (IdentityWalletAlreadyLinked)", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      const entries = [registration(ALICE_ID, alice.address, expiresAt), registration(BOB_ID, alice.address, expiresAt)];
      await expect(identity.connect(attestor).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
        .withArgs(alice.address, ALICE_ID);
      await expectNothingRegistered(identity, entries);
    });

    it("reverts the whole batch when an entry reuses an already registered id, leaving it untouched", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, attestor2, carol } = accounts;
      const entries = [registration(id("identity:carol"), carol.address, expiresAt), registration(BOB_ID, extraWallet(1), expiresAt)];
      await expect(identity.connect(attestor2).batchRegisterIdentities(entries))
        .to.be.revertedWithCustomError(identity, "IdentityAlreadyRegistered")
        .withArgs(BOB_ID);
      await expectNothingRegistered(identity, entries.slice(0, 1));
      expect(await identity.identityOf(extraWallet(1))).to.equal(ethers.ZeroHash);
      await expectIdentity(identity, BOB_ID, {
        level: 3,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Active,
        attestor: attestor.address,
        evidenceHash: BOB_DOSSIER,
        walletCount: 1,
      });
    });
  });

  // ─── updateIdentity ─────────────────────────────────────────────────────────────────────

  describe("updateIdentity", function () {
    it("changes level, jurisdiction and dossier hash, makes the caller the attestor, and emits IdentityUpdated", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor2, alice } = accounts;
      const newDossier = id("kyc-dossier:alice:v2");
      await expect(identity.connect(attestor2).updateIdentity(ALICE_ID, 4, 344, newDossier, REASON))
        .to.emit(identity, "IdentityUpdated")
        .withArgs(ALICE_ID, attestor2.address, 4, 344, newDossier, REASON);
      await expectIdentity(identity, ALICE_ID, {
        level: 4,
        jurisdiction: 344,
        expiresAt, // unchanged
        status: Status.Active, // unchanged
        attestor: attestor2.address,
        evidenceHash: newDossier,
        walletCount: 1, // unchanged
      });
      expect(await identity.isVerified(alice.address, 4)).to.be.true;
    });

    it("can lower the level, which changes isVerified for higher minLevel", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
      await identity.connect(attestor).updateIdentity(ALICE_ID, 1, CHINA, ALICE_DOSSIER, REASON);
      expect(await identity.isVerified(alice.address, 1)).to.be.true;
      expect(await identity.isVerified(alice.address, 2)).to.be.false;
    });

    it("works on a suspended identity, which stays suspended", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).updateIdentity(ALICE_ID, 3, CHINA, ALICE_DOSSIER, REASON))
        .to.emit(identity, "IdentityUpdated")
        .withArgs(ALICE_ID, attestor.address, 3, CHINA, ALICE_DOSSIER, REASON);
      await expectStatus(identity, ALICE_ID, Status.Suspended);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("reverts with IdentityNotFound for an unknown id and for the zero id", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor } = accounts;
      for (const unknown of [UNKNOWN_ID, ethers.ZeroHash]) {
        await expect(identity.connect(attestor).updateIdentity(unknown, 2, CHINA, ALICE_DOSSIER, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityNotFound")
          .withArgs(unknown);
      }
    });

    it("reverts with IdentityInvalidLevel above 4", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.attestor).updateIdentity(ALICE_ID, 5, CHINA, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidLevel")
        .withArgs(5, MAX_LEVEL);
      expect((await identity.getIdentity(ALICE_ID)).level).to.equal(2n);
    });

    it("reverts with IdentityRevoked on a revoked identity", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).updateIdentity(ALICE_ID, 3, CHINA, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
    });
  });

  // ─── renewIdentity ──────────────────────────────────────────────────────────────────────

  describe("renewIdentity", function () {
    it("sets the new expiry and dossier hash, makes the caller the attestor, and emits IdentityRenewed", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor2 } = accounts;
      const newExpiry = expiresAt + ONE_YEAR;
      const newDossier = id("kyc-dossier:alice:v2");
      await expect(identity.connect(attestor2).renewIdentity(ALICE_ID, newExpiry, newDossier, REASON))
        .to.emit(identity, "IdentityRenewed")
        .withArgs(ALICE_ID, attestor2.address, newExpiry, newDossier, REASON);
      await expectIdentity(identity, ALICE_ID, {
        level: 2,
        jurisdiction: CHINA,
        expiresAt: newExpiry,
        status: Status.Active,
        attestor: attestor2.address,
        evidenceHash: newDossier,
        walletCount: 1,
      });
    });

    it("may shorten the expiry as long as it stays in the future", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const shorter = (await now()) + ONE_DAY;
      await identity.connect(attestor).renewIdentity(ALICE_ID, shorter, ALICE_DOSSIER, REASON);
      expect((await identity.getIdentity(ALICE_ID)).expiresAt).to.equal(shorter);
      await time.increaseTo(shorter);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("restores verification of an expired identity", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await time.increaseTo(expiresAt + ONE_DAY);
      expect(await identity.isVerified(alice.address, 2)).to.be.false;
      const renewed = (await now()) + ONE_YEAR;
      await expect(identity.connect(attestor).renewIdentity(ALICE_ID, renewed, ALICE_DOSSIER, REASON))
        .to.emit(identity, "IdentityRenewed")
        .withArgs(ALICE_ID, attestor.address, renewed, ALICE_DOSSIER, REASON);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
    });

    it("reverts with IdentityInvalidExpiry(expiresAt, now) for the current block time or earlier", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor } = accounts;
      for (const delta of [0n, 1n]) {
        const blockTime = (await now()) + 50n;
        await time.setNextBlockTimestamp(blockTime);
        await expect(identity.connect(attestor).renewIdentity(ALICE_ID, blockTime - delta, ALICE_DOSSIER, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidExpiry")
          .withArgs(blockTime - delta, blockTime);
      }
      expect((await identity.getIdentity(ALICE_ID)).expiresAt).to.equal(expiresAt);
    });

    it("reverts with IdentityNotFound for an unknown id", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.attestor).renewIdentity(UNKNOWN_ID, expiresAt, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("reverts with IdentityRevoked on a revoked identity", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).renewIdentity(ALICE_ID, expiresAt + ONE_YEAR, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
    });
  });

  // ─── linkWallet / unlinkWallet ──────────────────────────────────────────────────────────

  describe("linkWallet", function () {
    it("links another wallet, which verifies at once, and emits WalletLinked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor2, alice, alice2 } = accounts;
      expect(await identity.isVerified(alice2.address, 0)).to.be.false;
      await expect(identity.connect(attestor2).linkWallet(ALICE_ID, alice2.address, REASON))
        .to.emit(identity, "WalletLinked")
        .withArgs(ALICE_ID, alice2.address, attestor2.address, REASON);
      await expectWallets(identity, ALICE_ID, [alice.address, alice2.address]);
      expect(await identity.isVerified(alice2.address, 2)).to.be.true;
      // Linking does not re-attest: the attestor stays the registering one.
      expect((await identity.getIdentity(ALICE_ID)).attestor).to.equal(accounts.attestor.address);
    });

    it("reverts with IdentityInvalidWallet for the zero address", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.attestor).linkWallet(ALICE_ID, ethers.ZeroAddress, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidWallet")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts with IdentityWalletAlreadyLinked for a wallet of the same or another identity", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice, bob } = accounts;
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, alice.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
        .withArgs(alice.address, ALICE_ID);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, bob.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
        .withArgs(bob.address, BOB_ID);
      await expectWallets(identity, ALICE_ID, [alice.address]);
      await expectWallets(identity, BOB_ID, [bob.address]);
    });

    it(`accepts up to MAX_WALLETS (16) wallets, then reverts with IdentityTooManyWallets`, async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      const wallets = [alice.address];
      for (let i = 1; i < Number(MAX_WALLETS); i++) {
        await identity.connect(attestor).linkWallet(ALICE_ID, extraWallet(i), REASON);
        wallets.push(extraWallet(i));
      }
      await expectWallets(identity, ALICE_ID, wallets);
      expect(wallets).to.have.lengthOf(16);

      await expect(identity.connect(attestor).linkWallet(ALICE_ID, extraWallet(100), REASON))
        .to.be.revertedWithCustomError(identity, "IdentityTooManyWallets")
        .withArgs(ALICE_ID, MAX_WALLETS);
      expect(await identity.identityOf(extraWallet(100))).to.equal(ethers.ZeroHash);

      // Freeing a slot makes room for exactly one more.
      await identity.connect(attestor).unlinkWallet(extraWallet(1), REASON);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, extraWallet(100), REASON))
        .to.emit(identity, "WalletLinked")
        .withArgs(ALICE_ID, extraWallet(100), attestor.address, REASON);
      expect((await identity.getIdentity(ALICE_ID)).walletCount).to.equal(MAX_WALLETS);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, extraWallet(1), REASON))
        .to.be.revertedWithCustomError(identity, "IdentityTooManyWallets")
        .withArgs(ALICE_ID, MAX_WALLETS);
    });

    it("links a wallet to a suspended identity; it verifies only once the identity is reinstated", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice2 } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON))
        .to.emit(identity, "WalletLinked")
        .withArgs(ALICE_ID, alice2.address, attestor.address, REASON);
      expect(await identity.isVerified(alice2.address, 0)).to.be.false;
      await identity.connect(regulator).reinstateIdentity(ALICE_ID, REASON);
      expect(await identity.isVerified(alice2.address, 0)).to.be.true;
    });

    it("reverts with IdentityNotFound for an unknown id (even for the zero id)", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, carol } = accounts;
      for (const unknown of [UNKNOWN_ID, ethers.ZeroHash]) {
        await expect(identity.connect(attestor).linkWallet(unknown, carol.address, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityNotFound")
          .withArgs(unknown);
      }
      expect(await identity.identityOf(carol.address)).to.equal(ethers.ZeroHash);
    });

    it("reverts with IdentityRevoked on a revoked identity", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice2 } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
    });
  });

  describe("unlinkWallet", function () {
    it("unlinks the wallet, which stops verifying at once, and emits WalletUnlinked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, attestor2, alice, alice2 } = accounts;
      await identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON);
      await expect(identity.connect(attestor2).unlinkWallet(alice.address, REASON))
        .to.emit(identity, "WalletUnlinked")
        .withArgs(ALICE_ID, alice.address, attestor2.address, REASON);
      expect(await identity.identityOf(alice.address)).to.equal(ethers.ZeroHash);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
      await expectWallets(identity, ALICE_ID, [alice2.address]);
      expect(await identity.isVerified(alice2.address, 2)).to.be.true;
    });

    it("can unlink the last wallet; the identity keeps its record with walletCount 0", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await identity.connect(attestor).unlinkWallet(alice.address, NO_REASON);
      await expectWallets(identity, ALICE_ID, []);
      await expectIdentity(identity, ALICE_ID, {
        level: 2,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Active,
        attestor: attestor.address,
        evidenceHash: ALICE_DOSSIER,
        walletCount: 0,
      });
      // ... and the wallet can be linked back.
      await identity.connect(attestor).linkWallet(ALICE_ID, alice.address, REASON);
      await expectWallets(identity, ALICE_ID, [alice.address]);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
    });

    it("reverts with IdentityWalletNotLinked for a never-linked wallet, the zero address and a wallet unlinked before", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice, carol } = accounts;
      for (const w of [carol.address, ethers.ZeroAddress]) {
        await expect(identity.connect(attestor).unlinkWallet(w, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityWalletNotLinked")
          .withArgs(w);
      }
      await identity.connect(attestor).unlinkWallet(alice.address, REASON);
      await expect(identity.connect(attestor).unlinkWallet(alice.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityWalletNotLinked")
        .withArgs(alice.address);
    });

    it("the regulator may unlink too, whatever the identity's status", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, alice } = accounts;
      await expect(identity.connect(regulator).unlinkWallet(alice.address, REASON))
        .to.emit(identity, "WalletUnlinked")
        .withArgs(ALICE_ID, alice.address, regulator.address, REASON);
    });

    it("IdentityNotActive for an attestor on a wallet of a suspended or revoked identity (an attestor-regulator may)", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { admin, attestor, regulator, alice, bob } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await identity.connect(regulator).revokeIdentity(BOB_ID, REASON);
      await expect(identity.connect(attestor).unlinkWallet(alice.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotActive")
        .withArgs(ALICE_ID, Status.Suspended);
      await expect(identity.connect(attestor).unlinkWallet(bob.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotActive")
        .withArgs(BOB_ID, Status.Revoked);
      await identity.connect(admin).grantRole(REGULATOR_ROLE, attestor.address);
      await expect(identity.connect(attestor).unlinkWallet(alice.address, REASON)).to.emit(identity, "WalletUnlinked");
    });

    it("the regulator unlinks a wallet of a revoked identity, which can then be linked to another identity", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice, bob } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;

      await expect(identity.connect(regulator).unlinkWallet(alice.address, REASON))
        .to.emit(identity, "WalletUnlinked")
        .withArgs(ALICE_ID, alice.address, regulator.address, REASON);
      await expectWallets(identity, ALICE_ID, []);
      await expectStatus(identity, ALICE_ID, Status.Revoked);

      await expect(identity.connect(attestor).linkWallet(BOB_ID, alice.address, REASON))
        .to.emit(identity, "WalletLinked")
        .withArgs(BOB_ID, alice.address, attestor.address, REASON);
      await expectWallets(identity, BOB_ID, [bob.address, alice.address]);
      expect(await identity.isVerified(alice.address, 3)).to.be.true;
    });
  });

  // ─── Regulator: suspend / reinstate / revoke ────────────────────────────────────────────

  describe("suspendIdentity", function () {
    it("moves Active → Suspended, emits IdentityStatusChanged, and the wallets stop verifying", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice } = accounts;
      await expect(identity.connect(regulator).suspendIdentity(ALICE_ID, REASON))
        .to.emit(identity, "IdentityStatusChanged")
        .withArgs(ALICE_ID, regulator.address, Status.Active, Status.Suspended, REASON);
      await expectIdentity(identity, ALICE_ID, {
        level: 2,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Suspended,
        attestor: attestor.address, // the regulator does not become the attestor
        evidenceHash: ALICE_DOSSIER,
        walletCount: 1,
      });
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
      expect(await identity.identityOf(alice.address)).to.equal(ALICE_ID);
    });

    it("reverts with IdentityInvalidStatusTransition(id, Suspended, Suspended) when already suspended", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await expect(identity.connect(regulator).suspendIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Suspended, Status.Suspended);
    });

    it("reverts with IdentityInvalidStatusTransition(id, Revoked, Suspended) when revoked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(regulator).suspendIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Revoked, Status.Suspended);
    });

    it("reverts with IdentityNotFound for an unknown id", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.regulator).suspendIdentity(UNKNOWN_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotFound")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("reinstateIdentity", function () {
    it("moves Suspended → Active, emits IdentityStatusChanged, and the wallets verify again", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, alice } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      const why = ethers.encodeBytes32String("appeal upheld");
      await expect(identity.connect(regulator).reinstateIdentity(ALICE_ID, why))
        .to.emit(identity, "IdentityStatusChanged")
        .withArgs(ALICE_ID, regulator.address, Status.Suspended, Status.Active, why);
      await expectStatus(identity, ALICE_ID, Status.Active);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
    });

    it("reverts with IdentityInvalidStatusTransition(id, Active, Active) when active", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.regulator).reinstateIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Active, Status.Active);
    });

    it("reverts with IdentityInvalidStatusTransition(id, Revoked, Active) when revoked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(regulator).reinstateIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Revoked, Status.Active);
    });

    it("reverts with IdentityNotFound for an unknown id", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.regulator).reinstateIdentity(UNKNOWN_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotFound")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("revokeIdentity", function () {
    it("moves Active → Revoked and emits IdentityStatusChanged", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, alice } = accounts;
      await expect(identity.connect(regulator).revokeIdentity(ALICE_ID, REASON))
        .to.emit(identity, "IdentityStatusChanged")
        .withArgs(ALICE_ID, regulator.address, Status.Active, Status.Revoked, REASON);
      await expectStatus(identity, ALICE_ID, Status.Revoked);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("moves Suspended → Revoked and emits IdentityStatusChanged", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      await expect(identity.connect(regulator).revokeIdentity(ALICE_ID, REASON))
        .to.emit(identity, "IdentityStatusChanged")
        .withArgs(ALICE_ID, regulator.address, Status.Suspended, Status.Revoked, REASON);
      await expectStatus(identity, ALICE_ID, Status.Revoked);
    });

    it("reverts with IdentityInvalidStatusTransition(id, Revoked, Revoked) when already revoked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expect(identity.connect(regulator).revokeIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Revoked, Status.Revoked);
    });

    it("reverts with IdentityNotFound for an unknown id", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      await expect(identity.connect(accounts.regulator).revokeIdentity(UNKNOWN_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("is final: the identity can no longer be updated, renewed, linked, suspended or reinstated, and keeps its data", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, regulator, alice, alice2 } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);

      await expect(identity.connect(attestor).updateIdentity(ALICE_ID, 2, CHINA, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
      await expect(identity.connect(attestor).renewIdentity(ALICE_ID, expiresAt + ONE_YEAR, ALICE_DOSSIER, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
      await expect(identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityRevoked")
        .withArgs(ALICE_ID);
      await expect(identity.connect(regulator).reinstateIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Revoked, Status.Active);
      await expect(identity.connect(regulator).suspendIdentity(ALICE_ID, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidStatusTransition")
        .withArgs(ALICE_ID, Status.Revoked, Status.Suspended);

      await expectIdentity(identity, ALICE_ID, {
        level: 2,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Revoked,
        attestor: attestor.address,
        evidenceHash: ALICE_DOSSIER,
        walletCount: 1,
      });
      expect(await identity.identityOf(alice.address)).to.equal(ALICE_ID);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("does not affect other identities", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, bob } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      await expectStatus(identity, BOB_ID, Status.Active);
      expect(await identity.isVerified(bob.address, 3)).to.be.true;
    });
  });

  // ─── isVerified ─────────────────────────────────────────────────────────────────────────

  describe("isVerified", function () {
    it("is false for a wallet that was never linked, and for the zero address", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      for (const w of [accounts.carol.address, accounts.outsider.address, ethers.ZeroAddress]) {
        expect(await identity.isVerified(w, 0)).to.be.false;
      }
    });

    it("compares the level with minLevel: true up to the identity's level, false above", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { alice, bob } = accounts;
      // Alice is level 2.
      expect(await identity.isVerified(alice.address, 0)).to.be.true;
      expect(await identity.isVerified(alice.address, 1)).to.be.true;
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
      expect(await identity.isVerified(alice.address, 3)).to.be.false;
      expect(await identity.isVerified(alice.address, 4)).to.be.false;
      // Bob is level 3.
      expect(await identity.isVerified(bob.address, 3)).to.be.true;
      expect(await identity.isVerified(bob.address, 4)).to.be.false;
    });

    it("a licensed issuer (level 4) verifies at minLevel 4 but not above; a level-0 identity only at minLevel 0", async function () {
      const { contracts, accounts } = await loadFixture(deployIdentityRegistryFixture);
      const { identity } = contracts;
      const { attestor, carol, outsider } = accounts;
      const expiresAt = (await now()) + ONE_YEAR;
      await identity.connect(attestor).registerIdentity(id("issuer"), carol.address, 4, CHINA, expiresAt, ALICE_DOSSIER);
      await identity.connect(attestor).registerIdentity(id("phone"), outsider.address, 0, CHINA, expiresAt, ALICE_DOSSIER);
      expect(await identity.isVerified(carol.address, 4)).to.be.true;
      expect(await identity.isVerified(carol.address, 5)).to.be.false;
      expect(await identity.isVerified(carol.address, 255)).to.be.false;
      expect(await identity.isVerified(outsider.address, 0)).to.be.true;
      expect(await identity.isVerified(outsider.address, 1)).to.be.false;
    });

    it("turns false exactly when block.timestamp reaches expiresAt, with no transaction", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { alice, alice2, attestor } = accounts;
      await identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON);

      await time.increaseTo(expiresAt - 1n);
      expect(await now()).to.equal(expiresAt - 1n);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
      expect(await identity.isVerified(alice2.address, 2)).to.be.true;

      await time.increaseTo(expiresAt);
      expect(await now()).to.equal(expiresAt);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
      expect(await identity.isVerified(alice2.address, 0)).to.be.false;
      // Expiry is not a status: the record still says Active.
      await expectStatus(identity, ALICE_ID, Status.Active);

      await time.increase(ONE_YEAR);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("is restored by renewIdentity after expiry, until the new expiry", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await time.increaseTo(expiresAt);
      expect(await identity.isVerified(alice.address, 2)).to.be.false;

      const renewedUntil = expiresAt + ONE_YEAR;
      await identity.connect(attestor).renewIdentity(ALICE_ID, renewedUntil, id("kyc-dossier:alice:v2"), REASON);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;

      await time.increaseTo(renewedUntil - 1n);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
      await time.increaseTo(renewedUntil);
      expect(await identity.isVerified(alice.address, 2)).to.be.false;
    });

    it("an expired identity can still be updated and linked, but stays unverified until renewed", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice2 } = accounts;
      await time.increaseTo(expiresAt + 1n);
      await identity.connect(attestor).updateIdentity(ALICE_ID, 4, CHINA, ALICE_DOSSIER, REASON);
      await identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON);
      expect(await identity.isVerified(alice2.address, 0)).to.be.false;
    });

    it("is false while suspended and true again after reinstatement", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, alice } = accounts;
      await identity.connect(regulator).suspendIdentity(ALICE_ID, REASON);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
      await identity.connect(regulator).reinstateIdentity(ALICE_ID, REASON);
      expect(await identity.isVerified(alice.address, 2)).to.be.true;
    });

    it("is false for a revoked identity even before its expiry", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { regulator, alice } = accounts;
      await identity.connect(regulator).revokeIdentity(ALICE_ID, REASON);
      expect(await now()).to.be.lessThan(expiresAt);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });

    it("is false for a wallet once unlinked", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice } = accounts;
      await identity.connect(attestor).unlinkWallet(alice.address, REASON);
      expect(await identity.isVerified(alice.address, 0)).to.be.false;
    });
  });

  // ─── Custody registries ─────────────────────────────────────────────────────────────────

  describe("custody registries", function () {
    /** {registeredIdentitiesFixture} plus two bare ERC-721 registries; alice holds token 1 of the first. */
    async function custodyFixture() {
      const f = await loadFixture(registeredIdentitiesFixture);
      const deploy = async () => {
        const registry = await ethers.deployContract("BaselineERC721");
        await registry.waitForDeployment();
        return registry;
      };
      const registryA = await deploy();
      const registryB = await deploy();
      await registryA.mint(f.accounts.alice.address, 1n);
      return { ...f, registryA, registryB };
    }

    it("starts empty; the admin sets the list (CustodyRegistriesSet), replacing it each time", async function () {
      const { contracts, accounts, registryA, registryB } = await loadFixture(custodyFixture);
      const { identity } = contracts;
      const { admin } = accounts;
      expect(await identity.MAX_CUSTODY_REGISTRIES()).to.equal(8n);
      expect(await identity.custodyRegistries()).to.deep.equal([]);
      const both = [await registryA.getAddress(), await registryB.getAddress()];
      await expect(identity.connect(admin).setCustodyRegistries(both))
        .to.emit(identity, "CustodyRegistriesSet")
        .withArgs(admin.address, both);
      expect(await identity.custodyRegistries()).to.deep.equal(both);
      await identity.connect(admin).setCustodyRegistries([both[1]]);
      expect(await identity.custodyRegistries()).to.deep.equal([both[1]]);
      await identity.connect(admin).setCustodyRegistries([]);
      expect(await identity.custodyRegistries()).to.deep.equal([]);
    });

    shouldRejectWrongRoles(
      "setCustodyRegistries",
      { wrong: ["attestor", "regulator", "outsider"], allowed: "admin" },
      async () => {
        const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
        return { contract: contracts.identity, signers: accounts, role: DEFAULT_ADMIN_ROLE };
      },
      (c, s) => c.connect(s).setCustodyRegistries([]),
    );

    it("IdentityInvalidCustodyRegistry for zero, an EOA, a non-ERC-721 contract, a duplicate, or a ninth entry", async function () {
      const { contracts, accounts, registryA } = await loadFixture(custodyFixture);
      const { identity } = contracts;
      const { admin, alice } = accounts;
      const a = await registryA.getAddress();
      const notErc721 = await identity.getAddress();
      for (const [list, bad] of [
        [[ethers.ZeroAddress], ethers.ZeroAddress],
        [[alice.address], alice.address],
        [[a, notErc721], notErc721],
        [[a, a], a],
      ] as const) {
        await expect(identity.connect(admin).setCustodyRegistries([...list]))
          .to.be.revertedWithCustomError(identity, "IdentityInvalidCustodyRegistry")
          .withArgs(bad);
      }
      const nine = Array.from({ length: 9 }, (_, i) => extraWallet(100 + i));
      await expect(identity.connect(admin).setCustodyRegistries(nine))
        .to.be.revertedWithCustomError(identity, "IdentityInvalidCustodyRegistry")
        .withArgs(nine[8]);
    });

    it("unlinkWallet refuses a wallet that holds tokens of any listed registry, for attestor and regulator alike", async function () {
      const { contracts, accounts, registryA, registryB } = await loadFixture(custodyFixture);
      const { identity } = contracts;
      const { admin, attestor, regulator, alice, bob } = accounts;
      // Not listed yet: the token does not pin the wallet.
      await identity.connect(admin).setCustodyRegistries([await registryB.getAddress()]);
      await registryB.mint(bob.address, 7n);
      await registryB.mint(bob.address, 8n);
      await identity.connect(admin).setCustodyRegistries([await registryB.getAddress(), await registryA.getAddress()]);
      for (const caller of [attestor, regulator]) {
        await expect(identity.connect(caller).unlinkWallet(alice.address, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityWalletHoldsTokens")
          .withArgs(alice.address, await registryA.getAddress(), 1n);
        await expect(identity.connect(caller).unlinkWallet(bob.address, REASON))
          .to.be.revertedWithCustomError(identity, "IdentityWalletHoldsTokens")
          .withArgs(bob.address, await registryB.getAddress(), 2n);
      }
      // Once the tokens are gone (the regulator moves them first), the wallet can be unlinked.
      await registryA.connect(alice).transferFrom(alice.address, bob.address, 1n);
      await expect(identity.connect(attestor).unlinkWallet(alice.address, REASON)).to.emit(identity, "WalletUnlinked");
    });
  });

  // ─── Views ──────────────────────────────────────────────────────────────────────────────

  describe("areVerified", function () {
    it("answers isVerified for each wallet, in order, in one call", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { alice, bob, carol, regulator } = accounts;
      const wallets = [alice.address, bob.address, carol.address, ethers.ZeroAddress];
      expect(await identity.areVerified(wallets, 2)).to.deep.equal([true, true, false, false]);
      expect(await identity.areVerified(wallets, 3)).to.deep.equal([false, true, false, false]);
      await identity.connect(regulator).suspendIdentity(BOB_ID, id("review"));
      const one = await identity.areVerified([bob.address], 0);
      expect(one).to.deep.equal([await identity.isVerified(bob.address, 0)]);
      expect(one).to.deep.equal([false]);
      expect(await identity.areVerified([], 1)).to.deep.equal([]);
    });
  });

  describe("views", function () {
    it("getIdentity returns an all-zero record with status None for an unknown id", async function () {
      const { contracts } = await loadFixture(registeredIdentitiesFixture);
      await expectIdentity(contracts.identity, UNKNOWN_ID, {
        level: 0,
        jurisdiction: 0,
        expiresAt: 0n,
        status: Status.None,
        attestor: ethers.ZeroAddress,
        evidenceHash: ethers.ZeroHash,
        walletCount: 0,
      });
    });

    it("getIdentity returns every field of a registered identity", async function () {
      const { contracts, accounts, expiresAt } = await loadFixture(registeredIdentitiesFixture);
      await expectIdentity(contracts.identity, BOB_ID, {
        level: 3,
        jurisdiction: CHINA,
        expiresAt,
        status: Status.Active,
        attestor: accounts.attestor.address,
        evidenceHash: BOB_DOSSIER,
        walletCount: 1,
      });
    });

    it("walletsOf and identityOf follow links and unlinks; unknown ids and wallets give empty answers", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice, alice2, carol } = accounts;
      expect(await identity.walletsOf(UNKNOWN_ID)).to.deep.equal([]);
      expect(await identity.identityOf(carol.address)).to.equal(ethers.ZeroHash);

      await identity.connect(attestor).linkWallet(ALICE_ID, alice2.address, REASON);
      await identity.connect(attestor).linkWallet(ALICE_ID, carol.address, REASON);
      await expectWallets(identity, ALICE_ID, [alice.address, alice2.address, carol.address]);

      await identity.connect(attestor).unlinkWallet(alice2.address, REASON);
      await expectWallets(identity, ALICE_ID, [alice.address, carol.address]);
      expect(await identity.identityOf(alice2.address)).to.equal(ethers.ZeroHash);

      await identity.connect(attestor).unlinkWallet(alice.address, REASON);
      await expectWallets(identity, ALICE_ID, [carol.address]);
      expect(await identity.identityOf(alice.address)).to.equal(ethers.ZeroHash);
    });
  });

  // ─── Lifecycle ──────────────────────────────────────────────────────────────────────────

  describe("lifecycle", function () {
    it("a wallet moves between identities only through an unlink", async function () {
      const { contracts, accounts } = await loadFixture(registeredIdentitiesFixture);
      const { identity } = contracts;
      const { attestor, alice, bob } = accounts;
      await expect(identity.connect(attestor).linkWallet(BOB_ID, alice.address, REASON))
        .to.be.revertedWithCustomError(identity, "IdentityWalletAlreadyLinked")
        .withArgs(alice.address, ALICE_ID);
      await identity.connect(attestor).unlinkWallet(alice.address, REASON);
      await identity.connect(attestor).linkWallet(BOB_ID, alice.address, REASON);
      await expectWallets(identity, BOB_ID, [bob.address, alice.address]);
      await expectWallets(identity, ALICE_ID, []);
      expect(await identity.isVerified(alice.address, 3)).to.be.true;
    });
  });
});
