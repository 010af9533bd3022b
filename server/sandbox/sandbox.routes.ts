import { API } from "../../shared/api";
import { implement } from "../http/route";
import { readSandboxLog } from "./read-sandbox-log";

export const sandboxRoutes = [
  implement(API.readLog, ({ services, query }) => readSandboxLog(services, query)),
  implement(API.verifyLog, ({ services }) => services.sandbox.verify()),
  implement(API.anchorLog, async ({ services }) => ({ anchor: (await services.sandbox.anchor()) ?? null })),
];
