/**
 * Index benchmark, in one run on the in-process Hardhat network (the gateway runs in this process too,
 * with embedded IPFS and SQLite in a temporary data directory, its indexer following the chain):
 *
 *  (a) GET /v1/tokens/:id/provenance of a token with BENCH_TRANSFERS transfers, from the index and with
 *      ?source=chain (historical eth_calls), p50 of BENCH_CALLS calls each; target index p50 ≤ 20 ms and
 *      ≥ 100× faster than the chain path;
 *  (b) the same after BENCH_NOISE unrelated registry transactions: BENCH_IDENTITIES identity
 *      registrations, BENCH_TOKENS editions minted in batches of 100 (the sustained mint load), and
 *      evidence records for the rest; target index p50 after / before ≤ 1.2;
 *  (c) indexer catch-up from a cold store over the whole chain (events/s), and the lag (head − indexed
 *      block) at the end of the sustained mint load; target ≤ 2 blocks;
 *  (d) lists and search on the gateway's store, now holding BENCH_TOKENS tokens and BENCH_IDENTITIES
 *      identities: p99 of BENCH_LIST_CALLS calls of each query; target ≤ 20 ms;
 *  (e) the auditor's verification of the token of (a) (shared/verify verifyToken, as `npm run verify --
 *      token` runs it) with its RPC reads one after another and with bounded concurrency (8): the ratio.
 *
 * Prints a table and writes bench/results/index.json.  Run: npm run bench:index
 * Knobs (env): BENCH_TRANSFERS=1000 BENCH_CALLS=20 BENCH_NOISE=100000 BENCH_IDENTITIES=10000
 *              BENCH_TOKENS=100000 BENCH_TX_PER_BLOCK=1000 BENCH_MINTS_PER_BLOCK=10 BENCH_LIST_CALLS=200
 *              BENCH_VERIFY_RUNS=3 BENCH_OUT (default bench/results/index.json)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ethers, network } from "hardhat";
import pino from "pino";
import type { Provider } from "ethers";
import { Chain } from "../server/chain/chain";
import { Indexer } from "../server/indexer/indexer";
import { openSqliteStore } from "../server/store/sqlite";
import { connectVerifierChain, httpGatewaySource, verifyToken } from "../shared/verify";
import { didOf } from "../shared/did";
import { CHINA, collectionParams, createApproved } from "../test/contracts/fixtures";
import { gatewayChainFixture, startTestGateway } from "../test/server/support/gateway";
import { collectionRequest, issuerSetup } from "../test/server/support/issuer";
import { intEnv, log, percentile, round } from "./support";

const TRANSFERS = intEnv("BENCH_TRANSFERS", 1000);
const CALLS = intEnv("BENCH_CALLS", 20);
const NOISE = intEnv("BENCH_NOISE", 100_000);
const IDENTITIES = intEnv("BENCH_IDENTITIES", 10_000);
const TOKENS = intEnv("BENCH_TOKENS", 100_000);
const TX_PER_BLOCK = intEnv("BENCH_TX_PER_BLOCK", 1000);
const MINTS_PER_BLOCK = intEnv("BENCH_MINTS_PER_BLOCK", 10);
const LIST_CALLS = intEnv("BENCH_LIST_CALLS", 200);
const VERIFY_RUNS = intEnv("BENCH_VERIFY_RUNS", 3);
const OUT = process.env.BENCH_OUT ?? join(__dirname, "results", "index.json");
const MINT_BATCH = 100;
const COLLECTION_SIZE = 10_000;
const WRITERS = 10;

const TARGET = { indexP50Ms: 20, speedup: 100, noiseRatio: 1.2, lagBlocks: 2, listP99Ms: 20 } as const;

const p50 = (s: number[]) => percentile(s, 50);
const p99 = (s: number[]) => percentile(s, 99);
const randomAddress = () => ethers.getAddress(ethers.hexlify(ethers.randomBytes(20)));

async function main() {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => round(x));
  log(
    `index bench on ${network.name}: ${TRANSFERS} transfers, ${CALLS} calls, noise ${NOISE} txs (${IDENTITIES} identities, ${TOKENS} editions), ` +
      `${cpus().length} CPUs, load ${loadAtStart.join(" ")}`,
  );
  if (IDENTITIES + Math.ceil(TOKENS / MINT_BATCH) > NOISE) throw new Error("BENCH_NOISE must cover the identity registrations and the mint transactions");
  // Blocks of a thousand registry transactions: the bench chain's block gas limit is raised to hold them.
  await network.provider.send("evm_setBlockGasLimit", [ethers.toQuantity(2_000_000_000n)]);

  // ─── Setup (not timed) ────────────────────────────────────────────────────────────────────
  const fx = await gatewayChainFixture();
  const { identity, rights, evidence } = fx.contracts;
  const { admin, attestor, issuer, operator, alice, bob, rest } = fx.accounts;
  const policyDir = mkdtempSync(join(tmpdir(), "bench-index-policy-"));
  const policyFile = join(policyDir, "policy.yaml");
  const policyText = readFileSync(join(__dirname, "..", "policy", "default.yaml"), "utf8")
    .replace(/^version: .*$/m, 'version: "bench-holding-0"')
    .replace(/minHoldingPeriodDays: *\d+/, "minHoldingPeriodDays: 0");
  if (!policyText.includes("minHoldingPeriodDays: 0")) throw new Error("could not derive the bench policy");
  writeFileSync(policyFile, policyText);
  const gw = await startTestGateway(fx.deployment, { env: { POLICY_FILE: policyFile }, logger: pino({ level: "warn" }, pino.destination(2)) });
  const dirs = [policyDir];
  try {
    const indexer = gw.services.indexer;
    const indexedToHead = async () => {
      const head = await ethers.provider.getBlockNumber();
      await indexer.waitFor(head);
      return head;
    };
    const setup = await issuerSetup(gw, fx);
    const auditor = await gw.key("auditor");
    const { form } = await setup.form("bench-index", collectionRequest({ editionSize: 10, transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 0, minLevel: 2 } }));
    const created = await gw.call("POST", "/v1/collections", { token: setup.token, form });
    if (created.status !== 201) throw new Error(`create collection: ${created.status} ${JSON.stringify(created.body)}`);
    const provCollection = BigInt(created.body.collectionId);
    let nonce = BigInt(ethers.id("bench-index")) & ((1n << 128n) - 1n);
    await (await rights.connect(operator).mintBatch(issuer.address, provCollection, [alice.address], nonce++)).wait();
    const tokenId = (provCollection << 64n) | 1n;
    log(`(a) token ${tokenId}: ${TRANSFERS} transfers alice ⇄ bob…`);
    for (let i = 0; i < TRANSFERS; i++) {
      const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice];
      await (await rights.connect(from).transferFrom(from.address, to.address, tokenId)).wait();
      if ((i + 1) % 250 === 0) log(`(a) ${i + 1}/${TRANSFERS} transfers`);
    }
    await indexedToHead();

    /** p50 of CALLS provenance calls (one warm-up not counted), timed to the last byte of the reply. */
    const provenance = async (source: "index" | "chain") => {
      const times: number[] = [];
      let entries = 0;
      for (let i = 0; i <= CALLS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${gw.url}/v1/tokens/${tokenId}/provenance${source === "chain" ? "?source=chain" : ""}`, { headers: { authorization: `Bearer ${auditor}` } });
        const text = await res.text();
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`provenance (${source}): ${res.status} ${text.slice(0, 300)}`);
        const body = JSON.parse(text) as { source: string; entries: unknown[]; integrity: { verdict: string } };
        if (body.source !== source) throw new Error(`provenance answered from the ${body.source}, not the ${source}`);
        if (body.integrity.verdict !== "passed") throw new Error(`provenance integrity ${body.integrity.verdict}: ${text.slice(0, 500)}`);
        entries = body.entries.length;
        if (i > 0) times.push(ms);
        if (source === "chain" && i % 5 === 0) log(`    ${source} call ${i}/${CALLS}: ${ms.toFixed(0)} ms`);
      }
      if (entries !== TRANSFERS + 1) throw new Error(`provenance: ${entries} entries, expected ${TRANSFERS + 1}`);
      return { p50Ms: round(p50(times)), samplesMs: times.map((t) => round(t)), entries };
    };
    const beforeBlock = await ethers.provider.getBlockNumber();
    const indexBefore = await provenance("index");
    log(`(a) provenance from the index: p50 ${indexBefore.p50Ms} ms (${indexBefore.entries} entries, chain at block ${beforeBlock})`);
    const chainBefore = await provenance("chain");
    log(`(a) provenance ?source=chain: p50 ${chainBefore.p50Ms} ms`);

    // ─── (e) the CLI's verification, sequential reads vs bounded concurrency ───────────────────
    const verifierChain = connectVerifierChain(ethers.provider as unknown as Provider, fx.deployment);
    const verifyTimes = async (concurrency: number) => {
      const times: number[] = [];
      for (let i = 0; i < VERIFY_RUNS; i++) {
        const t0 = performance.now();
        const r = await verifyToken(verifierChain, tokenId, { source: httpGatewaySource(gw.url), concurrency });
        times.push(performance.now() - t0);
        if (!r.passed || r.entries.length !== TRANSFERS + 1) throw new Error(`verifyToken (concurrency ${concurrency}): ${r.verdict}, ${r.entries.length} entries`);
      }
      return { medianMs: round(p50(times)), samplesMs: times.map((t) => round(t)) };
    };
    const cliSequential = await verifyTimes(1);
    const cliBounded = await verifyTimes(8);
    log(`(e) CLI verification: one read at a time ${cliSequential.medianMs} ms, 8 at a time ${cliBounded.medianMs} ms`);

    // ─── (b, c) noise: identities, the sustained mint load, evidence ──────────────────────────
    const gwei = 1_000_000_000n;
    const nonces = new Map<string, number>();
    const sendTx = async (from: string, to: string, data: string) => {
      if (!nonces.has(from)) nonces.set(from, await ethers.provider.getTransactionCount(from, "pending"));
      const n = nonces.get(from)!;
      nonces.set(from, n + 1);
      return network.provider.send("eth_sendTransaction", [
        { from, to, data, gas: ethers.toQuantity(15_000_000), maxFeePerGas: ethers.toQuantity(3n * gwei), maxPriorityFeePerGas: ethers.toQuantity(gwei), nonce: ethers.toQuantity(n) },
      ]);
    };
    const mineBlock = async () => {
      await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [ethers.toQuantity(gwei)]);
      await network.provider.send("evm_mine");
    };
    /** Sends `count` transactions (`make(i)` → [from, to, data]), `perBlock` a block, senders concurrent, each in nonce order. */
    const sendBlocks = async (label: string, count: number, perBlock: number, make: (i: number) => [string, string, string], afterBlock?: () => Promise<void>) => {
      const t0 = performance.now();
      for (let start = 0; start < count; start += perBlock) {
        const bySender = new Map<string, Array<[string, string]>>();
        for (let i = start; i < Math.min(count, start + perBlock); i++) {
          const [from, to, data] = make(i);
          (bySender.get(from) ?? bySender.set(from, []).get(from)!).push([to, data]);
        }
        await Promise.all([...bySender].map(async ([from, txs]) => {
          for (const [to, data] of txs) await sendTx(from, to, data);
        }));
        await mineBlock();
        await afterBlock?.();
        if (Math.floor((start + perBlock) / 10_000) > Math.floor(start / 10_000) || start + perBlock >= count) {
          const s = (performance.now() - t0) / 1000;
          log(`(b) ${label}: ${Math.min(count, start + perBlock)}/${count} txs, ${s.toFixed(0)} s`);
        }
      }
      return (performance.now() - t0) / 1000;
    };

    const writers = rest.slice(0, WRITERS);
    const identityAddr = await identity.getAddress();
    const rightsAddr = await rights.getAddress();
    const evidenceAddr = await evidence.getAddress();
    for (const w of writers) {
      await (await identity.connect(admin).grantRole(ethers.id("ATTESTOR_ROLE"), w.address)).wait();
      await (await evidence.connect(admin).grantRole(ethers.id("EVIDENCE_WRITER_ROLE"), w.address)).wait();
    }
    const firstNoiseBlock = (await ethers.provider.getBlockNumber()) + 1;
    const expiryBase = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 30n * 86_400n;
    const wallets = Array.from({ length: IDENTITIES }, randomAddress);
    const identityIds = wallets.map((_, i) => ethers.id(`bench-identity-${i}`));
    await network.provider.send("evm_setAutomine", [false]);
    let mintLoad: { seconds: number; blocks: number; lagSamples: number[]; lagAtEnd: number; catchUpMs: number; indexedDuringLoad: number };
    let identitySeconds: number;
    let evidenceSeconds: number;
    const collections: bigint[] = [];
    try {
      identitySeconds = await sendBlocks("identities", IDENTITIES, TX_PER_BLOCK, (i) => [
        writers[i % WRITERS].address,
        identityAddr,
        identity.interface.encodeFunctionData("registerIdentity", [identityIds[i], wallets[i], 2, CHINA, expiryBase + BigInt(i * 600), ethers.id(`kyc-${i}`)]),
      ]);
      await network.provider.send("evm_setAutomine", [true]);
      for (let c = 0; c < Math.ceil(TOKENS / COLLECTION_SIZE); c++) {
        await (await createApproved(rights, issuer, issuer.address, collectionParams({ seed: `benchindex${c}`, maxSupply: COLLECTION_SIZE, holdingPeriod: 0, minLevel: 2 }))).wait();
        collections.push(await rights.collectionCount());
      }
      await network.provider.send("evm_setAutomine", [false]);

      // The sustained mint load: MINTS_PER_BLOCK batches of 100 a block, while the gateway's indexer follows.
      const mintTxs = Math.ceil(TOKENS / MINT_BATCH);
      const lagSamples: number[] = [];
      const indexedAtStart = (await indexer.indexedBlock()) ?? 0;
      const seconds = await sendBlocks(
        "mints",
        mintTxs,
        MINTS_PER_BLOCK,
        (i) => {
          const recipients = Array.from({ length: MINT_BATCH }, (_, j) => wallets[(i * MINT_BATCH + j) % wallets.length]);
          return [operator.address, rightsAddr, rights.interface.encodeFunctionData("mintBatch", [issuer.address, collections[Math.floor((i * MINT_BATCH) / COLLECTION_SIZE)], recipients, nonce++])];
        },
        async () => {
          const s = await indexer.status();
          lagSamples.push(s.lag ?? Number.NaN);
        },
      );
      const endStatus = await indexer.status();
      const t0 = performance.now();
      const endHead = await indexedToHead();
      mintLoad = {
        seconds,
        blocks: Math.ceil(mintTxs / MINTS_PER_BLOCK),
        lagSamples,
        lagAtEnd: endStatus.lag ?? Number.NaN,
        catchUpMs: performance.now() - t0,
        indexedDuringLoad: endHead - indexedAtStart,
      };
      log(`(c) mint load: ${mintTxs} txs in ${mintLoad.blocks} blocks in ${seconds.toFixed(1)} s; lag at the end ${mintLoad.lagAtEnd} block(s), max ${Math.max(...lagSamples)}; caught up ${mintLoad.catchUpMs.toFixed(0)} ms later`);

      const evidenceCount = NOISE - IDENTITIES - mintTxs;
      evidenceSeconds = await sendBlocks("evidence", evidenceCount, TX_PER_BLOCK, (i) => [
        writers[i % WRITERS].address,
        evidenceAddr,
        evidence.interface.encodeFunctionData("record", [ethers.id(`bench-ev-${i}`), ethers.id(`bench-ev-hash-${i}`), ""]),
      ]);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    const lastNoiseBlock = await ethers.provider.getBlockNumber();
    let noiseTxs = 0;
    let failed = 0;
    for (let b = firstNoiseBlock; b <= lastNoiseBlock; b++) {
      const block = (await ethers.provider.getBlock(b))!;
      noiseTxs += block.transactions.length;
    }
    const lastReceipts = await Promise.all(((await ethers.provider.getBlock(lastNoiseBlock))!.transactions as string[]).slice(0, 5).map((h) => ethers.provider.getTransactionReceipt(h)));
    failed += lastReceipts.filter((r) => r?.status !== 1).length;
    if (failed) throw new Error("noise transactions reverted");
    log(`(b) noise: ${noiseTxs} transactions in blocks ${firstNoiseBlock}-${lastNoiseBlock}`);
    const tCatch = performance.now();
    await indexedToHead();
    log(`(b) the gateway's indexer caught up ${((performance.now() - tCatch) / 1000).toFixed(1)} s after the last noise block`);
    const indexedEvents = Number((await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_events`))[0].n);
    const tokensInStore = Number((await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_tokens`))[0].n);
    const identitiesInStore = Number((await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_identities`))[0].n);

    const indexAfter = await provenance("index");
    log(`(b) provenance from the index after the noise: p50 ${indexAfter.p50Ms} ms`);
    const chainAfter = await provenance("chain");
    log(`(b) provenance ?source=chain after the noise: p50 ${chainAfter.p50Ms} ms`);

    // ─── (c) catch-up from cold ─────────────────────────────────────────────────────────────
    const coldDir = mkdtempSync(join(tmpdir(), "bench-index-cold-"));
    dirs.push(coldDir);
    const coldStore = await openSqliteStore(join(coldDir, "cold.db"));
    let cold: { events: number; seconds: number; blocks: number };
    try {
      const coldIndexer = new Indexer({ chain: new Chain({ deployment: fx.deployment, provider: ethers.provider as unknown as Provider, keys: {} }), store: coldStore }, { confirmations: 0 });
      const head = await ethers.provider.getBlockNumber();
      const t0 = performance.now();
      let events = 0;
      while (((await coldIndexer.indexedBlock()) ?? -1) < head) events += await coldIndexer.syncOnce();
      cold = { events, seconds: (performance.now() - t0) / 1000, blocks: head - fx.deployment.deployBlock + 1 };
    } finally {
      await coldStore.close();
    }
    log(`(c) catch-up from cold: ${cold.events} events over ${cold.blocks} blocks in ${cold.seconds.toFixed(1)} s (${(cold.events / cold.seconds).toFixed(0)} events/s)`);

    // ─── (d) lists and search ─────────────────────────────────────────────────────────────────
    const holder = wallets[7];
    const [holdings] = await Promise.all([gw.services.store.db.query(`SELECT token_id FROM ix_tokens WHERE owner = $1 LIMIT 1`, [holder.toLowerCase()])]);
    const someToken = String(holdings[0]?.token_id ?? tokenId);
    const someTx = String((await gw.services.store.db.query(`SELECT tx_hash FROM ix_events WHERE token_id = $1 LIMIT 1`, [someToken]))[0].tx_hash);
    const bigCollection = collections[0] ?? provCollection;
    const deepCursor = gw.services.cursors.encode(`tokens:${bigCollection}`, [Math.floor(COLLECTION_SIZE / 2)]);
    const soon = new Date(Number(expiryBase) * 1000 + 20 * 86_400_000).toISOString();
    const queries: Array<[string, string]> = [
      ["collections, first page", "/v1/collections"],
      ["collections ?issuer=&status=", `/v1/collections?issuer=${issuer.address}&status=complete`],
      ["collections ?q= (text)", `/v1/collections?q=great%20wall`],
      ["collection tokens, first page", `/v1/collections/${bigCollection}/tokens`],
      ["collection tokens, deep page", `/v1/collections/${bigCollection}/tokens?cursor=${deepCursor}`],
      ["collection tokens ?owner=", `/v1/collections/${bigCollection}/tokens?owner=${holder}`],
      ["account", `/v1/accounts/${holder}`],
      ["account ?collection=", `/v1/accounts/${holder}?collection=${bigCollection}`],
      ["identities ?expiringBefore=", `/v1/identities?expiringBefore=${encodeURIComponent(soon)}`],
      ["identities ?attestor=&status=&level=", `/v1/identities?attestor=${writers[3].address}&status=Active&level=2`],
      ["identity history", `/v1/identities/${identityIds[5]}/history`],
      ["events, first page", "/v1/events"],
      ["events ?type=", "/v1/events?type=evidence-recorded"],
      ["events ?tokenId=", `/v1/events?tokenId=${tokenId}`],
      ["events ?address=", `/v1/events?address=${holder}`],
      ["events ?collectionId=&fromBlock=&toBlock=", `/v1/events?collectionId=${bigCollection}&fromBlock=${firstNoiseBlock}&toBlock=${lastNoiseBlock}`],
      ["roles", "/v1/roles"],
      ["search: token id", `/v1/search?q=${someToken}`],
      ["search: collection id", `/v1/search?q=${bigCollection}`],
      ["search: address", `/v1/search?q=${holder}`],
      ["search: DID", `/v1/search?q=${encodeURIComponent(didOf("dareg", fx.deployment.chainId, identityIds[9]))}`],
      ["search: content hash", `/v1/search?q=${created.body.contentHash}`],
      ["search: transaction", `/v1/search?q=${someTx}`],
      ["search: CID", `/v1/search?q=${created.body.metadataCID}`],
    ];
    const admin_ = await gw.key("admin");
    const lists: Array<{ query: string; path: string; p50Ms: number; p99Ms: number; meetsTarget: boolean }> = [];
    for (const [name, path] of queries) {
      const times: number[] = [];
      for (let i = 0; i <= LIST_CALLS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${path.startsWith("/v1/identities") || path === "/v1/roles" ? admin_ : auditor}` } });
        await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i > 0) times.push(performance.now() - t0);
      }
      lists.push({ query: name, path, p50Ms: round(p50(times)), p99Ms: round(p99(times)), meetsTarget: p99(times) <= TARGET.listP99Ms });
    }
    log(`(d) lists and search: worst p99 ${Math.max(...lists.map((l) => l.p99Ms))} ms over ${lists.length} queries, ${LIST_CALLS} calls each`);

    // ─── Results ─────────────────────────────────────────────────────────────────────────────
    const speedup = chainBefore.p50Ms / indexBefore.p50Ms;
    const noiseRatio = indexAfter.p50Ms / indexBefore.p50Ms;
    const met = {
      indexP50: indexBefore.p50Ms <= TARGET.indexP50Ms,
      speedup: speedup >= TARGET.speedup,
      noiseRatio: noiseRatio <= TARGET.noiseRatio,
      lag: mintLoad.lagAtEnd <= TARGET.lagBlocks,
      lists: lists.every((l) => l.meetsTarget),
    };
    const yes = (b: boolean) => (b ? "met" : "NOT met");
    const rows: Array<[string, string, string, string]> = [
      [`provenance from the index, ${TRANSFERS + 1} entries, p50 ms`, String(indexBefore.p50Ms), `≤ ${TARGET.indexP50Ms}`, yes(met.indexP50)],
      ["provenance ?source=chain, p50 ms", String(chainBefore.p50Ms), "", ""],
      ["  speed-up index vs chain", `${round(speedup, 1)}×`, `≥ ${TARGET.speedup}×`, yes(met.speedup)],
      [`provenance from the index after ${noiseTxs} txs, p50 ms`, String(indexAfter.p50Ms), "", ""],
      ["  after / before", String(round(noiseRatio, 3)), `≤ ${TARGET.noiseRatio}`, yes(met.noiseRatio)],
      [`provenance ?source=chain after the noise, p50 ms`, String(chainAfter.p50Ms), "", ""],
      [`indexer catch-up from cold, ${cold.events} events, events/s`, String(round(cold.events / cold.seconds, 0)), "", ""],
      [`lag at the end of the mint load (${TOKENS} editions, ${mintLoad.blocks} blocks), blocks`, String(mintLoad.lagAtEnd), `≤ ${TARGET.lagBlocks}`, yes(met.lag)],
      ...lists.map((l): [string, string, string, string] => [`  ${l.query}, p99 ms`, String(l.p99Ms), `≤ ${TARGET.listP99Ms}`, yes(l.meetsTarget)]),
      [`lists and search (${tokensInStore} tokens, ${identitiesInStore} identities), worst p99 ms`, String(Math.max(...lists.map((l) => l.p99Ms))), `≤ ${TARGET.listP99Ms}`, yes(met.lists)],
      ["CLI verification, reads one at a time, ms", String(cliSequential.medianMs), "", ""],
      ["CLI verification, 8 reads at a time, ms", String(cliBounded.medianMs), "", ""],
      ["  ratio one-at-a-time / bounded", `${round(cliSequential.medianMs / cliBounded.medianMs, 2)}×`, "", ""],
    ];
    const w = [Math.max(...rows.map((r) => r[0].length)), 12, 8, 8];
    console.log(`\n${"figure".padEnd(w[0])}  ${"value".padStart(w[1])}  ${"target".padEnd(w[2])}  result`);
    for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);

    const result = {
      measuredAt: new Date().toISOString(),
      startedAt,
      network: network.name,
      machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => round(x)) },
      params: { transfers: TRANSFERS, calls: CALLS, noiseTxs: NOISE, identities: IDENTITIES, tokens: TOKENS, txPerBlock: TX_PER_BLOCK, mintsPerBlock: MINTS_PER_BLOCK, mintBatch: MINT_BATCH, listCalls: LIST_CALLS, verifyRuns: VERIFY_RUNS, store: "sqlite" },
      targets: TARGET,
      provenance: {
        tokenId: tokenId.toString(),
        entries: indexBefore.entries,
        timed: "GET /v1/tokens/:id/provenance over HTTP to the last byte, integrity checks included; one warm-up call not counted",
        before: { chainBlock: beforeBlock, index: indexBefore, chain: chainBefore, speedup: round(speedup, 1), meetsTarget: { indexP50: met.indexP50, speedup: met.speedup } },
        after: { chainBlock: lastNoiseBlock, index: indexAfter, chain: chainAfter, indexRatio: round(noiseRatio, 3), chainRatio: round(chainAfter.p50Ms / chainBefore.p50Ms, 3), meetsTarget: met.noiseRatio },
      },
      noise: {
        txs: noiseTxs,
        blocks: lastNoiseBlock - firstNoiseBlock + 1,
        identityRegistrations: { txs: IDENTITIES, seconds: round(identitySeconds, 1) },
        mints: { txs: Math.ceil(TOKENS / MINT_BATCH), editions: TOKENS, seconds: round(mintLoad.seconds, 1) },
        evidenceRecords: { txs: NOISE - IDENTITIES - Math.ceil(TOKENS / MINT_BATCH), seconds: round(evidenceSeconds, 1) },
        blockGasLimit: 2_000_000_000,
        eventsIndexed: indexedEvents,
      },
      indexer: {
        coldCatchUp: { events: cold.events, blocks: cold.blocks, seconds: round(cold.seconds, 1), eventsPerSecond: round(cold.events / cold.seconds, 0) },
        mintLoad: {
          editions: TOKENS,
          blocks: mintLoad.blocks,
          mintsPerBlock: MINTS_PER_BLOCK,
          seconds: round(mintLoad.seconds, 1),
          lagAtEndBlocks: mintLoad.lagAtEnd,
          maxLagBlocks: Math.max(...mintLoad.lagSamples),
          lagSamples: mintLoad.lagSamples,
          catchUpAfterEndMs: round(mintLoad.catchUpMs, 0),
          meetsTarget: met.lag,
        },
      },
      lists: { tokens: tokensInStore, identities: identitiesInStore, events: indexedEvents, callsPerQuery: LIST_CALLS, queries: lists, meetsTarget: met.lists },
      cliVerification: {
        timed: "shared/verify verifyToken (the CLI's token command) over the in-process provider, IPFS via the gateway's /ipfs route",
        sequential: cliSequential,
        bounded8: cliBounded,
        ratio: round(cliSequential.medianMs / cliBounded.medianMs, 2),
      },
    };
    mkdirSync(join(OUT, ".."), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwritten ${OUT}`);
  } finally {
    await gw.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
