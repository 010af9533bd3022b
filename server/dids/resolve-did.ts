import { AppError } from "../errors";
import type { Services } from "../services";
import { readIdentity } from "../identities/get-identity";
import { parseDid } from "./did";

/**
 * Resolves did:<method>:<chainId>:<identityId> to a W3C DID Core document: each linked wallet is an
 * EcdsaSecp256k1RecoveryMethod2020 verification method with a CAIP-10 blockchainAccountId, and the
 * identity's status, level and expiry are in the document metadata.
 *
 * @example
 * const { didDocument } = await resolveDid(services, "did:dareg:31337:0xabc…");
 */
export async function resolveDid(services: Services, did: string) {
  const { chainId, identityId } = parseDid(did, services.config.DID_METHOD);
  if (chainId !== services.chain.chainId) {
    throw new AppError("DID_NOT_FOUND", { did }, { details: { servedChainId: services.chain.chainId, chainId } });
  }
  const identity = await readIdentity(services, identityId);
  if (!identity) throw new AppError("DID_NOT_FOUND", { did });
  const methods = identity.wallets.map((wallet) => ({
    id: `${identity.did}#${wallet.toLowerCase()}`,
    type: "EcdsaSecp256k1RecoveryMethod2020",
    controller: identity.did,
    blockchainAccountId: `eip155:${chainId}:${wallet}`,
  }));
  return {
    "@context": "https://w3id.org/did-resolution/v1",
    didDocument: {
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/secp256k1recovery-2020/v2"],
      id: identity.did,
      verificationMethod: methods,
      authentication: methods.map((m) => m.id),
      assertionMethod: methods.map((m) => m.id),
    },
    didDocumentMetadata: {
      deactivated: identity.status === "Revoked",
      status: identity.status,
      level: identity.level,
      jurisdiction: identity.jurisdiction,
      expiresAt: identity.expiresAt,
      verified: identity.verified,
      attestor: identity.attestor,
    },
    didResolutionMetadata: { contentType: "application/did+ld+json" },
  };
}
