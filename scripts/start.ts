/**
 * `npm start` (entered through scripts/launch.js): the local stack in one command.
 *
 *   1. checks, before it writes anything, that no stack runs on this data directory or these ports;
 *   2. compiles the contracts and their TypeChain bindings when they are missing or stale;
 *   3. starts the chain: anvil, persisted in DATA_DIR/chain/state.json (CHAIN=hardhat: a Hardhat node;
 *      CHAIN_RPC_URL: a node already running, none started);
 *   4. checks that the recorded deployment and the store belong to that chain (moving stale data aside
 *      into DATA_DIR/stale-<timestamp>/), deploys when needed;
 *   5. starts the gateway (logs in DATA_DIR/logs/gateway.log), creates an admin key on a first start;
 *   6. with --demo, creates the demo content through the HTTP API;
 *   7. prints the banner, and on Ctrl-C stops the gateway and then the chain (which saves its state).
 *
 * Modules that import typechain-types (the gateway, the demo) are loaded only after step 2.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { Gateway } from "../server/gateway";
import type { Deployment } from "../shared/deployment";
import { ensureConsoleBuilt } from "./lib/console-build";
import { formatBanner, startEnvOf } from "./lib/stack/banner";
import { rpc, startChainNode, type ChainNode } from "./lib/stack/chain-node";
import { buildIsStale, compileContracts } from "./lib/stack/compile";
import { StackError } from "./lib/stack/errors";
import { acquireLock, isAlive, removeLock, updateLock, type LockInfo } from "./lib/stack/lock";
import { deployRegistry } from "./lib/stack/deploy";
import { reconcileLocalData, stampLocalStore } from "./lib/stack/local-data";
import { portIsFree, rpcChainId } from "./lib/stack/ports";
import { preflight } from "./lib/stack/preflight";
import { displayPath, readStackSettings, type StackSettings } from "./lib/stack/settings";

const USAGE = "usage: npm start [-- --demo]   (npm run demo is the same as npm start -- --demo)";

const say = (line = "") => process.stdout.write(`${line}\n`);
const step = (label: string, text: string) => say(`  ${label.padEnd(10)} ${text}`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** What is running, so that Ctrl-C, a failure or the exit of the process can stop it. */
const running: {
  settings?: StackSettings;
  lock?: LockInfo;
  chain?: ChainNode;
  /** The chain node's pid from the moment it is spawned (before it answers and `chain` is set). */
  chainPid?: number;
  gateway?: Gateway;
  children: Set<ChildProcess>;
  stopping: boolean;
} = { children: new Set(), stopping: false };

function track(child: ChildProcess): void {
  running.children.add(child);
  child.once("exit", () => running.children.delete(child));
}

function parseArgs(argv: string[]): { demo: boolean } {
  let demo = false;
  for (const arg of argv) {
    if (arg === "--demo") demo = true;
    else if (arg === "--help" || arg === "-h") {
      say(USAGE);
      process.exit(0);
    } else throw new StackError(`unknown argument ${arg}; ${USAGE}`, 2);
  }
  return { demo };
}

/** Stops everything in reverse order of start. `quiet`: no report (after a failure). */
async function stopAll(quiet: boolean): Promise<void> {
  const report = quiet ? () => undefined : step;
  const { gateway, chain, settings } = running;
  if (gateway) {
    await gateway.stop().catch(() => undefined);
    report("gateway", `stopped (${gateway.url})`);
    running.gateway = undefined;
  }
  for (const child of running.children) {
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
    clearTimeout(timer);
  }
  if (!chain && running.chainPid && isAlive(running.chainPid)) {
    // Interrupted while the chain node was starting.
    process.kill(running.chainPid, "SIGINT");
    for (let i = 0; i < 100 && isAlive(running.chainPid); i++) await new Promise((r) => setTimeout(r, 200));
  }
  running.chainPid = undefined;
  if (chain) {
    await chain.stop();
    running.chain = undefined;
    report(
      "chain",
      chain.kind === "anvil" && settings?.chain.kind === "anvil"
        ? `anvil stopped (pid ${chain.pid}); its state is saved in ${displayPath(settings.chain.stateFile)}`
        : `${chain.kind} node stopped (pid ${chain.pid}); its chain is gone`,
    );
  }
  if (running.lock && settings) {
    removeLock(settings.lockFile);
    running.lock = undefined;
    report("lock", `released (${displayPath(settings.lockFile)})`);
  }
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (running.stopping) {
    say(`\n${signal} again: stopping at once (the chain node finishes saving its state on its own).`);
    running.chain?.terminate();
    for (const child of running.children) child.kill("SIGKILL");
    if (running.settings && running.lock) removeLock(running.settings.lockFile);
    process.exit(130);
  }
  running.stopping = true;
  say(`\n${signal}: stopping the stack (press Ctrl-C again to kill it at once) …`);
  await stopAll(false);
  say("Stopped. npm start brings it back.");
  process.exit(0);
}

