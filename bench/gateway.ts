/**
 * Gateway benchmark, in one run on the in-process Hardhat network (the gateway runs in this process too,
 * with embedded IPFS and SQLite in a temporary data directory):
 *
 *  (a) mint N editions through the HTTP API (jobs of BENCH_JOB_SIZE recipients, all POSTed at once,
 *      timed from the first POST …/mint to every job done) beside
 *  (b) the same N editions minted by calling CollectibleRights.mintBatch directly with the operator
 *      key through its Hardhat signer (node-signed), in batches of the gateway's MINT_BATCH_SIZE, one
 *      receipt awaited at a time as the worker does; target (a)/(b) ≥ 0.8; and, for reference,
 *  (b′) the same with the key in an ethers Wallet that signs locally, as the gateway does;
 *  enqueue latency (POST …/mint → 202) over BENCH_ENQUEUE small requests with the mint worker stopped,
 *      so it measures the durable enqueue alone; target p99 < 50 ms;
 *  (c) GET /v1/tokens/:id/provenance of one token with BENCH_TRANSFERS transfers, before and after
 *      BENCH_NOISE unrelated transactions (plain ETH transfers, BENCH_NOISE_PER_BLOCK per block);
 *      target after/before ≤ 1.5.
 *
 * Prints a table and writes bench/results/gateway.json.  Run: npm run bench:gateway
 * Knobs (env): BENCH_N=1000 BENCH_JOB_SIZE=100 BENCH_ENQUEUE=200 BENCH_TRANSFERS=1000 BENCH_NOISE=100000
 *              BENCH_NOISE_PER_BLOCK=1000 BENCH_PROVENANCE_CALLS=5 BENCH_STALL_SECONDS=120, and
 *              MINT_BATCH_SIZE (the gateway's, default 100; above ~250 a batch exceeds Osaka's 2^24 tx gas cap)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Wallet } from "ethers";
import { ethers, network } from "hardhat";
import pino from "pino";
import { CHINA, LEVEL } from "../test/contracts/fixtures";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../test/server/support/gateway";
import { collectionRequest, issuerSetup } from "../test/server/support/issuer";

const DAY = 24 * 3600;

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return v;
}

const N = intEnv("BENCH_N", 1000);
const JOB_SIZE = intEnv("BENCH_JOB_SIZE", 100);
const ENQUEUE_REQUESTS = intEnv("BENCH_ENQUEUE", 200);
const TRANSFERS = intEnv("BENCH_TRANSFERS", 1000);
const NOISE = intEnv("BENCH_NOISE", 100_000, 0);
const NOISE_PER_BLOCK = intEnv("BENCH_NOISE_PER_BLOCK", 1000);
const PROVENANCE_CALLS = intEnv("BENCH_PROVENANCE_CALLS", 5);
const STALL_SECONDS = intEnv("BENCH_STALL_SECONDS", 120);

const TARGET = { mintRatio: 0.8, enqueueP99Ms: 50, provenanceRatio: 1.5 } as const;

const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Nearest-rank percentile of a sample. */
function percentile(sample: number[], p: number): number {
  const s = [...sample].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const median = (sample: number[]) => percentile(sample, 50);

/**
 * CPU milliseconds this process used since `since` (all threads: the script, the gateway and Hardhat's
 * EVM run here). Less sensitive than wall time to other processes on a shared machine.
 */
function cpuMs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

/** Random addresses: holders here never sign, so no keys are needed. */
const freshAddresses = (n: number) => Array.from({ length: n }, () => ethers.getAddress(ethers.hexlify(ethers.randomBytes(20))));

async function main() {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => round(x));
  log(
    `gateway bench on ${network.name}: N=${N}, job size ${JOB_SIZE}, ${ENQUEUE_REQUESTS} enqueue requests, ` +
      `${TRANSFERS} transfers, noise ${NOISE} txs (${NOISE_PER_BLOCK}/block); ${cpus().length} CPUs, load ${loadAtStart.join(" ")}`,
  );

  // ─── Setup (not timed) ────────────────────────────────────────────────────────────────────
  const fx = await gatewayChainFixture();
  const { identity, rights } = fx.contracts;
  const { attestor, issuer, operator, alice, bob, rest } = fx.accounts;

  // The pilot policy with one change: a 0-day minimum holding period, so the provenance token of (c)
  // can be gifted back and forth without moving the clock. Everything else is policy/default.yaml.
  const policyDir = mkdtempSync(join(tmpdir(), "bench-policy-"));
  const policyFile = join(policyDir, "policy.yaml");
  const policyText = readFileSync(join(__dirname, "..", "policy", "default.yaml"), "utf8")
    .replace(/^version: .*$/m, 'version: "bench-holding-0"')
    .replace(/minHoldingPeriodDays: *\d+/, "minHoldingPeriodDays: 0");
  if (!policyText.includes("minHoldingPeriodDays: 0")) throw new Error("could not derive the bench policy");
  writeFileSync(policyFile, policyText);

  const gw: TestGateway = await startTestGateway(fx.deployment, {
    // MINT_BATCH_SIZE from the environment is passed on, so other batch sizes can be compared.
    env: { POLICY_FILE: policyFile, ...(process.env.MINT_BATCH_SIZE ? { MINT_BATCH_SIZE: process.env.MINT_BATCH_SIZE } : {}) },
    // Warnings (worker retries, anchoring failures) would distort the figures: show them.
    logger: pino({ level: "warn" }, pino.destination(2)),
  });
  try {
    const batchSize = gw.services.config.MINT_BATCH_SIZE;
    const setup = await issuerSetup(gw, fx);
    const issuerToken = setup.token;
    const auditorToken = await gw.key("auditor");

    const createCollection = async (seed: string, overrides: Record<string, unknown>) => {
      const { form } = await setup.form(seed, collectionRequest(overrides));
      const r = await gw.call("POST", "/v1/collections", { token: issuerToken, form });
      if (r.status !== 201) throw new Error(`create collection ${seed}: ${r.status} ${JSON.stringify(r.body)}`);
      return BigInt(r.body.collectionId);
    };
    const apiCollection = await createCollection("bench-api", { editionSize: N });
    const provCollection = await createCollection("bench-provenance", {
      editionSize: 10,
      transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 0, minLevel: LEVEL.REAL_NAME },
    });
    // (b) mints into collections of the same shape created directly on chain (the contract does not care
    // how a collection came to be; this keeps the issuer's daily API quota for the API phases).
    const createDirectCollection = async (seed: string) => {
      const receipt = await (
        await rights.connect(issuer).createCollection(issuer.address, {
          contentHash: ethers.id(`${seed}-media`),
          metadataCID: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
          maxSupply: N,
          royaltyReceiver: issuer.address,
          royaltyBps: 500,
          licenceCID: "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne",
          rights: 0x3,
          mode: 1, // GiftToVerified
          holdingPeriod: 180 * DAY,
          minLevel: LEVEL.REAL_NAME,
          complianceRef: ethers.id(`${seed}-decision`),
        })
      ).wait();
      return receipt!.logs.map((l) => rights.interface.parseLog(l)).find((l) => l?.name === "CollectionCreated")!.args
        .collectionId as bigint;
    };
    const directCollection = await createDirectCollection("bench-direct");
    const localCollection = await createDirectCollection("bench-direct-local");
    log(`collections: API ${apiCollection}, direct ${directCollection} and ${localCollection}, provenance ${provCollection}`);

    // 2N fresh verified holders, batched (≈189k gas each: 100 per transaction fits the 30M block).
    const expiresAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3 * 365 * DAY);
    let nextIdentity = 0;
    const registerHolders = async (n: number) => {
      const wallets = freshAddresses(n);
      for (let i = 0; i < n; i += 100) {
        const registrations = wallets.slice(i, i + 100).map((wallet) => {
          const identityId = ethers.id(`bench-identity-${nextIdentity++}`);
          return { identityId, wallet, level: LEVEL.REAL_NAME, jurisdiction: CHINA, expiresAt, evidenceHash: ethers.id(`kyc:${identityId}`) };
        });
        await (await identity.connect(attestor).batchRegisterIdentities(registrations)).wait();
      }
      return wallets;
    };
    const registerStarted = performance.now();
    const apiHolders = await registerHolders(N);
    const directHolders = await registerHolders(N);
    const localHolders = await registerHolders(N);
    log(`registered ${3 * N} fresh verified holders in ${((performance.now() - registerStarted) / 1000).toFixed(1)} s (not timed)`);

    // ─── (a) N editions through the HTTP API ───────────────────────────────────────────────────
    const jobs = Math.ceil(N / JOB_SIZE);
    log(`(a) API: ${jobs} job(s) of ≤${JOB_SIZE} recipients, worker batches of ${batchSize}…`);
    const apiCpu = process.cpuUsage();
    const apiStarted = performance.now();
    const posted = await Promise.all(
      Array.from({ length: jobs }, async (_, j) => {
        const t0 = performance.now();
        const r = await gw.call("POST", `/v1/collections/${apiCollection}/mint`, {
          token: issuerToken,
          json: { recipients: apiHolders.slice(j * JOB_SIZE, (j + 1) * JOB_SIZE) },
          headers: { "idempotency-key": `bench-api-${j}` },
        });
        const ms = performance.now() - t0;
        if (r.status !== 202) throw new Error(`mint job ${j}: ${r.status} ${JSON.stringify(r.body)}`);
        return { jobId: r.body.jobId as string, ms };
      }),
    );
    // The worker takes jobs in creation order, so waiting for them in order polls little.
    // A job that mints nothing for STALL_SECONDS stops the bench (e.g. a batch the worker keeps retrying).
    const finished: any[] = [];
    let lastReport = performance.now();
    for (const { jobId } of posted) {
      let progress = { minted: -1, at: performance.now() };
      for (;;) {
        const r = await gw.call("GET", `/v1/jobs/${jobId}`, { token: issuerToken });
        if (r.status !== 200) throw new Error(`job ${jobId}: ${r.status} ${JSON.stringify(r.body)}`);
        if (r.body.state === "done" || r.body.state === "failed") {
          finished.push(r.body);
          break;
        }
        const now = performance.now();
        if (r.body.counts.minted !== progress.minted) progress = { minted: r.body.counts.minted, at: now };
        if (now - progress.at > STALL_SECONDS * 1000) {
          throw new Error(`(a) job ${jobId} made no progress for ${STALL_SECONDS} s: ${r.body.state}, ${r.body.reason ?? "no reason"}`);
        }
        if (now - lastReport > 5000) {
          lastReport = now;
          const why = r.body.reason ? ` (${r.body.reason})` : "";
          log(`(a) ${finished.length}/${jobs} jobs done, current job ${r.body.counts.minted}/${r.body.counts.total} minted${why}`);
        }
        await sleep(50);
      }
    }
    const apiSeconds = (performance.now() - apiStarted) / 1000;
    const apiCpuMs = cpuMs(apiCpu);
    const apiMinted = finished.reduce((s, j) => s + j.counts.minted, 0);
    const apiFailed = finished.reduce((s, j) => s + j.counts.failed, 0);
    if (apiFailed > 0 || apiMinted !== N) {
      const reasons = new Set(finished.flatMap((j) => j.items.filter((i: any) => i.reason).map((i: any) => i.reason)));
      throw new Error(`(a) minted ${apiMinted}/${N}, ${apiFailed} failed: ${[...reasons].join("; ")}`);
    }
    const apiSupply = await rights.totalSupply(apiCollection);
    if (apiSupply !== BigInt(N)) throw new Error(`(a) totalSupply ${apiSupply}, expected ${N}`);
    const apiRate = N / apiSeconds;
    log(`(a) API: ${N} editions in ${apiSeconds.toFixed(2)} s = ${apiRate.toFixed(1)} editions/s`);

    // ─── Enqueue latency, worker stopped ──────────────────────────────────────────────────────
    // Stopping the worker leaves the durable enqueue alone on the clock (store write, sandbox log entry,
    // ownership check on chain); the jobs accepted here are never minted.
    await gw.services.worker.stop();
    log(`enqueue latency: ${ENQUEUE_REQUESTS} POST …/mint of 1 recipient each, sequential, mint worker stopped…`);
    const enqueueTargets = freshAddresses(ENQUEUE_REQUESTS + 10);
    const enqueue = async (i: number) => {
      const t0 = performance.now();
      const r = await gw.call("POST", `/v1/collections/${apiCollection}/mint`, {
        token: issuerToken,
        json: { recipients: [enqueueTargets[i]] },
        headers: { "idempotency-key": `bench-enqueue-${i}` },
      });
      const ms = performance.now() - t0;
      if (r.status !== 202) throw new Error(`enqueue ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      return ms;
    };
    for (let i = 0; i < 10; i++) await enqueue(ENQUEUE_REQUESTS + i); // warm-up, not counted
    const enqueueMs: number[] = [];
    for (let i = 0; i < ENQUEUE_REQUESTS; i++) enqueueMs.push(await enqueue(i));
    const enqueueStats = {
      p50: round(percentile(enqueueMs, 50)),
      p99: round(percentile(enqueueMs, 99)),
      max: round(Math.max(...enqueueMs)),
      mean: round(enqueueMs.reduce((s, x) => s + x, 0) / enqueueMs.length),
    };
    log(`enqueue: p50 ${enqueueStats.p50} ms, p99 ${enqueueStats.p99} ms, max ${enqueueStats.max} ms`);

    // ─── (b) N editions by direct contract calls ──────────────────────────────────────────────
    // (b) as asked: the operator's Hardhat signer (the node holds the key and signs: eth_sendTransaction).
    // (b′) for reference: the same key in an ethers Wallet that signs locally (eth_sendRawTransaction), as
    // the gateway and any production client must; the node-signed path is cheaper on the in-process chain.
    const directMint = async (label: string, signer: typeof operator | Wallet, collectionId: bigint, holders: string[]) => {
      log(`${label}: ${Math.ceil(N / batchSize)} mintBatch call(s) of ≤${batchSize} with the operator key…`);
      const batchMs: number[] = [];
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      for (let i = 0, b = 0; i < N; i += batchSize, b++) {
        const t0 = performance.now();
        const tx = await rights
          .connect(signer)
          .mintBatch(issuer.address, collectionId, holders.slice(i, i + batchSize), ethers.id(`${label}-${b}`));
        await tx.wait();
        batchMs.push(performance.now() - t0);
      }
      const seconds = (performance.now() - started) / 1000;
      const cpu = cpuMs(cpu0);
      const supply = await rights.totalSupply(collectionId);
      if (supply !== BigInt(N)) throw new Error(`${label}: totalSupply ${supply}, expected ${N}`);
      const rate = N / seconds;
      log(
        `${label}: ${N} editions in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} editions/s ` +
          `(per batch p50 ${median(batchMs).toFixed(0)} ms, max ${Math.max(...batchMs).toFixed(0)} ms)`,
      );
      return { seconds, rate, cpu, batchMs };
    };
    const direct = await directMint("(b) direct", operator, directCollection, directHolders);
    const localSigner = new Wallet(gw.services.config.OPERATOR_KEY, ethers.provider);
    if (localSigner.address !== operator.address) throw new Error("OPERATOR_KEY is not the fixture's operator");
    const local = await directMint("(b′) direct, locally signed", localSigner, localCollection, localHolders);
    const directSeconds = direct.seconds;
    const directCpuMs = direct.cpu;
    const directBatchMs = direct.batchMs;
    const directRate = direct.rate;
    const mintRatio = apiRate / directRate;
    const localRatio = apiRate / local.rate;

    // ─── (c) provenance of a token with many transfers, before and after chain noise ──────────
    const minted = await (
      await rights.connect(issuer).mint(issuer.address, provCollection, alice.address, ethers.id("bench-provenance-mint"))
    ).wait();
    const tokenId = minted!.logs
      .map((l) => rights.interface.parseLog(l))
      .find((l) => l?.name === "Transfer")!.args.tokenId as bigint;
    log(`(c) token ${tokenId}: ${TRANSFERS} transfers alice ⇄ bob…`);
    const holders = [alice, bob];
    for (let i = 0; i < TRANSFERS; i++) {
      const from = holders[i % 2];
      const to = holders[(i + 1) % 2];
      await (await rights.connect(from).transferFrom(from.address, to.address, tokenId)).wait();
      if ((i + 1) % 250 === 0) log(`(c) ${i + 1}/${TRANSFERS} transfers`);
    }

    const provenance = async () => {
      const times: number[] = [];
      const cpuTimes: number[] = [];
      let entries = 0;
      for (let i = 0; i <= PROVENANCE_CALLS; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await gw.call("GET", `/v1/tokens/${tokenId}/provenance`, { token: auditorToken });
        const ms = performance.now() - t0;
        const cpu = cpuMs(c0);
        if (r.status !== 200) throw new Error(`provenance: ${r.status} ${JSON.stringify(r.body)}`);
        entries = r.body.entries.length;
        if (!r.body.integrity.passed) throw new Error(`provenance integrity failed: ${JSON.stringify(r.body.integrity)}`);
        if (i > 0) {
          // the first call warms caches and is not counted
          times.push(ms);
          cpuTimes.push(cpu);
        }
      }
      if (entries !== TRANSFERS + 1) throw new Error(`provenance: ${entries} entries, expected ${TRANSFERS + 1}`);
      return {
        medianMs: round(median(times)),
        samplesMs: times.map((t) => round(t)),
        medianCpuMs: round(median(cpuTimes)),
        samplesCpuMs: cpuTimes.map((t) => round(t)),
        entries,
      };
    };
    const blocksBefore = await ethers.provider.getBlockNumber();
    const before = await provenance();
    log(
      `(c) provenance before noise: median ${before.medianMs} ms (CPU ${before.medianCpuMs} ms) over ${PROVENANCE_CALLS} calls ` +
        `(${before.entries} entries, chain at block ${blocksBefore})`,
    );

    // Noise: plain ETH transfers from ten funded accounts the registry never uses, automine off, one
    // block per NOISE_PER_BLOCK transactions; the base fee is pinned so every block takes them all.
    const noiseSenders = rest.slice(0, 10).map((s) => s.address);
    const nonces = await Promise.all(noiseSenders.map((a) => ethers.provider.getTransactionCount(a, "pending")));
    const gwei = 1_000_000_000n;
    const send = (k: number) => {
      const from = noiseSenders[k];
      return network.provider.send("eth_sendTransaction", [
        {
          from,
          to: noiseSenders[(k + 1) % noiseSenders.length],
          value: "0x1",
          gas: "0x5208",
          maxFeePerGas: ethers.toQuantity(3n * gwei),
          maxPriorityFeePerGas: ethers.toQuantity(1n * gwei),
          nonce: ethers.toQuantity(nonces[k]++),
        },
      ]);
    };
    const mine = async () => {
      await network.provider.send("hardhat_setNextBlockBaseFeePerGas", [ethers.toQuantity(gwei)]);
      await network.provider.send("evm_mine");
    };
    log(`(c) noise: ${NOISE} plain ETH transfers, ${NOISE_PER_BLOCK} per block…`);
    const noiseStarted = performance.now();
    const firstNoiseBlock = (await ethers.provider.getBlockNumber()) + 1;
    await network.provider.send("evm_setAutomine", [false]);
    try {
      let sent = 0;
      while (sent < NOISE) {
        const inBlock = Math.min(NOISE_PER_BLOCK, NOISE - sent);
        // Sequential per sender (nonce order), concurrent across senders.
        await Promise.all(
          noiseSenders.map(async (_, k) => {
            for (let i = k; i < inBlock; i += noiseSenders.length) await send(k);
          }),
        );
        await mine();
        const before10k = Math.floor(sent / 10_000);
        sent += inBlock;
        if (Math.floor(sent / 10_000) > before10k || sent === NOISE) {
          const s = (performance.now() - noiseStarted) / 1000;
          log(`(c) noise ${sent}/${NOISE} txs, ${s.toFixed(0)} s, ${(sent / s).toFixed(0)} tx/s`);
        }
      }
      // Anything left in the mempool (nothing, unless a block overflowed) goes into further blocks.
      for (let guard = 0; guard < 100; guard++) {
        const pending = await network.provider.send("eth_getBlockByNumber", ["pending", false]);
        if ((pending?.transactions?.length ?? 0) === 0) break;
        await mine();
      }
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    const noiseSeconds = (performance.now() - noiseStarted) / 1000;
    const lastNoiseBlock = await ethers.provider.getBlockNumber();
    let noiseMined = 0;
    for (let b = firstNoiseBlock; b <= lastNoiseBlock; b++) {
      const block = await network.provider.send("eth_getBlockByNumber", [ethers.toQuantity(b), false]);
      noiseMined += block.transactions.length;
    }
    log(
      `(c) noise: ${noiseMined} txs mined in ${lastNoiseBlock - firstNoiseBlock + 1} blocks in ${noiseSeconds.toFixed(1)} s ` +
        `(${(noiseMined / noiseSeconds).toFixed(0)} tx/s)`,
    );
    if (noiseMined < NOISE) throw new Error(`noise: only ${noiseMined}/${NOISE} transactions mined`);

    const after = await provenance();
    const provenanceRatio = after.medianMs / before.medianMs;
    const provenanceCpuRatio = after.medianCpuMs / before.medianCpuMs;
    log(`(c) provenance after noise: median ${after.medianMs} ms (CPU ${after.medianCpuMs} ms) (chain at block ${lastNoiseBlock})`);

    // ─── Report ───────────────────────────────────────────────────────────────────────────────
    const meets = {
      mintRatio: mintRatio >= TARGET.mintRatio,
      enqueueP99: enqueueStats.p99 < TARGET.enqueueP99Ms,
      provenanceRatio: provenanceRatio <= TARGET.provenanceRatio,
    };
    const yes = (b: boolean) => (b ? "yes" : "NO");
    const pad = (s: string, n: number) => s.padEnd(n);
    const lpad = (s: string, n: number) => s.padStart(n);
    console.log(`\nGateway — ${network.name}, N=${N}, worker batch ${batchSize}, jobs of ${JOB_SIZE}\n`);
    console.log(`${pad("measure", 52)}${lpad("value", 14)}${lpad("target", 10)}  ok`);
    const row = (name: string, value: string, target = "", ok = "") =>
      console.log(`${pad(name, 52)}${lpad(value, 14)}${lpad(target, 10)}  ${ok}`);
    row(`(a) API mint (${jobs} jobs), editions/s`, apiRate.toFixed(1));
    row(`(b) direct mintBatch, editions/s`, directRate.toFixed(1));
    row(`(a)/(b)`, mintRatio.toFixed(2), `≥${TARGET.mintRatio}`, yes(meets.mintRatio));
    row(`  process CPU per edition, (a) / (b), ms`, `${(apiCpuMs / N).toFixed(2)} / ${(directCpuMs / N).toFixed(2)}`);
    row(`(b′) direct, locally signed, editions/s (informative)`, local.rate.toFixed(1));
    row(`(a)/(b′) (informative)`, localRatio.toFixed(2));
    row(`enqueue p50, ms (worker stopped, n=${ENQUEUE_REQUESTS})`, enqueueStats.p50.toFixed(1));
    row(`enqueue p99, ms (worker stopped, n=${ENQUEUE_REQUESTS})`, enqueueStats.p99.toFixed(1), `<${TARGET.enqueueP99Ms}`, yes(meets.enqueueP99));
    row(`provenance, ${TRANSFERS} transfers, before noise, ms`, before.medianMs.toFixed(0));
    row(`provenance after ${NOISE} noise txs, ms`, after.medianMs.toFixed(0));
    row(`provenance after/before`, provenanceRatio.toFixed(2), `≤${TARGET.provenanceRatio}`, yes(meets.provenanceRatio));
    row(`  same, on process CPU time (informative)`, provenanceCpuRatio.toFixed(2));
    console.log(
      `\n(enqueue latency is measured with the mint worker stopped: the durable enqueue alone. For reference, the ` +
        `${jobs} concurrent ${JOB_SIZE}-recipient POSTs of (a) took p50 ${median(posted.map((p) => p.ms)).toFixed(1)} ms, ` +
        `max ${Math.max(...posted.map((p) => p.ms)).toFixed(1)} ms.)`,
    );

    const finishedAt = new Date().toISOString();
    const out = join(__dirname, "results", "gateway.json");
    mkdirSync(join(__dirname, "results"), { recursive: true });
    const result = {
      measuredAt: finishedAt,
      startedAt,
      finishedAt,
      network: network.name,
      machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => round(x)) },
      params: {
        n: N,
        jobSize: JOB_SIZE,
        workerBatchSize: batchSize,
        enqueueRequests: ENQUEUE_REQUESTS,
        transfers: TRANSFERS,
        noiseTxs: NOISE,
        noisePerBlock: NOISE_PER_BLOCK,
        provenanceCalls: PROVENANCE_CALLS,
        policy: "policy/default.yaml with transfer.minHoldingPeriodDays 0",
      },
      targets: TARGET,
      mint: {
        api: {
          editions: N,
          jobs,
          seconds: round(apiSeconds, 3),
          editionsPerSecond: round(apiRate, 1),
          processCpuMs: round(apiCpuMs, 0),
          timed: "first POST /v1/collections/:id/mint → every job done (polled GET /v1/jobs/:id every 50 ms)",
          postLatencyMs: posted.map((p) => round(p.ms)),
        },
        direct: {
          editions: N,
          batches: Math.ceil(N / batchSize),
          seconds: round(directSeconds, 3),
          editionsPerSecond: round(directRate, 1),
          processCpuMs: round(directCpuMs, 0),
          timed: "operator mintBatch calls through the Hardhat signer (node-signed), each receipt awaited before the next",
          batchMs: directBatchMs.map((t) => round(t)),
        },
        ratio: round(mintRatio, 3),
        meetsTarget: meets.mintRatio,
        directLocallySigned: {
          editions: N,
          seconds: round(local.seconds, 3),
          editionsPerSecond: round(local.rate, 1),
          processCpuMs: round(local.cpu, 0),
          timed: "as direct, but the operator key in an ethers Wallet signing locally (eth_sendRawTransaction), as the gateway does",
          batchMs: local.batchMs.map((t) => round(t)),
          ratio: round(localRatio, 3),
        },
      },
      enqueue: {
        mode: "mint worker stopped: durable enqueue only; sequential requests of 1 recipient, 10 warm-up requests not counted",
        samples: ENQUEUE_REQUESTS,
        ...enqueueStats,
        meetsTarget: meets.enqueueP99,
      },
      provenance: {
        tokenId: tokenId.toString(),
        entries: before.entries,
        before: { ...before, chainBlock: blocksBefore },
        noise: {
          kind: "plain ETH transfers from 10 accounts",
          txs: noiseMined,
          blocks: lastNoiseBlock - firstNoiseBlock + 1,
          seconds: round(noiseSeconds, 1),
          txPerSecond: round(noiseMined / noiseSeconds, 0),
        },
        after: { ...after, chainBlock: lastNoiseBlock },
        ratio: round(provenanceRatio, 3),
        cpuRatio: round(provenanceCpuRatio, 3),
        meetsTarget: meets.provenanceRatio,
      },
    };
    writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwritten ${out}`);
  } finally {
    await gw.close();
    rmSync(policyDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
