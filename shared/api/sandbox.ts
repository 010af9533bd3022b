import { z } from "zod";
import { LogEntrySchema } from "./log-entry";
import { route } from "./contract";
import { IsoDateTime } from "./common";

const REGULATORS = ["regulator", "admin"] as const;

export const LogQuery = z.strictObject({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  rule: z.string().max(100).optional(),
  decision: z.string().max(50).optional(),
  collection: z.string().regex(/^[0-9]{1,20}$/).optional(),
  token: z.string().regex(/^[0-9]{1,78}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
  format: z.enum(["json", "jsonl", "csv"]).default("json"),
});
export type LogQuery = z.infer<typeof LogQuery>;

export const LogPage = z.object({ entries: z.array(LogEntrySchema), nextCursor: z.number().int().nullable() });

export const VerifyReport = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  lastSeq: z.number().int().nullable(),
  anchors: z.object({ checked: z.number().int(), ok: z.number().int(), onChain: z.boolean() }),
  unanchored: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  badAnchor: z
    .object({
      id: z.number().int(),
      fromSeq: z.number().int(),
      toSeq: z.number().int(),
      evidenceId: z.string(),
      firstSeq: z.number().int(),
      reason: z.string(),
      recomputedRoot: z.string().nullable(),
      storedRoot: z.string(),
      chainRoot: z.string().nullable(),
    })
    .optional(),
});

export const AnchorView = z.object({
  id: z.number().int(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  root: z.string(),
  evidenceId: z.string(),
  txHash: z.string(),
  blockNumber: z.number().int(),
  createdAt: z.string(),
});

export const sandboxRoutes = {
  readLog: route({
    method: "get",
    path: "/v1/sandbox/logs",
    tag: "sandbox",
    summary: "Read the sandbox log: filters, cursor pagination, export as JSONL or CSV",
    roles: REGULATORS,
    query: LogQuery,
    response: LogPage,
    produces: ["application/json", "application/x-ndjson", "text/csv"],
  }),
  verifyLog: route({
    method: "get",
    path: "/v1/sandbox/verify",
    tag: "sandbox",
    summary: "Recompute the log and check every anchor against the chain; names the first broken entry",
    roles: REGULATORS,
    response: VerifyReport,
  }),
  anchorLog: route({
    method: "post",
    path: "/v1/sandbox/anchor",
    tag: "sandbox",
    summary: "Anchor the log in the EvidenceRegistry now",
    roles: REGULATORS,
    response: z.object({ anchor: AnchorView.nullable() }),
  }),
};
