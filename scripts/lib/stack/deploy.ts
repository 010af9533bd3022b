/**
 * Deploys the registry to the stack's chain with `hardhat run scripts/deploy.ts --network localhost`
 * (Hardhat's default accounts, which anvil shares), writing the deployment file into the stack's
 * DEPLOYMENTS_DIR. The script's output goes to DATA_DIR/logs/deploy.log.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, closeSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { StackError } from "./errors";
import { readDeploymentFile } from "./local-data";
import { displayPath, type StackSettings } from "./settings";
import type { Deployment } from "../../../shared/deployment";

export async function deployRegistry(s: StackSettings, track: (child: ChildProcess) => void = () => undefined): Promise<Deployment> {
  mkdirSync(s.logDir, { recursive: true });
  const logFile = join(s.logDir, "deploy.log");
  const fd = openSync(logFile, "w");
  const cli = require.resolve("hardhat/internal/cli/cli", { paths: [s.root] });
  const child = spawn(process.execPath, [cli, "run", "scripts/deploy.ts", "--network", "localhost"], {
    cwd: s.root,
    env: {
      ...process.env,
      HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
      LOCAL_RPC_URL: s.chain.url,
      DEPLOYMENTS_DIR: s.deploymentsDir,
    },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  track(child);
  const code: number = await new Promise((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal ? 130 : 1))));
  if (code !== 0) {
    const lines = readFileSync(logFile, "utf8").trimEnd().split("\n");
    const first = lines.find((l) => /^deploy:|Error/.test(l))?.trim() ?? lines.pop() ?? `exit code ${code}`;
    throw new StackError(`deploying the registry failed: ${first.slice(0, 200)} (full output in ${displayPath(logFile)}).`);
  }
  const deployment = readDeploymentFile(s.deploymentFile);
  if (!deployment || deployment === "invalid") throw new StackError(`the deployment wrote no valid ${displayPath(s.deploymentFile)}; see ${displayPath(logFile)}.`);
  return deployment;
}
