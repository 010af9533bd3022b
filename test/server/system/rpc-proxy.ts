/**
 * The in-process Hardhat chain served over real HTTP JSON-RPC, with faults a test can switch on: a node
 * that drops the connection, answers an HTTP error (echoing its URL and API key, as hosted providers do),
 * or stops answering. The gateway talks to it through its own JSON-RPC provider (timeouts included),
 * exactly as to a remote node. Registers no mocha test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";

export interface RpcCall {
  method: string;
  /** eth_call / eth_estimateGas: the contract called and the 4-byte selector. */
  to?: string;
  selector?: string;
}

export type Fault =
  /** The connection is destroyed without an answer. */
  | { kind: "drop"; match: (c: RpcCall) => boolean }
  /** An HTTP error whose body repeats the request URL, as a hosted provider's 401 does. */
  | { kind: "http"; status: number; match: (c: RpcCall) => boolean }
  /** No answer at all until the fault is cleared (a frozen node). */
  | { kind: "freeze"; match: (c: RpcCall) => boolean };

export interface RpcProxy {
  /** The RPC URL, including `path` (e.g. "/v3/<api key>"). */
  url: string;
  calls: RpcCall[];
  setFault(fault: Fault | null): void;
  close(): Promise<void>;
}

interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number | string | null;
  method: string;
  params?: unknown[];
}

function describe(req: JsonRpcRequest): RpcCall {
  const tx = (req.params?.[0] ?? {}) as { to?: string; data?: string; input?: string };
  const data = tx.data ?? tx.input;
  return req.method === "eth_call" || req.method === "eth_estimateGas"
    ? { method: req.method, to: tx.to?.toLowerCase(), selector: data?.slice(0, 10) }
    : { method: req.method };
}

async function answer(req: JsonRpcRequest): Promise<unknown> {
  try {
    const result = await network.provider.request({ method: req.method, params: req.params ?? [] });
    return { jsonrpc: "2.0", id: req.id, result };
  } catch (e) {
    const err = e as { code?: number; message?: string; data?: unknown };
    return { jsonrpc: "2.0", id: req.id, error: { code: err.code ?? -32603, message: err.message ?? String(e), data: err.data } };
  }
}

/** Starts the proxy on 127.0.0.1 (a free port) under `path`. */
export async function startRpcProxy(path = "/"): Promise<RpcProxy> {
  let fault: Fault | null = null;
  const calls: RpcCall[] = [];
  const frozen = new Set<ServerResponse>();
  let url = "";

  const server = createServer(async (httpReq: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of httpReq) chunks.push(c as Buffer);
    let body: JsonRpcRequest | JsonRpcRequest[];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const requests = Array.isArray(body) ? body : [body];
    const described = requests.map(describe);
    calls.push(...described);
    const hit = fault && described.some(fault.match) ? fault : null;
    if (hit?.kind === "drop") {
      res.socket?.destroy();
      return;
    }
    if (hit?.kind === "http") {
      res.writeHead(hit.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `invalid project id or access denied for ${url}` }));
      return;
    }
    if (hit?.kind === "freeze") {
      frozen.add(res);
      res.once("close", () => frozen.delete(res));
      return;
    }
    const answers = await Promise.all(requests.map(answer));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    url,
    calls,
    setFault(f) {
      fault = f;
      if (!f) for (const res of frozen) res.socket?.destroy();
    },
    async close() {
      for (const res of frozen) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
