/**
 * The local chain `npm start` runs: anvil from npm (default; persists to DATA_DIR/chain/state.json) or a
 * Hardhat node (CHAIN=hardhat; forgets its chain when it stops). Either runs in its own process group, so
 * a Ctrl-C reaches only npm start, which stops the gateway first and then the chain with SIGINT (anvil
 * saves its state on SIGINT and SIGTERM).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync, closeSync } from "node:fs";
import { dirname, join } from "node:path";
import { StackError } from "./errors";
import { rpcChainId } from "./ports";
import { displayPath, type ChainSettings } from "./settings";

/** anvil writes its state this often (seconds) as well as on exit, so a kill -9 loses little. */
export const STATE_INTERVAL_SECONDS = 5;

const ANVIL_PACKAGES: Record<string, string> = {
  "linux-x64": "@foundry-rs/anvil-linux-amd64",
  "linux-arm64": "@foundry-rs/anvil-linux-arm64",
  "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
  "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  "win32-x64": "@foundry-rs/anvil-win32-amd64",
};

/**
 * The anvil binary installed by the npm package @foundry-rs/anvil (its platform package is an optional
 * dependency). Throws a {@link StackError} saying what to do when it is missing.
 */
export function anvilBinary(root: string): string {
  const pkg = ANVIL_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) {
    throw new StackError(`anvil has no npm build for ${process.platform}-${process.arch}: start with CHAIN=hardhat instead.`);
  }
  const name = process.platform === "win32" ? "anvil.exe" : "anvil";
  let bin: string | undefined;
  try {
    bin = join(dirname(require.resolve(`${pkg}/package.json`, { paths: [root] })), "bin", name);
  } catch {
    bin = undefined;
  }
  if (!bin || !existsSync(bin)) {
    throw new StackError(
      `the anvil binary (${pkg}) is not installed: run \`npm ci\` (optional dependencies must not be omitted), or start with CHAIN=hardhat.`,
    );
  }
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new StackError(`${bin} is not executable: run \`chmod +x ${bin}\` or \`npm ci\`.`);
  }
  return bin;
}

export interface ChainNode {
  kind: "anvil" | "hardhat";
  url: string;
  pid: number;
  logFile: string;
  /** anvil: whether an existing state file was loaded. */
  restored: boolean;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGINT, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGTERM unless a stop already signalled it (anvil saves its state on SIGTERM too); returns at once. */
  terminate(): void;
}

/** One JSON-RPC call (5 s timeout); a JSON-RPC error is thrown. */
export async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

function lastLines(file: string, n: number): string[] {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-n);
  } catch {
    return [];
  }
}

/** Turns an early exit of the chain node into one line saying what to do. */
function earlyExitError(settings: Exclude<ChainSettings, { kind: "external" }>, code: number | null, logFile: string): StackError {
  const tail = lastLines(logFile, 20);
  const text = tail.join("\n");
  const log = displayPath(logFile);
  if (/address already in use|EADDRINUSE/i.test(text)) {
    return new StackError(`port ${settings.port} (LOCAL_RPC_PORT) is in use: stop what runs there or set LOCAL_RPC_PORT to a free port.`);
  }
  if (settings.kind === "anvil" && /state|parse|json/i.test(text)) {
    const state = displayPath(settings.stateFile);
    const why = tail.find((l) => /error/i.test(l))?.replace(/^error:\s*/i, "") ?? `exit code ${code}`;
    return new StackError(
      `the chain state ${state} cannot be loaded (${why.slice(0, 160)}): move it aside (mv ${state} ${state}.broken) to start a new chain; npm start then moves the old data aside as well.`,
    );
  }
  const last = tail.filter((l) => l.trim()).pop() ?? "";
  return new StackError(`the ${settings.kind} node exited at start (code ${code}${last ? `: ${last.trim().slice(0, 160)}` : ""}); see ${log}.`);
}

/**
 * Starts the chain node and waits until it answers JSON-RPC. For anvil with a restored state, it moves the
 * chain's clock to the last block's time when that lies ahead (after a demo's time travel): anvil does not
 * save its clock offset, and its blocks must not go back in time.
 *
 * @example
 * const node = await startChainNode(settings.chain, { root, dataDir, logDir, onSpawn: (pid) => … });
 */
export async function startChainNode(
  settings: Exclude<ChainSettings, { kind: "external" }>,
  opts: { root: string; logDir: string; onSpawn?: (pid: number) => void; timeoutMs?: number },
): Promise<ChainNode> {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, "chain.log");
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  let restored = false;
  const env = { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" };
  if (settings.kind === "anvil") {
    mkdirSync(dirname(settings.stateFile), { recursive: true });
    restored = existsSync(settings.stateFile);
    const args = [
      "--host", settings.host,
      "--port", String(settings.port),
      "--chain-id", "31337",
      "--state", settings.stateFile,
      "--state-interval", String(STATE_INTERVAL_SECONDS),
      // Keep past states in the state file, so historical eth_calls (provenance) work after a restart.
      "--preserve-historical-states",
    ];
    child = spawn(anvilBinary(opts.root), args, { cwd: opts.root, env, detached: true, stdio: ["ignore", fd, fd] });
  } else {
    const cli = require.resolve("hardhat/internal/cli/cli", { paths: [opts.root] });
    child = spawn(process.execPath, [cli, "node", "--hostname", settings.host, "--port", String(settings.port)], {
      cwd: opts.root,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
  }
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  if (child.pid) opts.onSpawn?.(child.pid);

  let signalled = false;
  const node: ChainNode = {
    kind: settings.kind,
    url: settings.url,
    pid: child.pid ?? -1,
    logFile,
    restored,
    exited,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalled = true;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    terminate() {
      if (!signalled && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      signalled = true;
    },
  };

  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let ready = false;
  let exit: { code: number | null } | undefined;
  void exited.then((e) => (exit = e));
  let failed: Error | undefined;
  void spawnError.then((e) => (failed = e));
  while (!ready) {
    if (failed) throw new StackError(`could not start the ${settings.kind} node: ${failed.message}`);
    if (exit) throw earlyExitError(settings, exit.code, logFile);
    if (Date.now() - started > timeoutMs) {
      await node.stop(5_000);
      throw new StackError(`the ${settings.kind} node did not answer on ${settings.url} within ${timeoutMs / 1000} s; see ${displayPath(logFile)}.`);
    }
    ready = (await rpcChainId(settings.url, 1_000)) !== undefined;
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }

  if (settings.kind === "anvil" && restored) {
    const latest = (await rpc(settings.url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    const last = Number(latest.timestamp);
    if (last >= Math.floor(Date.now() / 1000)) await rpc(settings.url, "evm_setTime", [last + 1]);
  }
  return node;
}
