import type { KuboRPCClient } from "kubo-rpc-client";
import { CHUNK_SIZE, cidOf } from "../../shared/cid";
import { AppError } from "../errors";
import {
  checkMaxBytes,
  collectBytes,
  DEFAULT_GET_TIMEOUT_MS,
  ensurePromiseWithResolvers,
  requireCid,
  type GetOptions,
  type IpfsBackend,
} from "./ipfs";

/** Limit of `ping`, and of the check made after a `get` timed out. */
const PING_TIMEOUT_MS = 5_000;

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * A backend on any node that speaks the Kubo RPC API (Kubo, or js-ipfs in tests) at `apiUrl`
 * (e.g. `http://127.0.0.1:5001`). Opening does not contact the node: use {@link IpfsBackend.ping}
 * (the gateway's health check does), every call throws `IPFS_UNAVAILABLE` while it is down.
 *
 * Reads ask the node for what it holds locally (`offline=true`, honoured by Kubo), so a CID it lacks
 * answers `CONTENT_NOT_FOUND` instead of a network search; a node that searches anyway is cut off by
 * the read's timeout.
 */
export async function openRemoteIpfs(apiUrl: string, opts: { timeoutMs?: number } = {}): Promise<IpfsBackend> {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new TypeError(`IPFS_API_URL is not a URL: ${apiUrl}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`IPFS_API_URL must be http(s): ${apiUrl}`);
  ensurePromiseWithResolvers();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { create } = require("kubo-rpc-client") as typeof import("kubo-rpc-client");
  const client = create({ url });
  return new RemoteIpfs(client, url.origin, opts.timeoutMs ?? DEFAULT_GET_TIMEOUT_MS);
}

class RemoteIpfs implements IpfsBackend {
  readonly kind = "remote" as const;
  private stopped = false;

  constructor(
    private readonly client: KuboRPCClient,
    private readonly origin: string,
    /** Limit of every call; adds get one more second per MiB. */
    private readonly timeoutMs: number,
  ) {}

  async add(bytes: Uint8Array): Promise<string> {
    this.assertRunning();
    let added: string;
    const timeoutMs = this.timeoutMs + Math.ceil(bytes.length / 1_048_576) * 1000;
    try {
      const res = await this.client.add(bytes, {
        cidVersion: 1,
        rawLeaves: true,
        chunker: `size-${CHUNK_SIZE}`,
        hashAlg: "sha2-256",
        trickle: false,
        wrapWithDirectory: false,
        pin: true,
        signal: AbortSignal.timeout(timeoutMs),
      });
      added = res.cid.toV1().toString();
    } catch (e) {
      throw this.toAppError(e, "add", timeoutMs);
    }
    // The CID goes on chain and auditors re-derive it from the bytes with cidOf: a node configured
    // with another DAG layout (e.g. Kubo's Import.UnixFSFileMaxLinks) must not go unnoticed.
    const expected = await cidOf(bytes);
    if (added !== expected) {
      throw new AppError("IPFS_CID_MISMATCH", { cid: expected }, {
        details: { node: added, expected, hint: "check the node's Import.* settings (chunker, max links)" },
      });
    }
    return added;
  }

  async get(cid: string, opts: GetOptions = {}): Promise<Uint8Array> {
    const parsed = requireCid(cid);
    const maxBytes = checkMaxBytes(opts.maxBytes);
    this.assertRunning();
    const display = parsed.toV1().toString();
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutErrorLike(timeoutMs)), timeoutMs);
    try {
      const chunks = this.client.cat(parsed, {
        offline: true,
        // one byte more than allowed is enough to know it is too large
        ...(Number.isFinite(maxBytes) ? { length: maxBytes + 1 } : {}),
        signal: controller.signal,
      } as Parameters<KuboRPCClient["cat"]>[1]);
      return await collectBytes(chunks, display, maxBytes);
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (controller.signal.aborted) {
        // Up but silent: it does not hold the content (and looked for it on the network). Down: say so.
        await this.ping();
        throw new AppError("CONTENT_NOT_FOUND", { cid: display }, { cause: e, details: { cid: display, timeoutMs } });
      }
      throw this.toAppError(e, "get", timeoutMs, display);
    } finally {
      clearTimeout(timer);
      controller.abort(); // ends the HTTP body if the read stopped early
    }
  }

  async isPinned(cid: string): Promise<boolean> {
    const parsed = requireCid(cid);
    this.assertRunning();
    try {
      for await (const pin of this.client.pin.ls({
        paths: [parsed],
        offline: true,
        signal: AbortSignal.timeout(this.timeoutMs),
      } as Parameters<KuboRPCClient["pin"]["ls"]>[0])) {
        if (pin.cid.toV1().equals(parsed.toV1())) return true;
      }
      return false;
    } catch (e) {
      if (/not pinned|not found|could not find|no link named|does not exist/i.test(errorMessage(e))) return false;
      throw this.toAppError(e, "isPinned", this.timeoutMs);
    }
  }

  async ping(): Promise<void> {
    this.assertRunning();
    try {
      await this.client.version({ signal: AbortSignal.timeout(Math.min(PING_TIMEOUT_MS, this.timeoutMs)) });
    } catch (e) {
      const app = this.toAppError(e, "ping", Math.min(PING_TIMEOUT_MS, this.timeoutMs));
      throw app.isUnavailable ? app : new AppError("IPFS_UNAVAILABLE", {}, { cause: e });
    }
  }

  async unpin(cid: string): Promise<void> {
    const parsed = requireCid(cid);
    this.assertRunning();
    try {
      await this.client.pin.rm(parsed, { signal: AbortSignal.timeout(this.timeoutMs) } as Parameters<KuboRPCClient["pin"]["rm"]>[1]);
    } catch (e) {
      if (/not pinned|not found/i.test(errorMessage(e))) return;
      throw this.toAppError(e, "unpin", this.timeoutMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  private assertRunning(): void {
    if (this.stopped) throw new AppError("IPFS_UNAVAILABLE");
  }

  /** `timeoutMs`: the limit the call was given, named when it ran out (a frozen node, not a missing one). */
  private toAppError(e: unknown, op: string, timeoutMs: number, cid?: string): AppError {
    if (e instanceof AppError) return e;
    const message = errorMessage(e);
    if ((e as Error)?.name === "TimeoutError") return new AppError("IPFS_TIMEOUT", { timeoutMs }, { cause: e, details: { op } });
    if (isNetworkError(e) || (e as Error)?.name === "AbortError") {
      return new AppError("IPFS_UNAVAILABLE", {}, { cause: e, details: { op } });
    }
    if (cid && /not found|could not find|no link named|does not exist|offline/i.test(message)) {
      return new AppError("CONTENT_NOT_FOUND", { cid }, { cause: e });
    }
    return new AppError("IPFS_ERROR", {}, { cause: e, details: { op } });
  }
}

class TimeoutErrorLike extends Error {
  override name = "TimeoutError";
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

function errorMessage(e: unknown): string {
  return String((e as Error)?.message ?? e);
}

function isNetworkError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (/fetch failed|ECONNREFUSED|socket hang up|other side closed/i.test(errorMessage(cur))) return true;
  }
  return false;
}
