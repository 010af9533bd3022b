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
import {
  DEPLOYMENT_COMMENT,
  DeploymentConfigError,
  deployAndRecord,
  formatSummary,
  parseAddressList,
  readDeployment,
  resolveDeployConfig,
  type Deployment,
} from "../../scripts/lib/deployment";
import { DeploymentSchema } from "../../shared/deployment";

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
      expect(Number.isNaN(Date.parse(written.generatedAt))).to.equal(false);
      expect(written.roles).to.deep.equal({
        attestors: [signers[1].address],
        regulators: [signers[2].address],
        issuers: [signers[3].address],
        operators: [signers[4].address],
        evidenceWriters: [signers[4].address],
      });

      const entries = [
        ["identityRegistry", "IdentityRegistry"],
        ["collectibleRights", "CollectibleRights"],
        ["evidenceRegistry", "EvidenceRegistry"],
      ] as const;
      const blockNumbers: number[] = [];
      for (const [key, contractName] of entries) {
        const c = written.contracts[key];
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
        // The ABI is usable as written: it builds a working contract instance.
        const contract = new ethers.Contract(c.address, c.abi as never, ethers.provider);
        expect(await contract.hasRole(ethers.ZeroHash, written.admin)).to.equal(true);
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
      // Nobody else got a role by accident.
      expect(await rights.hasRole(await rights.ISSUER_ROLE(), signers[0].address)).to.equal(false);
      expect(await identity.hasRole(await identity.ATTESTOR_ROLE(), signers[0].address)).to.equal(false);

      const summary = formatSummary(written, file);
      for (const c of Object.values(written.contracts)) expect(summary).to.include(c.address);
    });
  });

  describe("deployAndRecord with roles and admin from the environment", function () {
    it("grants the listed roles, hands admin over and records them", async function () {
      const signers = await ethers.getSigners();
      const [deployer, , , , , a, b, c, d, admin] = signers;
      const env = {
        ATTESTORS: ` ${a.address.toLowerCase()} , ${b.address}`, // lower case and spaces are accepted
        REGULATORS: c.address,
        ISSUERS: `${d.address},${d.address}`, // duplicates collapse
        OPERATORS: "", // explicitly nobody
        EVIDENCE_WRITERS: a.address,
        ADMIN: admin.address,
      };
      const { deployment } = await deployAndRecord(hre, { env, outDir });
      expect(deployment.deployer).to.equal(deployer.address);
      expect(deployment.admin).to.equal(admin.address);
      expect(deployment.roles).to.deep.equal({
        attestors: [a.address, b.address],
        regulators: [c.address],
        issuers: [d.address],
        operators: [],
        evidenceWriters: [a.address],
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
      for (const contract of [identity, rights, evidence]) {
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
      ];
      for (const [env, message] of cases) {
        expect(() => resolveDeployConfig(env, "hardhat", [good, good, good, good, good]), JSON.stringify(env))
          .to.throw(DeploymentConfigError)
          .with.property("message")
          .that.matches(message);
      }
    });

    it("defaults to no roles on other networks and parses lists", function () {
      expect(resolveDeployConfig({}, "custom", [good])).to.deep.equal({
        admin: undefined,
        roles: { attestors: [], regulators: [], issuers: [], operators: [], evidenceWriters: [] },
      });
      expect(parseAddressList("X", undefined)).to.equal(undefined);
      expect(parseAddressList("X", "")).to.deep.equal([]);
      expect(parseAddressList("X", `${good.toLowerCase()},`)).to.deep.equal([good]);
      expect(() => resolveDeployConfig({}, "localhost", [good, good])).to.throw(DeploymentConfigError, /at least 5/);
    });
  });
});
