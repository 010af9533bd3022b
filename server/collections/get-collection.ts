import type { CollectionView } from "../../shared/api";
import { modeName, rightsOf, ZERO_HASH } from "../../shared/domain";
import { didOf } from "../dids/did";
import { AppError } from "../errors";
import type { Services } from "../services";

/**
 * GET /v1/collections/:id: a collection as recorded on chain.
 *
 * @example
 * const c = await getCollection(services, "1");
 */
export async function getCollection(services: Pick<Services, "chain" | "config">, id: string): Promise<CollectionView> {
  const { chain } = services;
  const count = await chain.read(() => chain.rights.collectionCount());
  if (BigInt(id) < 1n || BigInt(id) > count) throw new AppError("COLLECTION_NOT_FOUND", { collectionId: id });
  const c = await chain.read(() => chain.rights.getCollection(id));
  const [issuerId, supply] = await chain.read(() => Promise.all([chain.identity.identityOf(c.issuer), chain.rights.totalSupply(id)]));
  const metadataRef = (c as unknown as { metadataComplianceRef?: string }).metadataComplianceRef;
  return {
    collectionId: id,
    issuer: c.issuer,
    issuerDid: didOf(services.config.DID_METHOD, chain.chainId, issuerId),
    contentHash: c.contentHash,
    metadataCID: c.metadataCID,
    tokenURI: `ipfs://${c.metadataCID}`,
    licenceCID: c.licenceCID,
    rights: rightsOf(c.rights),
    maxSupply: Number(c.maxSupply),
    minted: Number(c.minted),
    burned: Number(c.burned),
    totalSupply: Number(supply),
    royalty: { receiver: c.royaltyReceiver, bps: Number(c.royaltyBps) },
    transferPolicy: { mode: modeName(c.mode) ?? "Locked", holdingPeriodSeconds: Number(c.holdingPeriod), minLevel: Number(c.minLevel) },
    complianceRef: c.complianceRef,
    metadataComplianceRef: metadataRef && metadataRef !== ZERO_HASH ? metadataRef : null,
    createdAt: new Date(Number(c.createdAt) * 1000).toISOString(),
  };
}
