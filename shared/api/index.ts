/**
 * The gateway's API contract: every route's request and response schemas, by route name. The gateway
 * implements these (server/<area>/<area>.routes.ts), the typed client calls them (./client.ts), the
 * OpenAPI document is generated from them, and the tests parse every response with them.
 *
 * Browser-safe.
 */
import { collectionRoutes } from "./collections";
import { evidenceRoutes } from "./evidence";
import { identityRoutes } from "./identities";
import { keyRoutes } from "./keys";
import { mintRoutes } from "./mint";
import { operationRoutes } from "./operations";
import { queryRoutes } from "./queries";
import { regulatorRoutes } from "./regulator";
import { sandboxRoutes } from "./sandbox";
import { systemRoutes } from "./system";
import { tokenRoutes } from "./tokens";

export const API = {
  ...systemRoutes,
  ...identityRoutes,
  ...collectionRoutes,
  ...mintRoutes,
  ...tokenRoutes,
  ...evidenceRoutes,
  ...regulatorRoutes,
  ...sandboxRoutes,
  ...keyRoutes,
  ...operationRoutes,
  ...queryRoutes,
};
export type Api = typeof API;
export type RouteName = keyof Api;

export * from "./common";
export * from "./contract";
export * from "./compliance";
export * from "./collections";
export * from "./evidence";
export * from "./identities";
export * from "./keys";
export * from "./mint";
export * from "./operations";
export * from "./queries";
export * from "./regulator";
export * from "./sandbox";
export * from "./system";
export * from "./tokens";
