/**
 * A real Kubo-RPC node for tests: js-ipfs (npm `ipfs@0.66.1`), offline, on 127.0.0.1.
 *
 * It is not a dependency of the product: the first call installs it into `.cache/jsipfs` (gitignored;
 * takes ~5 minutes, progress on stderr) and later calls reuse it. Each call inits a throw-away repo
 * in the OS temp folder, starts `jsipfs daemon --offline` in its own process group and waits until
 * `/api/v0/id` answers; `stop()` kills the group and deletes the repo.
 *
 * Set JSIPFS_CACHE_DIR to install elsewhere (e.g. to try a first run without touching the shared cache).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { freePort } from "../../scripts/lib/stack/ports";
import { tmpdir } from "node:os";
import path from "node:path";

export const JSIPFS_VERSION = "0.66.1";
const REPO_ROOT = path.resolve(__dirname, "..", "..");
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const START_TIMEOUT_MS = 120_000;

export interface JsIpfsNode {
  /** e.g. http://127.0.0.1:43121 (no /api/v0). */
  apiUrl: string;
  /** e.g. http://127.0.0.1:43122. */
  gatewayUrl: string;
  /** Milliseconds spent installing js-ipfs in this call (0 when already installed). */
  installMs: number;
  /** Milliseconds from spawning `jsipfs init` to the API answering. */
  startMs: number;
  stop(): Promise<void>;
}

function cacheDir(): string {
  return path.resolve(REPO_ROOT, process.env.JSIPFS_CACHE_DIR || path.join(".cache", "jsipfs"));
}

function log(message: string): void {
  process.stderr.write(`[jsipfs] ${message}\n`);
}

const POLYFILL = `// written by test/support/jsipfs.ts: Promise.withResolvers for Node 20
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
`;

/** Installs js-ipfs into the cache folder unless it is there already; returns the CLI entry point. */
export async function ensureJsIpfsInstalled(): Promise<{ cli: string; polyfill: string; installMs: number }> {
  const dir = cacheDir();
  const cli = path.join(dir, "node_modules", "ipfs", "src", "cli.js");
  const polyfill = path.join(dir, "polyfill.cjs");
  let installMs = 0;
  if (!(await isInstalled(dir))) {
    await mkdir(path.dirname(dir), { recursive: true });
    const release = await acquireLock(`${dir}.lock`);
    try {
      // another process may have installed it while we waited for the lock
      if (!(await isInstalled(dir))) {
        const t0 = Date.now();
        await mkdir(dir, { recursive: true });
        log(`installing ipfs@${JSIPFS_VERSION} into ${path.relative(REPO_ROOT, dir) || dir} (first run only; takes a few minutes)…`);
        await runNpmInstall(dir);
        if (!(await isInstalled(dir))) throw new Error(`npm did not install ipfs@${JSIPFS_VERSION} into ${dir}`);
        installMs = Date.now() - t0;
        log(`installed in ${(installMs / 1000).toFixed(1)} s`);
      }
    } finally {
      await release();
    }
  }
  if (!existsSync(polyfill) || (await readFile(polyfill, "utf8")) !== POLYFILL) await writeFile(polyfill, POLYFILL);
  return { cli, polyfill, installMs };
}

/**
 * Installed = npm finished: it writes node_modules/.package-lock.json last, so an interrupted install
 * (no such file, or without ipfs) is run again.
 */
async function isInstalled(dir: string): Promise<boolean> {
  try {
    const lock = JSON.parse(await readFile(path.join(dir, "node_modules", ".package-lock.json"), "utf8")) as {
      packages?: Record<string, { version?: string }>;
    };
    const cli = path.join(dir, "node_modules", "ipfs", "src", "cli.js");
    return lock.packages?.["node_modules/ipfs"]?.version === JSIPFS_VERSION && existsSync(cli);
  } catch {
    return false;
  }
}

function runNpmInstall(dir: string): Promise<void> {
  const args = ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", `ipfs@${JSIPFS_VERSION}`];
  const env = { ...process.env, NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", args, {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const t0 = Date.now();
    const heartbeat = setInterval(() => log(`still installing… ${Math.round((Date.now() - t0) / 1000)} s`), 30_000);
    const killer = setTimeout(() => child.kill("SIGKILL"), INSTALL_TIMEOUT_MS);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) if (line.trim()) log(`npm: ${line}`);
    };
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    child.on("error", (e) => {
      clearInterval(heartbeat);
      clearTimeout(killer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearInterval(heartbeat);
      clearTimeout(killer);
      if (code === 0) resolve();
      else reject(new Error(`npm ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** A cross-process lock: a directory holding the owner's pid; a dead owner's lock is taken over. */
async function acquireLock(lockDir: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, "pid"), String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = Number(await readFile(path.join(lockDir, "pid"), "utf8").catch(() => ""));
    if (owner && !isAlive(owner)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by pid ${owner})`);
    if (!announced) {
      log(`waiting for another install (pid ${owner || "?"}) to finish…`);
      announced = true;
    }
    await sleep(1000);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs a js-ipfs CLI command to completion (used for `init`). */
function runCli(cli: string, polyfill: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", polyfill, cli, ...args], {
      cwd: path.dirname(polyfill),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (code === 0) resolve(out);
      else reject(new Error(`jsipfs ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${out}`));
    });
  });
}

