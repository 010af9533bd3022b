/**
 * Verifiable-log benchmark (shared/log: RFC 9162 tree, C2SP checkpoints), in one process, in memory:
 *
 *  append         p99 per entry of appendLeaf (the nodes an entry completes) over a Map-backed
 *                 NodeReader, growing the tree to N entries; target ≤ 2 ms. The gateway's figure
 *                 against its database is measured separately (bench:gateway).
 *  full verify    leaf-hash every one of N realistic ~300-byte canonical-JSON entries and recompute the
 *                 root, streaming (MerkleFrontier); target ≤ 5 s.
 *  inclusion      inclusion proofs verified per second at N entries; target ≥ 50,000/s.
 *  consistency    consistency proofs verified per second (m random, n = N); target ≥ 20,000/s.
 *
 *  Each of these three runs with four hashers: @noble/hashes (the default), @noble/hashes with
 *  sha256Children for inner nodes (fastHasher, browser-safe), node:crypto, and node:crypto with
 *  sha256Children (nodeMerkleHasher). The fastest counts for the target. Throughputs are reported on
 *  wall time (best of 5 passes; full verification best of 2) and on this process's CPU time: the
 *  machine may be shared, so the load averages and a SHA-256 calibration (start and end) are recorded.
 *  proof size     bytes of the inclusion and consistency proofs at N entries (raw hashes, and as JSON).
 *  checkpoint     rootAt(N) from stored nodes + signCheckpoint (Ed25519), process CPU; target ≤ 100 ms.
 *
 * Then the gateway's own code on its real stores (server/sandbox: Journal, Anchorer):
 *
 *  store append   p99 per entry of Journal.append, proof data included: the entry and the tree nodes it
 *                 completes written in one store transaction (SQLite with the gateway's default
 *                 synchronous=FULL, and NORMAL; PostgreSQL), on a log already holding STORE_N entries
 *                 (SQLite) or PG_N (PostgreSQL); target ≤ 2 ms.
 *  store anchor   the gateway's half of anchoring a checkpoint (Anchorer.plan: the count since the last
 *                 anchor, the root and the RFC 9162 consistency proof from the last anchored checkpoint
 *                 read from the stored nodes and verified, the Ed25519 signature) at about STORE_N
 *                 entries: process CPU per anchor, the chain transaction excluded; target ≤ 100 ms. With
 *                 SQLite the database works inside this process, so its CPU is counted; PostgreSQL's is
 *                 in its own processes (wall time is reported too).
 *
 * Prints a table and writes bench/results/log.json.  Run: npm run bench:log
 * Knobs (env): BENCH_LOG_N=1000000 BENCH_LOG_PROOFS=20000 BENCH_LOG_CHECKPOINTS=50
 *              BENCH_LOG_STORE_N=N BENCH_LOG_PG_N=100000 (0: no PostgreSQL) BENCH_LOG_APPENDS=2000 BENCH_LOG_ANCHORS=20
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { canonicalJson } from "../shared/log/canonical";
import {
  appendLeaf,
  consistencyProof,
  defaultHasher,
  fastHasher,
  generateNoteKey,
  inclusionProof,
  MemoryNodeStore,
  MerkleFrontier,
  parseSignerKey,
  parseVerifierKey,
  rootAt,
  signCheckpoint,
  toConsistencyProofJson,
  toHex,
  toInclusionReceipt,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type MerkleHasher,
} from "../shared/log";
import { nodeCryptoMerkleHasher, nodeMerkleHasher, nodeSha256 } from "../shared/log/node/sha256";
import { Anchorer } from "../server/sandbox/anchorer";
import { Journal, LEAF_HASH_FROM } from "../server/sandbox/journal";
import { openLogIdentity } from "../server/sandbox/log-key";
import { openSqliteDb } from "../server/store/db";
import { openPostgresDb } from "../server/store/postgres-db";
import { openSqlStore } from "../server/store/sql-store";
import type { Store } from "../server/store/store";
import { entryBytes, GENESIS_HASH, type LogEntry } from "../shared/log/entry";
import type { StoredNode } from "../shared/log/store";
import { intEnv, log, percentileSorted as percentile, round } from "./support";

const N = intEnv("BENCH_LOG_N", 1_000_000, 2);
const PROOFS = intEnv("BENCH_LOG_PROOFS", 20_000);
const CHECKPOINTS = intEnv("BENCH_LOG_CHECKPOINTS", 50);
const STORE_N = intEnv("BENCH_LOG_STORE_N", N);
const PG_N = intEnv("BENCH_LOG_PG_N", 100_000, 0);
const APPENDS = intEnv("BENCH_LOG_APPENDS", 2000);
const ANCHORS = intEnv("BENCH_LOG_ANCHORS", 20);
const ORIGIN = "registry.example/sandbox-log";

const TARGET = {
  appendP99Ms: 2,
  fullVerifySeconds: 5,
  inclusionPerSecond: 50_000,
  consistencyPerSecond: 20_000,
  checkpointCpuMs: 100,
  storeAppendP99Ms: 2,
  anchorCpuMs: 100,
} as const;


/** A deterministic PRNG (xorshift32) so every run measures the same entries and proofs. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/**
 * N sandbox-log entries in the store's shape, as canonical JSON bytes (~300 bytes each), packed in one
 * buffer with offsets so that a million of them fit without a million objects.
 */
