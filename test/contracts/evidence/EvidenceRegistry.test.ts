import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import type { EvidenceRegistry } from "../../../typechain-types";
import type { IEvidenceRegistry } from "../../../typechain-types/contracts/evidence/EvidenceRegistry";
import {
  DEFAULT_ADMIN_ROLE,
  id,
  minedIn,
  shouldBehaveLikeDefaultAdminRules,
  shouldBehaveLikeRoleAdmin,
  shouldRejectWrongRoles,
} from "../helpers/roles";

const WRITER_ROLE = id("EVIDENCE_WRITER_ROLE");
const ANCHOR_ROLE = id("ANCHOR_ROLE");
const LOG_ID = id("sandbox-log:chain-31337");
const ROOT_1 = ethers.sha256(ethers.toUtf8Bytes("tree head 1"));
const ROOT_2 = ethers.sha256(ethers.toUtf8Bytes("tree head 2"));

const CERT_ID = id("evidence:copyright-certificate:42");
const CERT_V1 = ethers.sha256(ethers.toUtf8Bytes("certificate v1"));
const CERT_V2 = ethers.sha256(ethers.toUtf8Bytes("certificate v2"));
const CERT_V3 = ethers.sha256(ethers.toUtf8Bytes("certificate v3"));
const CERT_META_V1 = '{"type":"copyright","title":"山水图","version":1}';
const UNKNOWN_ID = id("evidence:unknown");
const UNKNOWN_HASH = id("hash:unknown");

// ─── Fixtures ───────────────────────────────────────────────────────────────────────────────

/** Deploys the registry with `admin` as admin, two writers and an anchorer. Nothing recorded. */
async function deployEvidenceRegistryFixture() {
  const [admin, writer, writer2, outsider, anchorer] = await ethers.getSigners();
  const evidence = await ethers.deployContract("EvidenceRegistry", [0, admin.address]);
  await evidence.waitForDeployment();
  await evidence.connect(admin).grantRole(WRITER_ROLE, writer.address);
  await evidence.connect(admin).grantRole(WRITER_ROLE, writer2.address);
  await evidence.connect(admin).grantRole(ANCHOR_ROLE, anchorer.address);
  return { contracts: { evidence }, accounts: { admin, writer, writer2, outsider, anchorer } };
}

/** On top of {deployEvidenceRegistryFixture}: LOG_ID anchored at tree size 10 (ROOT_1). */
async function anchoredFixture() {
  const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
  const tx = await contracts.evidence.connect(accounts.anchorer).anchorCheckpoint(LOG_ID, 10n, ROOT_1);
  return { contracts, accounts, block: await minedIn(tx) };
}

/** On top of {deployEvidenceRegistryFixture}: CERT_ID recorded by `writer` as version 1 with CERT_V1. */
async function recordedEvidenceFixture() {
  const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
  const tx = await contracts.evidence.connect(accounts.writer).record(CERT_ID, CERT_V1, CERT_META_V1);
  const block = await minedIn(tx);
  return { contracts, accounts, v1Block: block };
}

// ─── Assertion helpers ──────────────────────────────────────────────────────────────────────

interface ExpectedEvidence {
  id: string;
  hash: string;
  writer: string;
  timestamp: bigint;
  blockNumber: bigint;
  version: number | bigint;
  metadata: string;
}

function expectEvidence(actual: IEvidenceRegistry.EvidenceStructOutput, expected: ExpectedEvidence) {
  expect({
    id: actual.id,
    hash: actual.hash,
    writer: actual.writer,
    timestamp: actual.timestamp,
    blockNumber: actual.blockNumber,
    version: actual.version,
    metadata: actual.metadata,
  }).to.deep.equal({ ...expected, version: BigInt(expected.version) });
}

/** The expected record of a version written by `tx`. */
async function versionOf(
  tx: ContractTransactionResponse,
  fields: Omit<ExpectedEvidence, "timestamp" | "blockNumber">,
): Promise<ExpectedEvidence> {
  const block = await minedIn(tx);
  return { ...fields, timestamp: block.timestamp, blockNumber: block.number };
}

