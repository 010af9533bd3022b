/**
 * The gateway as a real child process, started as `npm run gateway` starts it (server/main.ts through
 * ts-node, configured by the environment alone), so that a test can kill it with SIGKILL and start it again
 * on the same data. Registers no mocha test.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import hre from "hardhat";
import type { Deployment } from "../../shared/deployment";

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Where the process's stdout and stderr go (the gateway's JSON logs are in DATA_DIR/logs/gateway.log). */
  outputFile: string;
  /** SIGKILL: the process dies at once, wherever it was. Resolves when it is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the gateway stops cleanly. Resolves when it is gone. */
  stop(): Promise<void>;
}

/** Writes `deployment` as `<dir>/<network>.json`, the file the gateway process reads (DEPLOYMENTS_DIR, NETWORK). */
export function writeDeploymentFile(dir: string, deployment: Deployment): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${deployment.network}.json`);
  writeFileSync(file, JSON.stringify(deployment, null, 2));
  return file;
}

/**
 * Starts `server/main.ts` with `env` (PORT must be a fixed port) and waits until /healthz answers 200.
 *
 * @example
 * const gw = await startGatewayProcess({ PORT: "18080", DATA_DIR: dir, RPC_URL: anvil.url, … });
 * await gw.kill();
 */
export async function startGatewayProcess(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<GatewayProcess> {
  const root = hre.config.paths.root;
  const url = `http://${env.HOST ?? "127.0.0.1"}:${env.PORT}`;
  mkdirSync(env.DATA_DIR, { recursive: true });
  const outputFile = join(env.DATA_DIR, "gateway-process.out");
  const fd = openSync(outputFile, "a");
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "server/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const started = Date.now();
  for (;;) {
    if (gone) throw new Error(`the gateway process exited at start: ${readFileSync(outputFile, "utf8").slice(-2000)}`);
    if (Date.now() - started > (opts.timeoutMs ?? 90_000)) {
      child.kill("SIGKILL");
      throw new Error(`the gateway process did not answer on ${url}/healthz: ${readFileSync(outputFile, "utf8").slice(-2000)}`);
    }
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (health?.status === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    outputFile,
    async kill() {
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (!gone) child.kill("SIGTERM");
      await exited;
    },
  };
}