function makeEntries(n: number): { buf: Uint8Array; offsets: Uint32Array; avgBytes: number } {
  const next = rng(20251126);
  const hex32 = () => {
    let s = "0x";
    for (let i = 0; i < 8; i++) s += next().toString(16).padStart(8, "0");
    return s;
  };
  const actions = ["compliance.check", "mint.request", "transfer.request", "identity.verify", "collection.create"];
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  let prev = "0x" + "0".repeat(64);
  for (let seq = 1; seq <= n; seq++) {
    const deny = next() % 7 === 0;
    const hash = hex32();
    const entry = {
      seq,
      ts: new Date(Date.UTC(2025, 0, 1) + seq * 1000).toISOString(),
      actor: seq % 3 === 0 ? "key-regulator" : "key-issuer",
      action: actions[seq % actions.length],
      rule: deny ? "minLevel" : null,
      decision: deny ? "deny" : "allow",
      collectionId: String(1 + (next() % 50)),
      tokenId: seq % 2 ? String(next() % 100_000) : null,
      policyVersion: "2025-01",
      inputHash: null,
      ref: null,
      payload: { level: 1 + (next() % 3), region: "CN" },
      prevHash: prev,
      hash,
    };
    prev = hash;
    const bytes = enc.encode(canonicalJson(entry));
    chunks.push(bytes);
    total += bytes.length;
    offsets[seq] = total;
  }
  const buf = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    buf.set(c, o);
    o += c.length;
  }
  return { buf, offsets, avgBytes: total / n };
}

/** Wall and process-CPU seconds of `fn`. */
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

/** Leaf-hashes every entry and recomputes the root, streaming; the better of two runs (the machine may be shared). */
function fullVerify(entries: { buf: Uint8Array; offsets: Uint32Array }, hasher: MerkleHasher) {
  const once = () =>
    timed(() => {
      const f = new MerkleFrontier(hasher);
      const { buf, offsets } = entries;
      for (let i = 0; i < N; i++) f.push(hasher.hashLeaf(buf.subarray(offsets[i], offsets[i + 1])));
      return f.root();
    });
  const a = once();
  const b = once();
  return b.wall < a.wall ? b : a;
}

/**
 * Machine calibration: millions of node:crypto SHA-256 calls on 65 bytes per second, over 0.5 s. Taken
 * before and after the run so that figures from a busy, shared machine can be read in proportion.
 */
function calibrate(): number {
  const data = new Uint8Array(65);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 500) {
    for (let i = 0; i < 1000; i++) nodeSha256(data);
    n += 1000;
  }
  return n / ((performance.now() - t0) / 1000) / 1e6;
}

/** Verifications per second of `count` prepared checks: best of 5 passes after a warm-up, on wall and on CPU time. */
function rate(count: number, check: (i: number) => boolean): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(count, 2000); i++) if (!check(i)) throw new Error(`check ${i} failed`);
  let wall = 0;
  let cpu = 0;
  for (let pass = 0; pass < 5; pass++) {
    const t = timed(() => {
      for (let i = 0; i < count; i++) if (!check(i)) throw new Error(`check ${i} failed`);
    });
    wall = Math.max(wall, count / t.wall);
    cpu = Math.max(cpu, count / t.cpu);
  }
  return { wall, cpu };
}

/** A full garbage collection, if the runtime lets us ask for one (v8 flag set at run time). */
function collectGarbage(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // Not available: the measurement just runs with whatever the heap holds.
  }
}

