import { parseCid } from "../cid";
import { concatBytes } from "../bytes";

/**
 * Where the verifier reads file bytes by CID. A source is NOT trusted: it only returns bytes, and every
 * check recomputes the CID (or the sha256) itself, so a lying source makes a check fail, never pass.
 */
export interface ContentSource {
  /** A name for reports, e.g. "http-gateway http://127.0.0.1:8080". */
  readonly label?: string;
  /** The bytes of the file `cid`; throws if absent, unreachable or larger than maxBytes. */
  get(cid: string, maxBytes?: number): Promise<Uint8Array>;
  /** Optional reachability probe (the CLI exits 2 when it throws). */
  ping?(): Promise<void>;
}

/** Default limit of a read when the caller gives none (matches the gateway's MAX_FILE_BYTES default order). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const TIMEOUT_MS = 30_000;

/** Thrown by the sources when content cannot be read (the CLI maps it to exit code 2 only for whole-source outages). */
export class ContentUnavailableError extends Error {
  constructor(
    message: string,
    readonly cid: string,
    readonly unreachable = false,
  ) {
    super(message);
    this.name = "ContentUnavailableError";
  }
}

export function requireCid(cid: string) {
  const parsed = parseCid(cid);
  if (!parsed) throw new ContentUnavailableError(`not a valid CID: ${String(cid).slice(0, 100)}`, String(cid));
  return parsed;
}

async function readBody(res: Response, cid: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ContentUnavailableError(`content ${cid} is larger than ${maxBytes} bytes`, cid);
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new ContentUnavailableError(`content ${cid} is larger than ${maxBytes} bytes`, cid);
    parts.push(chunk);
  }
  return concatBytes(parts, total);
}

async function fetchOrThrow(url: string, init: RequestInit, cid: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new ContentUnavailableError(`cannot reach ${new URL(url).origin}: ${(e as Error).message}`, cid, true);
  }
}

/** A path-style HTTP gateway: GET `<url>/ipfs/<cid>` (the registry gateway's own /ipfs/:cid, ipfs.io, Kubo's :8080). */
export function httpGatewaySource(url: string): ContentSource {
  const base = url.replace(/\/+$/, "");
  return {
    label: `http-gateway ${base}`,
    async ping() {
      const res = await fetchOrThrow(`${base}/`, { method: "HEAD" }, "");
      await res.body?.cancel().catch(() => undefined);
    },
    async get(cid, maxBytes = DEFAULT_MAX_BYTES) {
      requireCid(cid);
      const res = await fetchOrThrow(`${base}/ipfs/${encodeURIComponent(cid)}`, { method: "GET" }, cid);
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new ContentUnavailableError(`the gateway answered ${res.status} for ${cid}`, cid);
      }
      return readBody(res, cid, maxBytes);
    },
  };
}

/** A Kubo RPC API: POST `<url>/api/v0/cat?arg=<cid>`. */
export function kuboRpcSource(url: string): ContentSource {
  const base = url.replace(/\/+$/, "");
  return {
    label: `kubo-rpc ${base}`,
    async ping() {
      const res = await fetchOrThrow(`${base}/api/v0/version`, { method: "POST" }, "");
      await res.body?.cancel().catch(() => undefined);
    },
    async get(cid, maxBytes = DEFAULT_MAX_BYTES) {
      requireCid(cid);
      const res = await fetchOrThrow(`${base}/api/v0/cat?arg=${encodeURIComponent(cid)}&length=${maxBytes + 1}`, { method: "POST" }, cid);
      if (!res.ok) {
        const text = await res.text().catch(() => "");
        throw new ContentUnavailableError(`the Kubo API answered ${res.status} for ${cid}: ${text.slice(0, 200)}`, cid);
      }
      return readBody(res, cid, maxBytes);
    },
  };
}
