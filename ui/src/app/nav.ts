/**
 * The console's pages by area, with the API route each one stands on: a page is offered to a key whose
 * role the route's contract allows (shared/api), so the menu never offers what the gateway would refuse.
 */
import { API, type RouteName } from "../../../shared/api";
import type { ApiRole } from "../../../shared/domain";
import type { TextKey } from "../lib/i18n";

export interface NavItem {
  path: string;
  label: TextKey;
  route: RouteName;
  /** Narrower than the route allows (e.g. evidence recorded by an issuer does not count for its own works). */
  only?: readonly ApiRole[];
}
export interface NavArea {
  key: string;
  label: TextKey;
  items: NavItem[];
}

export const NAV: NavArea[] = [
  {
    key: "issuer",
    label: "nav.issuer",
    items: [
      { path: "/issuer", label: "nav.myCollections", route: "listCollections", only: ["issuer"] },
      { path: "/issuer/new", label: "nav.createCollection", route: "createCollection" },
    ],
  },
  {
    key: "attestor",
    label: "nav.attestor",
    items: [
      { path: "/attestor", label: "nav.registerIdentities", route: "registerIdentity" },
      { path: "/identities", label: "nav.identityLookup", route: "getIdentityOfWallet", only: ["attestor", "auditor", "regulator", "admin"] },
      { path: "/attestor/renewals", label: "nav.renewals", route: "renewIdentity" },
      { path: "/attestor/evidence", label: "nav.evidence", route: "recordEvidence", only: ["attestor", "admin"] },
    ],
  },
  {
    key: "explorer",
    label: "nav.explorer",
    items: [
      { path: "/explorer", label: "nav.search", route: "search" },
      { path: "/explorer/verify", label: "nav.verifyFile", route: "verifyFile" },
      { path: "/explorer/events", label: "nav.events", route: "listEvents" },
    ],
  },
  {
    key: "regulator",
    label: "nav.regulator",
    items: [
      { path: "/regulator", label: "nav.sandboxLog", route: "readLog" },
      { path: "/regulator/anchor", label: "nav.anchor", route: "verifyLog" },
      { path: "/regulator/actions", label: "nav.actions", route: "freezeToken" },
      { path: "/regulator/roles", label: "nav.roles", route: "listRoles" },
    ],
  },
  { key: "network", label: "nav.networkArea", items: [{ path: "/network", label: "nav.network", route: "network" }] },
];

/** Whether a key of `role` may call `route`. */
export function mayCall(route: RouteName, role: ApiRole | undefined): boolean {
  const roles = API[route].roles;
  if (roles === "public") return true;
  return role !== undefined && (roles as readonly ApiRole[]).includes(role);
}

export const visible = (item: NavItem, role: ApiRole | undefined) => mayCall(item.route, role) && (!item.only || (role !== undefined && item.only.includes(role)));

/** Where each role lands. */
export const HOME: Record<ApiRole, string> = {
  issuer: "/issuer",
  attestor: "/attestor",
  auditor: "/explorer",
  regulator: "/regulator",
  admin: "/explorer",
};
