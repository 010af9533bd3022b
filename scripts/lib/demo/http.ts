/**
 * The one fetch helper the demo talks to the gateway through: JSON or multipart in, typed JSON out, and
 * every non-2xx answer thrown as an {@link ApiError} carrying the gateway's error code and message.
 * (To be replaced by the shared typed client once it exists.)
 */

/** A refusal by the gateway: `{ error: { code, message, details } }` with its HTTP status. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly request: string,
  ) {
    super(`${request}: HTTP ${status} ${code}: ${message}`);
  }
}

export interface RequestOptions {
  /** Bearer token (an API key). */
  token?: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

export interface Api {
  readonly baseUrl: string;
  request<T>(method: "GET" | "POST", path: string, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, token?: string): Promise<T>;
  /** GET that answers undefined on 404 instead of throwing. */
  find<T>(path: string, token?: string): Promise<T | undefined>;
  post<T>(path: string, opts?: RequestOptions): Promise<T>;
}

/**
 * @example
 * const api = createApi("http://127.0.0.1:8080");
 * const { token } = await api.post<{ token: string }>("/v1/keys", { token: admin, json: { role: "auditor", label: "x" } });
 */
export function createApi(baseUrl: string): Api {
  const request = async <T>(method: "GET" | "POST", path: string, opts: RequestOptions = {}): Promise<T> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      body = opts.form;
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(120_000) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const err = (parsed as { error?: { code?: string; message?: string; details?: unknown } })?.error;
      throw new ApiError(res.status, err?.code ?? "HTTP_ERROR", err?.message ?? text.slice(0, 200), err?.details, `${method} ${path}`);
    }
    return parsed as T;
  };
  return {
    baseUrl,
    request,
    get: (path, token) => request("GET", path, { token }),
    async find<T>(path: string, token?: string) {
      try {
        return await request<T>("GET", path, { token });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      }
    },
    post: (path, opts) => request("POST", path, opts),
  };
}

/** A multipart body: `data` as JSON plus files. */
export function multipart(data: unknown, files: Record<string, { bytes: Uint8Array; name: string }> = {}): FormData {
  const form = new FormData();
  if (data !== undefined) form.set("data", JSON.stringify(data));
  for (const [field, f] of Object.entries(files)) form.set(field, new Blob([Buffer.from(f.bytes)]), f.name);
  return form;
}
