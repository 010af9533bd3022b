/**
 * The typed API client, built on the route contracts: the console, the end-to-end tests, the examples,
 * the demo and the benchmarks call the gateway through it, so nobody writes a URL or a body shape by
 * hand twice. fetch-based: runs in a browser and in Node 20.
 *
 * @example
 * const api = createClient({ baseUrl: "http://127.0.0.1:8080", apiKey });
 * const job = await api.call("getJob", { params: { id } });
 */
import type { z } from "zod";
import { ErrorBody, errorStatus, formatError, type Lang } from "../errors";
import type { AnyContract, RequestOf, RouteContract } from "./contract";
import { API, type Api, type RouteName } from "./index";

/** A file to send in a multipart field. */
export interface FileInput {
  bytes: Uint8Array | Blob;
  filename?: string;
  type?: string;
}

type AlternativesOf<C> = C extends { alternatives: infer A } ? (A extends Record<number, z.ZodType> ? z.output<A[keyof A]> : never) : never;
type SuccessOf<C> = C extends RouteContract<z.ZodType, z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;

/** What `call` resolves with: the success body, or an alternative (e.g. 202 pending). */
export type ResultOf<N extends RouteName> = SuccessOf<Api[N]> | AlternativesOf<Api[N]>;
/** What `settle` resolves with: the success body, once the chain has answered. */
export type SettledOf<N extends RouteName> = SuccessOf<Api[N]>;

/** Whether a reply is the 202 of a write whose transaction is not confirmed yet (shared/api/operations.ts Pending). */
const isPending = (body: unknown): body is { operationId: string; state: "pending"; reason: string | null } =>
  typeof body === "object" && body !== null && (body as { state?: unknown }).state === "pending" && typeof (body as { operationId?: unknown }).operationId === "string";

export type CallInput<N extends RouteName> = RequestOf<Api[N]> & {
  files?: Record<string, FileInput | undefined>;
  /** Extra headers (e.g. accept-language). */
  extraHeaders?: Record<string, string>;
  signal?: AbortSignal;
};

/** An error the API answered with: its catalogued code, params and message. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown>,
    readonly details: unknown,
    message: string,
  ) {
    super(message);
  }
  /** The message in a language, from the shared catalogue. */
  text(lang: Lang): string {
    return formatError(this.code, this.params, lang);
  }
}

export interface ClientOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  lang?: Lang;
}

/** The path of a route with its params filled in. */
export function pathOf(name: RouteName, params: Record<string, string | number> = {}): string {
  const c = API[name] as AnyContract;
  return c.path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`pathOf(${name}): missing param ${k}`);
    return encodeURIComponent(String(v));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : "";
}

export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const base = opts.baseUrl.replace(/\/$/, "");

  async function request<N extends RouteName>(name: N, input: CallInput<N>): Promise<Response> {
    const c = API[name] as AnyContract;
    const i = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, unknown> };
    const headers: Record<string, string> = { ...(input.extraHeaders ?? {}) };
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
    if (opts.lang) headers["accept-language"] = opts.lang;
    for (const [k, v] of Object.entries(i.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    let body: FormData | string | undefined;
    if (c.multipart) {
      const form = new FormData();
      if (c.body) form.set("data", JSON.stringify(i.body ?? {}));
      for (const [field, f] of Object.entries(input.files ?? {})) {
        if (!f) continue;
        const blob = f.bytes instanceof Blob ? f.bytes : new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type ?? "application/octet-stream" });
        form.set(field, blob, f.filename ?? field);
      }
      body = form;
    } else if (c.body) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(i.body ?? {});
    }
    return doFetch(`${base}${pathOf(name, i.params)}${queryString(i.query)}`, {
      method: c.method.toUpperCase(),
      headers,
      body,
      signal: input.signal,
    });
  }

  async function fail(res: Response): Promise<never> {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: a proxy's page or a dropped connection
    }
    const body = ErrorBody.safeParse(parsed);
    if (body.success) {
      const e = body.data.error;
      throw new ApiError(res.status, e.code, e.params, e.details, e.message);
    }
    throw new ApiError(res.status, res.status >= 500 ? "INTERNAL" : "BAD_REQUEST", {}, { body: text.slice(0, 500) }, `HTTP ${res.status}`);
  }

  /** Calls a route and returns its JSON body (success or alternative), or throws {@link ApiError}. */
  async function call<N extends RouteName>(name: N, input: CallInput<N> = {} as CallInput<N>): Promise<ResultOf<N>> {
    const res = await request(name, input);
    if (!res.ok) return fail(res);
    return (await res.json()) as ResultOf<N>;
  }

  return {
    call,
    /**
     * Calls a write route and, when it answers 202 (its transaction not confirmed yet), polls the operation
     * until the chain answers: resolves with the route's success body, or throws the operation's error as an
     * {@link ApiError}. `onPending` reports each wait (for a progress line). After `timeoutMs` it throws
     * OPERATION_PENDING: the outcome is still unknown (never reported as failed); poll the operation later.
     */
    async settle<N extends RouteName>(
      name: N,
      input: CallInput<N> = {} as CallInput<N>,
      wait: { intervalMs?: number; timeoutMs?: number; onPending?: (reason: string | null) => void } = {},
    ): Promise<SettledOf<N>> {
      const first: unknown = await call(name, input);
      if (!isPending(first)) return first as SettledOf<N>;
      const deadline = Date.now() + (wait.timeoutMs ?? 120_000);
      let reason = first.reason;
      for (;;) {
        wait.onPending?.(reason);
        if (Date.now() > deadline) {
          const params = { operationId: first.operationId };
          throw new ApiError(errorStatus("OPERATION_PENDING"), "OPERATION_PENDING", params, { reason }, formatError("OPERATION_PENDING", params, opts.lang ?? "en"));
        }
        await new Promise((r) => setTimeout(r, wait.intervalMs ?? 500));
        const op = (await call("getOperation", { params: { id: first.operationId } } as CallInput<"getOperation">)) as SettledOf<"getOperation">;
        if (op.state === "succeeded") return op.result as SettledOf<N>;
        if (op.state === "failed") {
          const e = op.error ?? { code: "INTERNAL", params: {}, details: null, message: "the operation failed" };
          throw new ApiError(errorStatus(e.code), e.code, e.params, e.details, e.message);
        }
        reason = op.reason;
      }
    },
    /** Calls a route and returns the raw Response on success (exports, files, metrics). */
    async raw<N extends RouteName>(name: N, input: CallInput<N> = {} as CallInput<N>): Promise<Response> {
      const res = await request(name, input);
      if (!res.ok) return fail(res);
      return res;
    },
    /** Calls a route and returns status and parsed body, never throwing on an HTTP error (tests). */
    async send<N extends RouteName>(name: N, input: CallInput<N> = {} as CallInput<N>): Promise<{ status: number; body: unknown; headers: Headers }> {
      const res = await request(name, input);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // non-JSON reply
      }
      return { status: res.status, body, headers: res.headers };
    },
    withKey(apiKey: string | undefined) {
      return createClient({ ...opts, apiKey });
    },
  };
}
export type ApiClient = ReturnType<typeof createClient>;
