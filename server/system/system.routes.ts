import { API } from "../../shared/api";
import { getVerifiedContent, servingPolicy } from "../ipfs/get-verified-content";
import { openApiDocument } from "../http/openapi";
import { implement, reply, type ServerRoute } from "../http/route";
import { timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";
import { hashApiKey } from "../auth/api-keys";
import type { Services } from "../services";
import { checkHealth } from "./check-health";

import { VERSION } from "./version";

/** The operations routes: health, metrics, content from IPFS and the OpenAPI document. */
export function systemRoutes(allRoutes: () => readonly ServerRoute[]): ServerRoute[] {
  return [
    implement(API.health, async ({ services }) => {
      const report = await checkHealth({ ...services, index: services.indexer });
      return report.ok ? report : reply.json(503, report);
    }),
    implement(API.metrics, async ({ services, headers }) => {
      await assertMetricsAccess(services, headers.authorization);
      const text = await services.metrics.registry.metrics();
      return reply.bytes(services.metrics.registry.contentType, new TextEncoder().encode(text));
    }),
    implement(API.ipfsContent, async ({ services, params }) => {
      const { bytes } = await getVerifiedContent(services.ipfs, params.cid, { maxBytes: services.config.MAX_FILE_BYTES });
      const policy = servingPolicy(bytes);
      return reply.bytes(policy.contentType, bytes, {
        "cache-control": "public, max-age=31536000, immutable",
        etag: `"${params.cid}"`,
        "x-content-type-options": "nosniff",
        // Nothing served from IPFS may run script on this origin (the console lives here too).
        "content-security-policy": "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
        "content-disposition": policy.disposition === "inline" ? "inline" : `attachment; filename="${params.cid}"`,
      });
    }),
    implement(API.openapi, async () => openApiDocument(allRoutes().map((r) => r.contract), { version: VERSION })),
  ];
}

/**
 * /metrics needs `Authorization: Bearer <METRICS_TOKEN>` when a token is configured, or else an API key
 * of an admin, regulator or auditor. With METRICS_PORT set, the same route is also served, without a
 * key, on that separate listener (bound to METRICS_HOST) for a scraper on a private network.
 */
async function assertMetricsAccess(services: Pick<Services, "config" | "store">, authorization: string | undefined): Promise<void> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) throw new AppError("AUTH_MISSING");
  const configured = services.config.METRICS_TOKEN;
  if (configured) {
    const a = Buffer.from(token);
    const b = Buffer.from(configured);
    if (a.length === b.length && timingSafeEqual(a, b)) return;
  }
  const key = await services.store.apiKeys.findByHash(hashApiKey(token));
  if (!key || key.revokedAt) throw new AppError("AUTH_INVALID");
  if (!["admin", "regulator", "auditor"].includes(key.role)) throw new AppError("ROLE_FORBIDDEN", { required: ["admin", "regulator", "auditor"] }, { details: { keyId: key.id } });
}
