/**
 * Reusable behaviours and small helpers for the registry test suites, in the OpenZeppelin
 * `shouldBehaveLike…` style. Nothing in this file registers a mocha test unless one of the
 * `should…` functions is called from inside a `describe` block, so mocha can load it as a test file.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";

/** `bytes32` id of a label, e.g. a role (`id("ATTESTOR_ROLE")`) or an identity / evidence id. */
export function id(label: string): string {
  return ethers.id(label);
}

/** Timestamp of the latest mined block, as a bigint (block times are `uint64` in the contracts). */
export async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The block a transaction was mined in: its number and timestamp, as bigints. */
export async function minedIn(tx: ContractTransactionResponse): Promise<{ number: bigint; timestamp: bigint }> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("transaction was not mined");
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error(`block ${receipt.blockNumber} not found`);
  return { number: BigInt(block.number), timestamp: BigInt(block.timestamp) };
}

/** `DEFAULT_ADMIN_ROLE` of OpenZeppelin's AccessControl. */
export const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;

/**
 * Asserts that `tx` reverts with OpenZeppelin's `AccessControlUnauthorizedAccount(caller, role)`.
 * Use it for one-off checks; {shouldRejectWrongRoles} generates one test per wrong caller.
 */
export async function expectUnauthorized(
  tx: Promise<unknown>,
  contract: BaseContract,
  caller: Signer,
  role: string,
): Promise<void> {
  await expect(tx)
    .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
    .withArgs(await caller.getAddress(), role);
}

/** What a role behaviour needs from a suite's fixture. */
export interface RoleContext<C extends BaseContract> {
  /** The contract under test. */
  contract: C;
  /** Every signer a behaviour may refer to, by name (e.g. `{ admin, attestor, outsider }`). */
  signers: Record<string, Signer>;
  /** The role the call requires (the second argument of the expected error). */
  role: string;
}

/**
 * For each name in `callers.wrong`, adds a test asserting that `call`, sent by that signer, reverts with
 * `AccessControlUnauthorizedAccount(caller, role)`. When `callers.allowed` is given, also adds a test
 * asserting that the same call succeeds for that signer, which shows the revert is due to the role alone.
 *
 * @param fn Name of the function under test, for the test titles.
 * @param callers Names (keys of `RoleContext.signers`) of signers that lack the role and of one that has it.
 * @param getCtx Usually a `loadFixture(…)` wrapper; called once per test.
 * @param call Sends the transaction as `signer`, e.g. `(c, s) => c.connect(s).record(id, hash, "")`.
 *
 * @example
 * shouldRejectWrongRoles("record", { wrong: ["admin", "outsider"], allowed: "writer" },
 *   async () => { const { contracts, accounts } = await loadFixture(deploy);
 *     return { contract: contracts.evidence, signers: accounts, role: WRITER_ROLE }; },
 *   (c, s) => c.connect(s).record(id("e"), id("h"), ""));
 */
export function shouldRejectWrongRoles<C extends BaseContract>(
  fn: string,
  callers: { wrong: readonly string[]; allowed?: string },
  getCtx: () => Promise<RoleContext<C>>,
  call: (contract: C, signer: Signer) => Promise<unknown>,
): void {
  for (const name of callers.wrong) {
    it(`${fn} reverts with AccessControlUnauthorizedAccount when called by ${name}`, async function () {
      const { contract, signers, role } = await getCtx();
      const signer = signerNamed(signers, name);
      expect(await hasRole(contract, role, signer), `${name} must lack the role for this test to be meaningful`).to
        .be.false;
      await expectUnauthorized(call(contract, signer), contract, signer, role);
    });
  }
  const allowed = callers.allowed;
  if (allowed !== undefined) {
    it(`${fn} succeeds with the same arguments when called by ${allowed}`, async function () {
      const { contract, signers, role } = await getCtx();
      const signer = signerNamed(signers, allowed);
      expect(await hasRole(contract, role, signer), `${allowed} must hold the role`).to.be.true;
      await expect(call(contract, signer)).not.to.be.reverted;
    });
  }
}

