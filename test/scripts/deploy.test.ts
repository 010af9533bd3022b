/**
 * scripts/lib/deployment.ts, on the in-process Hardhat network. Run with
 *   npx hardhat test test/scripts/deploy.test.ts
 * (this file is outside hardhat.config.ts's default test folder, test/contracts).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { readFileSync as readText } from "node:fs";
import { parse as parseYaml } from "yaml";
import {
  DEFAULT_ADMIN_DELAY_SECONDS,
  DEFAULT_POLICY_FILE,
  DEPLOYMENT_COMMENT,
  DeploymentConfigError,
  FLOORS_REASON,
  deployAndRecord,
  floorsEvidenceHash,
  formatSummary,
  parseAddressList,
  policyFloorsFromYaml,
  readDeployment,
  resolveDeployConfig,
  type Deployment,
} from "../../scripts/lib/deployment";
import { DeploymentSchema } from "../../shared/deployment";

/** The floors that policy/default.yaml's anti-financialization rule gives (holding 180 days, 10,000 editions). */
const POLICY_FLOORS = { minHoldingPeriod: 180 * 24 * 3600, maxEditions: 10_000, allowedModes: 3, minHolderLevel: 1 };

const { ethers } = hre;

describe("scripts/lib/deployment", function () {
  let outDir: string;

  beforeEach(() => {
    outDir = mkdtempSync(join(tmpdir(), "registry-deploy-"));
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  describe("deployAndRecord with the default roles", function () {
    it("writes a deployment file that matches the chain", async function () {
      const signers = await ethers.getSigners();
      const { deployment, file } = await deployAndRecord(hre, { env: {}, outDir });

      expect(file).to.equal(join(outDir, "hardhat.json"));
      const written = JSON.parse(readFileSync(file, "utf8")) as Deployment;
      expect(written).to.deep.equal(JSON.parse(JSON.stringify(deployment)));
      expect(readDeployment("hardhat", outDir)).to.deep.equal(written);
      // The gateway, verifier and UI read the file through shared/deployment.ts's schema.
      const parsed = DeploymentSchema.safeParse(written);
      expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).to.equal(true);

      expect(written._comment).to.equal(DEPLOYMENT_COMMENT);
      expect(written.network).to.equal("hardhat");
      expect(written.chainId).to.equal(Number((await ethers.provider.getNetwork()).chainId));
      expect(written.deployer).to.equal(signers[0].address);
      expect(written.admin).to.equal(signers[0].address);
      expect(written.adminDelaySeconds).to.equal(0);
      expect(written.adminTransfer).to.equal(undefined);
      expect(written.policyFloors).to.deep.equal(POLICY_FLOORS);
      expect(Number.isNaN(Date.parse(written.generatedAt))).to.equal(false);
      expect(written.roles).to.deep.equal({
        attestors: [signers[1].address],
        regulators: [signers[2].address],
        issuers: [signers[3].address],
        operators: [signers[4].address],
        evidenceWriters: [signers[4].address],
        complianceSigners: [signers[5].address],
        anchorers: [signers[6].address],
      });

      const entries = [
        ["identityRegistry", "IdentityRegistry"],
        ["collectibleRights", "CollectibleRights"],
        ["evidenceRegistry", "EvidenceRegistry"],
        ["collectibleRightsLogic", "CollectibleRightsLogic"],
      ] as const;
      const blockNumbers: number[] = [];
      for (const [key, contractName] of entries) {
        const c = written.contracts[key]!;
        expect(c.contractName).to.equal(contractName);
        expect(ethers.isAddress(c.address)).to.equal(true);
        expect(await ethers.provider.getCode(c.address)).to.not.equal("0x");

        const receipt = await ethers.provider.getTransactionReceipt(c.deployTxHash);
        expect(receipt, `receipt of ${c.deployTxHash}`).to.not.equal(null);
        expect(receipt!.status).to.equal(1);
        expect(receipt!.contractAddress).to.equal(c.address);
        expect(c.blockNumber).to.equal(receipt!.blockNumber);
        expect(c.blockHash).to.equal(receipt!.blockHash);
        expect((await ethers.provider.getBlock(c.blockNumber))!.hash).to.equal(c.blockHash);
        blockNumbers.push(c.blockNumber);

        const artifact = await hre.artifacts.readArtifact(contractName);
        expect(c.abi).to.deep.equal(artifact.abi);
        expect(c.abi.length).to.be.greaterThan(0);
        if (key === "collectibleRightsLogic") continue; // a library: nothing to call
        // The ABI is usable as written: it builds a working contract instance.
        const contract = new ethers.Contract(c.address, c.abi as never, ethers.provider);
        expect(await contract.hasRole(ethers.ZeroHash, written.admin)).to.equal(true);
        expect(await contract.defaultAdminDelay()).to.equal(0n);
      }
      expect(written.deployBlock).to.equal(Math.min(...blockNumbers));

      const identity = await ethers.getContractAt("IdentityRegistry", written.contracts.identityRegistry.address);
      const rights = await ethers.getContractAt("CollectibleRights", written.contracts.collectibleRights.address);
      const evidence = await ethers.getContractAt("EvidenceRegistry", written.contracts.evidenceRegistry.address);
      expect(await rights.identityRegistry()).to.equal(await identity.getAddress());
      expect(await identity.hasRole(await identity.ATTESTOR_ROLE(), signers[1].address)).to.equal(true);
      expect(await identity.hasRole(await identity.REGULATOR_ROLE(), signers[2].address)).to.equal(true);
      expect(await rights.hasRole(await rights.REGULATOR_ROLE(), signers[2].address)).to.equal(true);
      expect(await rights.hasRole(await rights.ISSUER_ROLE(), signers[3].address)).to.equal(true);
      expect(await rights.hasRole(await rights.OPERATOR_ROLE(), signers[4].address)).to.equal(true);
      expect(await evidence.hasRole(await evidence.EVIDENCE_WRITER_ROLE(), signers[4].address)).to.equal(true);
      expect(await rights.hasRole(await rights.COMPLIANCE_SIGNER_ROLE(), signers[5].address)).to.equal(true);
      expect(await evidence.hasRole(await evidence.ANCHOR_ROLE(), signers[6].address)).to.equal(true);
      // Nobody else got a role by accident; the deployer gave back the REGULATOR_ROLE it used for the floors.
      expect(await rights.hasRole(await rights.ISSUER_ROLE(), signers[0].address)).to.equal(false);
      expect(await rights.hasRole(await rights.REGULATOR_ROLE(), signers[0].address)).to.equal(false);
      expect(await identity.hasRole(await identity.ATTESTOR_ROLE(), signers[0].address)).to.equal(false);
      expect(await evidence.hasRole(await evidence.ANCHOR_ROLE(), signers[4].address)).to.equal(false);

      // CollectibleRights is the identity registry's custody registry; the floors are the policy's.
      expect(await identity.custodyRegistries()).to.deep.equal([await rights.getAddress()]);
      const floors = await rights.policyFloors();
      expect([floors.minHoldingPeriod, floors.maxEditions, floors.allowedModes, floors.minHolderLevel].map(Number)).to.deep.equal([
        POLICY_FLOORS.minHoldingPeriod,
        POLICY_FLOORS.maxEditions,
        3,
        1,
      ]);
      const [floorsEvent] = await rights.queryFilter(rights.filters.PolicyFloorsSet());
      expect(floorsEvent.args.regulator).to.equal(signers[0].address);
      expect(floorsEvent.args.reason).to.equal(FLOORS_REASON);
      expect(floorsEvent.args.evidenceHash).to.equal(floorsEvidenceHash(POLICY_FLOORS));

      const summary = formatSummary(written, file);
      for (const c of Object.values(written.contracts)) expect(summary).to.include(c!.address);
      expect(summary).to.include("Policy floors: holding period ≥ 15552000 s, editions ≤ 10000");
    });
  });

  describe("deployAndRecord with roles, admin, delay and floors from the environment", function () {
    it("grants the listed roles, sets the floors, begins the admin hand-over and records them", async function () {
      const signers = await ethers.getSigners();
      const [deployer, , , , , a, b, c, d, admin] = signers;
      const env = {
        ATTESTORS: ` ${a.address.toLowerCase()} , ${b.address}`, // lower case and spaces are accepted
        REGULATORS: c.address,
        ISSUERS: `${d.address},${d.address}`, // duplicates collapse
        OPERATORS: "", // explicitly nobody
        EVIDENCE_WRITERS: a.address,
        COMPLIANCE_SIGNERS: `${b.address},${c.address}`,
        ANCHORERS: d.address,
        ADMIN: admin.address,
        ADMIN_DELAY_SECONDS: "3600",
        FLOOR_MIN_HOLDING_SECONDS: "86400",
        FLOOR_MAX_EDITIONS: "500",
        FLOOR_ALLOWED_MODES: "2",
        FLOOR_MIN_HOLDER_LEVEL: "2",
      };
      const lines: string[] = [];
      const { deployment, file } = await deployAndRecord(hre, { env, outDir, log: (line) => lines.push(line) });
      expect(deployment.deployer).to.equal(deployer.address);
      // The deployer stays admin until the new admin accepts, after the delay.
      expect(deployment.admin).to.equal(deployer.address);
      expect(deployment.adminDelaySeconds).to.equal(3600);
      expect(deployment.adminTransfer?.newAdmin).to.equal(admin.address);
      const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
      expect(deployment.adminTransfer!.acceptSchedule).to.be.within(latest + 3600 - 10, latest + 3600);
      expect(lines.join("\n")).to.match(/must call acceptDefaultAdminTransfer\(\) on IdentityRegistry, CollectibleRights and EvidenceRegistry after/);
      expect(formatSummary(deployment, file)).to.include(`Admin hand-over pending: ${admin.address} must call acceptDefaultAdminTransfer()`);
      expect(deployment.policyFloors).to.deep.equal({
        minHoldingPeriod: 86_400,
        maxEditions: 500,
        allowedModes: 2,
        minHolderLevel: 2,
      });
      expect(DeploymentSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))).success).to.equal(true);
      expect(deployment.roles).to.deep.equal({
        attestors: [a.address, b.address],
        regulators: [c.address],
        issuers: [d.address],
        operators: [],
        evidenceWriters: [a.address],
        complianceSigners: [b.address, c.address],
        anchorers: [d.address],
      });

      const identity = await ethers.getContractAt("IdentityRegistry", deployment.contracts.identityRegistry.address);
      const rights = await ethers.getContractAt("CollectibleRights", deployment.contracts.collectibleRights.address);
      const evidence = await ethers.getContractAt("EvidenceRegistry", deployment.contracts.evidenceRegistry.address);
      expect(await identity.hasRole(await identity.ATTESTOR_ROLE(), a.address)).to.equal(true);
      expect(await identity.hasRole(await identity.ATTESTOR_ROLE(), b.address)).to.equal(true);
      expect(await rights.hasRole(await rights.REGULATOR_ROLE(), c.address)).to.equal(true);
      expect(await rights.hasRole(await rights.ISSUER_ROLE(), d.address)).to.equal(true);
      expect(await rights.hasRole(await rights.OPERATOR_ROLE(), signers[4].address)).to.equal(false);
      expect(await evidence.hasRole(await evidence.EVIDENCE_WRITER_ROLE(), a.address)).to.equal(true);
      expect(await rights.hasRole(await rights.COMPLIANCE_SIGNER_ROLE(), c.address)).to.equal(true);
      expect(await evidence.hasRole(await evidence.ANCHOR_ROLE(), d.address)).to.equal(true);
      const floors = await rights.policyFloors();
      expect([floors.minHoldingPeriod, floors.maxEditions, floors.allowedModes, floors.minHolderLevel]).to.deep.equal([
        86_400n,
        500n,
        2n,
        2n,
      ]);
      // The deployer held REGULATOR_ROLE only to set the floors.
      expect(await rights.hasRole(await rights.REGULATOR_ROLE(), deployer.address)).to.equal(false);
      for (const contract of [identity, rights, evidence]) {
        expect(await contract.defaultAdmin()).to.equal(deployer.address);
        const pending = await contract.pendingDefaultAdmin();
        expect(pending.newAdmin).to.equal(admin.address);
        // The file records the latest of the three schedules: after it, all three can be accepted.
        expect(Number(pending.schedule)).to.be.at.most(deployment.adminTransfer!.acceptSchedule);
        await expect(contract.connect(admin).acceptDefaultAdminTransfer())
          .to.be.revertedWithCustomError(contract, "AccessControlEnforcedDefaultAdminDelay")
          .withArgs(pending.schedule);
      }
      await time.increaseTo(deployment.adminTransfer!.acceptSchedule + 1);
      for (const contract of [identity, rights, evidence]) {
        await contract.connect(admin).acceptDefaultAdminTransfer();
        expect(await contract.hasRole(ethers.ZeroHash, admin.address)).to.equal(true);
        expect(await contract.hasRole(ethers.ZeroHash, deployer.address)).to.equal(false);
      }
    });
  });

  describe("invalid configuration", function () {
    const good = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    it("rejects a malformed role address with a message naming the variable and the value", async function () {
      const blockBefore = await ethers.provider.getBlockNumber();
      let caught: unknown;
      try {
        await deployAndRecord(hre, { env: { ISSUERS: `${good},0x1234` }, outDir });
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(DeploymentConfigError);
      expect((caught as Error).message).to.match(/^ISSUERS: "0x1234" is not a valid address/);
      // Validation happens before any transaction.
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect(() => readDeployment("hardhat", outDir)).to.throw(/cannot read deployment/);
    });

    it("rejects bad checksums, non-addresses, the zero address and a bad ADMIN", function () {
      const badChecksum = good.replace("C51812dc", "c51812DC");
      const cases: Array<[Record<string, string>, RegExp]> = [
        [{ ATTESTORS: badChecksum }, /^ATTESTORS: ".*" is not a valid address.*checksum/],
        [{ REGULATORS: "alice" }, /^REGULATORS: "alice" is not a valid address/],
        [{ OPERATORS: `${good};${good}` }, /^OPERATORS: .* is not a valid address/],
        [{ EVIDENCE_WRITERS: ethers.ZeroAddress }, /^EVIDENCE_WRITERS: the zero address cannot hold a role/],
        [{ ADMIN: "0xnotanaddress" }, /^ADMIN: "0xnotanaddress" is not a valid address/],
        [{ ADMIN: ethers.ZeroAddress }, /^ADMIN: the zero address/],
        [{ COMPLIANCE_SIGNERS: "0x12" }, /^COMPLIANCE_SIGNERS: "0x12" is not a valid address/],
        [{ ANCHORERS: ethers.ZeroAddress }, /^ANCHORERS: the zero address cannot hold a role/],
        [{ ADMIN_DELAY_SECONDS: "2 days" }, /^ADMIN_DELAY_SECONDS: "2 days" must be an integer from 0 to/],
        [{ FLOOR_MAX_EDITIONS: "0" }, /^FLOOR_MAX_EDITIONS: "0" must be an integer from 1 to 16777215/],
        [{ FLOOR_MAX_EDITIONS: "16777216" }, /^FLOOR_MAX_EDITIONS: .* must be an integer from 1 to 16777215/],
        [{ FLOOR_ALLOWED_MODES: "4" }, /^FLOOR_ALLOWED_MODES: "4" must be an integer from 1 to 3/],
        [{ FLOOR_MIN_HOLDER_LEVEL: "5" }, /^FLOOR_MIN_HOLDER_LEVEL: "5" must be an integer from 1 to 4/],
        [{ FLOOR_MIN_HOLDING_SECONDS: "-1" }, /^FLOOR_MIN_HOLDING_SECONDS: "-1" must be an integer/],
      ];
      for (const [env, message] of cases) {
        expect(() => resolveDeployConfig(env, "hardhat", Array(7).fill(good)), JSON.stringify(env))
          .to.throw(DeploymentConfigError)
          .with.property("message")
          .that.matches(message);
      }
    });

    it("defaults to no roles and a 2-day admin delay on other networks, the policy's floors everywhere, and parses lists", function () {
      expect(resolveDeployConfig({}, "custom", [good])).to.deep.equal({
        admin: undefined,
        adminDelay: DEFAULT_ADMIN_DELAY_SECONDS,
        roles: {
          attestors: [],
          regulators: [],
          issuers: [],
          operators: [],
          evidenceWriters: [],
          complianceSigners: [],
          anchorers: [],
        },
        floors: POLICY_FLOORS,
      });
      expect(DEFAULT_ADMIN_DELAY_SECONDS).to.equal(2 * 24 * 3600);
      expect(resolveDeployConfig({ ADMIN_DELAY_SECONDS: "0" }, "custom", [good]).adminDelay).to.equal(0);
      expect(resolveDeployConfig({}, "localhost", Array(7).fill(good)).adminDelay).to.equal(0);
      expect(parseAddressList("X", undefined)).to.equal(undefined);
      expect(parseAddressList("X", "")).to.deep.equal([]);
      expect(parseAddressList("X", `${good.toLowerCase()},`)).to.deep.equal([good]);
      expect(() => resolveDeployConfig({}, "localhost", [good, good])).to.throw(DeploymentConfigError, /at least 7/);
    });

    it("takes the default floors from the compliance policy's anti-financialization rule", function () {
      const policy = readText(DEFAULT_POLICY_FILE, "utf8");
      const yaml = parseYaml(policy) as {
        transfer: { minHoldingPeriodDays: number; allowedModes: string[] };
        editions: { maxPerCollection: number };
      };
      expect(policyFloorsFromYaml(policy)).to.deep.equal({
        minHoldingPeriod: yaml.transfer.minHoldingPeriodDays * 24 * 3600,
        maxEditions: yaml.editions.maxPerCollection,
        allowedModes: yaml.transfer.allowedModes.length === 2 ? 3 : yaml.transfer.allowedModes[0] === "Locked" ? 1 : 2,
        minHolderLevel: 1,
      });
      const edited = "editions: { maxPerCollection: 50 }\ntransfer: { minHoldingPeriodDays: 1, allowedModes: [Locked] }\n";
      expect(resolveDeployConfig({ FLOOR_MIN_HOLDER_LEVEL: "3" }, "custom", [good], () => edited).floors).to.deep.equal({
        minHoldingPeriod: 86_400,
        maxEditions: 50,
        allowedModes: 1,
        minHolderLevel: 3,
      });
      // With every floor set, the policy file is not read at all.
      const all = { FLOOR_MIN_HOLDING_SECONDS: "0", FLOOR_MAX_EDITIONS: "1", FLOOR_ALLOWED_MODES: "3", FLOOR_MIN_HOLDER_LEVEL: "1" };
      const unreadable = () => {
        throw new Error("policy read");
      };
      expect(resolveDeployConfig(all, "custom", [good], unreadable).floors).to.deep.equal({
        minHoldingPeriod: 0,
        maxEditions: 1,
        allowedModes: 3,
        minHolderLevel: 1,
      });
      expect(() => policyFloorsFromYaml("transfer: {}", "p.yaml")).to.throw(DeploymentConfigError, /^p\.yaml: expected/);
      expect(() =>
        policyFloorsFromYaml("editions: { maxPerCollection: 5 }\ntransfer: { minHoldingPeriodDays: 1, allowedModes: [Trade] }"),
      ).to.throw(DeploymentConfigError);
    });
  });
});
