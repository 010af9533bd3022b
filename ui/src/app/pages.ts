/**
 * Every page's code-split chunk, by route. Kept free of React and Ant Design so that the bootstrap
 * (main.tsx) can start loading the page a URL opens at the same time as the app itself, instead of after
 * the app has started and the router has matched.
 */
import type { ComponentType } from "react";

type PageModule = Promise<{ default: ComponentType }>;

export const PAGE_LOADERS = {
  report: () => import("../features/explorer/components/ReportPage"),
  myCollections: () => import("../features/issuer/components/MyCollectionsPage"),
  createCollection: () => import("../features/issuer/components/CreateCollectionPage"),
  mint: () => import("../features/issuer/components/MintPage"),
  job: () => import("../features/issuer/components/JobPage"),
  register: () => import("../features/identities/components/RegisterPage"),
  renewals: () => import("../features/identities/components/RenewalQueuePage"),
  evidence: () => import("../features/identities/components/EvidencePage"),
  identity: () => import("../features/identities/components/IdentityPage"),
  search: () => import("../features/explorer/components/SearchPage"),
  token: () => import("../features/explorer/components/TokenPage"),
  collection: () => import("../features/explorer/components/CollectionPage"),
  account: () => import("../features/explorer/components/AccountPage"),
  verify: () => import("../features/explorer/components/VerifyFilePage"),
  events: () => import("../features/explorer/components/EventsPage"),
  log: () => import("../features/regulator/components/SandboxLogPage"),
  anchor: () => import("../features/regulator/components/AnchorPage"),
  actions: () => import("../features/regulator/components/ActionsPage"),
  roles: () => import("../features/regulator/components/RolesPage"),
  network: () => import("../features/network/components/NetworkPage"),
  notFound: () => import("./NotFound"),
} satisfies Record<string, () => PageModule>;
export type PageKey = keyof typeof PAGE_LOADERS;

/** The pages inside the console's frame, by route path (react-router syntax, relative to "/"). */
export const PAGE_ROUTES: ReadonlyArray<readonly [string, PageKey]> = [
  ["issuer", "myCollections"],
  ["issuer/new", "createCollection"],
  ["issuer/collections/:id/mint", "mint"],
  ["issuer/jobs/:jobId", "job"],
  ["attestor", "register"],
  ["attestor/renewals", "renewals"],
  ["attestor/evidence", "evidence"],
  ["identities", "identity"],
  ["explorer", "search"],
  ["explorer/tokens/:id", "token"],
  ["explorer/collections/:id", "collection"],
  ["explorer/accounts/:address", "account"],
  ["explorer/verify", "verify"],
  ["explorer/events", "events"],
  ["regulator", "log"],
  ["regulator/anchor", "anchor"],
  ["regulator/actions", "actions"],
  ["regulator/roles", "roles"],
  ["network", "network"],
];
export const REPORT_PATH = "/explorer/tokens/:id/report";

const pattern = (path: string) => new RegExp(`^/${path.replace(/^\//, "").replace(/:[A-Za-z]+/g, "[^/]+")}/?$`);

/** Starts loading the chunk of the page `pathname` opens (nothing for "/", which redirects by role). */
export function preloadPage(pathname: string): void {
  if (pattern(REPORT_PATH).test(pathname)) void PAGE_LOADERS.report();
  const hit = PAGE_ROUTES.find(([path]) => pattern(path).test(pathname));
  if (hit) void PAGE_LOADERS[hit[1]]();
}