/**
 * Tests of role administration: `admin` (who holds the admin role of `role`, DEFAULT_ADMIN_ROLE unless
 * the contract says otherwise) grants `role` to `grantee` and revokes it again, and every signer in
 * `nonAdmins` is refused both operations with `AccessControlUnauthorizedAccount(caller, adminRole)`.
 */
export function shouldBehaveLikeRoleAdmin<C extends BaseContract>(
  roleName: string,
  names: { admin: string; grantee: string; nonAdmins: readonly string[] },
  getCtx: () => Promise<RoleContext<C>>,
): void {
  describe(`administration of ${roleName}`, function () {
    it(`admin grants ${roleName} (RoleGranted) and revokes it (RoleRevoked)`, async function () {
      const { contract, signers, role } = await getCtx();
      const admin = signerNamed(signers, names.admin);
      const grantee = signerNamed(signers, names.grantee);
      const adminAddr = await admin.getAddress();
      const granteeAddr = await grantee.getAddress();
      const ac = accessControl(contract);
      expect(await ac.getRoleAdmin(role)).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await ac.hasRole(role, granteeAddr)).to.be.false;

      await expect(ac.connect(admin).grantRole(role, granteeAddr))
        .to.emit(contract, "RoleGranted")
        .withArgs(role, granteeAddr, adminAddr);
      expect(await ac.hasRole(role, granteeAddr)).to.be.true;

      await expect(ac.connect(admin).revokeRole(role, granteeAddr))
        .to.emit(contract, "RoleRevoked")
        .withArgs(role, granteeAddr, adminAddr);
      expect(await ac.hasRole(role, granteeAddr)).to.be.false;
    });

    for (const name of names.nonAdmins) {
      it(`${name} cannot grant or revoke ${roleName}`, async function () {
        const { contract, signers, role } = await getCtx();
        const caller = signerNamed(signers, name);
        const granteeAddr = await signerNamed(signers, names.grantee).getAddress();
        const ac = accessControl(contract);
        const adminRole = await ac.getRoleAdmin(role);
        await expectUnauthorized(ac.connect(caller).grantRole(role, granteeAddr), contract, caller, adminRole);
        await expectUnauthorized(ac.connect(caller).revokeRole(role, granteeAddr), contract, caller, adminRole);
        expect(await ac.hasRole(role, granteeAddr)).to.be.false;
      });
    }
  });
}

/** A contract deployed with AccessControlDefaultAdminRules (the three registries). */
interface DefaultAdminRulesLike extends BaseContract {
  connect(runner: Signer): DefaultAdminRulesLike;
  defaultAdmin(): Promise<string>;
  defaultAdminDelay(): Promise<bigint>;
  pendingDefaultAdmin(): Promise<[string, bigint] & { newAdmin: string; schedule: bigint }>;
  hasRole(role: string, account: string): Promise<boolean>;
  grantRole(role: string, account: string): Promise<ContractTransactionResponse>;
  revokeRole(role: string, account: string): Promise<ContractTransactionResponse>;
  beginDefaultAdminTransfer(newAdmin: string): Promise<ContractTransactionResponse>;
  cancelDefaultAdminTransfer(): Promise<ContractTransactionResponse>;
  acceptDefaultAdminTransfer(): Promise<ContractTransactionResponse>;
}

/**
 * Tests of OpenZeppelin's AccessControlDefaultAdminRules as wired in our constructors
 * `(initialAdminDelay, initialAdmin, …)`: one admin, never granted directly, handed over in two steps after
 * the delay. `deploy` deploys a fresh instance with the given delay and admin (the first Hardhat signer).
 */
