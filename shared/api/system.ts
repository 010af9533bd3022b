import { z } from "zod";
import { route } from "./contract";
import { Cid } from "./common";

const Part = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });

export const Health = z.object({
  ok: z.boolean(),
  chain: Part.extend({
    chainId: z.number().int().optional(),
    /** The code that says why the chain cannot serve (CHAIN_CONTRACTS_MISSING, CHAIN_MISMATCH, …). */
    code: z.string().optional(),
    head: z.number().int().optional(),
  }),
  ipfs: Part.extend({ kind: z.string() }),
  store: Part.extend({ kind: z.string() }),
  index: z.object({ indexedBlock: z.number().int().nullable(), head: z.number().int().nullable(), lag: z.number().int().nullable() }).optional(),
});
export type Health = z.infer<typeof Health>;

export const systemRoutes = {
  health: route({
    method: "get",
    path: "/healthz",
    tag: "operations",
    summary: "Can the gateway serve? Chain (contracts present, right chain id), IPFS and store, each reported; 200 or 503",
    roles: "public",
    response: Health,
    alternatives: { 503: Health },
  }),
  metrics: route({
    method: "get",
    path: "/metrics",
    tag: "operations",
    summary: "Prometheus metrics (bearer METRICS_TOKEN, or an admin, regulator or auditor key; or a separate listener)",
    roles: "public",
    headers: z.object({ authorization: z.string().max(500).optional() }),
    produces: ["text/plain"],
  }),
  ipfsContent: route({
    method: "get",
    path: "/ipfs/:cid",
    tag: "operations",
    summary: "Content held by the gateway's IPFS node, checked against its CID; passive media inline, anything else as an attachment",
    roles: "public",
    params: z.strictObject({ cid: Cid }),
    produces: ["image/*", "text/plain", "application/octet-stream"],
  }),
  openapi: route({
    method: "get",
    path: "/v1/openapi.json",
    tag: "operations",
    summary: "This API's OpenAPI 3 document",
    roles: "public",
    response: z.record(z.string(), z.unknown()),
  }),
};
