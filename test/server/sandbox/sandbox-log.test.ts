/**
 * server/sandbox/sandbox-log.ts against a real SQLite store (temp dir) and the in-process Hardhat chain.
 *   HARDHAT_DISABLE_TELEMETRY_PROMPT=true npx hardhat test test/server/sandbox/sandbox-log.test.ts
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { HDNodeWallet, ZeroHash } from "ethers";
import { deployRegistryFixture } from "../../contracts/fixtures";
import { Chain, jsonRpcProvider, type SignerRole } from "../../../server/chain/chain";
import { AppError, UnavailableError } from "../../../server/errors";
import { openSqliteStore } from "../../../server/store/sqlite";
import type { LogEntry } from "../../../server/store/store";
import { ANCHOR_ACTION, createSandboxLog, type SandboxLog, type SandboxLogOptions } from "../../../server/sandbox/sandbox-log";
import { DeploymentSchema, type Deployment } from "../../../shared/deployment";
import {
  AnchorMetadataSchema,
  CSV_COLUMNS,
  GENESIS_HASH,
  anchorEvidenceId,
  canonicalJson,
  entryHash,
  merkleRoot,
  parseExport,
  verifyExport,
  verifyHashChain,
  verifyMerkleProof,
} from "../../../shared/log-chain";
import { expectRejects } from "../../support/rejects";

const MNEMONIC = "test test test test test test test test test test test junk";
/** Hardhat's default account `i`. */
const hardhatKey = (i: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).privateKey;
/** Signer indices in deployRegistryFixture: admin 0, attestor 1, regulator 2, issuer 3, operator 4. */
const KEYS: Record<SignerRole, string> = { attestor: hardhatKey(1), regulator: hardhatKey(2), operator: hardhatKey(4) };

type Store = ReturnType<typeof openSqliteStore>;
type Fixture = Awaited<ReturnType<typeof deployRegistryFixture>>;

async function deploymentOf(f: Fixture): Promise<Deployment> {
  const net = await ethers.provider.getNetwork();
  const contract = async (contractName: string, c: { getAddress(): Promise<string> }) => ({
    contractName,
    address: await c.getAddress(),
    deployTxHash: ZeroHash,
    blockNumber: 0,
    blockHash: ZeroHash,
    abi: [],
  });
  return DeploymentSchema.parse({
    network: "hardhat",
    chainId: Number(net.chainId),
    deployer: f.accounts.admin.address,
    admin: f.accounts.admin.address,
    deployBlock: 0,
    generatedAt: new Date().toISOString(),
    roles: {},
    contracts: {
      identityRegistry: await contract("IdentityRegistry", f.contracts.identity),
      collectibleRights: await contract("CollectibleRights", f.contracts.rights),
      evidenceRegistry: await contract("EvidenceRegistry", f.contracts.evidence),
    },
  });
}

