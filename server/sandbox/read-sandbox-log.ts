import type { LogActor, LogQuery } from "../../shared/api";
import { reply } from "../http/route";
import type { Services } from "../services";

/**
 * GET /v1/sandbox/logs: filtered, paginated by seq cursor; `format=jsonl|csv` streams the whole filtered
 * export (JSONL includes the anchors, so an auditor can verify it offline).
 *
 * @example
 * const page = await readSandboxLog(services, { rule: "privacy", decision: "failed", limit: 50, format: "json" });
 */
export async function readSandboxLog(services: Pick<Services, "sandbox" | "store">, q: LogQuery) {
  const filter = filterOf(q);
  if (q.format !== "json") return exportSandboxLog(services, { ...q, format: q.format });
  const page = await services.sandbox.list(filter, { limit: q.limit, cursor: q.cursor ?? null });
  // Regulators read who acted by the key's label and role; listing keys stays the admin's.
  const actors: Record<string, LogActor> = {};
  for (const id of new Set(page.entries.map((e) => e.actor))) {
    const key = await services.store.apiKeys.get(id);
    if (key) actors[id] = { label: key.label, role: key.role };
  }
  return { ...page, actors };
}

/**
 * GET /v1/sandbox/export: the whole filtered log as a download; `bundle` (the default) is what
 * `npm run verify -- log` checks offline: every entry, the signed checkpoints and their consistency proofs.
 */
export function exportSandboxLog(services: Pick<Services, "sandbox">, q: Omit<LogQuery, "format" | "limit" | "cursor"> & { format: "bundle" | "jsonl" | "csv" }) {
  const type = q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
  return reply.stream(type, services.sandbox.export(filterOf(q), q.format), q.format === "bundle" ? "sandbox-log.bundle.jsonl" : `sandbox-log.${q.format}`);
}

function filterOf(q: Omit<LogQuery, "format" | "limit" | "cursor">) {
  return {
    from: q.from && new Date(q.from).toISOString(),
    to: q.to && new Date(q.to).toISOString(),
    actor: q.actor,
    action: q.action,
    rule: q.rule,
    decision: q.decision,
    collectionId: q.collection,
    tokenId: q.token,
  };
}