const HASHERS: ReadonlyArray<readonly [string, MerkleHasher]> = [
  ["@noble/hashes (default)", defaultHasher],
  ["noble + sha256Children (fastHasher)", fastHasher],
  ["node:crypto", nodeCryptoMerkleHasher],
  ["node:crypto + sha256Children (nodeMerkleHasher)", nodeMerkleHasher],
];

interface Row {
  metric: string;
  value: number;
  unit: string;
  /** The same figure on process CPU time (throughputs and durations where the machine is shared). */
  cpuValue?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

/**
 * The gateway's side, in its own scope so that its million-node store and leaf list can be collected
 * before the verifier's side is measured (a verifier holds neither): grows the tree, signs
 * checkpoints, and prepares the proofs to verify.
 */
function gatewaySide(entries: { buf: Uint8Array; offsets: Uint32Array }, rows: Row[]) {
  const noble = defaultHasher;
  const node = nodeMerkleHasher;
  // ─── append ────────────────────────────────────────────────────────────────────────────────
  log("leaf hashes (node:crypto), then appendLeaf for every entry into a Map-backed store…");
  const leaves: Uint8Array[] = new Array(N);
  for (let i = 0; i < N; i++) leaves[i] = node.hashLeaf(entries.buf.subarray(entries.offsets[i], entries.offsets[i + 1]));
  const store = new MemoryNodeStore();
  const appendMs = new Float64Array(N);
  const appendNodes = { total: 0, max: 0 };
  const tAppend = performance.now();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const { newNodes } = appendLeaf(i, leaves[i], store, noble);
    appendMs[i] = performance.now() - t0;
    store.put(newNodes);
    appendNodes.total += newNodes.length;
    appendNodes.max = Math.max(appendNodes.max, newNodes.length);
  }
  const appendTotalS = (performance.now() - tAppend) / 1000;
  appendMs.sort();
  const appendP50 = percentile(appendMs, 50);
  const appendP99 = percentile(appendMs, 99);
  const appendMax = appendMs[N - 1];
  log(`append: p50 ${appendP50.toFixed(4)} ms, p99 ${appendP99.toFixed(4)} ms, max ${appendMax.toFixed(2)} ms; ${appendNodes.total} nodes (${(appendNodes.total / N).toFixed(2)}/entry, max ${appendNodes.max})`);
  rows.push({ metric: "append: appendLeaf p99 per entry (Map store, noble)", value: round(appendP99, 4), unit: "ms", target: `≤ ${TARGET.appendP99Ms}`, met: appendP99 <= TARGET.appendP99Ms, note: "the tree alone; the gateway's figure through its store is 'store append' below" });
  rows.push({ metric: "append: p50 / max per entry", value: round(appendP50, 4), unit: "ms", note: `max ${round(appendMax, 2)} ms (GC pauses included)` });
  rows.push({ metric: "append: nodes written per entry (mean)", value: round(appendNodes.total / N, 3), unit: "nodes", note: `max ${appendNodes.max}; total ${appendTotalS.toFixed(1)} s incl. timer and Map writes` });

  const storedRoot = rootAt(N, store, node);

