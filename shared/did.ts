/** Our identity-identifier rule: did:<method>:<chainId>:<identityId>. Shared by the gateway and the verifier. */
export function didOf(method: string, chainId: number, identityId: string): string {
  return `did:${method}:${chainId}:${identityId.toLowerCase()}`;
}
