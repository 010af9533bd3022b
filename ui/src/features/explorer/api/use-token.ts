import { useRouteQuery } from "../../../lib/query";

export const useToken = (id: string) => useRouteQuery("getToken", { params: { id } });
export const useProvenance = (id: string) => useRouteQuery("getProvenance", { params: { id } });