  // ─── checkpoint ────────────────────────────────────────────────────────────────────────────
  const keys = generateNoteKey(ORIGIN);
  const signer = parseSignerKey(keys.signerKey);
  const verifier = parseVerifierKey(keys.verifierKey);
  let note = signCheckpoint({ origin: ORIGIN, size: N, root: rootAt(N, store) }, signer); // warm-up
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < CHECKPOINTS; i++) note = signCheckpoint({ origin: ORIGIN, size: N, root: rootAt(N, store) }, signer);
  const cpu = process.cpuUsage(cpu0);
  const checkpointCpuMs = (cpu.user + cpu.system) / 1000 / CHECKPOINTS;
  const checkpointWallMs = (performance.now() - wall0) / CHECKPOINTS;
  const checked = verifyCheckpoint(note, verifier);
  if (!checked.ok || toHex(checked.checkpoint.root) !== toHex(storedRoot)) throw new Error("the benchmark checkpoint does not verify");
  rows.push({ metric: `checkpoint at ${N.toLocaleString("en")}: rootAt + Ed25519 sign, CPU`, value: round(checkpointCpuMs, 3), cpuValue: round(checkpointCpuMs, 3), unit: "ms", target: `≤ ${TARGET.checkpointCpuMs}`, met: checkpointCpuMs <= TARGET.checkpointCpuMs, note: `wall ${round(checkpointWallMs, 3)} ms; ${note.length} bytes` });

  // ─── proofs ────────────────────────────────────────────────────────────────────────────────
  log(`preparing ${PROOFS} inclusion and ${PROOFS} consistency proofs at ${N}…`);
  const next = rng(7);
  const incl = Array.from({ length: PROOFS }, () => {
    const index = next() % N;
    return { index, leaf: leaves[index].slice(), proof: inclusionProof(index, N, store, node).map((p) => p.slice()) };
  });
  const rootM = new Map<number, Uint8Array>();
  const cons = Array.from({ length: PROOFS }, () => {
    const m = 1 + (next() % (N - 1));
    if (!rootM.has(m)) rootM.set(m, rootAt(m, store, node));
    return { m, rootM: rootM.get(m)!, proof: consistencyProof(m, N, store, node).map((p) => p.slice()) };
  });

  // ─── proof sizes ───────────────────────────────────────────────────────────────────────────
  const inclLens = incl.map((p) => p.proof.length);
  const consLens = cons.map((p) => p.proof.length);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const receiptBytes = JSON.stringify(toInclusionReceipt({ index: incl[0].index, treeSize: N, leafHash: incl[0].leaf, proof: incl[0].proof, root: storedRoot })).length;
  const consJsonBytes = JSON.stringify(toConsistencyProofJson(cons[0].m, N, cons[0].proof)).length;
  rows.push({ metric: "inclusion proof size (max over samples)", value: 32 * Math.max(...inclLens), unit: "bytes", note: `${Math.max(...inclLens)} hashes; mean ${round(32 * mean(inclLens), 1)} B; JSON receipt ≈ ${receiptBytes} B without checkpoint` });
  rows.push({ metric: "consistency proof size (max over samples)", value: 32 * Math.max(...consLens), unit: "bytes", note: `${Math.max(...consLens)} hashes; mean ${round(32 * mean(consLens), 1)} B; JSON ≈ ${consJsonBytes} B` });

  return { storedRoot, incl, cons, storeNodes: store.nodeCount };
}

// ─── The gateway's code on its real stores ─────────────────────────────────────────────────────

const LOG_COLUMNS = ["seq", "ts", "actor", "action", "rule", "decision", "collection_id", "token_id", "policy_version", "input_hash", "ref", "payload", "prev_hash", "hash"];

/** A sandbox-log entry as the gateway writes it (hash = its RFC 9162 leaf hash, chained). */
function storeEntry(seq: number, prevHash: string, next: () => number): LogEntry {
  const deny = next() % 7 === 0;
  const body: Omit<LogEntry, "hash"> = {
    seq,
    ts: new Date(Date.UTC(2025, 0, 1) + seq * 1000).toISOString(),
    actor: seq % 3 === 0 ? "key-regulator" : "key-issuer",
    action: deny ? "compliance.rule" : "chain.rights.mintEditions",
    rule: deny ? "minLevel" : null,
    decision: deny ? "failed" : "sent",
    collectionId: String(1 + (next() % 50)),
    tokenId: seq % 2 ? String(next() % 100_000) : null,
    policyVersion: "2025-01",
    inputHash: `0x${next().toString(16).padStart(8, "0").repeat(8)}`,
    ref: null,
    payload: { level: 1 + (next() % 3), region: "CN", reason: "持证发行方 licensed issuer" },
    prevHash,
  };
  return { ...body, hash: `0x${toHex(nodeMerkleHasher.hashLeaf(entryBytes(body)))}` };
}

/**
 * Fills an empty store with `n` entries and their tree nodes, as if the gateway had appended them one by
 * one (same rows, same nodes), but in large batches: what is measured is what comes after.
 */
async function bulkLoad(n: number, insert: (entries: LogEntry[], nodes: StoredNode[]) => Promise<void>): Promise<void> {
  const next = rng(99);
  const memory = new MemoryNodeStore();
  let prev = GENESIS_HASH as string;
  const BATCH = 5000;
  for (let from = 1; from <= n; from += BATCH) {
    const entries: LogEntry[] = [];
    const nodes: StoredNode[] = [];
    for (let seq = from; seq < Math.min(n + 1, from + BATCH); seq++) {
      const e = storeEntry(seq, prev, next);
      prev = e.hash;
      const { newNodes } = appendLeaf(seq - 1, nodeMerkleHasher.hashLeaf(entryBytes(e)), memory, nodeMerkleHasher);
      memory.put(newNodes);
      entries.push(e);
      nodes.push(...newNodes);
    }
    await insert(entries, nodes);
    if ((from - 1) % 200_000 === 0 && from > 1) log(`  loaded ${(from - 1).toLocaleString("en")} entries…`);
  }
}