async function fail(e: unknown): Promise<void> {
  // Ctrl-C while starting: what was interrupted fails, and onSignal reports and exits.
  if (running.stopping) return;
  const err = e as Error & { code?: string };
  const message =
    e instanceof StackError
      ? e.message
      : err.code === "EADDRINUSE"
        ? `port ${running.settings?.port} (PORT) is in use: stop what runs there or set PORT to a free port.`
        : `${err.message ?? String(e)}`;
  process.stderr.write(`npm start: ${message}\n`);
  if (!(e instanceof StackError) && process.env.DEBUG) process.stderr.write(`${err.stack}\n`);
  running.stopping = true;
  await stopAll(true);
  process.exit(e instanceof StackError ? e.exitCode : 1);
}

async function start(argv: string[]): Promise<void> {
  const { demo } = parseArgs(argv);
  const s = readStackSettings(process.env, { demo });
  running.settings = s;
  say(`npm start: Digital Asset Registry, local stack on ${s.dataDirLabel}/${demo ? ", with demo content" : ""}`);

  // 1. Nothing is written before these checks pass.
  const pre = await preflight(s);
  if (pre.orphanChainPid) {
    step("chain", `stopping the chain node (pid ${pre.orphanChainPid}) that a stopped stack left running …`);
    process.kill(pre.orphanChainPid, "SIGINT");
    for (let i = 0; i < 100 && isAlive(pre.orphanChainPid); i++) await new Promise((r) => setTimeout(r, 200));
    if (s.chain.kind !== "external" && !(await portIsFree(s.chain.host, s.chain.port))) {
      throw new StackError(`port ${s.chain.port} (LOCAL_RPC_PORT) is still in use after stopping pid ${pre.orphanChainPid}: stop what runs there.`);
    }
  }
  mkdirSync(s.dataDir, { recursive: true });
  if (pre.staleLock) {
    removeLock(s.lockFile, pre.staleLock.pid);
    step("lock", `taken over from pid ${pre.staleLock.pid}, which is no longer running`);
  }
  const lock: LockInfo = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    gatewayUrl: `http://${s.host}:${s.port}`,
    rpcUrl: s.chain.url,
    dataDir: s.dataDir,
  };
  if (!acquireLock(s.lockFile, lock)) {
    await preflight(s); // another npm start took it a moment ago: say who
    throw new StackError(`another npm start is starting on ${s.dataDirLabel} right now.`);
  }
  running.lock = lock;

  // 2. The typings everything below imports.
  const build = buildIsStale(s.root);
  if (build.stale) {
    const t = Date.now();
    step("contracts", `compiling and generating the TypeScript bindings (${build.why}; 30–60 s) …`);
    await compileContracts(s.root, build.fingerprint, `${s.logDir}/compile.log`, track);
    step("contracts", `compiled in ${seconds(t)}`);
  } else {
    step("contracts", "compiled, unchanged since the last build");
  }

  // The web console the gateway serves at "/", rebuilt when its sources changed (ui/dist is not committed).
  {
    const t = Date.now();
    const built = await ensureConsoleBuilt((line) => step("console", line.replace(/^Building/, "building")));
    step("console", built ? `built in ${seconds(t)}` : "built, unchanged since the last build");
  }

  // 3. The chain.
  let chainLabel: string;
  if (s.chain.kind === "external") {
    const id = await rpcChainId(s.chain.url, 5_000);
    chainLabel = `chain ${id}, CHAIN_RPC_URL: not started by npm start`;
    step("chain", `using the node at ${s.chain.url} (chain ${id})`);
  } else {
    const t = Date.now();
    const node = await startChainNode(s.chain, {
      root: s.root,
      logDir: s.logDir,
      onSpawn: (pid) => {
        running.chainPid = pid;
        lock.chainPid = pid;
        updateLock(s.lockFile, lock);
      },
    });
    running.chain = node;
    const head = Number(await rpc(s.chain.url, "eth_blockNumber", []));
    if (s.chain.kind === "anvil") {
      const state = displayPath(s.chain.stateFile);
      chainLabel = `anvil, chain 31337, kept in ${state}`;
      step("chain", `anvil on ${s.chain.url}, ${node.restored ? `restored from ${state} at block ${head}` : `a new chain, saved to ${state}`} (${seconds(t)})`);
    } else {
      chainLabel = "Hardhat node, chain 31337, not persisted";
      step("chain", `Hardhat node on ${s.chain.url}, a new chain (not persisted) (${seconds(t)})`);
    }
    void node.exited.then(async ({ code, signal }) => {
      if (running.stopping) return;
      running.stopping = true;
      running.chain = undefined;
      process.stderr.write(
        `npm start: the ${node.kind} node stopped unexpectedly (${signal ?? `code ${code}`}; see ${displayPath(node.logFile)}): stopping the stack.\n`,
      );
      await stopAll(false);
      process.exit(1);
    });
  }

  // 4. One chain's data only.
  const client = { send: (method: string, params: unknown[]) => rpc(s.chain.url, method, params) };
  const local = await reconcileLocalData(s, client);
  if (local.movedTo) {
    say(`  stale data: ${local.why}. Moved the old data to ${displayPath(local.movedTo)}/${local.deployment ? "." : "; deploying again."}`);
  }
  let deployment: Deployment;
  if (local.deployment) {
    deployment = local.deployment;
    step("registry", `deployed at block ${deployment.deployBlock} of this chain (${displayPath(s.deploymentFile)})`);
  } else {
    const t = Date.now();
    step("registry", "deploying the three contracts and granting the roles …");
    deployment = await deployRegistry(s, track);
    step("registry", `deployed at block ${deployment.deployBlock} in ${seconds(t)} (${displayPath(s.deploymentFile)})`);
  }
  await stampLocalStore(s, deployment);

  // 5. The gateway (its modules import typechain-types, so they load only now).
  const { ConfigError, loadConfig } = await import("../server/config");
  const { startGateway } = await import("../server/gateway");
  const { createLogger, gatewayLogFile } = await import("../server/logging");
  const { createApiKey } = await import("../server/auth/api-keys");
  let config;
  try {
    config = loadConfig({
      ...process.env,
      DATA_DIR: s.dataDir,
      HOST: s.host,
      PORT: String(s.port),
      RPC_URL: s.chain.url,
      NETWORK: s.network,
      DEPLOYMENTS_DIR: s.deploymentsDir,
    });
  } catch (e) {
    if (e instanceof ConfigError) throw new StackError(`invalid configuration: ${e.problems.join("; ")}`, 2);
    throw e;
  }
  const t = Date.now();
  const gateway = await startGateway(config, { deployment, logger: createLogger(config) });
  running.gateway = gateway;
  lock.gatewayUrl = gateway.url;
  updateLock(s.lockFile, lock);
  step("gateway", `listening on ${gateway.url} (${seconds(t)})`);

  const store = gateway.services.store;
  let newAdminKey: string | undefined;
  if (!(await store.apiKeys.list()).some((k) => k.role === "admin" && !k.revokedAt)) {
    ({ token: newAdminKey } = await createApiKey(store, { role: "admin", label: "created by npm start" }));
  }

  // 6. Demo content, through the HTTP API.
  let demoLines: string[] | undefined;
  let demoAdminKey: string | undefined;
  if (s.demo) {
    const { runDemo } = await import("./lib/demo/run-demo");
    const t = Date.now();
    step("demo", "creating the demo content through the API …");
    const result = await runDemo({
      gatewayUrl: gateway.url,
      rpcUrl: s.chain.url,
      dataDir: s.dataDir,
      deploymentFile: s.deploymentFile,
      adminKey: newAdminKey,
      // Only when no admin key is at hand (a later start): the same bootstrap as the first start's key.
      bootstrapAdminKey: async () => (await createApiKey(store, { role: "admin", label: "demo (npm start -- --demo)" })).token,
      say: (line: string) => say(`             ${line}`),
    }).catch((e: Error) => {
      throw new StackError(`the demo failed: ${e.message}. The stack was stopped; npm start -- --demo resumes where it stopped.`);
    });
    step("demo", `${result.created ? "created" : "already there, nothing added"} (${seconds(t)}); keys saved in ${displayPath(result.keysFile)}`);
    demoLines = result.banner;
    demoAdminKey = result.state.keys.admin?.token;
  }

  // 7. The banner, last, so that it is easy to find.
  const latest = (await rpc(s.chain.url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  const aheadDays = (Number(latest.timestamp) - Date.now() / 1000) / 86_400;
  say(
    formatBanner({
      settings: s,
      gatewayUrl: gateway.url,
      chainLabel,
      deployment,
      newAdminKey,
      logFile: config.LOG_TO_STDOUT ? undefined : gatewayLogFile(config),
      demo: demoLines,
      demoAdminKey,
      chainClockAheadDays: aheadDays,
      startEnv: startEnvOf(process.env),
    }),
  );
}

/** Entry point, called by scripts/launch.js once ts-node is registered. */
export function main(argv: string[]): void {
  process.on("SIGINT", () => void onSignal("SIGINT"));
  process.on("SIGTERM", () => void onSignal("SIGTERM"));
  process.on("SIGHUP", () => void onSignal("SIGHUP"));
  // Last resort (an exception that escaped): never leave the chain node or the lock behind.
  process.on("exit", () => {
    running.chain?.terminate();
    if (!running.chain && running.chainPid && isAlive(running.chainPid)) process.kill(running.chainPid, "SIGTERM");
    for (const child of running.children) child.kill("SIGKILL");
    if (running.settings && running.lock) removeLock(running.settings.lockFile);
  });
  start(argv).catch(fail);
}
