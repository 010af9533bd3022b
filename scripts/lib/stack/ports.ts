/** Who, if anyone, listens on a port: checked before npm start writes or deploys anything. */
import { createServer } from "node:net";

/** True when `host:port` can be bound now. */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function fetchJson(url: string, init: RequestInit = {}, timeoutMs = 2_000): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return res.json();
}

/** The chain id a JSON-RPC node at `url` answers with, or undefined. */
export async function rpcChainId(url: string, timeoutMs = 2_000): Promise<number | undefined> {
  try {
    const body = (await fetchJson(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      },
      timeoutMs,
    )) as { result?: string };
    return body.result ? Number(body.result) : undefined;
  } catch {
    return undefined;
  }
}

/** Does a registry gateway answer /healthz at `url`? */
export async function isRegistryGateway(url: string): Promise<boolean> {
  try {
    const body = (await fetchJson(`${url}/healthz`)) as Record<string, unknown>;
    return typeof body === "object" && body !== null && "chain" in body && "store" in body && "ipfs" in body;
  } catch {
    return false;
  }
}