/** A clock that advances one second per reading from 2025-01-01T00:00:00Z. */
function steppingClock() {
  let t = Date.UTC(2025, 0, 1);
  return () => new Date((t += 1000) - 1000);
}

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF inside quotes). Unquoted empty → null. */
function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let s = "";
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          s += text[i++];
        }
      }
      field = s;
    } else {
      let s = "";
      while (i < text.length && text[i] !== "," && text[i] !== "\r") s += text[i++];
      field = s === "" ? null : s;
    }
    row.push(field);
    if (text[i] === ",") i++;
    else if (text[i] === "\r" && text[i + 1] === "\n") {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`bad CSV at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

async function waitFor(cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("server/sandbox/sandbox-log", function () {
  let dir: string;
  let store: Store;
  let f: Fixture;
  let chain: Chain;
  const logs: SandboxLog[] = [];

  const make = (opts: Partial<SandboxLogOptions> = {}) => {
    const log = createSandboxLog({
      store,
      chain,
      anchorEveryEntries: 5,
      anchorEveryMinutes: 10,
      now: steppingClock(),
      ...opts,
    });
    logs.push(log);
    return log;
  };

  /** Appends `n` entries alternating two actors and two collections. */
  const fill = async (log: SandboxLog, n: number) => {
    const out: LogEntry[] = [];
    for (let i = 0; i < n; i++) {
      out.push(
        await log.append({
          actor: i % 2 ? "key-regulator" : "key-issuer",
          action: i % 3 === 2 ? "compliance.check" : "collection.create",
          rule: i % 3 === 2 ? "minLevel" : undefined,
          decision: i % 3 === 2 ? "deny" : "allow",
          collectionId: BigInt(1 + (i % 2)),
          payload: { i, note: `entry "${i}", with, commas\nand a newline` },
        }),
      );
    }
    return out;
  };

  beforeEach(async function () {
    dir = mkdtempSync(join(tmpdir(), "sandbox-log-"));
    store = openSqliteStore(join(dir, "gateway.db"));
    f = await loadFixture(deployRegistryFixture);
    // A fresh Chain per test: loadFixture reverts the chain, so cached nonces would be stale.
    chain = new Chain({ deployment: await deploymentOf(f), provider: ethers.provider, keys: KEYS });
  });

  afterEach(async function () {
    for (const log of logs.splice(0)) await log.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the operator's key (EVIDENCE_WRITER_ROLE) for anchoring", async function () {
    expect(chain.senders.operator.address).to.equal(f.accounts.operator.address);
    const role = await f.contracts.evidence.EVIDENCE_WRITER_ROLE();
    expect(await f.contracts.evidence.hasRole(role, chain.senders.operator.address)).to.equal(true);
  });

  describe("append", function () {
    it("hash-chains entries through the store, with ISO timestamps and JSON-safe payloads", async function () {
      const log = make();
      const a = await log.append({ actor: "key-1", action: "collection.create", payload: { amount: 10n ** 20n, skip: undefined } });
      const b = await log.append({
        actor: "key-2",
        action: "compliance.check",
        rule: "minLevel",
        decision: "deny",
        collectionId: 7n,
        tokenId: 42,
        policyVersion: "2025-01",
        inputHash: ethers.id("input"),
        ref: "decision-1",
        payload: null,
      });
      expect(a).to.deep.include({ seq: 1, prevHash: GENESIS_HASH, ts: "2025-01-01T00:00:00.000Z", rule: null, tokenId: null });
      expect(a.payload).to.deep.equal({ amount: "100000000000000000000" });
      expect(a.hash).to.equal(entryHash(a));
      expect(b).to.deep.include({ seq: 2, prevHash: a.hash, collectionId: "7", tokenId: "42", ref: "decision-1" });
      const stored = await store.log.range(1, 2);
      expect(stored).to.deep.equal([a, b]);
      expect(verifyHashChain(stored).ok).to.equal(true);
      await expectRejects(log.append({ actor: "", action: "x", payload: {} }), TypeError);
      await expectRejects(log.append({ actor: "a", action: "x", payload: { n: NaN } }), TypeError);
      expect(await store.log.count()).to.equal(2);
    });

    it("keeps seqs unique and the chain intact under concurrent appends", async function () {
      const log = make();
      await Promise.all(Array.from({ length: 40 }, (_, i) => log.append({ actor: "a", action: "x", payload: { i } })));
      const all = await store.log.range(1, 100);
      expect(all.map((e) => e.seq)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(verifyHashChain(all).ok).to.equal(true);
    });
  });

  describe("list", function () {
    it("filters by actor, action, rule, decision, collection and time", async function () {
      const log = make();
      const all = await fill(log, 12);
      const seqs = (p: { entries: LogEntry[] }) => p.entries.map((e) => e.seq);
      expect(seqs(await log.list({ actor: "key-regulator" }))).to.deep.equal(all.filter((e) => e.actor === "key-regulator").map((e) => e.seq));
      expect(seqs(await log.list({ action: "compliance.check", decision: "deny", rule: "minLevel" }))).to.deep.equal([3, 6, 9, 12]);
      expect(seqs(await log.list({ collectionId: "2" }))).to.deep.equal([2, 4, 6, 8, 10, 12]);
      expect(seqs(await log.list({ from: all[3].ts, to: all[5].ts }))).to.deep.equal([4, 5, 6]);
      expect(seqs(await log.list({ actor: "nobody" }))).to.deep.equal([]);
    });

    it("pages by seq with a cursor until nextCursor is null", async function () {
      const log = make();
      await fill(log, 12);
      const seen: number[] = [];
      let cursor: number | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<SandboxLog["list"]>> = await log.list({}, { limit: 5, cursor });
        seen.push(...page.entries.map((e) => e.seq));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null);
      expect(pages).to.equal(3);
      expect(seen).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));

      const filtered = await log.list({ collectionId: "1" }, { limit: 2, cursor: "3" });
      expect(filtered.entries.map((e) => e.seq)).to.deep.equal([5, 7]);
      expect(filtered.nextCursor).to.equal(7);
      const exact = await log.list({}, { limit: 12 });
      expect(exact.nextCursor).to.equal(null);
      await expectRejects(log.list({}, { cursor: "abc" }), AppError, /cursor/);
      await expectRejects(log.list({}, { limit: 0 }), AppError, /limit/);
    });
  });

  describe("export", function () {
    it("JSONL: header, entries and their anchors, verifiable offline and against the chain", async function () {
      const log = make({ anchorEveryEntries: 4 });
      await fill(log, 4);
      const anchor = await log.anchor(); // [1..4]; seq 5 is the anchor entry
      await fill(log, 3); // 6..8 unanchored
      const text = await log.exportText({}, "jsonl");
      const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string });
      expect(lines.map((l) => l.type)).to.deep.equal(["header", ...Array(8).fill("entry"), "anchor"]);
      expect(text.endsWith("\n")).to.equal(true);

      const parsed = parseExport(text);
      expect(parsed.header).to.deep.include({ format: "sandbox-log", version: 1, chainId: chain.chainId });
      expect(parsed.header?.evidenceRegistry).to.equal(await f.contracts.evidence.getAddress());
      expect(parsed.entries).to.deep.equal(await store.log.range(1, 100));
      expect(parsed.anchors).to.have.length(1);
      expect(parsed.anchors[0]).to.deep.include({ fromSeq: 1, toSeq: 4, root: anchor!.root, evidenceId: anchor!.evidenceId, txHash: anchor!.txHash });
      expect(verifyExport(parsed).ok).to.equal(true);
      const onChain = await f.contracts.evidence.findById(parsed.anchors[0].evidenceId);
      expect(onChain.hash).to.equal(parsed.anchors[0].root);

      // Filtered: only matching entries, and only the anchors covering them.
      const late = parseExport(await log.exportText({ collectionId: "2", from: "2025-01-01T00:00:06.000Z" }, "jsonl"));
      expect(late.entries.every((e) => e.collectionId === "2" && e.seq > 5)).to.equal(true);
      expect(late.entries.length).to.be.greaterThan(0);
      expect(late.anchors).to.deep.equal([]);
      expect(late.header?.filter).to.deep.equal({ collectionId: "2", from: "2025-01-01T00:00:06.000Z" });
    });

    it("CSV: RFC 4180 with a header row and the payload as a JSON column; parses back to the entries", async function () {
      const log = make();
      await fill(log, 6);
      await log.append({ actor: "a", action: "x", rule: "", payload: { q: 'He said "hi", twice\r\n' } });
      const chunks: string[] = [];
      for await (const c of log.export({}, "csv")) chunks.push(c);
      expect(chunks.every((c) => c.endsWith("\r\n"))).to.equal(true);
      const rows = parseCsv(chunks.join(""));
      expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
      const entries = await store.log.range(1, 100);
      expect(rows).to.have.length(entries.length + 1);
      rows.slice(1).forEach((r, i) => {
        const rec = Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, r[j]]));
        const back = { ...rec, seq: Number(rec.seq), payload: JSON.parse(rec.payload as string) } as unknown as LogEntry;
        expect(back).to.deep.equal(entries[i]);
        expect(entryHash(back)).to.equal(back.hash);
      });
      expect(rows[7][CSV_COLUMNS.indexOf("rule")]).to.equal(""); // empty string, not null
      expect(rows[1][CSV_COLUMNS.indexOf("rule")]).to.equal(null);
      await expectRejects(log.exportText({}, "xml" as never), AppError, /format/);
    });
  });

  describe("anchoring", function () {
    it("maybeAnchor anchors every N entries; the anchor's own entry opens the next range", async function () {
      const log = make({ anchorEveryEntries: 5 });
      await fill(log, 4);
      expect(await log.maybeAnchor()).to.equal(undefined);
      await fill(log, 1);
      const first = await log.maybeAnchor();
      expect(first).to.deep.include({ id: 1, fromSeq: 1, toSeq: 5, evidenceId: anchorEvidenceId(1, 5) });
      expect(first!.root).to.equal(merkleRoot((await store.log.range(1, 5)).map((e) => e.hash)));

      const anchorEntry = (await store.log.last())!;
      expect(anchorEntry).to.deep.include({ seq: 6, action: ANCHOR_ACTION, actor: "system", ref: first!.txHash });
      expect(anchorEntry.payload).to.deep.include({ anchorId: 1, fromSeq: 1, toSeq: 5, root: first!.root });

      expect(await log.maybeAnchor()).to.equal(undefined);
      expect(await log.anchor()).to.equal(undefined); // the anchor's entry alone is not anchored
      await fill(log, 3);
      expect(await log.maybeAnchor()).to.equal(undefined); // 4 pending
      await fill(log, 1);
      const second = await log.maybeAnchor();
      expect(second).to.deep.include({ id: 2, fromSeq: 6, toSeq: 10 });
      expect(await store.anchors.list()).to.have.length(2);
    });

    it("records anchors in the EvidenceRegistry (findById matches) and gives inclusion proofs", async function () {
      const log = make();
      await fill(log, 7);
      const anchor = (await log.anchor())!;
      const receipt = await ethers.provider.getTransactionReceipt(anchor.txHash);
      expect(receipt?.blockNumber).to.equal(anchor.blockNumber);
      expect(receipt?.from).to.equal(f.accounts.operator.address);

      const ev = await f.contracts.evidence.findById(anchor.evidenceId);
      expect(ev.hash).to.equal(anchor.root);
      expect(ev.writer).to.equal(f.accounts.operator.address);
      expect(ev.blockNumber).to.equal(BigInt(anchor.blockNumber));
      const meta = AnchorMetadataSchema.parse(JSON.parse(ev.metadata));
      expect(meta).to.deep.include({ fromSeq: 1, toSeq: 7, count: 7, lastHash: (await store.log.range(7, 7))[0].hash });
      expect(ev.metadata).to.equal(canonicalJson(meta));

      for (const seq of [1, 4, 7]) {
        const p = (await log.proof(seq))!;
        expect(p).to.deep.include({ leafIndex: seq - 1, leafCount: 7 });
        expect(p.anchor.id).to.equal(anchor.id);
        expect(entryHash(p.entry)).to.equal(p.entry.hash);
        expect(verifyMerkleProof(p.entry.hash, p.proof, ev.hash)).to.equal(true);
      }
      expect(await log.proof(8)).to.equal(undefined); // the anchor entry: not anchored yet
      expect(await log.proof(999)).to.equal(undefined);
    });

    it("concurrent anchor() calls anchor once", async function () {
      const log = make();
      await fill(log, 6);
      const results = await Promise.all([log.anchor(), log.anchor(), log.maybeAnchor(), log.anchor()]);
      expect(results.filter((r) => r !== undefined)).to.have.length(1);
      expect(await store.anchors.list()).to.have.length(1);
      expect((await store.log.list({ action: ANCHOR_ACTION })).length).to.equal(1);
      expect(await f.contracts.evidence.existsById(anchorEvidenceId(1, 6))).to.equal(true);
    });

    it("anchors on a timer after start() and stops cleanly", async function () {
      const log = make({ anchorEveryEntries: 1000, anchorEveryMs: 100 });
      log.start();
      log.start(); // idempotent
      await fill(log, 3);
      await waitFor(async () => (await store.anchors.list()).length === 1);
      expect(await store.anchors.last()).to.deep.include({ fromSeq: 1, toSeq: 3 });
      // The anchor's own entry does not trigger another anchor.
      await new Promise((r) => setTimeout(r, 350));
      expect(await store.anchors.list()).to.have.length(1);
      await log.stop();
      await fill(log, 2);
      await new Promise((r) => setTimeout(r, 350));
      expect(await store.anchors.list()).to.have.length(1);
    });

    it("after start(), appends trigger anchoring every N entries in the background", async function () {
      const log = make({ anchorEveryEntries: 3, anchorEveryMinutes: 60 });
      log.start();
      await fill(log, 3);
      await waitFor(async () => (await store.anchors.list()).length === 1);
      await fill(log, 2); // with the anchor entry (seq 4): 3 pending
      await waitFor(async () => (await store.anchors.list()).length === 2);
      await log.stop();
      expect((await store.anchors.list()).map((a) => [a.fromSeq, a.toSeq])).to.deep.equal([
        [1, 3],
        [4, 6],
      ]);
      expect((await log.verify()).ok).to.equal(true);
    });

    it("adopts an anchor an earlier attempt recorded on chain but did not store", async function () {
      const log = make();
      const entries = await fill(log, 3);
      const root = merkleRoot(entries.map((e) => e.hash));
      const tx = await f.contracts.evidence.connect(f.accounts.operator).record(anchorEvidenceId(1, 3), root, "{}");
      const anchor = (await log.anchor())!;
      expect(anchor).to.deep.include({ fromSeq: 1, toSeq: 3, root, txHash: tx.hash });
      expect((await log.verify()).ok).to.equal(true);
    });

    it("refuses to anchor a broken hash chain, and to anchor without a chain", async function () {
      const log = make();
      await fill(log, 4);
      store.db.prepare("UPDATE sandbox_log SET actor = 'mallory' WHERE seq = 2").run();
      await expectRejects(log.anchor(), AppError, /seq 2/);
      expect(await store.anchors.list()).to.have.length(0);

      const offline = make({ chain: undefined });
      expect(await offline.maybeAnchor()).to.equal(undefined);
      await expectRejects(offline.anchor(), UnavailableError);
    });
  });

  describe("verify", function () {
    it("passes on an untouched log and counts anchors and unanchored entries", async function () {
      const log = make({ anchorEveryEntries: 5 });
      expect(await log.verify()).to.deep.equal({
        ok: true,
        entries: 0,
        lastSeq: null,
        anchors: { checked: 0, ok: 0, onChain: true },
        unanchored: 0,
      });
      await fill(log, 5);
      await log.maybeAnchor();
      await fill(log, 5);
      await log.maybeAnchor();
      await fill(log, 2);
      expect(await log.verify()).to.deep.equal({
        ok: true,
        entries: 14,
        lastSeq: 14,
        anchors: { checked: 2, ok: 2, onChain: true },
        unanchored: 3,
      });
    });

    it("TAMPERING: an edited row is named; a recomputed chain passes the hash chain but fails the anchor", async function () {
      const log = make({ anchorEveryEntries: 6 });
      await fill(log, 6);
      const a1 = (await log.maybeAnchor())!; // [1..6], seq 7 = anchor entry
      await fill(log, 5);
      const a2 = (await log.maybeAnchor())!; // [7..12], seq 13 = anchor entry
      await fill(log, 2); // 14..15 unanchored
      expect([a1, a2].map((a) => [a.fromSeq, a.toSeq])).to.deep.equal([
        [1, 6],
        [7, 12],
      ]);
      expect((await log.verify()).ok).to.equal(true);

      // 1. Edit seq 5's payload with raw SQL.
      store.db.prepare("UPDATE sandbox_log SET payload = ? WHERE seq = 5").run(JSON.stringify({ i: 4, note: "nothing happened" }));
      const edited = await log.verify();
      expect(edited.ok).to.equal(false);
      expect(edited.firstBad).to.deep.equal({ seq: 5, reason: "hash-mismatch" });
      expect(edited.badAnchor).to.deep.include({ id: a1.id, fromSeq: 1, toSeq: 6, firstSeq: 1, reason: "chain-mismatch", chainRoot: a1.root });
      expect(edited.anchors).to.deep.equal({ checked: 2, ok: 1, onChain: true });

      // 2. Recompute the hash chain from seq 5 on with the pure functions, as a careful forger would.
      const rows = await store.log.range(1, 100);
      const update = store.db.prepare("UPDATE sandbox_log SET prev_hash = ?, hash = ? WHERE seq = ?");
      for (let i = 4; i < rows.length; i++) {
        rows[i].prevHash = rows[i - 1].hash;
        const { hash: _old, ...body } = rows[i];
        rows[i].hash = entryHash(body);
        update.run(rows[i].prevHash, rows[i].hash, rows[i].seq);
      }
      expect(verifyHashChain(await store.log.range(1, 100)).ok).to.equal(true);
      const forged = await log.verify();
      expect(forged.ok).to.equal(false);
      expect(forged.firstBad).to.equal(undefined);
      expect(forged.entries).to.equal(15);
      expect(forged.badAnchor).to.deep.include({
        id: a1.id,
        fromSeq: 1,
        toSeq: 6,
        evidenceId: a1.evidenceId,
        firstSeq: 1,
        reason: "chain-mismatch",
        storedRoot: a1.root,
        chainRoot: a1.root,
      });
      expect(forged.badAnchor!.recomputedRoot).to.not.equal(a1.root);
      // Every anchored range from the edit on is rehashed, so the later anchor fails too.
      expect(forged.anchors).to.deep.equal({ checked: 2, ok: 0, onChain: true });

      // 3. Also rewriting the stored anchor root does not help: the chain holds the original.
      const newRoot = merkleRoot((await store.log.range(1, 6)).map((e) => e.hash));
      store.db.prepare("UPDATE anchors SET root = ? WHERE id = ?").run(newRoot, a1.id);
      expect((await log.verify()).badAnchor).to.deep.include({ id: a1.id, reason: "chain-mismatch", storedRoot: newRoot });
      expect((await f.contracts.evidence.findById(a1.evidenceId)).hash).to.equal(a1.root);
    });

    it("TAMPERING: an anchor row whose root was changed is caught even when the entries are intact", async function () {
      const log = make({ anchorEveryEntries: 3 });
      await fill(log, 3);
      const a = (await log.maybeAnchor())!;
      store.db.prepare("UPDATE anchors SET root = ? WHERE id = ?").run(ethers.id("forged"), a.id);
      const r = await log.verify();
      expect(r.firstBad).to.equal(undefined);
      expect(r.badAnchor).to.deep.include({ id: a.id, reason: "stored-root-mismatch", recomputedRoot: a.root, chainRoot: a.root });
    });

    it("TAMPERING: a deleted row is a seq-gap; deleted anchor rows are caught", async function () {
      const log = make({ anchorEveryEntries: 3 });
      await fill(log, 3);
      await log.maybeAnchor(); // [1..3], seq 4 = anchor entry
      await fill(log, 2);
      await log.maybeAnchor(); // [4..6], seq 7 = anchor entry
      expect((await log.verify()).ok).to.equal(true);

      store.db.prepare("DELETE FROM anchors WHERE id = 2").run();
      expect((await log.verify()).badAnchor).to.deep.include({ fromSeq: 4, toSeq: 6, reason: "anchor-missing" });
      store.db.prepare("DELETE FROM anchors WHERE id = 1").run();
      expect((await log.verify()).badAnchor).to.deep.include({ fromSeq: 1, toSeq: 3, reason: "anchor-missing" });

      store.db.prepare("DELETE FROM sandbox_log WHERE seq = 2").run();
      expect((await log.verify()).firstBad).to.deep.equal({ seq: 2, reason: "seq-gap" });
    });

    it("TAMPERING: a deleted row inside an anchored range makes the anchor incomplete", async function () {
      const log = make({ anchorEveryEntries: 4 });
      await fill(log, 4);
      const a = (await log.maybeAnchor())!;
      store.db.prepare("DELETE FROM sandbox_log WHERE seq = 4").run();
      const r = await log.verify();
      expect(r.firstBad).to.deep.equal({ seq: 4, reason: "seq-gap" });
      expect(r.badAnchor).to.deep.include({ id: a.id, reason: "range-incomplete", firstSeq: 1 });
    });

    it("propagates UnavailableError when the chain is down", async function () {
      const log = make();
      await fill(log, 3);
      await log.anchor();
      const down = new Chain({
        deployment: chain.deployment,
        provider: jsonRpcProvider("http://127.0.0.1:9", chain.chainId),
        keys: KEYS,
      });
      const offline = make({ chain: down });
      await expectRejects(offline.verify(), UnavailableError);
      await fill(offline, 3);
      await expectRejects(offline.anchor(), UnavailableError);
      expect(await store.anchors.list()).to.have.length(1);
    });
  });
});
