/**
 * Scale benchmark (issue 12, "Minting that fills the blocks"): how close minting comes to what the chain
 * can carry. The chain is anvil in a process of its own (test/support/anvil.ts), with a block every
 * second and a 30M block gas limit; its capacity in editions/s is the block gas limit ÷ the per-token gas
 * of a batch of 100 (bench/results/gas.json, from `npm run bench:gas`) ÷ the block time.
 *
 * Four setups, each on a fresh anvil (started here without a state file, see startBenchAnvil) with the
 * registry deployed as the integration tests deploy it
 * (deployToAnvil), an issuer, a collection created through the API, and fresh holders verified at level 2:
 *   direct      a script signing locally as the gateway signs (server/chain/tx-sender.ts: estimate, nonce,
 *               sign, broadcast, one after another), several batch-100 mintBatch transactions in flight;
 *   sqlite      one gateway process (server/main.ts) on SQLite;
 *   postgres    one gateway process on PostgreSQL (a throw-away cluster, test/support/postgres.ts);
 *   postgres-2  two gateway processes on one PostgreSQL database, each with its own operator key.
 * Gateways use one js-ipfs daemon (Kubo RPC, test/support/jsipfs.ts), as the integration tests do. Mint
 * jobs of 100 recipients go in through the API (the shared typed client, every reply checked against its
 * route contract), kept BENCH_BACKLOG_BLOCKS blocks' worth ahead of what the chain has minted.
 *
 * Editions/s are what the chain carried: EditionsMinted events summed per block, over the blocks stamped
 * within BENCH_SECONDS after BENCH_WARMUP_SECONDS of load. Enqueue latency is the mint POST's reply time
 * (request sent → last byte of the reply), over the same window.
 * Targets: every gateway setup ≥ 0.85 × capacity and ≥ 0.9 × direct; enqueue p99 < 50 ms. Beside them,
 * for finding what limits a setup: the block fill, the pool's pending transactions after each block
 * (near 0: the sender does not keep up), and each process's CPU over the window.
 *
 * Prints a table and writes bench/results/scale.json.  Run: npm run bench:scale
 * Knobs (env): BENCH_SECONDS=60 BENCH_WARMUP_SECONDS=10 BENCH_BACKLOG_BLOCKS=3
 *              BENCH_SETUPS=direct,sqlite,postgres,postgres-2 BENCH_OUT (default bench/results/scale.json)
 *              and, passed on to every gateway process: MINT_IN_FLIGHT, LEASE_SECONDS, COMPLIANCE_THREADS,
 *              SQLITE_SYNCHRONOUS, ANCHOR_EVERY_ENTRIES, LOG_LEVEL (the gateway's own defaults otherwise).
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import hre from "hardhat";
import { Wallet, getAddress, hexlify, id, randomBytes } from "ethers";
import YAML from "yaml";
import { anvilBinary, rpc as rpcCall } from "../scripts/lib/stack/chain-node";
import { rpcChainId } from "../scripts/lib/stack/ports";
import { jsonRpcProvider } from "../server/chain/chain";
import { TxSender } from "../server/chain/tx-sender";
import { intEnv, log, percentile, round } from "./support";
import { createClient } from "../shared/api/client";
import { Health } from "../shared/api/system";
import { deployToAnvil, devWallet, freePort, type Anvil, type AnvilRegistry } from "../test/support/anvil";
import { startJsIpfs, type JsIpfsNode } from "../test/support/jsipfs";
import { postgresCluster, type PgCluster } from "../test/support/postgres";
import { anvilGateway, issuerWithCollection } from "../test/server/mint/anvil-gateway";
import { checkReply } from "../test/server/support/gateway";
import { startGatewayProcess, writeDeploymentFile, type GatewayProcess } from "../test/integration/gateway-process";

const SETUPS = ["direct", "sqlite", "postgres", "postgres-2"] as const;
type SetupName = (typeof SETUPS)[number];

const SECONDS = intEnv("BENCH_SECONDS", 60);
const WARMUP_SECONDS = intEnv("BENCH_WARMUP_SECONDS", 10, 0);
const BACKLOG_BLOCKS = intEnv("BENCH_BACKLOG_BLOCKS", 3);
const SELECTED: SetupName[] = (process.env.BENCH_SETUPS ?? SETUPS.join(","))
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => {
    if (!(SETUPS as readonly string[]).includes(s)) throw new Error(`BENCH_SETUPS: unknown setup "${s}" (known: ${SETUPS.join(", ")})`);
    return s as SetupName;
  });
const OUT = process.env.BENCH_OUT ?? join(__dirname, "results", "scale.json");
/** The chain the issue asks for: a block every second, 30M gas each. */
const BLOCK_TIME_SECONDS = 1;
const BLOCK_GAS_LIMIT = 30_000_000;
/** Recipients per mint job and per mintBatch transaction (the gateway's default MINT_BATCH_SIZE). */
const BATCH = 100;
/** Gateway settings a run may tune; every other setting is the gateway's default. */
const TUNABLE = ["MINT_IN_FLIGHT", "LEASE_SECONDS", "COMPLIANCE_THREADS", "SQLITE_SYNCHRONOUS", "ANCHOR_EVERY_ENTRIES", "LOG_LEVEL"] as const;
const TUNED = Object.fromEntries(TUNABLE.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
/** Identities registered per transaction while the holders are set up (≈166k gas each, under the 30M block). */
const REGISTER_CHUNK = 150;

const TARGET = { ofCapacity: 0.85, ofDirect: 0.9, enqueueP99Ms: 50 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Percentile in ms, one decimal; NaN for no sample (a gateway that received no POST in the window). */
const ms = (sample: readonly number[], p: number) => (sample.length ? round(percentile(sample, p), 1) : Number.NaN);

/** The per-token gas of a batch-100 mint as bench:gas measured it, if bench/results/gas.json has it. */
function perTokenGasFromBenchGas(): number | undefined {
  const file = join(__dirname, "results", "gas.json");
  if (!existsSync(file)) return undefined;
  const rows = (JSON.parse(readFileSync(file, "utf8")) as { results?: Array<{ op: string; gas: number }> }).results ?? [];
  return rows.find((r) => r.op === "batch mint 100 (per token)")?.gas;
}

/**
 * The default policy with room for a long run: one collection large enough for every edition a setup
 * mints, and quotas above it. Quotas are not what this measures; every other rule stays as shipped.
 */
function benchPolicy(dir: string): string {
  const policy = YAML.parse(readFileSync(join(hre.config.paths.root, "policy", "default.yaml"), "utf8"));
  const max = 16_777_215;
  policy.version = "bench-scale";
  policy.editions.maxPerCollection = max;
  for (const cap of [policy.quotas.perIssuerDaily, policy.quotas.perIssuerTotal]) cap.editions = max;
  const file = join(dir, "policy.yaml");
  writeFileSync(file, YAML.stringify(policy));
  return file;
}

/**
 * `n` fresh addresses verified at level 2 by the attestor, several registration transactions in flight.
 * Plain random addresses (no keys): holders only receive, and deriving a key per holder would dominate.
 */
async function registerHolders(fx: AnvilRegistry, n: number, seed: string): Promise<string[]> {
  const identity = fx.contracts.identity.connect(fx.accounts.attestor);
  const holders = Array.from({ length: n }, () => getAddress(hexlify(randomBytes(20))));
  const sent = [];
  for (let i = 0; i < n; i += REGISTER_CHUNK) {
    const registrations = holders.slice(i, i + REGISTER_CHUNK).map((wallet, j) => ({
      identityId: id(`identity:${seed}:${i + j}`),
      wallet,
      level: 2,
      jurisdiction: 156,
      expiresAt: fx.expiresAt,
      evidenceHash: id(`kyc:${seed}:${i + j}`),
    }));
    sent.push(await identity.batchRegisterIdentities(registrations, { gasLimit: BLOCK_GAS_LIMIT - 1_000_000 }));
  }
  for (const tx of sent) {
    const receipt = await tx.wait();
    if (receipt?.status !== 1) throw new Error(`holder registration ${tx.hash} failed`);
  }
  return holders;
}

/**
 * Anvil in a process of its own with `--block-time 1 --gas-limit 30000000 --base-fee 0` (a constant zero base
 * fee: a minute of full blocks would otherwise raise it 12.5% a block, past the funded accounts), `--prune-history`
 * (no per-block state kept: the bench makes no historical calls) and no state file. On 2 CPUs anvil itself is
 * the limit as its state grows: a direct sender fills every block (500 editions/s) after a 20 s run's holders
 * are registered, and 255/s after a 60 s run's 43,400 (anvil at 0.92 of a CPU). The tests'
 * starter (startAnvil) keeps the chain in a state file with its history, written every 5 s: with the tens
 * of thousands of holders a run registers that is a JSON dump of hundreds of MB every 5 s, which stalls
 * the node for seconds and would be measured as the gateway's slowness. Same shape as startAnvil's, so
 * deployToAnvil deploys to it; the binary, the RPC call and the provider are the stack's own.
 */
async function startBenchAnvil(): Promise<Anvil> {
  const root = hre.config.paths.root;
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-anvil-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const out = openSync(join(dir, "anvil.log"), "a");
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", "--block-time", String(BLOCK_TIME_SECONDS), "--gas-limit", String(BLOCK_GAS_LIMIT), "--base-fee", "0", "--prune-history"];
  const child = spawn(anvilBinary(root), args, { cwd: root, detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const close = async () => {
    if (!gone) child.kill("SIGKILL");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while ((await rpcChainId(url, 1_000)) === undefined) {
    if (gone || Date.now() > deadline) {
      const tail = existsSync(join(dir, "anvil.log")) ? readFileSync(join(dir, "anvil.log"), "utf8").slice(-1000) : "";
      await close();
      throw new Error(`anvil did not start on ${url}: ${tail}`);
    }
    await sleep(200);
  }
  const rpc = (method: string, params: unknown[] = []) => rpcCall(url, method, params);
  let blockTime: number | null = BLOCK_TIME_SECONDS;
  const setBlockTime = async (seconds: number) => {
    blockTime = seconds;
    await rpc("evm_setIntervalMining", [seconds]);
    await rpc("evm_setAutomine", [seconds === 0]);
  };
  const provider = jsonRpcProvider(url, 31337, 10_000);
  return {
    url,
    port,
    pid: child.pid ?? -1,
    provider,
    get blockTime() {
      return blockTime;
    },
    rpc,
    setBlockTime,
    async holdBlocks() {
      throw new Error("not used by the bench");
    },
    async mine(blocks = 1) {
      await rpc("anvil_mine", [`0x${blocks.toString(16)}`]);
    },
    async stop() {
      throw new Error("not used by the bench: a bench chain is not restarted");
    },
    async start() {
      throw new Error("not used by the bench: a bench chain is not restarted");
    },
    async close() {
      provider.destroy();
      await close();
    },
  };
}

interface BlockRecord {
  number: number;
  timestamp: number;
  gasUsed: number;
  txs: number;
  mintTxs: number;
  editions: number;
  /** Pending transactions in the pool when the block was read. */
  poolAfter: number;
}

/** Follows the chain block by block: editions minted (EditionsMinted events of the rights contract), gas and transactions. */
function trackBlocks(anvil: Anvil, fx: AnvilRegistry, fromBlock: number) {
  const { rights } = fx.contracts;
  const topic = rights.interface.getEvent("EditionsMinted").topicHash;
  const address = fx.deployment.contracts.collectibleRights.address;
  const blocks: BlockRecord[] = [];
  let next = fromBlock;
  let minted = 0;
  let stopped = false;
  let failure: unknown;
  const loop = (async () => {
    while (!stopped) {
      const head = await anvil.provider.getBlockNumber();
      if (head >= next) {
        const logs = await anvil.provider.getLogs({ address, topics: [topic], fromBlock: next, toBlock: head });
        // Transactions waiting in the pool just after these blocks: whether the senders keep it full.
        const pool = (await anvil.rpc("txpool_status")) as { pending: string; queued: string };
        for (let b = next; b <= head; b++) {
          const block = await anvil.provider.getBlock(b);
          if (!block) throw new Error(`block ${b} not found`);
          const mine = logs.filter((l) => l.blockNumber === b).map((l) => rights.interface.parseLog(l)!);
          const editions = mine.reduce((s, e) => s + Number(e.args.count), 0);
          minted += editions;
          blocks.push({ number: b, timestamp: block.timestamp, gasUsed: Number(block.gasUsed), txs: block.transactions.length, mintTxs: mine.length, editions, poolAfter: Number(pool.pending) });
        }
        next = head + 1;
      }
      await sleep(200);
    }
  })().catch((e) => {
    failure = e;
  });
  return {
    blocks,
    get minted() {
      if (failure) throw failure;
      return minted;
    },
    /** Resolves once a block stamped at or after `timestamp` has been read. */
    async until(timestamp: number) {
      while (!blocks.some((b) => b.timestamp >= timestamp)) {
        if (failure) throw failure;
        await sleep(200);
      }
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface Sample {
  /** When the request was sent (epoch ms). */
  at: number;
  ms: number;
}

/**
 * The shared typed client of a gateway, every reply checked against its route contract, the mint POST's
 * reply time (request sent → last byte read) recorded into `sink`. Checking happens after the clock stops.
 */
function timedClient(baseUrl: string, apiKey: string, sink: Sample[]) {
  const timedFetch: typeof fetch = async (input, init) => {
    const method = String(init?.method ?? "GET");
    const at = Date.now();
    const started = performance.now();
    const res = await fetch(input, init);
    const text = await res.text();
    const elapsed = performance.now() - started;
    const path = new URL(String(input)).pathname;
    if (method.toUpperCase() === "POST" && path.endsWith("/mint")) sink.push({ at, ms: elapsed });
    checkReply(method, path, res.status, res.headers.get("content-type") ?? "", text);
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return createClient({ baseUrl, apiKey, fetch: timedFetch });
}

interface SetupResult {
  setup: SetupName;
  gateways: number;
  store: "none" | "sqlite" | "postgres";
  editionsPerSecond: number;
  window: { blocks: number; firstBlock: number; lastBlock: number; seconds: number; editions: number; mintTxs: number; otherTxs: number };
  blockFill: { meanGasUsedShare: number; blocksWithMaxBatches: number; maxBatchesPerBlock: number; meanPendingInPoolAfterBlock: number };
  gasPerEditionCarried: number;
  submitted: { jobs: number; editions: number };
  cpuShareOfOneCore: Record<string, number | null>;
  ranOutOfHolders: boolean;
  enqueue?: { count: number; p50Ms: number; p99Ms: number; maxMs: number; perGateway: Array<{ gateway: string; count: number; p50Ms: number; p99Ms: number }> };
}

interface Shared {
  workDir: string;
  policyFile: string;
  ipfs: JsIpfsNode;
  pg?: PgCluster;
  perTokenGas: number;
  /** Editions of one batch that fit in a block: the chain's ceiling with whole batches. */
  batchesPerBlock: number;
  capacity: number;
}

/** Runs one setup on a fresh chain; everything it started is stopped before it returns or throws. */
async function runSetup(name: SetupName, shared: Shared): Promise<SetupResult> {
  const cleanup: Array<() => Promise<void>> = [];
  const dir = join(shared.workDir, name);
  mkdirSync(dir, { recursive: true });
  try {
    log(`${name}: fresh anvil (${BLOCK_TIME_SECONDS} s blocks, ${BLOCK_GAS_LIMIT.toLocaleString("en")} gas), registry deployed`);
    const anvil = await startBenchAnvil();
    cleanup.push(() => anvil.close());
    const fx = await deployToAnvil(anvil);
    const { rights, evidence } = fx.contracts;
    const { admin } = fx.accounts;

    // Set-up on instant blocks.
    await anvil.setBlockTime(0);
    const backlogEditions = BACKLOG_BLOCKS * shared.batchesPerBlock * BATCH;
    // Holders for every edition the chain could carry in the run, plus the backlog.
    const holderCount = Math.ceil(((WARMUP_SECONDS + SECONDS + 5) * shared.capacity + backlogEditions) / BATCH) * BATCH;
    const databaseUrl = name.startsWith("postgres") ? shared.pg!.createDatabase() : undefined;
    const gatewayNames = name === "postgres-2" ? ["gw-a", "gw-b"] : name === "direct" ? [] : ["gw-a"];
    // Gateway A signs with the fixture's operator and anchorer; every further gateway with keys of its own, granted their roles.
    const keys = [{ operator: devWallet(4).privateKey, anchor: fx.gatewayEnv.ANCHOR_KEY }];
    for (let i = 1; i < gatewayNames.length; i++) {
      const operator = Wallet.createRandom();
      const anchor = Wallet.createRandom();
      for (const w of [operator, anchor]) await anvil.rpc("anvil_setBalance", [w.address, `0x${(10n ** 21n).toString(16)}`]);
      await (await rights.connect(admin).grantRole(await rights.OPERATOR_ROLE(), operator.address)).wait();
      await (await evidence.connect(admin).grantRole(await evidence.ANCHOR_ROLE(), anchor.address)).wait();
      keys.push({ operator: operator.privateKey, anchor: anchor.privateKey });
    }

    // The issuer's key and collection through a gateway in this process, on the store gateway A will use;
    // before the holders, so that this gateway's indexer has little to catch up with.
    const storeEnv: Record<string, string> = { POLICY_FILE: shared.policyFile, IPFS_API_URL: shared.ipfs.apiUrl, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
    const setupGw = await anvilGateway(anvil, fx, { env: storeEnv, dataDir: join(dir, "gw-a") });
    const { token, collectionId } = await issuerWithCollection(setupGw, fx, `bench-scale-${name}`, holderCount).finally(() => setupGw.close(true));
    const t0 = performance.now();
    const holders = await registerHolders(fx, holderCount, `bench-scale-${name}`);
    log(`${name}: ${holderCount.toLocaleString("en")} holders verified in ${round((performance.now() - t0) / 1000, 1)} s`);

    const gateways: GatewayProcess[] = [];
    cleanup.push(async () => {
      for (const g of gateways) await g.stop();
    });
    const deploymentsDir = join(dir, "deployments");
    writeDeploymentFile(deploymentsDir, fx.deployment);
    for (const [i, gwName] of gatewayNames.entries()) {
      const env: Record<string, string> = {
        ...storeEnv,
        PORT: String(await freePort()),
        DATA_DIR: join(dir, gwName),
        DEPLOYMENTS_DIR: deploymentsDir,
        NETWORK: fx.deployment.network,
        RPC_URL: anvil.url,
        GATEWAY_ID: gwName,
        OPERATOR_KEY: keys[i].operator,
        ANCHOR_KEY: keys[i].anchor,
        COMPLIANCE_SIGNER_KEY: fx.gatewayEnv.COMPLIANCE_SIGNER_KEY,
        // One issuer key sends every job: the per-key and per-address limits are not what is measured.
        RATE_LIMIT_PER_IP: "1000000",
        RATE_LIMIT_PER_KEY: "1000000",
        ...TUNED,
      };
      if (databaseUrl) env.DATABASE_URL = `${databaseUrl}?application_name=${gwName}`;
      // One after another, A first (it then leads the indexer and the anchorer, as in the two-gateway test).
      gateways.push(await startGatewayProcess(env, { timeoutMs: 240_000 }));
      log(`${name}: gateway ${gwName} up at ${gateways[i].url}`);
    }

    // The gateways' index caught up with the holders' registrations first: that is set-up, not load.
    // /healthz answers 503 with the same body while a part is not ok (its index lagging among them).
    for (const g of gateways) {
      const deadline = Date.now() + 600_000;
      for (;;) {
        // A gateway busy indexing may drop a probe's connection: asked again, until the deadline.
        const h = await fetch(`${g.url}/healthz`, { signal: AbortSignal.timeout(30_000) })
          .then(async (r) => Health.parse(await r.json()))
          .catch(() => undefined);
        if (h?.index && h.index.lag !== null && h.index.lag <= 1) break;
        if (Date.now() > deadline) throw new Error(`${name}: the index of ${g.url} did not catch up: ${JSON.stringify(h)}`);
        await sleep(500);
      }
    }

    // The load: blocks every second from here on.
    await anvil.setBlockTime(BLOCK_TIME_SECONDS);
    const startBlock = (await anvil.provider.getBlockNumber()) + 1;
    const tracker = trackBlocks(anvil, fx, startBlock);
    cleanup.push(() => tracker.stop());
    let taken = 0;
    let submitted = 0;
    let ranOut = false;
    let feeding = true;
    const take = () => {
      if (taken + BATCH > holders.length) {
        ranOut = true;
        return undefined;
      }
      taken += BATCH;
      return holders.slice(taken - BATCH, taken);
    };
    const roomForMore = () => submitted - tracker.minted < backlogEditions;
    const samples = gatewayNames.map(() => [] as Sample[]);
    const feeders: Array<Promise<void>> = [];
    if (name === "direct") {
      // The fixture's operator, with its own sender: estimate, nonce, sign, broadcast, as the gateway does.
      const sender = new TxSender(new Wallet(keys[0].operator, anvil.provider), anvil.provider);
      const to = fx.deployment.contracts.collectibleRights.address;
      let requestNonce = 0n;
      feeders.push(
        (async () => {
          while (feeding) {
            if (!roomForMore()) {
              await sleep(20);
              continue;
            }
            const recipients = take();
            if (!recipients) return;
            const data = rights.interface.encodeFunctionData("mintBatch", [fx.accounts.issuer.address, collectionId, recipients, requestNonce++]);
            await sender.send({ to, data }, `bench:${requestNonce}`);
            submitted += BATCH;
          }
        })(),
      );
    } else {
      for (const [i, g] of gateways.entries()) {
        const api = timedClient(g.url, token, samples[i]);
        feeders.push(
          (async () => {
            for (let n = 0; feeding; n++) {
              if (!roomForMore()) {
                await sleep(20);
                continue;
              }
              const recipients = take();
              if (!recipients) return;
              submitted += BATCH;
              await api.call("enqueueMint", { params: { id: collectionId }, body: { recipients }, headers: { "idempotency-key": `bench-${gatewayNames[i]}-${n}` } });
            }
          })(),
        );
      }
    }

    // The window counts from the first block of the load (the last set-up block may be much older).
    await tracker.until(0);
    const first = tracker.blocks[0].timestamp;
    const windowFrom = first + WARMUP_SECONDS;
    const windowTo = windowFrom + SECONDS;
    log(`${name}: load on; warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s measured`);
    // Ends when the first block after the window is read (or a feeder fails).
    const feeding$ = Promise.all(feeders);
    const during = (p: Promise<void>) => Promise.race([p, feeding$.then(() => p)]);
    // CPU of each process over the window (a share of one core): where the time goes when a setup falls short.
    const processes = [...gateways.map((g, i) => ({ name: gatewayNames[i], pid: g.pid })), { name: "anvil", pid: anvil.pid }, { name: "bench (this process)", pid: process.pid }];
    await during(tracker.until(windowFrom));
    const cpuFrom = { at: performance.now(), seconds: processes.map((x) => cpuSeconds(x.pid)) };
    await during(tracker.until(windowTo));
    const cpuTo = { at: performance.now(), seconds: processes.map((x) => cpuSeconds(x.pid)) };
    feeding = false;
    await Promise.all(feeders);
    await tracker.stop();

    const inWindow = tracker.blocks.filter((b) => b.timestamp >= windowFrom && b.timestamp < windowTo);
    if (inWindow.length === 0) throw new Error(`${name}: no block in the measured window`);
    const editions = inWindow.reduce((s, b) => s + b.editions, 0);
    const mintTxs = inWindow.reduce((s, b) => s + b.mintTxs, 0);
    const gasUsed = inWindow.reduce((s, b) => s + b.gasUsed, 0);
    // Block stamps follow this machine's clock (an interval-mining anvil, its time never moved), so the POSTs are windowed by it.
    const windowed = samples.map((s) => s.filter((x) => x.at >= windowFrom * 1000 && x.at < windowTo * 1000).map((x) => x.ms));
    const all = windowed.flat();
    const result: SetupResult = {
      setup: name,
      gateways: gatewayNames.length,
      store: name === "direct" ? "none" : name === "sqlite" ? "sqlite" : "postgres",
      editionsPerSecond: round(editions / SECONDS, 1),
      window: {
        blocks: inWindow.length,
        firstBlock: inWindow[0].number,
        lastBlock: inWindow[inWindow.length - 1].number,
        seconds: SECONDS,
        editions,
        mintTxs,
        otherTxs: inWindow.reduce((s, b) => s + b.txs - b.mintTxs, 0),
      },
      blockFill: {
        meanGasUsedShare: round(gasUsed / (inWindow.length * BLOCK_GAS_LIMIT), 3),
        blocksWithMaxBatches: inWindow.filter((b) => b.mintTxs >= shared.batchesPerBlock).length,
        maxBatchesPerBlock: shared.batchesPerBlock,
        meanPendingInPoolAfterBlock: round(inWindow.reduce((s, b) => s + b.poolAfter, 0) / inWindow.length, 1),
      },
      gasPerEditionCarried: editions ? Math.round(gasUsed / editions) : 0,
      submitted: { jobs: submitted / BATCH, editions: submitted },
      cpuShareOfOneCore: Object.fromEntries(
        processes.map((x, i) => {
          const [from, to] = [cpuFrom.seconds[i], cpuTo.seconds[i]];
          return [x.name, from === undefined || to === undefined ? null : round((to - from) / ((cpuTo.at - cpuFrom.at) / 1000), 2)];
        }),
      ),
      ranOutOfHolders: ranOut,
    };
    if (gatewayNames.length > 0) {
      result.enqueue = {
        count: all.length,
        p50Ms: ms(all, 50),
        p99Ms: ms(all, 99),
        maxMs: round(Math.max(...all), 1),
        perGateway: gatewayNames.map((g, i) => ({ gateway: g, count: windowed[i].length, p50Ms: ms(windowed[i], 50), p99Ms: ms(windowed[i], 99) })),
      };
    }
    log(`${name}: ${result.editionsPerSecond} editions/s over ${inWindow.length} blocks${result.enqueue ? `, enqueue p50 ${result.enqueue.p50Ms} ms p99 ${result.enqueue.p99Ms} ms` : ""}; pool after a block ${result.blockFill.meanPendingInPoolAfterBlock} txs; CPU ${JSON.stringify(result.cpuShareOfOneCore)}`);
    return result;
  } finally {
    for (const step of cleanup.reverse()) await step().catch((e) => log(`${name}: cleanup: ${(e as Error).message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => round(x));
  log(`scale bench: ${SELECTED.join(", ")}; ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up; ${cpus().length} CPUs, load ${loadAtStart.join(" ")}`);

  const fromBenchGas = perTokenGasFromBenchGas();
  const workDir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const cleanup: Array<() => Promise<void> | void> = [() => rmSync(workDir, { recursive: true, force: true })];
  const runCleanup = async () => {
    for (const step of cleanup.splice(0).reverse()) await Promise.resolve(step()).catch((e) => log(`cleanup: ${(e as Error).message}`));
  };
  // A Ctrl-C stops what was started (chains, gateways, IPFS, PostgreSQL) before the process ends.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void runCleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const policyFile = benchPolicy(workDir);
    // One Kubo-RPC node for every gateway of the run (collections are created through the API).
    const ipfs = await startJsIpfs();
    cleanup.push(() => ipfs.stop());
    const perTokenGas = fromBenchGas ?? (await measurePerTokenGas({ ipfs, policyFile, workDir }));
    const source = fromBenchGas ? "bench/results/gas.json: batch mint 100 (per token)" : "one batch-100 mint receipt on anvil (gas.json lacks it)";
    const capacity = BLOCK_GAS_LIMIT / perTokenGas / BLOCK_TIME_SECONDS;
    const batchesPerBlock = Math.floor(BLOCK_GAS_LIMIT / (perTokenGas * BATCH));
    log(`capacity: ${BLOCK_GAS_LIMIT.toLocaleString("en")} gas ÷ ${perTokenGas.toLocaleString("en")} gas/edition ÷ ${BLOCK_TIME_SECONDS} s = ${round(capacity, 1)} editions/s (${source})`);

    const shared: Shared = { workDir, policyFile, ipfs, perTokenGas, batchesPerBlock, capacity };
    if (SELECTED.some((s) => s.startsWith("postgres"))) {
      shared.pg = await postgresCluster();
      cleanup.push(() => shared.pg!.destroy());
    }

    const results: SetupResult[] = [];
    for (const name of SELECTED) results.push(await runSetup(name, shared));

    const direct = results.find((r) => r.setup === "direct");
    const rows = results.map((r) => {
      const ofCapacity = r.editionsPerSecond / capacity;
      const ofDirect = direct && r !== direct ? r.editionsPerSecond / direct.editionsPerSecond : undefined;
      const meets =
        r.setup === "direct"
          ? undefined
          : {
              ofCapacity: ofCapacity >= TARGET.ofCapacity,
              ofDirect: ofDirect === undefined ? null : ofDirect >= TARGET.ofDirect,
              enqueueP99: (r.enqueue?.p99Ms ?? Infinity) < TARGET.enqueueP99Ms,
            };
      return { ...r, ratioToCapacity: round(ofCapacity, 3), ratioToDirect: ofDirect === undefined ? null : round(ofDirect, 3), meetsTarget: meets };
    });

    const mark = (ok: boolean | null | undefined) => (ok === undefined || ok === null ? " " : ok ? "✓" : "✗");
    console.log(`\nChain capacity: ${round(capacity, 1)} editions/s (${BLOCK_GAS_LIMIT.toLocaleString("en")} gas per ${BLOCK_TIME_SECONDS} s block ÷ ${perTokenGas.toLocaleString("en")} gas per edition, ${source})`);
    console.log(`Whole batches of ${BATCH}: at most ${batchesPerBlock} per block = ${batchesPerBlock * BATCH} editions/s (${round((batchesPerBlock * BATCH) / capacity, 3)} × capacity)\n`);
    const header = ["setup", "editions/s", "× capacity", "× direct", "block gas", "full blocks", "pool after block", "enqueue p50", "enqueue p99"];
    const table = rows.map((r) => [
      r.setup,
      String(r.editionsPerSecond),
      `${r.ratioToCapacity.toFixed(3)} ${mark(r.meetsTarget?.ofCapacity)}`,
      r.ratioToDirect === null ? "–" : `${r.ratioToDirect.toFixed(3)} ${mark(r.meetsTarget?.ofDirect)}`,
      `${Math.round(r.blockFill.meanGasUsedShare * 100)}%`,
      `${r.blockFill.blocksWithMaxBatches}/${r.window.blocks}`,
      `${r.blockFill.meanPendingInPoolAfterBlock} txs`,
      r.enqueue ? `${r.enqueue.p50Ms} ms` : "–",
      r.enqueue ? `${r.enqueue.p99Ms} ms ${mark(r.meetsTarget?.enqueueP99)}` : "–",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    console.log(header.map((h, i) => h.padEnd(widths[i])).join("  "));
    for (const t of table) console.log(t.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    console.log(`\nTargets: each gateway setup ≥ ${TARGET.ofCapacity} × capacity and ≥ ${TARGET.ofDirect} × direct; enqueue p99 < ${TARGET.enqueueP99Ms} ms`);
    for (const r of rows.filter((x) => x.ranOutOfHolders)) console.log(`note: ${r.setup} ran out of prepared holders before the window ended`);

    const targetsMet = rows.filter((r) => r.meetsTarget).every((r) => r.meetsTarget!.ofCapacity && r.meetsTarget!.ofDirect !== false && r.meetsTarget!.enqueueP99);
    const result = {
      measuredAt: new Date().toISOString(),
      startedAt,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => round(x)) },
      knobs: {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        backlogBlocks: BACKLOG_BLOCKS,
        setups: SELECTED,
        batchSize: BATCH,
        gatewayEnv: TUNED,
      },
      chain: { kind: "anvil (@foundry-rs/anvil), separate process, fresh per setup", blockTimeSeconds: BLOCK_TIME_SECONDS, blockGasLimit: BLOCK_GAS_LIMIT },
      ipfs: "js-ipfs daemon (Kubo RPC), as the integration tests use",
      capacity: {
        perTokenGas,
        source,
        editionsPerSecond: round(capacity, 1),
        wholeBatchesPerBlock: batchesPerBlock,
        wholeBatchEditionsPerSecond: (batchesPerBlock * BATCH) / BLOCK_TIME_SECONDS,
      },
      measured: "editions/s: EditionsMinted counts per block over the blocks stamped in the window; enqueue: POST /v1/collections/:id/mint, request sent → last byte of the reply, over the same window",
      targets: TARGET,
      results: rows,
      targetsMet,
    };
    mkdirSync(join(OUT, ".."), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwritten ${OUT}`);
  } finally {
    await runCleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * gas.json lacks the figure: one batch-100 mint on an anvil of its own (instant blocks), its receipt's
 * gas ÷ 100, into a collection created through the API as in the setups.
 */
async function measurePerTokenGas(shared: Pick<Shared, "ipfs" | "policyFile" | "workDir">): Promise<number> {
  const anvil = await startBenchAnvil();
  const dataDir = join(shared.workDir, "gas");
  try {
    const fx = await deployToAnvil(anvil);
    await anvil.setBlockTime(0);
    // The second batch is measured: the first spends the first bit of the issuer's nonce word (a fresh slot).
    const holders = await registerHolders(fx, BATCH * 2, "bench-scale-gas");
    const gw = await anvilGateway(anvil, fx, { env: { POLICY_FILE: shared.policyFile, IPFS_API_URL: shared.ipfs!.apiUrl }, dataDir });
    const { collectionId } = await issuerWithCollection(gw, fx, "bench-scale-gas", BATCH * 2).finally(() => gw.close());
    const rights = fx.contracts.rights.connect(fx.accounts.operator);
    let gas = 0n;
    for (const n of [0n, 1n]) {
      const receipt = await (await rights.mintBatch(fx.accounts.issuer.address, collectionId, holders.slice(Number(n) * BATCH, Number(n + 1n) * BATCH), n)).wait();
      gas = receipt!.gasUsed;
    }
    return Math.round(Number(gas) / BATCH);
  } finally {
    await anvil.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
