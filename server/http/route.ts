import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import multer from "multer";
import { z } from "zod";
import type { AnyContract, RouteContract } from "../../shared/api/contract";
import type { ApiRole, Lang } from "../../shared/domain";
import { authenticate } from "../auth/authenticate";
import { AppError, replyLang, zodIssues, zodSummary } from "../errors";
import type { ApiKeyRecord } from "../store/store";
import type { Services } from "../services";

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  size: number;
  bytes: Uint8Array;
}

export interface HandlerContext<P, Q, B, H> {
  services: Services;
  auth: ApiKeyRecord | undefined;
  params: P;
  query: Q;
  body: B;
  headers: H;
  files: Record<string, UploadedFile | undefined>;
  lang: Lang;
  requestId: string;
  /** The client's address (behind a trusted loopback proxy: the forwarded one). */
  ip: string;
}

/** A reply other than the route's JSON success body. */
export type Reply =
  | { kind: "json"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "stream"; contentType: string; filename?: string; chunks: AsyncIterable<string | Uint8Array> }
  | { kind: "bytes"; contentType: string; bytes: Uint8Array; headers?: Record<string, string> };

const REPLY = Symbol("reply");
type Tagged = Reply & { [REPLY]: true };

export const reply = {
  /** JSON with another status than the contract's (e.g. 202 while a transaction is pending, 503 health). */
  json: (status: number, body: unknown, headers?: Record<string, string>): Tagged => ({ kind: "json", status, body, headers, [REPLY]: true }),
  /** A streamed text or binary body (exports). */
  stream: (contentType: string, chunks: AsyncIterable<string | Uint8Array>, filename?: string): Tagged => ({
    kind: "stream",
    contentType,
    chunks,
    filename,
    [REPLY]: true,
  }),
  /** A file's bytes (IPFS content, metrics). */
  bytes: (contentType: string, bytes: Uint8Array, headers?: Record<string, string>): Tagged => ({ kind: "bytes", contentType, bytes, headers, [REPLY]: true }),
};
const isReply = (v: unknown): v is Tagged => typeof v === "object" && v !== null && (v as Tagged)[REPLY] === true;

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface ServerRoute {
  contract: AnyContract;
  handler: (ctx: HandlerContext<unknown, unknown, unknown, unknown>) => Promise<unknown>;
}

/**
 * Binds a route contract of shared/api to its handler. The handler receives the validated params, query,
 * body and headers, and returns the JSON success body (parsed by `contract.response` in tests) or a
 * {@link reply}.
 */
export function implement<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, H extends z.ZodType, R extends z.ZodType>(
  contract: RouteContract<P, Q, B, H, R>,
  handler: (ctx: HandlerContext<Out<P>, Out<Q>, Out<B>, Out<H>>) => Promise<z.input<R> | Tagged>,
): ServerRoute {
  return { contract: contract as unknown as AnyContract, handler: handler as ServerRoute["handler"] };
}

function parse(schema: z.ZodType | undefined, value: unknown, where: "path" | "query" | "body" | "headers"): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError("VALIDATION_FAILED", { where, summary: zodSummary(r.error) }, { details: zodIssues(r.error, where) });
  }
  return r.data;
}