const rowOf = (e: LogEntry) => [e.seq, e.ts, e.actor, e.action, e.rule, e.decision, e.collectionId, e.tokenId, e.policyVersion, e.inputHash, e.ref, JSON.stringify(e.payload), e.prevHash, e.hash];

/** p50 / p99 / max ms of `count` sequential Journal.append calls (entry + its nodes, one transaction each). */
async function measureAppends(store: Store, count: number) {
  const journal = new Journal(store);
  await journal.init();
  const next = rng(3);
  for (let i = 0; i < 50; i++) await journal.append({ actor: "key-issuer", action: "warm-up", payload: { i } }); // statement caches, JIT
  const ms = new Float64Array(count);
  const cpuMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const input = { actor: i % 3 ? "key-issuer" : "key-regulator", action: "chain.rights.mintEditions", decision: "sent", collectionId: String(1 + (next() % 50)), payload: { recipients: 100, batch: i, reason: "持证发行方 licensed issuer" } };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await journal.append(input);
    ms[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpuMs[i] = (c.user + c.system) / 1000;
  }
  ms.sort();
  cpuMs.sort();
  // On a shared machine the wall time waits for other processes; this process's CPU time does not.
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[count - 1], cpuP50: percentile(cpuMs, 50), cpuP99: percentile(cpuMs, 99) };
}

/**
 * CPU and wall ms of the gateway's half of anchoring, `runs` times, over the store as it is: the last
 * anchored checkpoint is at `anchoredSize` (stored, and the chain's head), everything after is to anchor.
 */
async function measureAnchoring(store: Store, anchoredSize: number, runs: number) {
  const journal = new Journal(store);
  await journal.init();
  const identity = await openLogIdentity(store, 31337, "0x000000000000000000000000000000000000dA7a");
  const root = await journal.root(anchoredSize);
  const rootHex = `0x${toHex(root)}`;
  if (!(await store.checkpoints.get(anchoredSize))) {
    await store.checkpoints.add({ size: anchoredSize, root: rootHex, note: identity.sign(anchoredSize, root), createdAt: new Date().toISOString(), anchor: { index: 0, txHash: `0x${"ab".repeat(32)}`, blockNumber: 1 } });
  }
  const anchorer = new Anchorer({ store, chain: undefined, journal, identity, metrics: { chainErrors: { inc: () => undefined } } }, { everyEntries: 1, everyMs: 60_000 });
  const head = { index: 0, treeSize: anchoredSize, rootHash: rootHex };
  const cpu = new Float64Array(runs);
  const wall = new Float64Array(runs);
  let size = 0;
  await anchorer.plan(0, head); // warm-up
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plan = await anchorer.plan(0, head);
    wall[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i] = (c.user + c.system) / 1000;
    if (plan?.kind !== "anchor") throw new Error("the benchmark's anchoring found nothing to anchor");
    if (!verifyCheckpoint(plan.note, identity.verifierKey).ok) throw new Error("the benchmark's checkpoint does not verify");
    size = plan.size;
  }
  cpu.sort();
  wall.sort();
  return { size, cpuMedian: percentile(cpu, 50), cpuMax: cpu[runs - 1], wallMedian: percentile(wall, 50) };
}

