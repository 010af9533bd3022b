/**
 * `npm start`: runs the local stack. Starts a Hardhat JSON-RPC node on 127.0.0.1:8545 (or reuses one that
 * is already listening there), deploys the registry to it (deployments/localhost.json), then starts the
 * gateway on PORT (default 8080) with embedded IPFS and SQLite under DATA_DIR, and keeps both running until
 * Ctrl-C. On first start it creates an admin API key and prints it once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createApiKey } from "../server/auth/api-keys";
import { loadConfig } from "../server/config";
import { startGateway } from "../server/gateway";

const ROOT = join(__dirname, "..");
const HOST = process.env.LOCAL_RPC_HOST ?? "127.0.0.1";
const PORT = Number(process.env.LOCAL_RPC_PORT ?? 8545);
const RPC = `http://${HOST}:${PORT}`;
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/cli", { paths: [ROOT] });
const env = { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", LOCAL_RPC_URL: RPC };

async function chainId(): Promise<string | undefined> {
  try {
    const res = await fetch(RPC, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const body = (await res.json()) as { result?: string };
    return body.result;
  } catch {
    return undefined;
  }
}

function hardhat(args: string[], inherit = true): ChildProcess {
  return spawn(process.execPath, [HARDHAT_CLI, ...args], { cwd: ROOT, env, stdio: inherit ? "inherit" : "pipe" });
}

async function waitForNode(node: ChildProcess | undefined, timeoutMs = 60_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const id = await chainId();
    if (id) return id;
    if (node && node.exitCode !== null) throw new Error(`hardhat node exited with code ${node.exitCode}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no JSON-RPC answer on ${RPC} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  let node: ChildProcess | undefined;
  if (await chainId()) {
    console.log(`Using the JSON-RPC node already running on ${RPC}.`);
  } else {
    console.log(`Starting a Hardhat node on ${RPC} …`);
    node = hardhat(["node", "--hostname", HOST, "--port", String(PORT)], false);
    node.stderr?.pipe(process.stderr);
  }
  const id = await waitForNode(node);
  console.log(`Chain ${Number(id)} is up. Deploying the registry …`);
  const deploy = hardhat(["run", "scripts/deploy.ts", "--network", "localhost"]);
  const code: number = await new Promise((resolve) => deploy.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) {
    node?.kill();
    throw new Error(`deployment failed (exit ${code})`);
  }
  const config = loadConfig({ ...process.env, RPC_URL: RPC, NETWORK: "localhost" });
  const gateway = await startGateway(config);
  const store = gateway.services.store;
  if (!(await store.apiKeys.list()).some((k) => k.role === "admin" && !k.revokedAt)) {
    const { token } = await createApiKey(store, { role: "admin", label: "created by npm start" });
    console.log(`\nAn admin API key was created (shown once, stored hashed):\n\n  ${token}\n`);
  }
  console.log(`Gateway on ${gateway.url} — OpenAPI at ${gateway.url}/v1/openapi.json, health at ${gateway.url}/healthz.`);
  console.log(`The local chain runs on ${RPC}. Press Ctrl-C to stop.`);
  const stop = async () => {
    await gateway.stop();
    node?.kill("SIGINT");
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (node) await new Promise((resolve) => node!.on("exit", resolve));
}

main().catch((e: Error) => {
  console.error(`npm start: ${e.message}`);
  process.exitCode = 1;
});
