import { useRouteQuery } from "../../../lib/query";

export type LookupKind = "address" | "did" | "identityId" | "invalid";

export function lookupKind(q: string): LookupKind {
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) return "address";
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return "identityId";
  if (/^did:[a-z0-9]+:/.test(q)) return "did";
  return "invalid";
}

/** The identity of a wallet (GET /v1/identities/:address). */
export const useIdentityOfWallet = (address: string | undefined) => useRouteQuery("getIdentityOfWallet", address ? { params: { address } } : undefined);

/** A DID's document (GET /v1/dids/:did). */
export const useDid = (did: string | undefined) => useRouteQuery("resolveDid", did ? { params: { did } } : undefined);

/** Every change of an identity, from the index (GET /v1/identities/:identityId/history). */
export const useIdentityHistory = (identityId: string | undefined) => useRouteQuery("identityHistory", identityId ? { params: { identityId } } : undefined);

/** An identity by its bytes32 id, from the index (GET /v1/identities?identityId=): its wallets lead to the rest. */
export const useIdentityById = (identityId: string | undefined) =>
  useRouteQuery("listIdentities", identityId ? { query: { identityId, limit: 1 } } : undefined);
