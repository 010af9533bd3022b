import type { ErrorRequestHandler, Request } from "express";
import { Interface, isCallException, isError, type Result } from "ethers";
import { ZodError } from "zod";
import { contractErrorInfo } from "../shared/contract-errors";
import { errorStatus, formatError, isErrorCode, type ErrorCode, type ErrorParams, type Lang } from "../shared/errors";

export interface AppErrorOptions {
  /** Structured data for clients (never upstream error texts: those go to the server log only). */
  details?: unknown;
  cause?: unknown;
}

/**
 * Base of every error the gateway answers with. `code` is a code of the one catalogue (shared/errors);
 * domain code raises errors by meaning (`new AppError("TOKEN_NOT_FOUND", { tokenId })`), and the HTTP
 * status comes from the catalogue at the edge. `shortMessage` is the English text, `params` fill the
 * message template in any language, `details` is structured data, and `cause` keeps the chain of causes.
 */
export class AppError extends Error {
  override name = "AppError";
  readonly details: unknown;
  readonly params: ErrorParams;

  constructor(
    readonly code: ErrorCode,
    params: ErrorParams = {},
    options: AppErrorOptions = {},
  ) {
    const safeParams = jsonParams(params);
    super(formatError(code, safeParams, "en"), { cause: options.cause });
    this.params = safeParams;
    this.details = options.details;
  }

  get shortMessage(): string {
    return this.message;
  }

  get httpStatus(): number {
    return errorStatus(this.code);
  }

  /** A dependency is down or did not answer: nothing was decided, retry later. */
  get isUnavailable(): boolean {
    return this.httpStatus === 503;
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

  toJSON(lang: Lang = "en") {
    return { code: this.code, message: formatError(this.code, this.params, lang), params: this.params, details: this.details ?? null };
  }
}

/** bigints as decimal strings, so params are JSON. */
function jsonParams(params: ErrorParams): ErrorParams {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === "bigint" ? v.toString() : v;
  return out;
}

/** A transaction or call reverted with a custom error of our contracts; its arguments are read by name. */
export class ChainRevertError extends AppError {
  override name = "ChainRevertError";
  /** The decoded arguments by ABI name (bigints as decimal strings). */
  readonly args: Readonly<Record<string, unknown>>;

  constructor(
    readonly errorName: string,
    args: Readonly<Record<string, unknown>>,
    options: AppErrorOptions = {},
  ) {
    const info = contractErrorInfo(errorName);
    const code = (info?.code ?? "CHAIN_REVERTED") as ErrorCode;
    super(code, args, { ...options, details: { error: errorName, args: jsonParams(args) } });
    this.args = jsonParams(args);
  }
}

/** Arguments of a decoded custom error by their ABI names. */
function namedArgs(fragmentInputs: ReadonlyArray<{ name: string }>, values: ArrayLike<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fragmentInputs.forEach((input, i) => {
    const v = values[i];
    out[input.name || `arg${i}`] = typeof v === "bigint" ? v.toString() : v;
  });
  return out;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "EPIPE"]);

/**
 * An HTTP answer of the RPC endpoint that says "not now" rather than "no": a 5xx of the node or of a load
 * balancer in front of it, or a 429 of a provider's rate limit.
 */
function isUnavailableStatus(e: unknown): boolean {
  if (!isError(e, "SERVER_ERROR")) return false;
  const status = (e as { response?: { statusCode?: number } }).response?.statusCode;
  return typeof status === "number" && (status >= 500 || status === 429);
}

/** Whether an ethers/provider error means "the node could not be reached" rather than "the node said no". */
export function isNetworkError(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  const causeCode = (e as { cause?: { code?: string } })?.cause?.code;
  return (
    isError(e, "NETWORK_ERROR") ||
    isError(e, "TIMEOUT") ||
    isUnavailableStatus(e) ||
    (code !== undefined && NETWORK_CODES.has(code)) ||
    (causeCode !== undefined && NETWORK_CODES.has(causeCode)) ||
    /ECONNREFUSED|fetch failed|socket hang up|other side closed/i.test(String((e as Error)?.message ?? ""))
  );
}

/**
 * Turns anything thrown by ethers into an AppError: custom errors become {@link ChainRevertError} (decoded
 * with `iface`, which should hold every contract's errors); a node that cannot be reached or does not
 * answer in time becomes a 503 CHAIN_UNAVAILABLE; a call that returns nothing at all
 * (a contract read answered with `0x`) means the contract has no code there, on an empty or reset chain,
 * and becomes 503 CHAIN_CONTRACTS_MISSING. Upstream texts (which may hold a provider URL with its API key)
 * never reach the client: they stay in `cause`, for the server log.
 */