describe("EvidenceRegistry", function () {
  // ─── Deployment and roles ───────────────────────────────────────────────────────────────

  describe("deployment", function () {
    it("exposes EVIDENCE_WRITER_ROLE and gives DEFAULT_ADMIN_ROLE to the constructor's admin only", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { admin, writer, writer2, outsider } = accounts;
      expect(await evidence.EVIDENCE_WRITER_ROLE()).to.equal(WRITER_ROLE);
      expect(await evidence.ANCHOR_ROLE()).to.equal(ANCHOR_ROLE);
      expect(await evidence.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.true;
      expect(await evidence.hasRole(WRITER_ROLE, admin.address)).to.be.false;
      expect(await evidence.hasRole(WRITER_ROLE, writer.address)).to.be.true;
      expect(await evidence.hasRole(WRITER_ROLE, writer2.address)).to.be.true;
      for (const s of [writer, writer2, outsider]) {
        expect(await evidence.hasRole(DEFAULT_ADMIN_ROLE, s.address)).to.be.false;
      }
      expect(await evidence.hasRole(WRITER_ROLE, outsider.address)).to.be.false;
    });

    it("can be deployed with an admin other than the deployer", async function () {
      const { accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { admin, outsider } = accounts;
      const other = await ethers.deployContract("EvidenceRegistry", [0, outsider.address], admin);
      expect(await other.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.be.true;
      expect(await other.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.be.false;
    });
  });

  describe("role administration", function () {
    shouldBehaveLikeRoleAdmin(
      "EVIDENCE_WRITER_ROLE",
      { admin: "admin", grantee: "outsider", nonAdmins: ["writer", "outsider"] },
      async () => {
        const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
        return { contract: contracts.evidence, signers: accounts, role: WRITER_ROLE };
      },
    );
    shouldBehaveLikeRoleAdmin(
      "ANCHOR_ROLE",
      { admin: "admin", grantee: "outsider", nonAdmins: ["writer", "anchorer", "outsider"] },
      async () => {
        const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
        return { contract: contracts.evidence, signers: accounts, role: ANCHOR_ROLE };
      },
    );
    shouldBehaveLikeDefaultAdminRules((delay, admin) => ethers.deployContract("EvidenceRegistry", [delay, admin]));

    it("a newly granted writer can record, and a revoked writer no longer can", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { admin, writer, outsider } = accounts;
      await evidence.connect(admin).grantRole(WRITER_ROLE, outsider.address);
      await expect(evidence.connect(outsider).record(CERT_ID, CERT_V1, ""))
        .to.emit(evidence, "EvidenceRecorded")
        .withArgs(CERT_ID, CERT_V1, outsider.address, 1, "");

      await evidence.connect(admin).revokeRole(WRITER_ROLE, writer.address);
      await expect(evidence.connect(writer).update(CERT_ID, CERT_V2, ""))
        .to.be.revertedWithCustomError(evidence, "AccessControlUnauthorizedAccount")
        .withArgs(writer.address, WRITER_ROLE);
    });
  });

  describe("role boundaries", function () {
    const ctx = async () => {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      return { contract: contracts.evidence, signers: accounts, role: WRITER_ROLE };
    };
    // Every call below is valid in the recorded fixture, so only the caller's role makes it revert.
    const writerOnly = { wrong: ["admin", "outsider"], allowed: "writer" };
    shouldRejectWrongRoles("record", writerOnly, ctx, (c, s) => c.connect(s).record(id("new"), id("new-hash"), "{}"));
    shouldRejectWrongRoles("recordBatch", writerOnly, ctx, (c, s) =>
      c.connect(s).recordBatch([{ id: id("new"), hash: id("new-hash"), metadata: "{}" }]),
    );
    shouldRejectWrongRoles("update", writerOnly, ctx, (c, s) => c.connect(s).update(CERT_ID, CERT_V2, "{}"));
    shouldRejectWrongRoles(
      "anchorCheckpoint",
      { wrong: ["admin", "writer", "outsider"], allowed: "anchorer" },
      async () => ({ ...(await ctx()), role: ANCHOR_ROLE }),
      (c, s) => c.connect(s).anchorCheckpoint(LOG_ID, 1n, ROOT_1),
    );
  });

  // ─── record ─────────────────────────────────────────────────────────────────────────────

  describe("record", function () {
    it("stores version 1 with writer, block time and block number, and emits EvidenceRecorded", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      expect(await evidence.existsById(CERT_ID)).to.be.false;
      expect(await evidence.existsByHash(CERT_V1)).to.be.false;

      const tx = await evidence.connect(writer).record(CERT_ID, CERT_V1, CERT_META_V1);
      await expect(tx).to.emit(evidence, "EvidenceRecorded").withArgs(CERT_ID, CERT_V1, writer.address, 1, CERT_META_V1);
      const expected = await versionOf(tx, {
        id: CERT_ID,
        hash: CERT_V1,
        writer: writer.address,
        version: 1,
        metadata: CERT_META_V1,
      });

      expectEvidence(await evidence.findById(CERT_ID), expected);
      expectEvidence(await evidence.findByHash(CERT_V1), expected);
      const history = await evidence.history(CERT_ID);
      expect(history).to.have.lengthOf(1);
      expectEvidence(history[0], expected);
      expect(await evidence.existsById(CERT_ID)).to.be.true;
      expect(await evidence.existsByHash(CERT_V1)).to.be.true;
    });

    it("accepts empty metadata and long UTF-8 metadata unchanged", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      const long = JSON.stringify({ note: "存证".repeat(200), tags: ["a", "b"] });
      await expect(evidence.connect(writer).record(id("empty"), id("h-empty"), ""))
        .to.emit(evidence, "EvidenceRecorded")
        .withArgs(id("empty"), id("h-empty"), writer.address, 1, "");
      await evidence.connect(writer).record(id("long"), id("h-long"), long);
      expect((await evidence.findById(id("empty"))).metadata).to.equal("");
      expect((await evidence.findById(id("long"))).metadata).to.equal(long);
    });

    it("reverts with EvidenceIdZero for the zero id (checked before the hash)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      for (const hash of [CERT_V1, ethers.ZeroHash]) {
        await expect(evidence.connect(writer).record(ethers.ZeroHash, hash, ""))
          .to.be.revertedWithCustomError(evidence, "EvidenceIdZero")
          .withArgs();
      }
      expect(await evidence.existsByHash(CERT_V1)).to.be.false;
    });

    it("reverts with EvidenceHashZero for the zero hash", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      await expect(evidence.connect(accounts.writer).record(CERT_ID, ethers.ZeroHash, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashZero")
        .withArgs();
      expect(await evidence.existsById(CERT_ID)).to.be.false;
      expect(await evidence.existsByHash(ethers.ZeroHash)).to.be.false;
    });

    it("reverts with EvidenceAlreadyExists for a recorded id, even with a new hash", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      await expect(evidence.connect(accounts.writer2).record(CERT_ID, CERT_V2, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyExists")
        .withArgs(CERT_ID);
      expect(await evidence.existsByHash(CERT_V2)).to.be.false;
      expect(await evidence.history(CERT_ID)).to.have.lengthOf(1);
    });

    it("reverts with EvidenceHashAlreadyRecorded(hash, id) when the hash is recorded under another id", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      await expect(evidence.connect(accounts.writer).record(id("other"), CERT_V1, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(CERT_V1, CERT_ID);
      expect(await evidence.existsById(id("other"))).to.be.false;
    });
  });

  // ─── recordBatch ────────────────────────────────────────────────────────────────────────

  describe("recordBatch", function () {
    const entries: IEvidenceRegistry.EvidenceInputStruct[] = [
      { id: id("batch:1"), hash: id("batch-hash:1"), metadata: '{"n":1}' },
      { id: id("batch:2"), hash: id("batch-hash:2"), metadata: '{"n":2}' },
      { id: id("batch:3"), hash: id("batch-hash:3"), metadata: "" },
    ];

    async function expectNoneRecorded(evidence: EvidenceRegistry, list: IEvidenceRegistry.EvidenceInputStruct[]) {
      for (const e of list) {
        expect(await evidence.existsById(e.id)).to.be.false;
        expect(await evidence.existsByHash(e.hash)).to.be.false;
      }
    }

    it("reverts with EvidenceEmptyBatch for no entries", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      await expect(evidence.connect(accounts.writer).recordBatch([]))
        .to.be.revertedWithCustomError(evidence, "EvidenceEmptyBatch")
        .withArgs();
    });

    it("records every entry as version 1 in one block and emits EvidenceRecorded for each, in order", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      const tx = await evidence.connect(writer).recordBatch(entries);
      for (const e of entries) {
        await expect(tx).to.emit(evidence, "EvidenceRecorded").withArgs(e.id, e.hash, writer.address, 1, e.metadata);
      }
      const receipt = await tx.wait();
      const logged = receipt!.logs.map((l) => evidence.interface.parseLog(l)?.args[0] as string);
      expect(logged).to.deep.equal(entries.map((e) => e.id));

      for (const e of entries) {
        const expected = await versionOf(tx, {
          id: e.id as string,
          hash: e.hash as string,
          writer: writer.address,
          version: 1,
          metadata: e.metadata,
        });
        expectEvidence(await evidence.findById(e.id), expected);
        expectEvidence(await evidence.findByHash(e.hash), expected);
        expect(await evidence.existsById(e.id)).to.be.true;
        expect(await evidence.existsByHash(e.hash)).to.be.true;
      }
    });

    it("reverts the whole batch when one entry repeats an earlier entry's hash (EvidenceHashAlreadyRecorded)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const bad = [...entries, { id: id("batch:4"), hash: entries[0].hash, metadata: "" }];
      await expect(evidence.connect(accounts.writer).recordBatch(bad))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(entries[0].hash, entries[0].id);
      await expectNoneRecorded(evidence, bad);
    });

    it("reverts the whole batch when one entry repeats an earlier entry's id (EvidenceAlreadyExists)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const bad = [entries[0], { id: entries[0].id, hash: id("other-hash"), metadata: "" }, entries[1]];
      await expect(evidence.connect(accounts.writer).recordBatch(bad))
        .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyExists")
        .withArgs(entries[0].id);
      await expectNoneRecorded(evidence, bad);
    });

    it("reverts the whole batch when one entry has a zero id (EvidenceIdZero)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const bad = [entries[0], entries[1], { id: ethers.ZeroHash, hash: id("other-hash"), metadata: "" }];
      await expect(evidence.connect(accounts.writer).recordBatch(bad))
        .to.be.revertedWithCustomError(evidence, "EvidenceIdZero")
        .withArgs();
      await expectNoneRecorded(evidence, bad);
    });

    it("reverts the whole batch when one entry has a zero hash (EvidenceHashZero)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const bad = [entries[0], { id: id("batch:zero"), hash: ethers.ZeroHash, metadata: "" }, entries[2]];
      await expect(evidence.connect(accounts.writer).recordBatch(bad))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashZero")
        .withArgs();
      await expectNoneRecorded(evidence, [entries[0], entries[2]]);
      expect(await evidence.existsById(id("batch:zero"))).to.be.false;
    });

    it("reverts the whole batch when one entry collides with evidence recorded earlier", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      const withOldId = [entries[0], { id: CERT_ID, hash: id("fresh"), metadata: "" }];
      await expect(evidence.connect(accounts.writer).recordBatch(withOldId))
        .to.be.revertedWithCustomError(evidence, "EvidenceAlreadyExists")
        .withArgs(CERT_ID);
      const withOldHash = [entries[0], { id: id("fresh"), hash: CERT_V1, metadata: "" }];
      await expect(evidence.connect(accounts.writer).recordBatch(withOldHash))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(CERT_V1, CERT_ID);
      await expectNoneRecorded(evidence, [entries[0]]);
      expect(await evidence.existsById(id("fresh"))).to.be.false;
      expect(await evidence.history(CERT_ID)).to.have.lengthOf(1);
    });
  });

  // ─── update ─────────────────────────────────────────────────────────────────────────────

  describe("update", function () {
    it("appends version 2, emits EvidenceRecorded, and findById returns it", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      const { writer2 } = accounts;
      const tx = await evidence.connect(writer2).update(CERT_ID, CERT_V2, '{"version":2}');
      await expect(tx).to.emit(evidence, "EvidenceRecorded").withArgs(CERT_ID, CERT_V2, writer2.address, 2, '{"version":2}');
      const v2 = await versionOf(tx, { id: CERT_ID, hash: CERT_V2, writer: writer2.address, version: 2, metadata: '{"version":2}' });
      expectEvidence(await evidence.findById(CERT_ID), v2);
      expectEvidence(await evidence.findByHash(CERT_V2), v2);
      expect(await evidence.existsByHash(CERT_V2)).to.be.true;
    });

    it("keeps every version: history is oldest-first with versions 1..n, each with its writer, time and block", async function () {
      const { contracts, accounts, v1Block } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      const { writer, writer2 } = accounts;
      const v1: ExpectedEvidence = {
        id: CERT_ID,
        hash: CERT_V1,
        writer: writer.address,
        timestamp: v1Block.timestamp,
        blockNumber: v1Block.number,
        version: 1,
        metadata: CERT_META_V1,
      };

      await time.increase(3600);
      const tx2 = await evidence.connect(writer2).update(CERT_ID, CERT_V2, "v2");
      const v2 = await versionOf(tx2, { id: CERT_ID, hash: CERT_V2, writer: writer2.address, version: 2, metadata: "v2" });
      await time.increase(86_400);
      const tx3 = await evidence.connect(writer).update(CERT_ID, CERT_V3, "v3");
      const v3 = await versionOf(tx3, { id: CERT_ID, hash: CERT_V3, writer: writer.address, version: 3, metadata: "v3" });

      expect(v2.timestamp).to.be.greaterThanOrEqual(v1.timestamp + 3600n);
      expect(v3.timestamp).to.be.greaterThanOrEqual(v2.timestamp + 86_400n);
      expect(v3.blockNumber).to.be.greaterThan(v2.blockNumber);

      const history = await evidence.history(CERT_ID);
      expect(history).to.have.lengthOf(3);
      expect(history.map((e) => e.version)).to.deep.equal([1n, 2n, 3n]);
      expectEvidence(history[0], v1);
      expectEvidence(history[1], v2);
      expectEvidence(history[2], v3);

      // findById gives the latest; findByHash gives the version that recorded each hash, old ones included.
      expectEvidence(await evidence.findById(CERT_ID), v3);
      expectEvidence(await evidence.findByHash(CERT_V1), v1);
      expectEvidence(await evidence.findByHash(CERT_V2), v2);
      expectEvidence(await evidence.findByHash(CERT_V3), v3);
      for (const h of [CERT_V1, CERT_V2, CERT_V3]) expect(await evidence.existsByHash(h)).to.be.true;
    });

    it("does not affect other evidence", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      const tx = await evidence.connect(writer).record(id("other"), id("other-hash"), "other");
      const other = await versionOf(tx, { id: id("other"), hash: id("other-hash"), writer: writer.address, version: 1, metadata: "other" });
      await evidence.connect(writer).update(CERT_ID, CERT_V2, "");
      expectEvidence(await evidence.findById(id("other")), other);
      expect(await evidence.history(id("other"))).to.have.lengthOf(1);
    });

    it("reverts with EvidenceNotFound for an unknown id and for the zero id", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      for (const unknown of [UNKNOWN_ID, ethers.ZeroHash]) {
        await expect(evidence.connect(accounts.writer).update(unknown, CERT_V2, ""))
          .to.be.revertedWithCustomError(evidence, "EvidenceNotFound")
          .withArgs(unknown);
      }
      expect(await evidence.existsByHash(CERT_V2)).to.be.false;
    });

    it("reverts with EvidenceHashZero for the zero hash", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      await expect(evidence.connect(accounts.writer).update(CERT_ID, ethers.ZeroHash, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashZero")
        .withArgs();
      expect(await evidence.history(CERT_ID)).to.have.lengthOf(1);
    });

    it("reverts with EvidenceHashAlreadyRecorded for the current hash, an earlier version's hash, or another id's hash", async function () {
      const { contracts, accounts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      const { writer } = accounts;
      await evidence.connect(writer).update(CERT_ID, CERT_V2, "");
      await evidence.connect(writer).record(id("other"), id("other-hash"), "");

      await expect(evidence.connect(writer).update(CERT_ID, CERT_V2, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(CERT_V2, CERT_ID);
      await expect(evidence.connect(writer).update(CERT_ID, CERT_V1, ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(CERT_V1, CERT_ID);
      await expect(evidence.connect(writer).update(CERT_ID, id("other-hash"), ""))
        .to.be.revertedWithCustomError(evidence, "EvidenceHashAlreadyRecorded")
        .withArgs(id("other-hash"), id("other"));
      expect(await evidence.history(CERT_ID)).to.have.lengthOf(2);
    });
  });

  // ─── Views ──────────────────────────────────────────────────────────────────────────────

  describe("views", function () {
    it("findById reverts with EvidenceNotFound for an unknown id and for the zero id", async function () {
      const { contracts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      for (const unknown of [UNKNOWN_ID, ethers.ZeroHash]) {
        await expect(evidence.findById(unknown)).to.be.revertedWithCustomError(evidence, "EvidenceNotFound").withArgs(unknown);
      }
    });

    it("findByHash reverts with EvidenceHashNotFound for an unknown hash and for the zero hash", async function () {
      const { contracts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      for (const unknown of [UNKNOWN_HASH, ethers.ZeroHash]) {
        await expect(evidence.findByHash(unknown))
          .to.be.revertedWithCustomError(evidence, "EvidenceHashNotFound")
          .withArgs(unknown);
      }
    });

    it("history reverts with EvidenceNotFound for an unknown id", async function () {
      const { contracts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      await expect(evidence.history(UNKNOWN_ID)).to.be.revertedWithCustomError(evidence, "EvidenceNotFound").withArgs(UNKNOWN_ID);
    });

    it("existsById and existsByHash are false for unknown and zero values, true for recorded ones", async function () {
      const { contracts } = await loadFixture(recordedEvidenceFixture);
      const { evidence } = contracts;
      expect(await evidence.existsById(UNKNOWN_ID)).to.be.false;
      expect(await evidence.existsById(ethers.ZeroHash)).to.be.false;
      expect(await evidence.existsByHash(UNKNOWN_HASH)).to.be.false;
      expect(await evidence.existsByHash(ethers.ZeroHash)).to.be.false;
      expect(await evidence.existsById(CERT_ID)).to.be.true;
      expect(await evidence.existsByHash(CERT_V1)).to.be.true;
      // An id is not a hash, and vice versa.
      expect(await evidence.existsByHash(CERT_ID)).to.be.false;
      expect(await evidence.existsById(CERT_V1)).to.be.false;
    });
  });

  // ─── Checkpoints ────────────────────────────────────────────────────────────────────────

  describe("anchorCheckpoint", function () {
    it("appends checkpoint 0: CheckpointAnchored and every stored field (size, time, block, anchorer, root)", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { anchorer } = accounts;
      expect(await evidence.connect(anchorer).anchorCheckpoint.staticCall(LOG_ID, 10n, ROOT_1)).to.equal(0n);
      const tx = await evidence.connect(anchorer).anchorCheckpoint(LOG_ID, 10n, ROOT_1);
      await expect(tx).to.emit(evidence, "CheckpointAnchored").withArgs(LOG_ID, 0n, 10n, ROOT_1, anchorer.address);
      const block = await minedIn(tx);
      const expected = [10n, block.timestamp, block.number, anchorer.address, ROOT_1];
      expect([...(await evidence.checkpointAt(LOG_ID, 0n))]).to.deep.equal(expected);
      expect([...(await evidence.latestCheckpoint(LOG_ID))]).to.deep.equal(expected);
      expect(await evidence.checkpointCount(LOG_ID)).to.equal(1n);
      // Checkpoints are not evidence: nothing was recorded there.
      expect(await evidence.existsById(LOG_ID)).to.be.false;
      expect(await evidence.existsByHash(ROOT_1)).to.be.false;
    });

    it("appends further checkpoints with growing sizes; each log has its own sequence", async function () {
      const { contracts, accounts, block } = await loadFixture(anchoredFixture);
      const { evidence } = contracts;
      const { anchorer } = accounts;
      await expect(evidence.connect(anchorer).anchorCheckpoint(LOG_ID, 11n, ROOT_2))
        .to.emit(evidence, "CheckpointAnchored")
        .withArgs(LOG_ID, 1n, 11n, ROOT_2, anchorer.address);
      // The same root may come back at a larger size (only the size must grow).
      await evidence.connect(anchorer).anchorCheckpoint(LOG_ID, 2n ** 64n - 1n, ROOT_1);
      expect(await evidence.checkpointCount(LOG_ID)).to.equal(3n);
      expect((await evidence.latestCheckpoint(LOG_ID)).treeSize).to.equal(2n ** 64n - 1n);
      const first = await evidence.checkpointAt(LOG_ID, 0n);
      expect([first.treeSize, first.blockNumber, first.rootHash]).to.deep.equal([10n, block.number, ROOT_1]);
      const otherLog = id("another log");
      await expect(evidence.connect(anchorer).anchorCheckpoint(otherLog, 1n, ROOT_2))
        .to.emit(evidence, "CheckpointAnchored")
        .withArgs(otherLog, 0n, 1n, ROOT_2, anchorer.address);
    });

    it("CheckpointSizeNotIncreasing for a smaller or equal size, and for size 0 on an empty log", async function () {
      const { contracts, accounts } = await loadFixture(anchoredFixture);
      const { evidence } = contracts;
      const { anchorer } = accounts;
      for (const size of [0n, 9n, 10n]) {
        await expect(evidence.connect(anchorer).anchorCheckpoint(LOG_ID, size, ROOT_2))
          .to.be.revertedWithCustomError(evidence, "CheckpointSizeNotIncreasing")
          .withArgs(LOG_ID, size, 10n);
      }
      await expect(evidence.connect(anchorer).anchorCheckpoint(id("empty log"), 0n, ROOT_2))
        .to.be.revertedWithCustomError(evidence, "CheckpointSizeNotIncreasing")
        .withArgs(id("empty log"), 0n, 0n);
    });

    it("CheckpointLogIdZero and CheckpointRootZero", async function () {
      const { contracts, accounts } = await loadFixture(deployEvidenceRegistryFixture);
      const { evidence } = contracts;
      const { anchorer } = accounts;
      await expect(evidence.connect(anchorer).anchorCheckpoint(ethers.ZeroHash, 1n, ROOT_1))
        .to.be.revertedWithCustomError(evidence, "CheckpointLogIdZero")
        .withArgs();
      await expect(evidence.connect(anchorer).anchorCheckpoint(LOG_ID, 1n, ethers.ZeroHash))
        .to.be.revertedWithCustomError(evidence, "CheckpointRootZero")
        .withArgs();
    });

    it("checkpointAt and latestCheckpoint revert CheckpointIndexOutOfRange(logId, index, count)", async function () {
      const { contracts } = await loadFixture(anchoredFixture);
      const { evidence } = contracts;
      await expect(evidence.checkpointAt(LOG_ID, 1n))
        .to.be.revertedWithCustomError(evidence, "CheckpointIndexOutOfRange")
        .withArgs(LOG_ID, 1n, 1n);
      await expect(evidence.latestCheckpoint(UNKNOWN_ID))
        .to.be.revertedWithCustomError(evidence, "CheckpointIndexOutOfRange")
        .withArgs(UNKNOWN_ID, 0n, 0n);
      expect(await evidence.checkpointCount(UNKNOWN_ID)).to.equal(0n);
    });
  });
});