async function storeSide(rows: Row[]) {
  // SQLite: the gateway's embedded store, in a file.
  const dir = mkdtempSync(join(tmpdir(), "bench-log-"));
  const file = join(dir, "gateway.db");
  try {
    log(`SQLite: loading ${STORE_N.toLocaleString("en")} entries and their tree into ${file}…`);
    {
      const db = openSqliteDb(file, { synchronous: "NORMAL" });
      const store = await openSqlStore(db);
      const insertEntry = db.raw.prepare(`INSERT INTO sandbox_log (${LOG_COLUMNS.join(", ")}) VALUES (${LOG_COLUMNS.map(() => "?").join(", ")})`);
      const insertNode = db.raw.prepare("INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)");
      const batch = db.raw.transaction((entries: LogEntry[], nodes: StoredNode[]) => {
        for (const e of entries) insertEntry.run(...rowOf(e));
        for (const nd of nodes) insertNode.run(nd.level, nd.index, toHex(nd.hash));
      });
      await bulkLoad(STORE_N, async (entries, nodes) => batch(entries, nodes));
      await store.kv.set(LEAF_HASH_FROM, "1");
      await store.close();
    }
    for (const synchronous of ["FULL", "NORMAL"] as const) {
      const store = await openSqlStore(openSqliteDb(file, { synchronous }));
      const size = (await store.log.last())!.seq;
      log(`SQLite (synchronous=${synchronous}): ${APPENDS} appends through the gateway's Journal at ${size.toLocaleString("en")} entries…`);
      const a = await measureAppends(store, APPENDS);
      log(`  p50 ${a.p50.toFixed(3)} ms, p99 ${a.p99.toFixed(3)} ms, max ${a.max.toFixed(2)} ms; CPU p50 ${a.cpuP50.toFixed(3)} ms, p99 ${a.cpuP99.toFixed(3)} ms`);
      const isDefault = synchronous === "FULL";
      rows.push({
        metric: `store append p99 per entry + nodes, SQLite synchronous=${synchronous}${isDefault ? " (gateway default)" : ""}, at ${size.toLocaleString("en")}`,
        value: round(a.p99, 3),
        cpuValue: round(a.cpuP99, 3),
        unit: "ms",
        target: `≤ ${TARGET.storeAppendP99Ms}`,
        met: a.p99 <= TARGET.storeAppendP99Ms,
        note: `p50 ${round(a.p50, 3)} ms (CPU ${round(a.cpuP50, 3)} ms), max ${round(a.max, 2)} ms over ${APPENDS} appends (Journal.append: entry and tree nodes in one transaction${synchronous === "FULL" ? "; each commit waits for fsync" : ""})`,
      });
      if (!isDefault) {
        log(`SQLite: anchoring a checkpoint over ${(size + APPENDS).toLocaleString("en")} entries, ${ANCHORS} times (gateway half, no chain)…`);
        const an = await measureAnchoring(store, STORE_N, ANCHORS);
        log(`  CPU median ${an.cpuMedian.toFixed(2)} ms, max ${an.cpuMax.toFixed(2)} ms; wall median ${an.wallMedian.toFixed(2)} ms`);
        rows.push({
          metric: `anchor a checkpoint at ${an.size.toLocaleString("en")} entries (SQLite): gateway CPU, chain tx excluded`,
          value: round(an.cpuMedian, 2),
          cpuValue: round(an.cpuMedian, 2),
          unit: "ms",
          target: `≤ ${TARGET.anchorCpuMs}`,
          met: an.cpuMax <= TARGET.anchorCpuMs,
          note: `median of ${ANCHORS}; max ${round(an.cpuMax, 2)} ms CPU; wall median ${round(an.wallMedian, 2)} ms; consistency from ${STORE_N.toLocaleString("en")} checked; 'met' judged on the max`,
        });
      }
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (PG_N === 0) return;
  // PostgreSQL: a throw-away cluster as the tests use (test/support/postgres.ts: fsync=off, so commits
  // do not wait for the disk; the figure is the SQL and the round trips, not the disk).
  const { postgresAvailable, postgresCluster } = await import("../test/support/postgres");
  if (!postgresAvailable()) {
    log("PostgreSQL is not installed here: its figures are left out (apt-get install -y postgresql)");
    rows.push({ metric: "store append / anchor, PostgreSQL", value: 0, unit: "-", note: "not measured: PostgreSQL is not installed" });
    return;
  }
  const pg = await postgresCluster();
  try {
    const db = openPostgresDb(pg.createDatabase("bench_log"));
    const store = await openSqlStore(db);
    log(`PostgreSQL: loading ${PG_N.toLocaleString("en")} entries and their tree…`);
    const insertMany = async (table: string, columns: string[], values: unknown[][]) => {
      for (let i = 0; i < values.length; i += 1000) {
        const chunk = values.slice(i, i + 1000);
        const params = chunk.flat();
        const tuples = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(", ")})`).join(", ");
        await db.pool.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples}`, params);
      }
    };
    await bulkLoad(PG_N, async (entries, nodes) => {
      await insertMany("sandbox_log", LOG_COLUMNS, entries.map(rowOf));
      await insertMany("log_nodes", ["level", "idx", "hash"], nodes.map((nd) => [nd.level, nd.index, toHex(nd.hash)]));
    });
    await store.kv.set(LEAF_HASH_FROM, "1");
    await db.pool.query("ANALYZE");
    log(`PostgreSQL: ${APPENDS} appends through the gateway's Journal at ${PG_N.toLocaleString("en")} entries…`);
    const a = await measureAppends(store, APPENDS);
    log(`  p50 ${a.p50.toFixed(3)} ms, p99 ${a.p99.toFixed(3)} ms, max ${a.max.toFixed(2)} ms; gateway CPU p99 ${a.cpuP99.toFixed(3)} ms`);
    rows.push({
      metric: `store append p99 per entry + nodes, PostgreSQL 15 (fsync=off), at ${PG_N.toLocaleString("en")}`,
      value: round(a.p99, 3),
      cpuValue: round(a.cpuP99, 3),
      unit: "ms",
      target: `≤ ${TARGET.storeAppendP99Ms}`,
      met: a.p99 <= TARGET.storeAppendP99Ms,
      note: `p50 ${round(a.p50, 3)} ms, max ${round(a.max, 2)} ms over ${APPENDS} appends; 7 round trips each (begin, advisory lock, last entry, insert, siblings, nodes, commit); 'on CPU' is the gateway's share`,
    });
    const an = await measureAnchoring(store, PG_N, ANCHORS);
    log(`PostgreSQL anchoring: CPU median ${an.cpuMedian.toFixed(2)} ms, wall median ${an.wallMedian.toFixed(2)} ms`);
    rows.push({
      metric: `anchor a checkpoint at ${an.size.toLocaleString("en")} entries (PostgreSQL): gateway CPU, chain tx excluded`,
      value: round(an.cpuMedian, 2),
      cpuValue: round(an.cpuMedian, 2),
      unit: "ms",
      target: `≤ ${TARGET.anchorCpuMs}`,
      met: an.cpuMax <= TARGET.anchorCpuMs,
      note: `median of ${ANCHORS}; max ${round(an.cpuMax, 2)} ms CPU; wall median ${round(an.wallMedian, 2)} ms (the database's own CPU is in its processes)`,
    });
    await store.close();
  } finally {
    pg.destroy();
  }
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => round(x));
  const calibrationAtStart = calibrate();
  log(`calibration: node:crypto SHA-256 of 65 bytes, ${calibrationAtStart.toFixed(3)} M/s; load average ${loadAtStart.join(" ")}`);
  const rows: Row[] = [];

  log(`generating ${N.toLocaleString("en")} canonical-JSON entries…`);
  const entries = makeEntries(N);
  log(`entries: ${(entries.buf.length / 1e6).toFixed(0)} MB, ${entries.avgBytes.toFixed(0)} bytes on average`);

  const { storedRoot, incl, cons, storeNodes } = gatewaySide(entries, rows);
  collectGarbage();

  // ─── full verification ────────────────────────────────────────────────────────────────────
  const full: Array<{ name: string; wall: number; cpu: number }> = [];
  for (const [name, hasher] of HASHERS) {
    log(`full verification, ${name}…`);
    const r = fullVerify(entries, hasher);
    if (toHex(r.value) !== toHex(storedRoot)) throw new Error(`full verification (${name}): root differs from rootAt`);
    log(`  ${r.wall.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s)`);
    full.push({ name, wall: r.wall, cpu: r.cpu });
    rows.push({ metric: `full verify ${N.toLocaleString("en")} entries, ${name}`, value: round(r.wall), cpuValue: round(r.cpu), unit: "s" });
  }
  const bestFull = full.reduce((a, b) => (b.wall < a.wall ? b : a));
  rows.push({ metric: `full verify, best (${bestFull.name})`, value: round(bestFull.wall), cpuValue: round(bestFull.cpu), unit: "s", target: `≤ ${TARGET.fullVerifySeconds}`, met: bestFull.wall <= TARGET.fullVerifySeconds });

  // ─── proofs ────────────────────────────────────────────────────────────────────────────────
  const inclusionRates: Array<{ name: string; wall: number; cpu: number }> = [];
  const consistencyRates: Array<{ name: string; wall: number; cpu: number }> = [];
  for (const [name, hasher] of HASHERS) {
    const i = rate(PROOFS, (k) => verifyInclusion(incl[k].leaf, incl[k].index, N, incl[k].proof, storedRoot, hasher).ok);
    const c = rate(PROOFS, (k) => verifyConsistency(cons[k].m, N, cons[k].rootM, storedRoot, cons[k].proof, hasher).ok);
    inclusionRates.push({ name, ...i });
    consistencyRates.push({ name, ...c });
    log(`  ${name}: inclusion ${i.wall.toFixed(0)}/s (CPU ${i.cpu.toFixed(0)}/s), consistency ${c.wall.toFixed(0)}/s (CPU ${c.cpu.toFixed(0)}/s)`);
  }
  // A negative control: a flipped bit must fail (the loops above throw on any failure).
  const tampered = incl[0].proof.map((p, i) => (i === 0 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 1 : b)) : p));
  for (const [, hasher] of HASHERS) if (verifyInclusion(incl[0].leaf, incl[0].index, N, tampered, storedRoot, hasher).ok) throw new Error("a tampered proof verified");

  const best = (xs: typeof inclusionRates) => xs.reduce((a, b) => (b.wall > a.wall ? b : a));
  for (const r of inclusionRates) rows.push({ metric: `inclusion proofs verified/s, ${r.name}`, value: Math.round(r.wall), cpuValue: Math.round(r.cpu), unit: "/s" });
  const bi = best(inclusionRates);
  rows.push({ metric: `inclusion proofs verified/s, best (${bi.name})`, value: Math.round(bi.wall), cpuValue: Math.round(bi.cpu), unit: "/s", target: `≥ ${TARGET.inclusionPerSecond}`, met: bi.wall >= TARGET.inclusionPerSecond });
  for (const r of consistencyRates) rows.push({ metric: `consistency proofs verified/s, ${r.name}`, value: Math.round(r.wall), cpuValue: Math.round(r.cpu), unit: "/s" });
  const bc = best(consistencyRates);
  rows.push({ metric: `consistency proofs verified/s, best (${bc.name})`, value: Math.round(bc.wall), cpuValue: Math.round(bc.cpu), unit: "/s", target: `≥ ${TARGET.consistencyPerSecond}`, met: bc.wall >= TARGET.consistencyPerSecond });

  // ─── the gateway's code on its stores ─────────────────────────────────────────────────────
  incl.length = 0;
  cons.length = 0;
  collectGarbage();
  await storeSide(rows);

  const calibrationAtEnd = calibrate();
  rows.push({ metric: "calibration: node:crypto SHA-256(65 B), start / end", value: round(calibrationAtStart, 3), unit: "M/s", note: `end ${round(calibrationAtEnd, 3)} M/s; load average ${loadAtStart.join(" ")} → ${loadavg().map((x) => round(x)).join(" ")}` });

  // ─── report ────────────────────────────────────────────────────────────────────────────────
  console.log(`\nVerifiable log (shared/log) — N=${N.toLocaleString("en")}, ${PROOFS} proofs per figure, ${cpus().length} CPUs, Node ${process.version}\n`);
  const w = Math.max(...rows.map((r) => r.metric.length)) + 2;
  console.log(`${"measure".padEnd(w)}${"value".padStart(12)}${"on CPU".padStart(12)} ${"unit".padEnd(6)}${"target".padStart(10)}  met`);
  for (const r of rows) {
    const met = r.met === undefined ? "" : r.met ? "yes" : "NO";
    console.log(`${r.metric.padEnd(w)}${String(r.value).padStart(12)}${String(r.cpuValue ?? "").padStart(12)} ${r.unit.padEnd(6)}${(r.target ?? "").padStart(10)}  ${met}`);
  }
  console.log("\n'met' is judged on the wall-clock value; 'on CPU' is the same figure on this process's CPU time.");
  console.log(
    "\n'append: appendLeaf' is the tree alone over an in-memory Map; 'store append' is the gateway's Journal.append on its database " +
      "(the entry, the reads of its left siblings and the writes of its nodes, in one transaction).",
  );
  for (const r of rows) if (r.note) console.log(`  ${r.metric}: ${r.note}`);

  const finishedAt = new Date().toISOString();
  mkdirSync(join(__dirname, "results"), { recursive: true });
  const result = {
    measuredAt: finishedAt,
    startedAt,
    finishedAt,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((x) => round(x)),
      sha256CallsPerSecondMillions: { start: round(calibrationAtStart, 3), end: round(calibrationAtEnd, 3) },
    },
    params: { n: N, proofs: PROOFS, checkpoints: CHECKPOINTS, entryBytesMean: round(entries.avgBytes, 1), storeNodes, hashers: HASHERS.map(([name]) => name), storeN: STORE_N, pgN: PG_N, appends: APPENDS, anchors: ANCHORS },
    targets: TARGET,
    results: rows,
    allTargetsMet: rows.every((r) => r.met !== false),
  };
  writeFileSync(join(__dirname, "results", "log.json"), JSON.stringify(result, null, 2) + "\n");
  log("wrote bench/results/log.json");
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
