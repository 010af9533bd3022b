import { randomUUID } from "node:crypto";
import express, { type Express } from "express";
import { z } from "zod";
import { Cid } from "../shared/schemas";
import { collectionRoutes } from "./collections/collections.routes";
import { NotFoundError, errorHandler } from "./errors";
import { identityRoutes } from "./identities/identities.routes";
import { getVerifiedContent, sniffContentType } from "./ipfs/get-verified-content";
import { keyRoutes } from "./keys/keys.routes";
import { evidenceRoutes } from "./evidence/evidence.routes";
import { openApiDocument } from "./http/openapi";
import { defineRoute, mountRoute, RAW, type AnyRoute } from "./http/route";
import type { Services } from "./http/services";
import { checkHealth } from "./health/check-health";
import { regulatorRoutes } from "./regulator/regulator.routes";
import { sandboxRoutes } from "./sandbox/sandbox.routes";
import { tokenRoutes } from "./tokens/tokens.routes";

const VERSION = "0.1.0";

/** Routes outside /v1 that need no key. */
const publicRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/healthz",
    tag: "operations",
    summary: "Chain, IPFS and store health, separately; 200 when all are up, else 503",
    roles: "public",
    handler: async ({ services, res }) => {
      const report = await checkHealth(services);
      res.status(report.ok ? 200 : 503).json(report);
      return RAW;
    },
  }),
  defineRoute({
    method: "get",
    path: "/metrics",
    tag: "operations",
    summary: "Prometheus metrics",
    roles: "public",
    handler: async ({ services, res }) => {
      res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
      return RAW;
    },
  }),
  defineRoute({
    method: "get",
    path: "/ipfs/:cid",
    tag: "operations",
    summary: "Content held by the gateway's IPFS node, checked against its CID before it is served",
    roles: "public",
    params: z.strictObject({ cid: Cid }),
    handler: async ({ services, params, res }) => {
      const { bytes } = await getVerifiedContent(services.ipfs, params.cid, { maxBytes: services.config.MAX_FILE_BYTES });
      res.setHeader("cache-control", "public, max-age=31536000, immutable");
      res.setHeader("etag", `"${params.cid}"`);
      res.type(sniffContentType(bytes)).send(Buffer.from(bytes));
      return RAW;
    },
  }),
];

export const API_ROUTES: AnyRoute[] = [
  ...identityRoutes,
  ...collectionRoutes,
  ...tokenRoutes,
  ...evidenceRoutes,
  ...regulatorRoutes,
  ...sandboxRoutes,
  ...keyRoutes,
];

export const ALL_ROUTES: AnyRoute[] = [
  ...publicRoutes,
  defineRoute({
    method: "get",
    path: "/v1/openapi.json",
    tag: "operations",
    summary: "This API's OpenAPI 3 document",
    roles: "public",
    handler: async () => openApiDocument(ALL_ROUTES, { version: VERSION }),
  }),
  ...API_ROUTES,
];

/** Builds the Express app (no listen). */
export function buildApp(services: Services): Express {
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
      services.logger.info(
        { requestId, method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) },
        "request",
      );
    });
    next();
  });
  app.use(express.json({ limit: services.config.MAX_BODY_BYTES, strict: true }));

  const router = express.Router();
  for (const r of ALL_ROUTES) mountRoute(router, services, r);
  app.use(router);
  app.use((req, _res, next) => next(new NotFoundError("NOT_FOUND", `No route ${req.method} ${req.path}.`)));
  app.use(
    errorHandler((err, raw) => {
      if (err.httpStatus >= 500) services.logger.error({ err: raw, code: err.code }, "request failed");
      if (err.code === "IPFS_UNAVAILABLE" || err.code.startsWith("CONTENT_")) services.metrics.ipfsErrors.inc({ code: err.code });
      if (err.code.startsWith("CHAIN_")) services.metrics.chainErrors.inc({ code: err.code });
    }),
  );
  return app;
}