export function shouldBehaveLikeDefaultAdminRules(
  deploy: (delay: number, admin: string) => Promise<BaseContract>,
): void {
  describe("DEFAULT_ADMIN_ROLE (AccessControlDefaultAdminRules)", function () {
    const DELAY = 2 * 24 * 3600;

    async function deployed() {
      const [admin, newAdmin, other] = await ethers.getSigners();
      const contract = (await deploy(DELAY, admin.address)) as DefaultAdminRulesLike;
      await contract.waitForDeployment();
      return { contract, admin, newAdmin, other };
    }

    it("the constructor sets the admin and the delay", async function () {
      const { contract, admin } = await deployed();
      expect(await contract.defaultAdmin()).to.equal(admin.address);
      expect(await contract.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.true;
      expect(await contract.defaultAdminDelay()).to.equal(BigInt(DELAY));
    });

    it("DEFAULT_ADMIN_ROLE cannot be granted or revoked directly (AccessControlEnforcedDefaultAdminRules)", async function () {
      const { contract, admin, newAdmin } = await deployed();
      await expect(contract.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, newAdmin.address))
        .to.be.revertedWithCustomError(contract, "AccessControlEnforcedDefaultAdminRules")
        .withArgs();
      await expect(contract.connect(admin).revokeRole(DEFAULT_ADMIN_ROLE, admin.address))
        .to.be.revertedWithCustomError(contract, "AccessControlEnforcedDefaultAdminRules")
        .withArgs();
    });

    it("hands over in two steps: begin, wait the delay, accept; early or foreign accepts are refused", async function () {
      const { contract, admin, newAdmin, other } = await deployed();
      await expectUnauthorized(
        contract.connect(other).beginDefaultAdminTransfer(other.address),
        contract,
        other,
        DEFAULT_ADMIN_ROLE,
      );
      const tx = await contract.connect(admin).beginDefaultAdminTransfer(newAdmin.address);
      const schedule = (await minedIn(tx)).timestamp + BigInt(DELAY);
      await expect(tx).to.emit(contract, "DefaultAdminTransferScheduled").withArgs(newAdmin.address, schedule);
      expect(await contract.pendingDefaultAdmin()).to.deep.equal([newAdmin.address, schedule]);
      await expect(contract.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(contract, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await time.increaseTo(schedule + 1n);
      await expect(contract.connect(other).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(contract, "AccessControlInvalidDefaultAdmin")
        .withArgs(other.address);
      await expect(contract.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.emit(contract, "RoleGranted")
        .withArgs(DEFAULT_ADMIN_ROLE, newAdmin.address, newAdmin.address);
      expect(await contract.defaultAdmin()).to.equal(newAdmin.address);
      expect(await contract.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.false;
    });

    it("the admin can cancel a pending hand-over", async function () {
      const { contract, admin, newAdmin } = await deployed();
      await contract.connect(admin).beginDefaultAdminTransfer(newAdmin.address);
      await expect(contract.connect(admin).cancelDefaultAdminTransfer()).to.emit(
        contract,
        "DefaultAdminTransferCanceled",
      );
      await time.increase(DELAY + 1);
      await expect(contract.connect(newAdmin).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(contract, "AccessControlInvalidDefaultAdmin")
        .withArgs(newAdmin.address);
    });
  });
}

// ─── Internals ──────────────────────────────────────────────────────────────────────────────

const ACCESS_CONTROL_ABI = [
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function getRoleAdmin(bytes32 role) view returns (bytes32)",
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
] as const;

interface AccessControlLike {
  connect(runner: Signer): AccessControlLike;
  hasRole(role: string, account: string): Promise<boolean>;
  getRoleAdmin(role: string): Promise<string>;
  grantRole(role: string, account: string): Promise<ContractTransactionResponse>;
  revokeRole(role: string, account: string): Promise<ContractTransactionResponse>;
}

/** A view of any AccessControl contract through the IAccessControl ABI, whatever its TypeChain type. */
function accessControl(contract: BaseContract): AccessControlLike {
  return new ethers.Contract(contract.target, ACCESS_CONTROL_ABI, contract.runner) as unknown as AccessControlLike;
}

async function hasRole(contract: BaseContract, role: string, signer: Signer): Promise<boolean> {
  return accessControl(contract).hasRole(role, await signer.getAddress());
}

function signerNamed(signers: Record<string, Signer>, name: string): Signer {
  const signer = signers[name];
  if (signer === undefined) throw new Error(`no signer named "${name}" in the fixture`);
  return signer;
}
