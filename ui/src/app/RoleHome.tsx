import { Navigate } from "react-router";
import { useWhoAmI } from "../features/auth/api/use-who-am-i";
import { HOME } from "./nav";

/** "/" opens the landing page of the key's role. */
export function RoleHome() {
  const me = useWhoAmI();
  return me.data ? <Navigate to={HOME[me.data.role]} replace /> : null;
}
