/**
 * Routes, one code-split chunk per page (./pages.ts): a role's landing page loads only what it shows.
 * Declarative routes (no data router): the console's data lives in TanStack Query, and this keeps the
 * router small.
 */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import { Route, Routes } from "react-router";
import { PAGE_LOADERS, PAGE_ROUTES, REPORT_PATH, type PageKey } from "./pages";
import { RoleHome } from "./RoleHome";
import { Shell } from "./Shell";

const Page = Object.fromEntries(
  Object.entries(PAGE_LOADERS).map(([k, load]) => [k, lazy(load as () => Promise<{ default: ComponentType }>)]),
) as unknown as Record<PageKey, LazyExoticComponent<ComponentType>>;

export function AppRoutes() {
  return (
    <Routes>
      {/* The printable report has no menu or header: it is for paper. */}
      <Route
        path={REPORT_PATH}
        element={
          <Suspense fallback={null}>
            <Page.report />
          </Suspense>
        }
      />
      <Route path="/" element={<Shell />}>
        <Route index element={<RoleHome />} />
        {PAGE_ROUTES.map(([path, key]) => {
          const Component = Page[key];
          return <Route key={path} path={path} element={<Component />} />;
        })}
        <Route path="*" element={<Page.notFound />} />
      </Route>
    </Routes>
  );
}
