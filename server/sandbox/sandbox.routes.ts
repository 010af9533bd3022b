import { defineRoute, RAW } from "../http/route";
import { LogQuery, readSandboxLog } from "./read-sandbox-log";

const REGULATORS = ["regulator", "admin"] as const;

export const sandboxRoutes = [
  defineRoute({
    method: "get",
    path: "/v1/sandbox/logs",
    tag: "sandbox",
    summary: "Read the sandbox log: filters, cursor pagination, export as JSONL or CSV",
    roles: REGULATORS,
    query: LogQuery,
    handler: async ({ services, query, res }) => {
      const result = await readSandboxLog(services, query, res);
      return result === RAW ? RAW : result;
    },
  }),
  defineRoute({
    method: "get",
    path: "/v1/sandbox/verify",
    tag: "sandbox",
    summary: "Recompute the hash chain and check every anchor against the chain; names the first broken entry",
    roles: REGULATORS,
    handler: ({ services }) => services.sandbox.verify(),
  }),
  defineRoute({
    method: "post",
    path: "/v1/sandbox/anchor",
    tag: "sandbox",
    summary: "Anchor the Merkle root of the log since the last anchor in the EvidenceRegistry now",
    roles: REGULATORS,
    handler: async ({ services }) => ({ anchor: (await services.sandbox.anchor()) ?? null }),
  }),
];
