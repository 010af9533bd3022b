/**
 * Routes, one code-split chunk per page: a role's landing page loads only what it shows. Declarative
 * routes (no data router): the console's data lives in TanStack Query, and this keeps the router small.
 */
import { lazy, Suspense, type ComponentType } from "react";
import { Route, Routes } from "react-router";
import { RoleHome } from "./RoleHome";
import { Shell } from "./Shell";

const pages = {
  report: lazy(() => import("../features/explorer/components/ReportPage")),
  myCollections: lazy(() => import("../features/issuer/components/MyCollectionsPage")),
  createCollection: lazy(() => import("../features/issuer/components/CreateCollectionPage")),
  mint: lazy(() => import("../features/issuer/components/MintPage")),
  job: lazy(() => import("../features/issuer/components/JobPage")),
  register: lazy(() => import("../features/identities/components/RegisterPage")),
  renewals: lazy(() => import("../features/identities/components/RenewalQueuePage")),
  evidence: lazy(() => import("../features/identities/components/EvidencePage")),
  identity: lazy(() => import("../features/identities/components/IdentityPage")),
  search: lazy(() => import("../features/explorer/components/SearchPage")),
  token: lazy(() => import("../features/explorer/components/TokenPage")),
  collection: lazy(() => import("../features/explorer/components/CollectionPage")),
  account: lazy(() => import("../features/explorer/components/AccountPage")),
  verify: lazy(() => import("../features/explorer/components/VerifyFilePage")),
  events: lazy(() => import("../features/explorer/components/EventsPage")),
  log: lazy(() => import("../features/regulator/components/SandboxLogPage")),
  anchor: lazy(() => import("../features/regulator/components/AnchorPage")),
  actions: lazy(() => import("../features/regulator/components/ActionsPage")),
  roles: lazy(() => import("../features/regulator/components/RolesPage")),
  network: lazy(() => import("../features/network/components/NetworkPage")),
  notFound: lazy(() => import("./NotFound")),
} satisfies Record<string, ComponentType>;

const ROUTES: Array<[string, ComponentType]> = [
  ["issuer", pages.myCollections],
  ["issuer/new", pages.createCollection],
  ["issuer/collections/:id/mint", pages.mint],
  ["issuer/jobs/:jobId", pages.job],
  ["attestor", pages.register],
  ["attestor/renewals", pages.renewals],
  ["attestor/evidence", pages.evidence],
  ["identities", pages.identity],
  ["explorer", pages.search],
  ["explorer/tokens/:id", pages.token],
  ["explorer/collections/:id", pages.collection],
  ["explorer/accounts/:address", pages.account],
  ["explorer/verify", pages.verify],
  ["explorer/events", pages.events],
  ["regulator", pages.log],
  ["regulator/anchor", pages.anchor],
  ["regulator/actions", pages.actions],
  ["regulator/roles", pages.roles],
  ["network", pages.network],
  ["*", pages.notFound],
];

export function AppRoutes() {
  return (
    <Routes>
      {/* The printable report has no menu or header: it is for paper. */}
      <Route
        path="/explorer/tokens/:id/report"
        element={
          <Suspense fallback={null}>
            <pages.report />
          </Suspense>
        }
      />
      <Route path="/" element={<Shell />}>
        <Route index element={<RoleHome />} />
        {ROUTES.map(([path, Page]) => (
          <Route key={path} path={path} element={<Page />} />
        ))}
      </Route>
    </Routes>
  );
}
