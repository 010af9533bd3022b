import type { Request, Response, RequestHandler, Router } from "express";
import multer from "multer";
import { z } from "zod";
import { authenticate } from "../auth/authenticate";
import { AppError, BadRequestError, toAppError } from "../errors";
import type { ApiKeyRecord, ApiRole } from "../store/store";
import type { Services } from "./services";

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  bytes: Uint8Array;
}

export interface HandlerContext<P, Q, B> {
  services: Services;
  auth: ApiKeyRecord | undefined;
  params: P;
  query: Q;
  body: B;
  files: Record<string, UploadedFile | undefined>;
  req: Request;
  res: Response;
}

/** A handler may return data (sent as JSON) or a Raw reply it has already written. */
export const RAW = Symbol("raw");
export type Raw = typeof RAW;

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: "get" | "post" | "delete";
  /** Express-style path, e.g. /v1/identities/:address */
  path: string;
  tag: string;
  summary: string;
  /** Roles allowed; "public" needs no key. */
  roles: readonly ApiRole[] | "public";
  params?: P;
  query?: Q;
  /** JSON body; for multipart routes, the JSON carried in the `data` field. */
  body?: B;
  multipart?: { files: Array<{ name: string; required: boolean; description: string }> };
  /** Required request headers (documented, validated by the handler). */
  headers?: Array<{ name: string; required: boolean; description: string }>;
  status?: number;
  response?: z.ZodType;
  handler: (ctx: HandlerContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>;
}

// Type-erased form for tables of routes.
export type AnyRoute = RouteDef<z.ZodType, z.ZodType, z.ZodType>;

export const defineRoute = <P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
  def: RouteDef<P, Q, B>,
): AnyRoute => def as unknown as AnyRoute;

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return value as z.infer<T>;
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new BadRequestError("VALIDATION_FAILED", `The request ${where} does not match the schema.`, {
      details: r.error.issues.map((i) => ({ in: where, path: i.path.join("."), message: i.message, code: i.code })),
    });
  }
  return r.data;
}

/**
 * Mounts a route: authentication and role check (failures go to the sandbox log), multipart parsing,
 * zod validation of params, query and body, then the one use-case handler.
 */
export function mountRoute(router: Router, services: Services, def: AnyRoute): void {
  const upload = def.multipart
    ? multer({
        storage: multer.memoryStorage(),
        limits: {
          fileSize: services.config.MAX_FILE_BYTES,
          files: def.multipart.files.length,
          fields: 4,
          fieldSize: services.config.MAX_BODY_BYTES,
          parts: def.multipart.files.length + 4,
        },
      }).fields(def.multipart.files.map((f) => ({ name: f.name, maxCount: 1 })))
    : undefined;

  const authStep: RequestHandler = async (req, res, next) => {
    if (def.roles === "public") return next();
    try {
      res.locals.auth = await authenticate(services.store, req, def.roles);
      next();
    } catch (e) {
      const err = toAppError(e);
      await services.sandbox
        .append({
          actor: (err.details as { keyId?: string } | undefined)?.keyId ?? "anonymous",
          action: "auth.failure",
          decision: "denied",
          payload: { code: err.code, status: err.httpStatus, method: req.method, path: req.originalUrl, ip: req.ip ?? null },
        })
        .catch((logErr) => services.logger.error({ err: logErr }, "cannot write auth failure to the sandbox log"));
      next(err);
    }
  };

  const contentTypeStep: RequestHandler = (req, _res, next) => {
    if (def.method === "get" || def.method === "delete") return next();
    const type = req.headers["content-type"] ?? "";
    if (def.multipart && !/^multipart\/form-data/i.test(type)) {
      return next(new AppError("UNSUPPORTED_MEDIA_TYPE", 415, "Send multipart/form-data."));
    }
    if (!def.multipart && def.body && req.headers["content-length"] !== "0" && type && !/^application\/json/i.test(type)) {
      return next(new AppError("UNSUPPORTED_MEDIA_TYPE", 415, "Send application/json."));
    }
    next();
  };

  const handle: RequestHandler = async (req, res) => {
    const files: Record<string, UploadedFile | undefined> = {};
    let rawBody: unknown = req.body;
    if (def.multipart) {
      const uploaded = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      for (const f of def.multipart.files) {
        const file = uploaded[f.name]?.[0];
        if (!file && f.required) {
          throw new BadRequestError("MISSING_FILE", `The multipart field '${f.name}' (a file) is required.`, {
            details: { field: f.name },
          });
        }
        if (file) {
          files[f.name] = {
            field: f.name,
            filename: file.originalname,
            mimetype: file.mimetype,
            bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength),
          };
        }
      }
      const data = (req.body as Record<string, unknown> | undefined)?.data;
      if (def.body) {
        if (typeof data !== "string") {
          throw new BadRequestError("MISSING_FIELD", "The multipart field 'data' (JSON) is required.", {
            details: { field: "data" },
          });
        }
        try {
          rawBody = JSON.parse(data);
        } catch {
          throw new BadRequestError("MALFORMED_JSON", "The multipart field 'data' is not valid JSON.");
        }
      }
    }
    const ctx: HandlerContext<unknown, unknown, unknown> = {
      services,
      auth: res.locals.auth as ApiKeyRecord | undefined,
      params: parse(def.params, req.params, "path"),
      query: parse(def.query, req.query, "query"),
      body: def.body ? parse(def.body, rawBody ?? {}, "body") : undefined,
      files,
      req,
      res,
    };
    const result = await def.handler(ctx as never);
    if (result === RAW || res.headersSent) return;
    res.status(def.status ?? 200).json(result);
  };

  const steps: RequestHandler[] = [authStep, contentTypeStep];
  if (upload) steps.push(upload);
  steps.push(handle);
  router[def.method](def.path, ...steps);
}
