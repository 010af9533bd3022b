import type { CID } from "multiformats/cid";
import { parseCid } from "../../shared/cid";
import { AppError } from "../errors";
import { concatBytes } from "../../shared/bytes";

/**
 * Where the gateway keeps file bytes: an embedded Helia node (default) or any Kubo-RPC node.
 * Both give the same CIDs for the same bytes (Kubo's defaults with `--cid-version=1`, see shared/cid.ts).
 *
 * Errors (all {@link AppError}s from server/errors.ts):
 * - `IPFS_UNAVAILABLE` (503): the node cannot be reached;
 * - `CONTENT_NOT_FOUND` (404): the node does not hold the CID (never searched on the network);
 * - `CONTENT_TOO_LARGE` (413): the content is larger than `maxBytes`;
 * - `INVALID_CID` (400): the CID cannot be parsed.
 */
export interface IpfsBackend {
  readonly kind: "embedded" | "remote";
  /** Adds and pins; returns the CIDv1 string (equal to `ipfs add --cid-version=1` on Kubo). */
  add(bytes: Uint8Array): Promise<string>;
  /** The bytes the node holds for `cid` (unixfs cat), at most maxBytes, else throws. Throws if absent (don't hang: embedded must not try the network; use a timeout/AbortSignal for remote). */
  get(cid: string, opts?: { maxBytes?: number; timeoutMs?: number }): Promise<Uint8Array>;
  isPinned(cid: string): Promise<boolean>;
  /** Removes the pin (content of a request that failed); a CID that is not pinned is fine. */
  unpin(cid: string): Promise<void>;
  ping(): Promise<void>;
  stop(): Promise<void>;
}

export type GetOptions = NonNullable<Parameters<IpfsBackend["get"]>[1]>;

/** Default limit of {@link IpfsBackend.get} when the caller gives none. */
export const DEFAULT_GET_TIMEOUT_MS = 30_000;

/** Parses `cid` or throws `INVALID_CID`. */
export function requireCid(cid: string): CID {
  const parsed = parseCid(cid);
  if (!parsed) {
    throw new AppError("INVALID_CID", {}, { details: { cid: typeof cid === "string" ? cid.slice(0, 100) : null } });
  }
  return parsed;
}

export function contentTooLarge(cid: string, maxBytes: number, size?: number | bigint): AppError {
  return new AppError("CONTENT_TOO_LARGE", { maxBytes }, { details: { cid, maxBytes, ...(size !== undefined ? { size: Number(size) } : {}) } });
}

/**
 * Concatenates `chunks`, throwing `CONTENT_TOO_LARGE` as soon as more than `maxBytes` arrived (the
 * source is then abandoned, which ends the underlying read/HTTP body).
 */
export async function collectBytes(
  chunks: AsyncIterable<Uint8Array>,
  cid: string,
  maxBytes: number = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw contentTooLarge(cid, maxBytes);
    parts.push(chunk);
  }
  return concatBytes(parts, total);
}

export function checkMaxBytes(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return Number.POSITIVE_INFINITY;
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative number, got ${maxBytes}`);
  return maxBytes;
}

/**
 * Helia and its dependencies call `Promise.withResolvers` (Node ≥ 22). Node 20 lacks it: install an
 * equivalent before loading them. Idempotent.
 */
export function ensurePromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === "function") return;
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** `import()` that TypeScript's CommonJS output keeps as a real dynamic import (for packages that can't be required). */
export const dynImport = new Function("s", "return import(s)") as (specifier: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
