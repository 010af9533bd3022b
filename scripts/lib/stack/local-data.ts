/**
 * Never mix data from two chains. Before the gateway starts, the deployment file and the store in
 * DATA_DIR are checked against the chain that runs now (server/chain/chain-identity.ts: chain id plus the
 * hash of the deploy block). Data that belongs to another chain (the chain state was deleted, CHAIN=hardhat
 * restarted, another node behind CHAIN_RPC_URL) is moved aside into DATA_DIR/stale-<timestamp>/, and the
 * registry is deployed again.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { DeploymentSchema, type Deployment } from "../../../shared/deployment";
import { checkDeploymentOnChain, checkStoreStamp, stampStore, type RpcClient } from "../../../server/chain/chain-identity";
import { openSqliteStore } from "../../../server/store/sqlite";
import { StackError } from "./errors";
import { displayPath, type StackSettings } from "./settings";

/** Entries of DATA_DIR that belong to the chain that runs now, or to no chain, and so are never moved. */
const KEEP = new Set(["chain", "logs", "stack.lock"]);

export interface LocalData {
  /** The recorded deployment, when it is on this chain; undefined: deploy. */
  deployment?: Deployment;
  /** Where data from another chain was moved, and why. */
  movedTo?: string;
  why?: string;
}

/** The deployment file, or undefined when there is none; `invalid` when it exists but is not one. */
export function readDeploymentFile(file: string): Deployment | "invalid" | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = DeploymentSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : "invalid";
  } catch {
    return "invalid";
  }
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    cpSync(from, to, { recursive: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/** What moveAside would move: the store, IPFS blocks, demo keys… (everything but the chain and logs). */
export function chainBoundEntries(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir).filter((name) => !KEEP.has(name) && !name.startsWith("stale-") && !name.endsWith(".tmp"));
}

/**
 * Moves the chain-bound data of DATA_DIR (and the deployment file, when `withDeployment`) into
 * DATA_DIR/stale-<timestamp>/. Returns that directory.
 */
export function moveAside(s: StackSettings, withDeployment: boolean): string {
  let dir = join(s.dataDir, `stale-${timestamp()}`);
  for (let i = 2; existsSync(dir); i++) dir = join(s.dataDir, `stale-${timestamp()}-${i}`);
  mkdirSync(dir, { recursive: true });
  for (const name of chainBoundEntries(s.dataDir)) {
    if (join(s.dataDir, name) === s.deploymentsDir) continue;
    move(join(s.dataDir, name), join(dir, name));
  }
  if (withDeployment && existsSync(s.deploymentFile)) {
    mkdirSync(join(dir, "deployments"), { recursive: true });
    move(s.deploymentFile, join(dir, "deployments", basename(s.deploymentFile)));
  }
  return dir;
}

/**
 * Decides whether the recorded deployment and the store can be used on the chain behind `rpc`, and moves
 * them aside when they cannot.
 *
 * @example
 * const local = await reconcileLocalData(settings, provider);
 * if (!local.deployment) … deploy …
 */
export async function reconcileLocalData(s: StackSettings, rpc: RpcClient): Promise<LocalData> {
  const dbFile = join(s.dataDir, "gateway.db");
  const hasData = chainBoundEntries(s.dataDir).some((n) => join(s.dataDir, n) !== s.deploymentsDir);
  const deployment = readDeploymentFile(s.deploymentFile);
  const file = displayPath(s.deploymentFile);
  const where = s.chain.url;

  if (deployment === undefined) {
    if (!hasData) return {};
    return { movedTo: moveAside(s, false), why: `there is no deployment file ${file} for the data in ${s.dataDirLabel}` };
  }
  if (deployment === "invalid") {
    return { movedTo: moveAside(s, true), why: `${file} is not a deployment file written by scripts/deploy.ts` };
  }
  const onChain = await checkDeploymentOnChain(rpc, deployment, { where, file });
  if (!onChain.ok) {
    if (onChain.reason === "unreachable") throw new StackError(`${onChain.message}.`);
    return { movedTo: moveAside(s, true), why: onChain.message };
  }
  if (existsSync(dbFile)) {
    const store = await openSqliteStore(dbFile);
    let stamp;
    try {
      stamp = await checkStoreStamp(store, deployment, s.dataDirLabel);
    } finally {
      await store.close();
    }
    if (stamp.status === "other-chain") {
      // The deployment is good on this chain; only the store (and what goes with it) is foreign.
      return { deployment, movedTo: moveAside(s, false), why: stamp.message };
    }
  }
  return { deployment };
}

/** Stamps the store in DATA_DIR (created if need be) with the deployment's chain identity, unless it is. */
export async function stampLocalStore(s: StackSettings, deployment: Deployment): Promise<void> {
  mkdirSync(s.dataDir, { recursive: true });
  const store = await openSqliteStore(join(s.dataDir, "gateway.db"));
  try {
    const stamp = await checkStoreStamp(store, deployment, s.dataDirLabel);
    if (stamp.status === "other-chain") throw new StackError(`${stamp.message}.`);
    if (stamp.status === "unstamped") await stampStore(store, deployment);
  } finally {
    await store.close();
  }
}
