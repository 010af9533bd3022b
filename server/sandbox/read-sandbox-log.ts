import type { Response } from "express";
import { z } from "zod";
import { IsoDateTime } from "../../shared/schemas";
import { RAW } from "../http/route";
import type { Services } from "../http/services";

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

/**
 * GET /v1/sandbox/logs: filtered, paginated by seq cursor; `format=jsonl|csv` streams the whole filtered
 * export (JSONL includes the anchors, so an auditor can verify it offline).
 *
 * @example
 * const page = await readSandboxLog(services, { rule: "privacy", decision: "failed", limit: 50, format: "json" }, res);
 */
export async function readSandboxLog(services: Services, q: LogQuery, res: Response) {
  const filter = {
    from: q.from && new Date(q.from).toISOString(),
    to: q.to && new Date(q.to).toISOString(),
    actor: q.actor,
    action: q.action,
    rule: q.rule,
    decision: q.decision,
    collectionId: q.collection,
    tokenId: q.token,
  };
  if (q.format === "json") return services.sandbox.list(filter, { limit: q.limit, cursor: q.cursor ?? null });
  res.status(200);
  res.type(q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="sandbox-log.${q.format}"`);
  for await (const chunk of services.sandbox.export(filter, q.format)) {
    if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
  }
  res.end();
  return RAW;
}
