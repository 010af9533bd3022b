import { useRouteQuery } from "../../../lib/query";
import { useSession } from "../../../lib/session";

/** The key in use: its role, label and wallet (GET /v1/keys/me). */
export function useWhoAmI() {
  const { apiKey } = useSession();
  return useRouteQuery("whoAmI", apiKey ? {} : undefined, { staleTime: Infinity });
}
