import type { ErrorRequestHandler } from "express";
import { isCallException, isError } from "ethers";
import { Interface } from "ethers";
import { ZodError } from "zod";
import { describeContractError } from "../shared/contract-errors";

export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
}

/**
 * Base of every error the gateway answers with. `code` is stable (clients and tests match on it),
 * `httpStatus` is what the API replies, `shortMessage` is for humans, `details` is structured data.
 */
export class AppError extends Error {
  override name = "AppError";
  readonly details: unknown;

  constructor(
    readonly code: string,
    readonly httpStatus: number,
    readonly shortMessage: string,
    options: AppErrorOptions = {},
  ) {
    super(shortMessage, { cause: options.cause });
    this.details = options.details;
  }

  /** Walks the cause chain and returns the first error matching `fn`, or the innermost one. */
  walk(fn?: (e: unknown) => boolean): unknown {
    let e: unknown = this;
    for (;;) {
      if (fn?.(e)) return e;
      const next = (e as { cause?: unknown })?.cause;
      if (next === undefined || next === null) return fn ? null : e;
      e = next;
    }
  }

  toJSON() {
    return { code: this.code, message: this.shortMessage, details: this.details ?? null };
  }
}

export class BadRequestError extends AppError {
  override name = "BadRequestError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 400, message, options);
  }
}

export class UnauthorizedError extends AppError {
  override name = "UnauthorizedError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 401, message, options);
  }
}

export class ForbiddenError extends AppError {
  override name = "ForbiddenError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 403, message, options);
  }
}

export class NotFoundError extends AppError {
  override name = "NotFoundError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 404, message, options);
  }
}

export class ConflictError extends AppError {
  override name = "ConflictError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 409, message, options);
  }
}

export class PayloadTooLargeError extends AppError {
  override name = "PayloadTooLargeError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 413, message, options);
  }
}

/** A request that is well-formed but refused by a rule (compliance, chain rule). */
export class UnprocessableError extends AppError {
  override name = "UnprocessableError";
  constructor(code: string, message: string, options?: AppErrorOptions) {
    super(code, 422, message, options);
  }
}

/** A dependency (chain, IPFS, store) is down: nothing was done, retry later. */
export class UnavailableError extends AppError {
  override name = "UnavailableError";
  constructor(code: "CHAIN_UNAVAILABLE" | "IPFS_UNAVAILABLE" | "STORE_UNAVAILABLE", message: string, options?: AppErrorOptions) {
    super(code, 503, message, options);
  }
}

/** A transaction or call reverted with a custom error of our contracts. */
export class ChainRevertError extends AppError {
  override name = "ChainRevertError";
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[],
    options: AppErrorOptions = {},
  ) {
    const d = describeContractError(errorName, args);
    super(d.code, d.status, d.message, {
      ...options,
      details: { error: errorName, args: args.map((a) => (typeof a === "bigint" ? a.toString() : a)) },
    });
  }
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET"]);

/**
 * Turns anything thrown by ethers into an AppError: custom errors become {@link ChainRevertError} (decoded
 * with `iface`, which should hold every contract's errors), a node that cannot be reached becomes a 503.
 */
export function decodeChainError(e: unknown, iface?: Interface): AppError {
  if (e instanceof AppError) return e;
  if (isCallException(e)) {
    if (e.revert) return new ChainRevertError(e.revert.name, [...e.revert.args], { cause: e });
    const data = e.data;
    if (iface && data) {
      try {
        const parsed = iface.parseError(data);
        if (parsed) return new ChainRevertError(parsed.name, [...parsed.args], { cause: e });
      } catch {
        // fall through to the generic revert below
      }
    }
    return new AppError("CHAIN_REVERTED", 422, `The transaction reverted${e.reason ? `: ${e.reason}` : ""}.`, {
      cause: e,
    });
  }
  // Nodes and provider wrappers nest revert data differently (error.data, info.error.data, cause…).
  const data = iface ? findRevertData(e) : undefined;
  if (iface && data) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return new ChainRevertError(parsed.name, [...parsed.args], { cause: e });
    } catch {
      // not one of ours
    }
  }
  const code = (e as { code?: string })?.code;
  const causeCode = ((e as { cause?: { code?: string } })?.cause)?.code;
  if (
    isError(e, "NETWORK_ERROR") ||
    isError(e, "TIMEOUT") ||
    (code && NETWORK_CODES.has(code)) ||
    (causeCode && NETWORK_CODES.has(causeCode)) ||
    /ECONNREFUSED|fetch failed|socket hang up/i.test(String((e as Error)?.message ?? ""))
  ) {
    return new UnavailableError("CHAIN_UNAVAILABLE", "The blockchain node cannot be reached.", { cause: e });
  }
  return new AppError("CHAIN_ERROR", 502, "The blockchain node rejected the request.", {
    cause: e,
    details: { reason: (e as Error)?.message?.slice(0, 300) },
  });
}

function findRevertData(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== "object" || depth > 6) return undefined;
  const d = (e as { data?: unknown }).data;
  if (typeof d === "string" && /^0x[0-9a-fA-F]{8}/.test(d)) return d;
  for (const key of ["error", "info", "cause", "data"]) {
    const found = findRevertData((e as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Maps errors raised outside our code (body parser, multer, zod) to AppErrors. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    return new BadRequestError("VALIDATION_FAILED", "The request does not match the schema.", {
      details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })),
      cause: err,
    });
  }
  const e = err as { type?: string; code?: string; status?: number; field?: string; message?: string };
  switch (e?.type) {
    case "entity.parse.failed":
      return new BadRequestError("MALFORMED_JSON", "The body is not valid JSON.", { cause: err });
    case "entity.too.large":
      return new PayloadTooLargeError("BODY_TOO_LARGE", "The body is too large.", { cause: err });
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_ENCODING", 415, "The body encoding is not supported.", { cause: err });
  }
  if ((err as { name?: string })?.name === "MulterError" || e?.code?.startsWith?.("LIMIT_")) {
    if (e.code === "LIMIT_FILE_SIZE" || e.code === "LIMIT_FIELD_VALUE") {
      return new PayloadTooLargeError("FILE_TOO_LARGE", `The ${e.field ?? "file"} part is too large.`, {
        cause: err,
        details: { field: e.field },
      });
    }
    return new BadRequestError("BAD_MULTIPART", e.message ?? "The multipart body is not acceptable.", {
      cause: err,
      details: { field: e.field, reason: e.code },
    });
  }
  if (typeof e?.message === "string" && /Multipart|Unexpected end of form|Boundary/i.test(e.message)) {
    return new BadRequestError("BAD_MULTIPART", "The multipart body is malformed.", { cause: err });
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return new AppError("BAD_REQUEST", e.status, e.message ?? "Bad request.", { cause: err });
  }
  return new AppError("INTERNAL", 500, "Internal error.", { cause: err });
}

/** The one error handler: `{ "error": { code, message, details } }`. */
export function errorHandler(onError?: (err: AppError, raw: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const appErr = toAppError(err);
    onError?.(appErr, err);
    if (res.headersSent) return;
    res.status(appErr.httpStatus).json({ error: appErr.toJSON() });
  };
}
