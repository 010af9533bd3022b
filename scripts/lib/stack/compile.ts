/**
 * Compiles the contracts and generates their TypeChain bindings (typechain-types/, git-ignored) when they
 * are missing or stale. The gateway and shared/verify import typechain-types, so npm start runs this
 * before it loads them. "Stale" is decided from a fingerprint of what the build reads (the Solidity
 * sources, hardhat.config.ts and the compiler and library versions), so an unchanged tree starts without
 * even loading Hardhat.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { StackError } from "./errors";
import { displayPath } from "./settings";

const VERSIONED_PACKAGES = ["solc", "hardhat", "@openzeppelin/contracts", "@typechain/hardhat", "@typechain/ethers-v6", "typechain"];

function solidityFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".sol"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** sha256 over everything the build reads. */
export function buildFingerprint(root: string): string {
  const h = createHash("sha256");
  for (const file of solidityFiles(join(root, "contracts"))) {
    h.update(`${relative(root, file)}\0`).update(readFileSync(file)).update("\0");
  }
  h.update(readFileSync(join(root, "hardhat.config.ts")));
  for (const pkg of VERSIONED_PACKAGES) {
    let version = "absent";
    try {
      version = (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`, { paths: [root] }), "utf8")) as { version: string }).version;
    } catch {
      // reported by the compile itself
    }
    h.update(`${pkg}@${version}\0`);
  }
  return h.digest("hex");
}

const stampFile = (root: string) => join(root, "cache", "npm-start-build.json");

/** Is the build missing or older than the sources? */
export function buildIsStale(root: string): { stale: boolean; why: string; fingerprint: string } {
  const fingerprint = buildFingerprint(root);
  if (!existsSync(join(root, "typechain-types", "index.ts"))) return { stale: true, why: "typechain-types/ is missing", fingerprint };
  if (!existsSync(join(root, "artifacts", "contracts"))) return { stale: true, why: "artifacts/ is missing", fingerprint };
  let recorded: string | undefined;
  try {
    recorded = (JSON.parse(readFileSync(stampFile(root), "utf8")) as { fingerprint?: string }).fingerprint;
  } catch {
    recorded = undefined;
  }
  if (recorded !== fingerprint) return { stale: true, why: "the contracts changed since the last build", fingerprint };
  return { stale: false, why: "", fingerprint };
}

/**
 * Runs `hardhat typechain` (an incremental compile, then every binding regenerated), with its output in
 * `logFile`. Throws a {@link StackError} with the compiler's first error on failure.
 */
export async function compileContracts(
  root: string,
  fingerprint: string,
  logFile: string,
  track: (child: import("node:child_process").ChildProcess) => void = () => undefined,
): Promise<void> {
  const cli = require.resolve("hardhat/internal/cli/cli", { paths: [root] });
  const child = spawn(process.execPath, [cli, "typechain"], {
    cwd: root,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const code: number = await new Promise((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? 130 : 1))));
  mkdirSync(join(logFile, ".."), { recursive: true });
  writeFileSync(logFile, output);
  if (code !== 0) {
    const first = output.split("\n").find((l) => /Error|error/.test(l))?.trim() ?? `exit code ${code}`;
    throw new StackError(`compiling the contracts failed: ${first.slice(0, 200)} (full output in ${displayPath(logFile)}).`);
  }
  mkdirSync(join(root, "cache"), { recursive: true });
  writeFileSync(stampFile(root), JSON.stringify({ fingerprint, at: new Date().toISOString() }, null, 2) + "\n");
}
