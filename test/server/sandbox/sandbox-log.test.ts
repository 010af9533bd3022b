/**
 * server/sandbox (journal, anchorer, export, verification) on a real SQLite file and a real PostgreSQL
 * database, anchoring on the in-process Hardhat chain with the fixture's ANCHOR key. Every receipt, proof
 * and bundle is checked with the shared verification code (shared/log, shared/verify/log.ts), and the
 * tree with an independent RFC 9162 implementation written from the RFC's definitions.
 *   npx hardhat test test/server/sandbox/sandbox-log.test.ts
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Chain, jsonRpcProvider } from "../../../server/chain/chain";
import { AppError } from "../../../server/errors";
import { ANCHOR_ACTION, type SandboxLog } from "../../../server/sandbox/sandbox-log";
import { LEAF_HASH_FROM } from "../../../server/sandbox/journal";
import { SYSTEM_ACTOR } from "../../../shared/domain";
import { appendLeaf, fromHex, MemoryNodeStore, MissingNodeError, verifyCheckpoint, verifyConsistency, verifyReceipt, type StoredNode } from "../../../shared/log";
import { entryBytes, entryLeafHash, GENESIS_HASH } from "../../../shared/log/entry";
import { CSV_COLUMNS, parseExport } from "../../../shared/log/export";
import { bundleSource, chainCheckpoints, verifyLog } from "../../../shared/verify/log";
import { expectRejects, rejection } from "../../support/rejects";
import { ReferenceTree } from "../../shared/log/rfc9162-reference";
import { gatewayChainFixture } from "../support/gateway";
import { allEntries, anchorChain, fill, forgeHistory, hex, nodesOfSize, sandboxLog, STORE_KINDS, type Fx, type SqlStore, type StoreKind } from "./support";

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
        } else s += text[i++];
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

async function waitFor(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const failedChecks = (r: { checks: Array<{ check: string; verdict: string }> }) => r.checks.filter((c) => c.verdict !== "passed").map((c) => `${c.check}:${c.verdict}`);

function behavesLikeTheSandboxLog(kind: StoreKind) {
  let fx: Fx;
  let chain: Chain;
  let location: string;
  let store: SqlStore;
  const opened: SqlStore[] = [];
  const logs: SandboxLog[] = [];

  const open = async (where = location) => {
    const s = await kind.open(where);
    opened.push(s);
    return s;
  };
  /** A sandbox log on `on`, anchoring through `withChain` (null: a gateway without a chain). */
  const make = (opts: Parameters<typeof sandboxLog>[2] = {}, on: SqlStore = store, withChain: Chain | null = chain) => {
    const log = sandboxLog(on, withChain ?? undefined, opts);
    logs.push(log);
    return log;
  };
  const onChain = async (logId: string) => {
    const n = Number(await fx.contracts.evidence.checkpointCount(logId));
    const out: Array<{ treeSize: number; rootHash: string; anchorer: string }> = [];
    for (let i = 0; i < n; i++) {
      const c = await fx.contracts.evidence.checkpointAt(logId, i);
      out.push({ treeSize: Number(c.treeSize), rootHash: c.rootHash, anchorer: c.anchorer });
    }
    return out;
  };
  /** The independent reference tree over the store's entries. */
  const reference = async (on: SqlStore = store) => new ReferenceTree((await allEntries(on)).map((e) => entryLeafHash(e)));

  beforeEach(async function () {
    fx = await loadFixture(gatewayChainFixture);
    // A fresh Chain per test: loadFixture reverts the chain, so cached nonces would be stale.
    chain = anchorChain(fx);
    location = await kind.fresh();
    store = await open();
  });

  afterEach(async function () {
    for (const log of logs.splice(0)) await log.stop();
    for (const s of opened.splice(0)) await s.close();
  });

  describe("append: one sequence, one tree", function () {
    it("stores each entry with the nodes it completes: hash = RFC 9162 leaf hash, chained, the stored root is the reference root", async function () {
      const log = make();
      const a = await log.append({ actor: "key-1", action: "collection.create", payload: { amount: 10n ** 20n, skip: undefined } });
      expect(a).to.deep.include({ seq: 1, prevHash: GENESIS_HASH, ts: "2025-01-01T00:00:00.000Z", rule: null, tokenId: null });
      expect(a.payload).to.deep.equal({ amount: "100000000000000000000" });
      expect(a.hash).to.equal(hex(entryLeafHash(a)));
      const rest = await fill(log, 12);
      expect(rest.map((e) => e.seq)).to.deep.equal([...Array(12).keys()].map((i) => i + 2));
      rest.forEach((e, i) => expect(e.prevHash).to.equal(i === 0 ? a.hash : rest[i - 1].hash));
      expect(await allEntries(store)).to.deep.equal([a, ...rest]);

      const ref = await reference();
      expect(await store.logTree.count()).to.equal(nodesOfSize(13));
      for (const size of [1, 2, 3, 7, 8, 13]) expect(hex(await log.journal.root(size)), `root at ${size}`).to.equal(hex(ref.root(size)));
      expect(await store.kv.get(LEAF_HASH_FROM)).to.equal("1");
      await expectRejects(log.append({ actor: "", action: "x", payload: {} }), TypeError, /actor is required/);
      await expectRejects(log.append({ actor: "a", action: "x", payload: { n: NaN } }), TypeError, /not a finite number/);
      expect(await store.log.count()).to.equal(13);
    });

    it("an entry and its nodes commit together: when a node it needs is missing, neither is stored", async function () {
      const log = make();
      await fill(log, 3);
      // Leaf 3 closes a pair with leaf 2: without (0, 2) in the store it cannot be appended.
      await store.db.run("DELETE FROM log_nodes WHERE level = 0 AND idx = 2");
      const err = await expectRejects(log.append({ actor: "a", action: "x", payload: {} }), MissingNodeError);
      expect(err).to.include({ level: 0, index: 2, code: "LOG_NODE_MISSING" });
      expect(await store.log.count()).to.equal(3);
      expect(await store.logTree.count()).to.equal(nodesOfSize(3) - 1);
    });

    it("appendOnce logs an outcome once per action, decision and ref: a gateway taking a job over does not log it again", async function () {
      const log = make();
      const tx = `0x${"ab".repeat(32)}`;
      const sent = await log.appendOnce({ actor: "gw-a", action: "chain.rights.mintBatch", decision: "sent", ref: tx, payload: { by: "a" } });
      const again = await log.appendOnce({ actor: "gw-b", action: "chain.rights.mintBatch", decision: "sent", ref: tx, payload: { by: "b" } });
      expect(again).to.deep.equal(sent);
      const failed = await log.appendOnce({ actor: "gw-b", action: "chain.rights.mintBatch", decision: "failed", ref: tx, payload: {} });
      expect(failed.seq).to.equal(sent.seq + 1);
      expect((await store.log.findByRef(tx)).map((e) => [e.actor, e.decision])).to.deep.equal([
        ["gw-a", "sent"],
        ["gw-b", "failed"],
      ]);
    });

    it("concurrent appends get one sequence and one tree: no gap, no fork", async function () {
      const log = make();
      await Promise.all(Array.from({ length: 60 }, (_, i) => log.append({ actor: "a", action: "x", payload: { i } })));
      const entries = await allEntries(store);
      expect(entries.map((e) => e.seq)).to.deep.equal([...Array(60).keys()].map((i) => i + 1));
      expect((await log.verify()).checks.every((c) => c.passed)).to.equal(true);
      expect(await store.logTree.count()).to.equal(nodesOfSize(60));
      expect(hex(await log.journal.root(60))).to.equal(hex((await reference()).root(60)));
    });

    if (kind.shared) {
      it("two gateways appending to one database at once: one sequence, one tree", async function () {
        const other = await open();
        const a = make();
        const b = make({}, other);
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append({ actor: `g${i % 2}`, action: "x", payload: { i } })));
        const entries = await allEntries(store);
        expect(entries.map((e) => e.seq)).to.deep.equal([...Array(40).keys()].map((i) => i + 1));
        for (let i = 1; i < 40; i++) expect(entries[i].prevHash).to.equal(entries[i - 1].hash);
        expect(await store.logTree.count()).to.equal(nodesOfSize(40));
        expect(hex(await b.journal.root(40))).to.equal(hex((await reference()).root(40)));
        expect((await a.logKey()).verifierKey).to.equal((await b.logKey()).verifierKey);
      });
    }
  });

  describe("the log key", function () {
    it("is made on first start, kept in the store, and the same after a restart", async function () {
      const first = await make().logKey();
      expect(first).to.deep.include({ algorithm: "ed25519", tree: "rfc9162-sha256" });
      expect(first.origin).to.equal(`dareg-sandbox-log/31337/${(await fx.contracts.evidence.getAddress()).toLowerCase()}`);
      expect(first.logId).to.equal(ethers.keccak256(ethers.toUtf8Bytes(first.origin)));
      expect(first.verifierKey.startsWith(`${first.origin}+`)).to.equal(true);
      expect(await make().logKey()).to.deep.equal(first);
      await store.close();
      opened.splice(opened.indexOf(store), 1);
      store = await open();
      expect(await make().logKey()).to.deep.equal(first);
    });

    it("a configured LOG_SIGNING_KEY for another log is refused", async function () {
      const { generateNoteKey } = await import("../../../shared/log");
      const foreign = generateNoteKey("another-log").signerKey;
      await expectRejects(make({ signingKey: foreign }).init(), Error, /LOG_SIGNING_KEY is for another-log, not this log/);
    });
  });

  describe("receipts and consistency proofs", function () {
    it("every entry's receipt verifies against the latest checkpoint, and once anchored against the anchored one", async function () {
      const log = make();
      await fill(log, 9);
      const key = await log.logKey();
      for (let seq = 1; seq <= 9; seq++) {
        const p = await log.proof(seq);
        const r = verifyReceipt(p.latest, entryBytes(p.entry), key.verifierKey);
        expect(r, `entry ${seq}`).to.deep.include({ ok: true, index: seq - 1, treeSize: 9, checkpointVerified: true });
        expect(p.anchored).to.equal(null);
        // The receipt does not verify for another entry's bytes.
        const other = (await store.log.range((seq % 9) + 1, (seq % 9) + 1))[0];
        expect(verifyReceipt(p.latest, entryBytes(other), key.verifierKey)).to.deep.include({ ok: false, reason: "leaf-mismatch" });
      }
      const cp = (await log.anchor())!;
      expect(cp.size).to.equal(9);
      await fill(log, 4); // after the anchoring's own entries (the transaction, its outcome, the anchor)
      const size = await log.journal.size();
      expect(size).to.equal(9 + 3 + 4);
      const [chainCp] = await onChain(key.logId);
      for (const seq of [1, 5, 9]) {
        const p = await log.proof(seq);
        expect(p.latest.treeSize).to.equal(size);
        expect(verifyReceipt(p.latest, entryBytes(p.entry), key.verifierKey).ok).to.equal(true);
        expect(p.anchored!.anchor).to.deep.equal({ ...cp.anchor, logId: key.logId });
        const anchored = verifyReceipt(p.anchored!.receipt, entryBytes(p.entry), key.verifierKey);
        expect(anchored).to.deep.include({ ok: true, treeSize: 9, root: chainCp.rootHash.toLowerCase() });
      }
      expect((await log.proof(10)).anchored).to.equal(null);
      await rejection(log.proof(size + 1), AppError, "LOG_ENTRY_NOT_FOUND");
      await rejection(log.proof(0), AppError, "LOG_ENTRY_NOT_FOUND");
    });

    it("consistency proofs between any two sizes verify and match the reference", async function () {
      const log = make();
      await fill(log, 11);
      const ref = await reference();
      for (let from = 1; from <= 11; from++) {
        for (let to = from; to <= 11; to++) {
          const c = await log.consistency(from, to);
          expect(c).to.deep.include({ from, to, rootFrom: hex(ref.root(from)), rootTo: hex(ref.root(to)) });
          if (from < to) expect(c.proof).to.deep.equal(ref.consistency(from, to).map(hex));
          const r = verifyConsistency(from, to, fromHex(c.rootFrom), fromHex(c.rootTo), c.proof.map((h) => fromHex(h)));
          expect(r.ok, `${from}→${to}`).to.equal(true);
        }
      }
      const bad = async (from: number, to: number) => {
        const e = await rejection(log.consistency(from, to), AppError, "VALIDATION_FAILED");
        expect(e.params).to.deep.equal({ where: "query", summary: "need 1 ≤ from ≤ to ≤ 11" });
      };
      await bad(0, 5);
      await bad(6, 5);
      await bad(1, 12);
      await bad(1.5, 3);
    });
  });

  describe("anchoring", function () {
    it("records size and root on chain with the ANCHOR key, signs the checkpoint, and logs the anchor", async function () {
      const log = make();
      await fill(log, 7);
      const key = await log.logKey();
      const cp = (await log.anchor())!;
      expect(cp).to.deep.include({ size: 7, root: hex((await reference()).root(7)) });
      expect(cp.anchor).to.deep.include({ index: 0 });
      const receipt = await ethers.provider.getTransactionReceipt(cp.anchor!.txHash);
      expect(receipt!.from).to.equal(fx.accounts.anchorer.address);
      expect(receipt!.blockNumber).to.equal(cp.anchor!.blockNumber);
      expect(await onChain(key.logId)).to.deep.equal([{ treeSize: 7, rootHash: cp.root, anchorer: fx.accounts.anchorer.address }]);
      const signed = verifyCheckpoint(cp.note, key.verifierKey);
      expect(signed.ok && signed.checkpoint.size).to.equal(7);
      expect(signed.ok && hex(signed.checkpoint.root)).to.equal(cp.root);
      expect(await store.checkpoints.list()).to.deep.equal([{ ...cp, createdAt: (await store.checkpoints.get(7))!.createdAt }]);
      const announced = (await store.log.list({ action: ANCHOR_ACTION }))[0];
      expect(announced).to.deep.include({ actor: SYSTEM_ACTOR, decision: "anchored", ref: cp.anchor!.txHash });
      expect(announced.payload).to.deep.include({ treeSize: 7, root: cp.root, logId: key.logId, index: 0 });
      // Only the system's own entries since: nothing to anchor.
      expect(await log.anchor()).to.equal(undefined);
      expect(await onChain(key.logId)).to.have.length(1);
    });

    it("each anchor extends the one before (consistency checked) and the contract refuses a size that does not grow", async function () {
      const log = make();
      await fill(log, 5);
      const first = (await log.anchor())!;
      await fill(log, 6);
      const second = (await log.anchor())!;
      expect(second.anchor!.index).to.equal(1);
      expect(second.size).to.be.greaterThan(first.size);
      const c = await log.consistency(first.size, second.size);
      expect(c.rootFrom).to.equal(first.root);
      expect(c.rootTo).to.equal(second.root);
      expect(verifyConsistency(first.size, second.size, fromHex(first.root), fromHex(second.root), c.proof.map((h) => fromHex(h))).ok).to.equal(true);
      const { logId } = await log.logKey();
      const { evidence } = fx.contracts;
      await expect(evidence.connect(fx.accounts.anchorer).anchorCheckpoint(logId, first.size, first.root))
        .to.be.revertedWithCustomError(evidence, "CheckpointSizeNotIncreasing")
        .withArgs(logId, first.size, second.size);
      const report = await log.verify();
      expect(report).to.deep.include({ ok: true, verdict: "passed" });
      expect(report.onChain).to.deep.equal({ count: 2, checked: 2 });
      expect(report.checkpoints.map((v) => [v.size, v.index, v.ok])).to.deep.equal([
        [first.size, 0, true],
        [second.size, 1, true],
      ]);
    });

    it("concurrent anchor() calls anchor once", async function () {
      const log = make();
      await fill(log, 6);
      const results = await Promise.all([log.anchor(), log.anchor(), log.anchor()]);
      expect(results.filter((r) => r !== undefined)).to.have.length(1);
      expect(await onChain((await log.logKey()).logId)).to.have.length(1);
      expect(await store.log.list({ action: ANCHOR_ACTION })).to.have.length(1);
    });

    it("adopts a checkpoint an earlier attempt recorded on chain but did not store", async function () {
      const log = make();
      await fill(log, 4);
      const { logId } = await log.logKey();
      const root = hex(await log.journal.root(4));
      const tx = await fx.contracts.evidence.connect(fx.accounts.anchorer).anchorCheckpoint(logId, 4, root);
      const cp = (await log.anchor())!;
      expect(cp).to.deep.include({ size: 4, root });
      expect(cp.anchor).to.deep.equal({ index: 0, txHash: tx.hash, blockNumber: (await tx.wait())!.blockNumber });
      expect(await onChain(logId)).to.have.length(1);
      expect((await log.verify()).ok).to.equal(true);
    });

    it("REFUSED: a store whose history was rewritten is not anchored, and verification names what broke", async function () {
      const log = make();
      await fill(log, 6);
      const first = (await log.anchor())!; // size 6; entry 7 is the anchor's own
      await fill(log, 3);
      await forgeHistory(store, 3, "mallory");
      const { logId } = await log.logKey();
      const e = await rejection(log.anchor(), AppError, "LOG_TAMPERED");
      expect(e.params.seq).to.equal(6);
      expect(e.params.reason).to.equal(
        `the first 6 entries do not give the root of checkpoint #0 on chain: the log, or that anchor, rewrote history (old-root-mismatch)`,
      );
      expect(await onChain(logId)).to.deep.equal([{ treeSize: 6, rootHash: first.root, anchorer: fx.accounts.anchorer.address }]);

      const report = await log.verify();
      expect(report).to.deep.include({ ok: false, verdict: "failed" });
      // The forger re-linked the hash chain: the entries agree with each other, not with what was signed and anchored.
      expect(report.firstBad).to.equal(undefined);
      expect(failedChecks(report)).to.deep.equal(["log-checkpoints:failed", "log-chain:failed"]);
      expect(report.checkpoints[0]).to.deep.include({ size: 6, index: 0, ok: false, reason: "root-mismatch" });
      expect(report.onChain.firstBad).to.deep.include({ index: 0, size: 6, ok: false, reason: "not-consistent" });
    });

    it("REFUSED: a tree rewritten in the node store alone; verification sees the stored tree is not the entries'", async function () {
      const log = make();
      await fill(log, 4);
      await log.anchor();
      await fill(log, 2);
      // The node store alone is rewritten: leaf 1 replaced and the levels above rebuilt from it, a whole
      // tree, just not the entries' tree.
      const leaves = (await store.db.query<{ hash: string }>("SELECT hash FROM log_nodes WHERE level = 0 ORDER BY idx")).map((r) => fromHex(r.hash));
      leaves[1] = fromHex("ab".repeat(32));
      await store.db.run("DELETE FROM log_nodes");
      const memory = new MemoryNodeStore();
      const nodes: StoredNode[] = [];
      for (const [i, leaf] of leaves.entries()) {
        const { newNodes } = appendLeaf(i, leaf, memory);
        memory.put(newNodes);
        nodes.push(...newNodes);
      }
      await store.logTree.put(nodes);
      const e = await rejection(log.anchor(), AppError, "LOG_TAMPERED");
      expect(e.params.seq).to.equal(4);
      const report = await log.verify();
      expect(failedChecks(report)).to.deep.equal(["log-tree:failed"]);
      expect(report.checks.find((c) => c.check === "log-tree")!.reason).to.match(/^the stored tree's root at size \d+ is 0x[0-9a-f]{64}, not the root of the entries/);
    });

    it("REFUSED: entries deleted after an anchor (the chain's checkpoint covers more than the store)", async function () {
      const log = make();
      await fill(log, 5);
      await log.anchor();
      await store.db.run("DELETE FROM sandbox_log WHERE seq >= 3");
      const e = await rejection(log.anchor(), AppError, "ANCHOR_CONFLICT");
      expect(e.params.reason).to.equal("checkpoint #0 on chain covers 5 entries, the log holds 2: entries are missing from the store");
      const report = await log.verify();
      expect(report.ok).to.equal(false);
      expect(report.onChain.firstBad).to.deep.include({ index: 0, reason: "beyond-log" });
    });

    it("DETECTED: an anchor that rewrites history, recorded on chain behind the gateway's back", async function () {
      const log = make();
      await fill(log, 5);
      const good = (await log.anchor())!;
      await fill(log, 3); // 6 = anchor entry, 7..9
      const { logId } = await log.logKey();
      // A holder of the ANCHOR key records a checkpoint of another history: larger, so the contract takes it.
      const forged = ethers.id("another history");
      await fx.contracts.evidence.connect(fx.accounts.anchorer).anchorCheckpoint(logId, 8, forged);
      const report = await log.verify();
      expect(report).to.deep.include({ ok: false, verdict: "failed" });
      expect(report.firstBad).to.equal(undefined);
      expect(report.onChain.firstBad).to.deep.include({ index: 1, size: 8, reason: "not-consistent" });
      expect(report.checks.find((c) => c.check === "log-chain")!.reason).to.equal(
        `the chain's checkpoint 1 (size 8, root ${forged}) is not this log's tree at that size (${hex(await log.journal.root(8))}): it rewrites the log's history`,
      );
      // …and the gateway will not extend it.
      const e = await rejection(log.anchor(), AppError, "LOG_TAMPERED");
      expect(e.params.seq).to.equal(8);
      expect(await onChain(logId)).to.deep.equal([
        { treeSize: good.size, rootHash: good.root, anchorer: fx.accounts.anchorer.address },
        { treeSize: 8, rootHash: forged, anchorer: fx.accounts.anchorer.address },
      ]);
    });

    it("after start(): anchors every N countable entries and on the timer; the anchors' own entries never trigger one", async function () {
      const log = make({ anchorEveryEntries: 3, anchorEveryMs: 60 * 60_000 });
      log.start();
      log.start(); // idempotent
      const { logId } = await log.logKey();
      await fill(log, 3);
      await waitFor(async () => (await onChain(logId)).length === 1);
      await log.append({ actor: "anonymous", action: "auth.failure", payload: {} });
      await fill(log, 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(await onChain(logId)).to.have.length(1); // 2 countable: below the threshold
      await fill(log, 1);
      await waitFor(async () => (await onChain(logId)).length === 2);
      await log.stop();
      await fill(log, 3);
      await new Promise((r) => setTimeout(r, 300));
      expect(await onChain(logId)).to.have.length(2);

      const timed = make({ anchorEveryEntries: 1000, anchorEveryMs: 100 });
      timed.start();
      await waitFor(async () => (await onChain(logId)).length === 3);
      await new Promise((r) => setTimeout(r, 400));
      expect(await onChain(logId)).to.have.length(3);
      await timed.stop();
      expect((await timed.verify()).ok).to.equal(true);
    });

    it("without a chain nothing is anchored; with the node down anchoring fails and verification is unverifiable, not failed", async function () {
      const offline = make({}, store, null);
      await fill(offline, 3);
      await rejection(offline.anchor(), AppError, "CHAIN_UNAVAILABLE");
      const alone = await offline.verify();
      expect(alone).to.deep.include({ ok: true, verdict: "passed" });
      expect(alone.checks.map((c) => c.check)).to.deep.equal(["log-entries", "log-checkpoints", "log-tree"]);

      const log = make();
      await log.anchor();
      // On PostgreSQL the first to anchor leads the anchoring; it steps down so that the gateway whose node
      // is down is the one that anchors (a gateway that does not lead would ask the leader instead).
      await log.stop();
      const down = new Chain({ deployment: fx.deployment, provider: jsonRpcProvider("http://127.0.0.1:9", 31337, 1_000), keys: { anchorer: ethers.id("extra-signer:anchorer") } });
      const cut = make({}, store, down);
      await fill(cut, 2);
      await rejection(cut.anchor(), AppError, "CHAIN_UNAVAILABLE");
      const report = await cut.verify();
      expect(report).to.deep.include({ ok: false, verdict: "unverifiable" });
      const c = report.checks.find((x) => x.check === "log-chain")!;
      expect(c.verdict).to.equal("unverifiable");
      expect(c.reason).to.match(/^the chain's checkpoint record cannot be read now: /);
      expect(report.checks.filter((x) => x.check !== "log-chain").every((x) => x.passed)).to.equal(true);
      (down.provider as { destroy?: () => void }).destroy?.();
    });
  });

  describe("verification of the store", function () {
    it("names the first edited, unlinked or missing entry", async function () {
      const log = make();
      await fill(log, 8);
      await log.anchor();
      expect(await log.verify()).to.deep.include({ ok: true, entries: 11, lastSeq: 11, unanchored: 3 });

      await store.db.run("UPDATE sandbox_log SET payload = $1 WHERE seq = 5", [JSON.stringify({ i: 4, note: "nothing happened" })]);
      const edited = await log.verify();
      expect(edited.firstBad).to.deep.equal({ seq: 5, reason: "hash-mismatch" });
      expect(edited.checks[0]).to.deep.include({ check: "log-entries", verdict: "failed", reason: "entry 5 was edited: its bytes do not hash to the hash it carries (hash-mismatch)" });
      expect(edited.checkpoints[0]).to.deep.include({ ok: false, reason: "root-mismatch" });
      expect(edited.onChain.firstBad).to.deep.include({ index: 0, reason: "not-consistent" });

      // Entry 3 re-linked to another predecessor, its own hash recomputed to match.
      const [third] = await store.log.range(3, 3);
      const { hash: _h, ...relinked } = { ...third, prevHash: ethers.id("elsewhere") };
      await store.db.run("UPDATE sandbox_log SET prev_hash = $1, hash = $2 WHERE seq = 3", [relinked.prevHash, hex(entryLeafHash(relinked))]);
      expect((await log.verify()).firstBad).to.deep.equal({ seq: 3, reason: "prev-mismatch" });
      await store.db.run("DELETE FROM sandbox_log WHERE seq = 2");
      expect((await log.verify()).firstBad).to.deep.equal({ seq: 2, reason: "seq-gap" });
    });

    it("a stored checkpoint whose root or signature was changed is caught", async function () {
      const log = make();
      await fill(log, 4);
      const cp = (await log.anchor())!;
      await store.db.run("UPDATE log_checkpoints SET root = $1 WHERE size = $2", [ethers.id("x"), cp.size]);
      const r1 = await log.verify();
      expect(r1.checkpoints[0]).to.deep.include({ ok: false, reason: "root-mismatch" });
      await store.db.run("UPDATE log_checkpoints SET root = $1, note = $2 WHERE size = $3", [cp.root, cp.note.replace(/— (\S+) (\S+)/, (_m, name) => `— ${name} ${Buffer.alloc(68, 1).toString("base64")}`), cp.size]);
      const r2 = await log.verify();
      expect(r2.checkpoints[0]).to.deep.include({ ok: false, reason: "bad-signature" });
      expect(r2.checks.find((c) => c.check === "log-chain")!.passed).to.equal(true);
    });
  });

  describe("export", function () {
    it("bundle: streams header, entries, signed checkpoints, consistency proofs; verifies against the chain", async function () {
      const log = make();
      await fill(log, 5);
      await log.anchor();
      await fill(log, 4);
      await log.anchor();
      await fill(log, 2);
      const key = await log.logKey();
      const chunks: string[] = [];
      for await (const c of log.export({ actor: "ignored: a bundle is never filtered" }, "bundle")) chunks.push(c);
      expect(chunks.length).to.be.greaterThan(10);
      expect(chunks.every((c) => c.endsWith("\n") && c.indexOf("\n") === c.length - 1)).to.equal(true);
      const text = chunks.join("");
      const types = chunks.map((c) => JSON.parse(c).type);
      const size = await log.journal.size();
      // The two anchored checkpoints, the bundle's own head signed at export, and the proofs between them.
      expect(types).to.deep.equal(["header", ...Array(size).fill("entry"), "checkpoint", "checkpoint", "checkpoint", "consistency", "consistency"]);
      const parsed = parseExport(text);
      expect(parsed.header).to.deep.include({ format: "sandbox-log", version: 2, chainId: 31337, origin: key.origin, logId: key.logId, verifierKey: key.verifierKey, leafHashFrom: 1, size, filter: {} });
      expect(parsed.entries).to.deep.equal(await allEntries(store));
      expect(parsed.checkpoints.map((c) => c.anchor?.index ?? null)).to.deep.equal([0, 1, null]);
      expect(parsed.checkpoints[2].size).to.equal(size);
      expect(verifyCheckpoint(parsed.checkpoints[2].note, key.verifierKey).ok).to.equal(true);
      expect(parsed.consistency.map((c) => [c.from, c.to])).to.deep.equal([
        [parsed.checkpoints[0].size, parsed.checkpoints[1].size],
        [parsed.checkpoints[1].size, size],
      ]);
      const report = await verifyLog(bundleSource(text), chainCheckpoints(chain, key.logId));
      expect(report, JSON.stringify(report.checks)).to.deep.include({ ok: true, verdict: "passed", entries: size });
      expect(report.checks.map((c) => c.check)).to.deep.equal(["log-entries", "log-checkpoints", "log-chain"]);
    });

    it("a bundle is a snapshot: appends while it streams are not in it, and later anchors do not fail it", async function () {
      const log = make();
      await fill(log, 4);
      await log.anchor();
      const { logId } = await log.logKey();
      let text = "";
      let appended = false;
      for await (const c of log.export({}, "bundle")) {
        text += c;
        if (!appended) {
          appended = true;
          await fill(log, 3, "during");
        }
      }
      const parsed = parseExport(text);
      expect(parsed.header!.size).to.equal(7);
      expect(parsed.entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
      expect(await log.journal.size()).to.equal(10);
      await log.anchor();
      const report = await verifyLog(bundleSource(text), chainCheckpoints(chain, logId));
      expect(report.ok, JSON.stringify(report.checks)).to.equal(true);
      expect(report.onChain).to.deep.equal({ count: 2, checked: 1, later: 1 });
      expect(report.checks.find((c) => c.check === "log-chain")!.reason).to.match(/1 later checkpoint\(s\) on chain were anchored after this snapshot$/);
    });

    it("JSONL: filtered entries with the checkpoints; CSV: RFC 4180 that parses back to the entries", async function () {
      const log = make();
      await fill(log, 6);
      await log.append({ actor: "a", action: "x", rule: "", payload: { q: 'He said "hi", twice\r\n' } });
      await log.anchor();
      const jsonl = parseExport(await log.exportText({ collectionId: "2" }, "jsonl"));
      expect(jsonl.header!.filter).to.deep.equal({ collectionId: "2" });
      expect(jsonl.entries.map((e) => e.seq)).to.deep.equal([2, 4, 6]);
      expect(jsonl.checkpoints).to.have.length(1);
      expect(jsonl.consistency).to.deep.equal([]);

      const chunks: string[] = [];
      for await (const c of log.export({}, "csv")) chunks.push(c);
      expect(chunks.every((c) => c.endsWith("\r\n"))).to.equal(true);
      const rows = parseCsv(chunks.join(""));
      expect(rows[0]).to.deep.equal([...CSV_COLUMNS]);
      const entries = await allEntries(store);
      expect(rows).to.have.length(entries.length + 1);
      rows.slice(1).forEach((r, i) => {
        const rec = Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, r[j]]));
        expect({ ...rec, seq: Number(rec.seq), payload: JSON.parse(rec.payload as string) }).to.deep.equal(entries[i]);
      });
      expect(rows[7][CSV_COLUMNS.indexOf("rule")]).to.equal(""); // empty string, not null
      expect(rows[1][CSV_COLUMNS.indexOf("rule")]).to.equal(null);
    });
  });
}

describe("server/sandbox: the verifiable sandbox log", function () {
  this.timeout(120_000);
  for (const kind of STORE_KINDS) describe(`on ${kind.name}`, () => behavesLikeTheSandboxLog(kind));
});
