import { API } from "../../shared/api";
import { implement, reply } from "../http/route";
import { readSandboxLog } from "./read-sandbox-log";

export const sandboxRoutes = [
  implement(API.readLog, ({ services, query }) => readSandboxLog(services, query)),
  implement(API.verifyLog, ({ services }) => services.sandbox.verify()),
  implement(API.anchorLog, async ({ services }) => ({ checkpoint: (await services.sandbox.anchor()) ?? null })),
  implement(API.listCheckpoints, async ({ services }) => ({
    checkpoints: await services.store.checkpoints.list(),
    size: await services.sandbox.journal.size(),
  })),
  implement(API.logProof, ({ services, params }) => services.sandbox.proof(params.seq)),
  implement(API.logConsistency, ({ services, query }) => services.sandbox.consistency(query.from, query.to)),
  implement(API.logKey, ({ services }) => services.sandbox.logKey()),
  implement(API.exportLog, async ({ services, query }) => {
    const { format, ...q } = query;
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
    const type = format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
    return reply.stream(type, services.sandbox.export(filter, format), format === "bundle" ? "sandbox-log.bundle.jsonl" : `sandbox-log.${format}`);
  }),
];
