import { randomUUID } from "node:crypto";
import express, { type Express, type Request } from "express";
import helmet from "helmet";
import { ipKeyGenerator, rateLimit, type Options as RateLimitOptions } from "express-rate-limit";
import { collectionRoutes } from "./collections/collections.routes";
import { AppError, errorHandler } from "./errors";
import { evidenceRoutes } from "./evidence/evidence.routes";
import { serveConsole } from "./http/console";
import { mountRoute, UploadGate, type ServerRoute } from "./http/route";
import { identityRoutes } from "./identities/identities.routes";
import { keyRoutes } from "./keys/keys.routes";
import { mintRoutes } from "./mint/mint.routes";
import { operationRoutes } from "./operations/operations.routes";
import { queryRoutes } from "./queries/queries.routes";
import { regulatorRoutes } from "./regulator/regulator.routes";
import { sandboxRoutes } from "./sandbox/sandbox.routes";
import type { Services } from "./services";
import { systemRoutes } from "./system/system.routes";
import { tokenRoutes } from "./tokens/tokens.routes";

/** Every route of the gateway, in one table (also the source of the OpenAPI document). */
export const ALL_ROUTES: readonly ServerRoute[] = [
  ...systemRoutes(() => ALL_ROUTES),
  ...identityRoutes,
  ...collectionRoutes,
  ...mintRoutes,
  ...tokenRoutes,
  ...evidenceRoutes,
  ...regulatorRoutes,
  ...sandboxRoutes,
  ...keyRoutes,
  ...operationRoutes,
  ...queryRoutes,
];

/** A rate limiter that answers with the catalogue's 429 and a Retry-After header. */
function limiter(limit: number, keyGenerator: RateLimitOptions["keyGenerator"]) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator,
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new AppError("RATE_LIMITED", { retryAfter }));
    },
  });
}

/** Builds the Express app (no listen). */
export function buildApp(services: Services, routes: readonly ServerRoute[] = ALL_ROUTES): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("query parser", "simple");

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    res.locals.requestId = requestId;
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const route = (req.route?.path as string | undefined) ?? "unmatched";
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      services.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      services.metrics.latency.observe({ method: req.method, route }, seconds);
      // Never log bodies or query strings: they may carry personal data.
      services.logger.info({ requestId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
    });
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          // Ant Design writes its styles at run time.
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "blob:"],
          "media-src": ["'self'", "blob:"],
          "connect-src": ["'self'"],
          "object-src": ["'none'"],
          "frame-ancestors": ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(limiter(services.config.RATE_LIMIT_PER_IP, (req) => `ip:${ipKeyGenerator(req.ip ?? "unknown")}`));

  const gates = {
    uploads: new UploadGate(services.config.MAX_CONCURRENT_UPLOADS),
    perKey: limiter(services.config.RATE_LIMIT_PER_KEY, (req) => `key:${(req.res?.locals.auth as { id?: string } | undefined)?.id ?? ipKeyGenerator(req.ip ?? "unknown")}`),
  };
  const router = express.Router();
  for (const r of routes) mountRoute(router, services, r, gates);
  app.use(router);
  app.use(serveConsole());
  app.use((req, _res, next) => next(new AppError("NOT_FOUND", { method: req.method, path: req.path.slice(0, 200) })));
  app.use(
    errorHandler((err, raw, req) => {
      const auth = req.res?.locals.auth as { id: string } | undefined;
      if (err.httpStatus >= 500) services.logger.error({ err: raw, code: err.code, requestId: req.res?.locals.requestId }, "request failed");
      if (err.code.startsWith("IPFS_") || err.code.startsWith("CONTENT_")) services.metrics.ipfsErrors.inc({ code: err.code });
      if (err.code.startsWith("CHAIN_")) services.metrics.chainErrors.inc({ code: err.code });
      if (err.httpStatus === 401 || err.httpStatus === 403) {
        // On the record, aggregated per source and minute (see AuthFailureLog).
        services.authFailures.record({
          source: req.ip ?? "unknown",
          keyId: auth?.id ?? ((err.details as { keyId?: string } | null)?.keyId ?? null),
          status: err.httpStatus,
          code: err.code,
          method: req.method,
          path: req.route?.path ?? req.path,
        });
      } else if (auth && req.method !== "GET" && err.httpStatus >= 400 && err.httpStatus < 500 && err.httpStatus !== 429) {
        // Every attempted privileged action is on the record, refused or not.
        void services.sandbox
          .append({
            actor: auth.id,
            action: "request.refused",
            decision: "refused",
            payload: { method: req.method, route: req.route?.path ?? req.path, status: err.httpStatus, code: err.code, params: err.params },
          })
          .catch((e) => services.logger.error({ err: e }, "cannot log a refused request"));
      }
    }),
  );
  return app;
}
