/**
 * A fresh, empty anvil chain (npm `@foundry-rs/anvil`) on a free port: the chain a gateway sees after a
 * local chain was reset (same chain id, same contract addresses, no code), or another chain altogether
 * (another chain id). Registers no mocha test.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { anvilBinary, rpc } from "../../../scripts/lib/stack/chain-node";

export interface EmptyChain {
  url: string;
  chainId: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts anvil with `chainId` and no state; resolves once it answers eth_chainId. */
export async function startEmptyChain(chainId: number): Promise<EmptyChain> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(anvilBinary(path.resolve(__dirname, "..", "..", "..")), ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--silent"], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if (Number(await rpc(url, "eth_chainId", [])) === chainId) return { url, chainId, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`anvil did not answer on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
