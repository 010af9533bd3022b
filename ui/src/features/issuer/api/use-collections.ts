import { useRouteQuery } from "../../../lib/query";

/** The issuer's collections from the index, newest first (GET /v1/collections?issuer=). */
export function useMyCollections(issuer: string | null | undefined, cursor: string | undefined) {
  return useRouteQuery("listCollections", issuer ? { query: { issuer, cursor, limit: 20 } } : undefined, { placeholderData: (prev) => prev });
}

export function useCollection(id: string | undefined) {
  return useRouteQuery("getCollection", id ? { params: { id } } : undefined);
}
