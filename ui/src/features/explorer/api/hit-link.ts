import type { z } from "zod";
import type { SearchHit } from "../../../../../shared/api/queries";

type Hit = z.infer<typeof SearchHit>;

/** The console page of a search hit, from the API path it names (or its type). */
export function hitLink(hit: Hit): string | null {
  const m = hit.path.match(/^\/v1\/(tokens|collections|accounts|identities|dids)\/([^/?]+)/);
  if (m) {
    const v = decodeURIComponent(m[2]);
    if (m[1] === "tokens") return `/explorer/tokens/${v}`;
    if (m[1] === "collections") return `/explorer/collections/${v}`;
    if (m[1] === "accounts") return `/explorer/accounts/${v}`;
    return `/identities?q=${encodeURIComponent(v)}`;
  }
  switch (hit.type) {
    case "token":
      return `/explorer/tokens/${hit.id}`;
    case "collection":
      return `/explorer/collections/${hit.id}`;
    case "address":
      return `/explorer/accounts/${hit.id}`;
    case "identity":
    case "did":
      return `/identities?q=${encodeURIComponent(hit.id)}`;
    case "transaction":
      return `/explorer/events?txHash=${hit.id}`;
    default:
      return null;
  }
}