export function decodeChainError(e: unknown, iface?: Interface): AppError {
  if (e instanceof AppError) return e;
  const parse = (data: string | undefined) => {
    if (!iface || !data) return undefined;
    try {
      const parsed = iface.parseError(data);
      if (parsed) return new ChainRevertError(parsed.name, namedArgs(parsed.fragment.inputs, parsed.args), { cause: e });
    } catch {
      // not one of ours
    }
    return undefined;
  };
  if (isCallException(e)) {
    const fromData = parse(e.data ?? undefined);
    if (fromData) return fromData;
    if (e.revert) {
      // Decoded by the calling contract's ABI: the arguments keep the names its fragment gives them.
      let names: string[] = [];
      try {
        names = Object.keys((e.revert.args as unknown as Result).toObject());
      } catch {
        // an argument without a name: positions only
      }
      const args = Object.fromEntries(e.revert.args.map((a, i) => [names[i] ?? `arg${i}`, a]));
      return new ChainRevertError(e.revert.name, args, { cause: e });
    }
    return new AppError("CHAIN_REVERTED", {}, { cause: e });
  }
  // Nodes and provider wrappers nest revert data differently (error.data, info.error.data, cause…).
  const nested = parse(findRevertData(e));
  if (nested) return nested;
  if (isError(e, "BAD_DATA") && e.value === "0x") {
    // The function called names the contract, in any language (the template's parameter is not translated).
    const info = (e as { info?: { signature?: string; method?: string } }).info;
    return new AppError("CHAIN_CONTRACTS_MISSING", { missing: info?.signature ?? info?.method ?? "?" }, { cause: e });
  }
  if (isNetworkError(e)) return new AppError("CHAIN_UNAVAILABLE", {}, { cause: e });
  return new AppError("CHAIN_ERROR", {}, { cause: e });
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

/** Maps errors raised outside our code (body parser, multipart parser, zod) to AppErrors. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    return new AppError("VALIDATION_FAILED", { where: "body", summary: zodSummary(err) }, { details: zodIssues(err, "body"), cause: err });
  }
  const e = err as { type?: string; code?: string; status?: number; field?: string; message?: string; limit?: number };
  switch (e?.type) {
    case "entity.parse.failed":
      return new AppError("MALFORMED_JSON", { where: "body" }, { cause: err });
    case "entity.too.large":
      return new AppError("BODY_TOO_LARGE", { limit: e.limit }, { cause: err });
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_ENCODING", {}, { cause: err });
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new AppError("BAD_REQUEST", {}, { cause: err });
  return new AppError("INTERNAL", {}, { cause: err });
}

export interface ZodIssueDetail {
  in: string;
  path: string;
  message: string;
  code: string;
}

export function zodIssues(err: ZodError, where: string): ZodIssueDetail[] {
  // An unknown key (a filter the route does not have) is named by its own path, one detail per key.
  return err.issues.flatMap((i): ZodIssueDetail[] =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({ in: where, path: [...i.path, k].join("."), message: i.message, code: i.code }))
      : [{ in: where, path: i.path.join("."), message: i.message, code: i.code }],
  );
}

/** "field: problem; field: problem" (at most three), naming the fields for people. */
export function zodSummary(err: ZodError): string {
  const parts = err.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return parts.join("; ") + (err.issues.length > 3 ? `; … (${err.issues.length - 3} more)` : "");
}

/** The language of the reply: Chinese when the client prefers it, else English. */
export function replyLang(req: Request): Lang {
  const header = req.get("accept-language") ?? "";
  const first = header.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh" : "en";
}

/** The one error handler: `{ "error": { code, message, params, details } }`, in the client's language. */
export function errorHandler(onError?: (err: AppError, raw: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = toAppError(err);
    onError?.(appErr, err, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (!isErrorCode(appErr.code)) onError?.(new AppError("INTERNAL", {}, { cause: appErr }), appErr, req);
    const retryAfter = appErr.params.retryAfter;
    if (typeof retryAfter === "number") res.setHeader("retry-after", String(retryAfter));
    res.status(appErr.httpStatus).json({ error: appErr.toJSON(replyLang(req)) });
  };
}
