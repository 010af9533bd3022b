import type { LogQuery } from "../../shared/api";
import { reply } from "../http/route";
import type { Services } from "../services";

/**
 * GET /v1/sandbox/logs: filtered, paginated by seq cursor; `format=jsonl|csv` streams the whole filtered
 * export (JSONL includes the anchors, so an auditor can verify it offline).
 *
 * @example
 * const page = await readSandboxLog(services, { rule: "privacy", decision: "failed", limit: 50, format: "json" });
 */
export async function readSandboxLog(services: Pick<Services, "sandbox">, q: LogQuery) {
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
  const type = q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
  return reply.stream(type, services.sandbox.export(filter, q.format), `sandbox-log.${q.format}`);
}
