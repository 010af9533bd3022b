/**
 * What `npm start` runs, read once from the environment. Every value has a default for the local stack;
 * a bad value stops the start before anything is touched, with one line per problem.
 */
import { isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { StackError } from "./errors";

/** The repository root (scripts/lib/stack → ../../..). */
export const ROOT = join(__dirname, "..", "..", "..");

export type ChainSettings =
  | { kind: "anvil"; host: string; port: number; url: string; stateFile: string }
  | { kind: "hardhat"; host: string; port: number; url: string }
  /** CHAIN_RPC_URL: a node that is already running; npm start starts no chain. */
  | { kind: "external"; url: string };

export interface StackSettings {
  root: string;
  /** Absolute. */
  dataDir: string;
  /** DATA_DIR as a person reads it: relative to the repository when inside it ("data"). */
  dataDirLabel: string;
  /** DATA_DIR is the repository's ./data: the deployment file is then deployments/localhost.json. */
  defaultDataDir: boolean;
  host: string;
  /** The gateway's port; 0 = any free port. */
  port: number;
  chain: ChainSettings;
  /** Where `<network>.json` is written and read. */
  deploymentsDir: string;
  network: "localhost";
  deploymentFile: string;
  lockFile: string;
  logDir: string;
  demo: boolean;
}

const port = (min: number) => z.coerce.number({ message: "must be a port number" }).int().min(min, `must be ${min} to 65535`).max(65535, `must be ${min} to 65535`);
const EnvSchema = z.object({
  DATA_DIR: z.string().min(1).default("./data"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port(0).default(8080),
  CHAIN: z.enum(["anvil", "hardhat"], { message: "must be anvil (default) or hardhat" }).default("anvil"),
  CHAIN_RPC_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL of a running JSON-RPC node" }).optional(),
  LOCAL_RPC_HOST: z.string().min(1).default("127.0.0.1"),
  LOCAL_RPC_PORT: port(1).default(8545),
  DEPLOYMENTS_DIR: z.string().min(1).optional(),
});

/** Shows a path relative to the repository when it is inside it. */
export function displayPath(path: string, root: string = ROOT): string {
  const rel = relative(root, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Reads the stack's settings. Relative paths are taken from the current directory (npm runs scripts in
 * the repository root).
 *
 * @example
 * const s = readStackSettings(process.env, { demo: false });
 */
export function readStackSettings(env: Record<string, string | undefined>, opts: { demo: boolean; cwd?: string }): StackSettings {
  const input: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") input[key] = v;
  }
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new StackError(parsed.error.issues.map((i) => `${i.path.join(".")}=${JSON.stringify(input[String(i.path[0])])}: ${i.message}`).join("; "));
  }
  const e = parsed.data;
  const cwd = opts.cwd ?? process.cwd();
  const dataDir = resolve(cwd, e.DATA_DIR);
  const defaultDataDir = dataDir === join(ROOT, "data");
  const chain: ChainSettings = e.CHAIN_RPC_URL
    ? { kind: "external", url: e.CHAIN_RPC_URL.replace(/\/$/, "") }
    : e.CHAIN === "hardhat"
      ? { kind: "hardhat", host: e.LOCAL_RPC_HOST, port: e.LOCAL_RPC_PORT, url: `http://${e.LOCAL_RPC_HOST}:${e.LOCAL_RPC_PORT}` }
      : {
          kind: "anvil",
          host: e.LOCAL_RPC_HOST,
          port: e.LOCAL_RPC_PORT,
          url: `http://${e.LOCAL_RPC_HOST}:${e.LOCAL_RPC_PORT}`,
          stateFile: join(dataDir, "chain", "state.json"),
        };
  // One deployment file per data directory, so stacks side by side never overwrite each other's:
  // the default ./data keeps deployments/localhost.json, any other DATA_DIR keeps its own inside it.
  const deploymentsDir = e.DEPLOYMENTS_DIR
    ? resolve(cwd, e.DEPLOYMENTS_DIR)
    : defaultDataDir
      ? join(ROOT, "deployments")
      : join(dataDir, "deployments");
  return {
    root: ROOT,
    dataDir,
    dataDirLabel: displayPath(dataDir),
    defaultDataDir,
    host: e.HOST,
    port: e.PORT,
    chain,
    deploymentsDir,
    network: "localhost",
    deploymentFile: join(deploymentsDir, "localhost.json"),
    lockFile: join(dataDir, "stack.lock"),
    logDir: join(dataDir, "logs"),
    demo: opts.demo,
  };
}