/** Kills the daemon's whole process group and waits for the daemon to exit. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // the group is already gone
    }
  };
  signalGroup("SIGTERM");
  const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  // SIGKILL whatever may be left in the group (children of the daemon), and the daemon if it hung
  signalGroup("SIGKILL");
  if (!graceful) await exited;
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/**
 * Starts an offline js-ipfs daemon on a fresh repo (installing js-ipfs first if needed). Call `stop()`
 * in `after`: it kills the daemon's process group and deletes the repo.
 */
export async function startJsIpfs(): Promise<JsIpfsNode> {
  const { cli, polyfill, installMs } = await ensureJsIpfsInstalled();
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return { ...(await startOnce(cli, polyfill)), installMs };
    } catch (e) {
      lastError = e;
      // a port taken between freePort() and the daemon's listen: try other ports
      if (!/EADDRINUSE/.test(String((e as Error)?.message))) throw e;
      log(`port in use, retrying (${attempt})`);
    }
  }
  throw lastError;
}

async function startOnce(cli: string, polyfill: string): Promise<Omit<JsIpfsNode, "installMs">> {
  const t0 = Date.now();
  const repo = await mkdtemp(path.join(tmpdir(), "jsipfs-repo-"));
  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    IPFS_PATH: repo,
    // js-ipfs's CLI would otherwise spawn a detached update check against the npm registry
    NO_UPDATE_NOTIFIER: "1",
    DEBUG: "",
  };
  const config = {
    Addresses: {
      Swarm: [],
      Announce: [],
      NoAnnounce: [],
      API: `/ip4/127.0.0.1/tcp/${apiPort}`,
      Gateway: `/ip4/127.0.0.1/tcp/${gatewayPort}`,
      RPC: "", // no gRPC server
      Delegates: [],
    },
    Bootstrap: [],
    Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
    Swarm: { DisableNatPortMap: true },
  };
  let child: ChildProcess | undefined;
  const onExit = () => {
    // the test process is going away without stop(): leave no daemon behind
    if (child?.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  try {
    const configFile = path.join(repo, "..", `${path.basename(repo)}.init.json`);
    await writeFile(configFile, JSON.stringify(config));
    try {
      await runCli(cli, polyfill, ["init", configFile, "--empty-repo", "--algorithm", "ed25519"], env);
    } finally {
      await rm(configFile, { force: true });
    }

    child = spawn(process.execPath, ["-r", polyfill, cli, "daemon", "--offline", "--enable-preload=false"], {
      cwd: path.dirname(polyfill),
      env,
      detached: true, // own process group: stop() kills it whole
      stdio: ["ignore", "pipe", "pipe"],
    });
    process.on("exit", onExit);
    let output = "";
    const keep = (c: Buffer) => {
      output = (output + c.toString()).slice(-8_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<never>((_, reject) => {
      child!.once("exit", (code, signal) =>
        reject(new Error(`jsipfs daemon exited (${signal ?? `exit ${code}`}) before its API answered:\n${output}`)),
      );
      child!.once("error", reject);
    });
    exited.catch(() => undefined); // observed below; avoid an unhandled rejection after success

    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const ok = await Promise.race([
        fetch(`${apiUrl}/api/v0/id`, { method: "POST", signal: AbortSignal.timeout(2_000) })
          .then(async (r) => {
            await r.arrayBuffer();
            return r.ok;
          })
          .catch(() => false),
        exited,
      ]);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`jsipfs daemon did not answer within ${START_TIMEOUT_MS} ms:\n${output}`);
      await sleep(200);
    }
    const startMs = Date.now() - t0;
    log(`daemon pid ${child.pid} ready at ${apiUrl} in ${(startMs / 1000).toFixed(1)} s`);

    const running = child;
    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
      startMs,
      stop() {
        stopping ??= (async () => {
          await killGroup(running);
          process.off("exit", onExit);
          await rm(repo, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (e) {
    if (child) await killGroup(child);
    process.off("exit", onExit);
    await rm(repo, { recursive: true, force: true });
    throw e;
  }
}
