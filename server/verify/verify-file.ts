import { sha256 } from "ethers";
import { didOf } from "../dids/did";
import type { Services } from "../http/services";

/**
 * POST /v1/verify: is this file's content hash registered, in which collection, by which issuer and when?
 *
 * @example
 * const answer = await verifyFile(services, bytes);
 */
export async function verifyFile(services: Services, bytes: Uint8Array) {
  const { chain } = services;
  const contentHash = sha256(bytes);
  const collectionId = await chain.read(() => chain.rights.collectionOfContent(contentHash));
  if (collectionId === 0n) return { registered: false, contentHash };
  const [collection, created] = await chain.read(() =>
    Promise.all([
      chain.rights.getCollection(collectionId),
      chain.rights.queryFilter(
        chain.rights.filters.CollectionCreated(collectionId, undefined, contentHash),
        chain.deployment.contracts.collectibleRights.blockNumber,
      ),
    ]),
  );
  const issuerId = await chain.read(() => chain.identity.identityOf(collection.issuer));
  const event = created[0];
  return {
    registered: true,
    contentHash,
    collectionId: collectionId.toString(),
    issuer: collection.issuer,
    issuerDid: didOf(services.config.DID_METHOD, chain.chainId, issuerId),
    registeredAt: new Date(Number(collection.createdAt) * 1000).toISOString(),
    blockNumber: event?.blockNumber ?? null,
    txHash: event?.transactionHash ?? null,
    metadataCID: collection.metadataCID,
    complianceRef: collection.complianceRef,
  };
}