/** Only the headers a contract declares, by lower-case name. */
function declaredHeaders(schema: z.ZodType | undefined, req: Request): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(shape)) {
    const v = req.headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** Bounds the multipart requests being received and processed at once. */
/**
 * Bounds the multipart requests in progress (their temporary files and parsing). A request over the bound
 * waits in a bounded queue for up to `waitMs`; only when the queue is full or the wait runs out is it refused
 * with 429 UPLOADS_BUSY and Retry-After, so a burst of uploads is served in turn rather than refused.
 */
export class UploadGate {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    private readonly max: number,
    private readonly waitMs = 15_000,
    private readonly maxWaiting = max * 16,
  ) {}
  /** Resolves true once the request may proceed, false when it is refused. */
  async enter(): Promise<boolean> {
    if (this.busy < this.max) {
      this.busy += 1;
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    return new Promise<boolean>((resolve) => {
      const admit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(admit);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(admit);
    });
  }
  leave(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else this.busy = Math.max(0, this.busy - 1);
  }
}

/** Multipart errors (busboy and multer) as 400/413 AppErrors; busboy's texts never reach the client. */
function multipartError(err: unknown, limits: { fileBytes: number; fieldBytes: number }): AppError {
  const e = err as { code?: string; field?: string; name?: string };
  if (e?.code === "LIMIT_FILE_SIZE") return new AppError("FILE_TOO_LARGE", { field: e.field ?? "file", limit: limits.fileBytes }, { cause: err });
  if (e?.code === "LIMIT_FIELD_VALUE") return new AppError("FILE_TOO_LARGE", { field: e.field ?? "field", limit: limits.fieldBytes }, { cause: err });
  const reason = e?.name === "MulterError" && e.code ? e.code : "the multipart encoding is broken";
  return new AppError("BAD_MULTIPART", { reason }, { cause: err, details: { field: e?.field ?? null } });
}

const UPLOAD_DIR = join(tmpdir(), "dareg-uploads");

/**
 * Mounts one route: authentication and role check, per-key rate limit, content type, body parsing (JSON
 * or multipart streamed to temporary files, both only after authentication), zod validation of params,
 * query, headers and body, then the one use-case handler, and the reply.
 */
export function mountRoute(router: Router, services: Services, route: ServerRoute, gates: { uploads: UploadGate; perKey?: RequestHandler }): void {
  const def = route.contract;
  const { config } = services;

  const authStep: RequestHandler = async (req, res, next) => {
    if (def.roles === "public") return next();
    try {
      res.locals.auth = await authenticate(services.store, req, def.roles as readonly ApiRole[]);
      next();
    } catch (e) {
      next(e);
    }
  };

  const contentTypeStep: RequestHandler = (req, _res, next) => {
    if (def.method === "get" || def.method === "delete") return next();
    const type = req.headers["content-type"] ?? "";
    if (def.multipart && !/^multipart\/form-data/i.test(type)) {
      return next(new AppError("UNSUPPORTED_MEDIA_TYPE", { expected: "multipart/form-data" }));
    }
    if (!def.multipart && def.body && req.headers["content-length"] !== "0" && type && !/^application\/json/i.test(type)) {
      return next(new AppError("UNSUPPORTED_MEDIA_TYPE", { expected: "application/json" }));
    }
    next();
  };

  const steps: RequestHandler[] = [authStep];
  if (gates.perKey && def.roles !== "public") steps.push(gates.perKey);
  steps.push(contentTypeStep);

  if (def.multipart) {
    const files = def.multipart.files;
    const limits = { fileBytes: config.MAX_FILE_BYTES, fieldBytes: config.MAX_BODY_BYTES };
    mkdirSync(UPLOAD_DIR, { recursive: true });
    const upload = multer({
      storage: multer.diskStorage({ destination: UPLOAD_DIR, filename: (_req, _file, cb) => cb(null, randomUUID()) }),
      limits: {
        fileSize: config.MAX_FILE_BYTES,
        files: files.length,
        fields: 4,
        fieldSize: config.MAX_BODY_BYTES,
        parts: files.length + 4,
        headerPairs: 100,
      },
    }).fields(files.map((f) => ({ name: f.name, maxCount: 1 })));
    steps.push(async (req, res, next) => {
      if (!(await gates.uploads.enter())) return next(new AppError("UPLOADS_BUSY", { retryAfter: 2 }));
      if (res.writableEnded || req.destroyed) return gates.uploads.leave(); // the client went away while it waited
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        gates.uploads.leave();
        const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
        for (const list of Object.values(uploaded)) for (const f of list) void rm(f.path, { force: true });
      };
      res.once("close", leave);
      upload(req, res, (err?: unknown) => (err ? next(multipartError(err, limits)) : next()));
    });
  } else if (def.body) {
    steps.push(express.json({ limit: config.MAX_BODY_BYTES, strict: true }));
  }

  const handle: RequestHandler = async (req, res) => {
    const files: Record<string, UploadedFile | undefined> = {};
    let rawBody: unknown = req.body;
    if (def.multipart) {
      const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      for (const f of def.multipart.files) {
        const file = uploaded[f.name]?.[0];
        if (!file && f.required) throw new AppError("MISSING_FILE", { field: f.name }, { details: { field: f.name } });
        if (file) {
          const buf = await readFile(file.path);
          files[f.name] = {
            field: f.name,
            filename: file.originalname,
            mimetype: file.mimetype,
            size: file.size,
            bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
          };
        }
      }
      const data = (req.body as Record<string, unknown> | undefined)?.data;
      if (def.body) {
        if (typeof data !== "string") throw new AppError("MISSING_FIELD", { field: "data" }, { details: { field: "data" } });
        try {
          rawBody = JSON.parse(data);
        } catch {
          throw new AppError("MALFORMED_JSON", { where: "multipart field 'data'" });
        }
      }
    }
    const ctx: HandlerContext<unknown, unknown, unknown, unknown> = {
      services,
      auth: res.locals.auth as ApiKeyRecord | undefined,
      params: parse(def.params, req.params, "path"),
      query: parse(def.query, req.query, "query"),
      headers: parse(def.headers, declaredHeaders(def.headers, req), "headers"),
      body: def.body ? parse(def.body, rawBody ?? {}, "body") : undefined,
      files,
      lang: replyLang(req),
      requestId: String(res.locals.requestId ?? ""),
      ip: req.ip ?? "unknown",
    };
    const result = await route.handler(ctx);
    await send(res, def, result);
  };
  steps.push(handle);
  router[def.method](def.path, ...steps);
}

async function send(res: Response, def: AnyContract, result: unknown): Promise<void> {
  if (res.headersSent) return;
  if (!isReply(result)) {
    res.status(def.status ?? 200).json(result);
    return;
  }
  switch (result.kind) {
    case "json":
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      res.status(result.status).json(result.body);
      return;
    case "bytes":
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      res.status(def.status ?? 200).type(result.contentType).send(Buffer.from(result.bytes));
      return;
    case "stream": {
      res.status(def.status ?? 200).type(result.contentType);
      if (result.filename) res.setHeader("content-disposition", `attachment; filename="${result.filename}"`);
      for await (const chunk of result.chunks) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
      }
      res.end();
    }
  }
}
