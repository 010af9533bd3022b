import { API } from "../../shared/api";
import { implement } from "../http/route";
import { exportSandboxLog, readSandboxLog } from "./read-sandbox-log";

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
  implement(API.exportLog, async ({ services, query }) => exportSandboxLog(services, query)),
];
