import { didOf } from "../dids/did";
import { NotFoundError } from "../errors";
import type { Services } from "../http/services";

const RIGHTS = ["display", "personalUse", "commercialUse", "derivatives"] as const;

/**
 * GET /v1/collections/:id: a collection as recorded on chain.
 *
 * @example
 * const c = await getCollection(services, "1");
 */
export async function getCollection(services: Services, id: string) {
  const { chain } = services;
  const count = await chain.read(() => chain.rights.collectionCount());
  if (BigInt(id) < 1n || BigInt(id) > count) throw new NotFoundError("COLLECTION_NOT_FOUND", `Collection ${id} does not exist.`);
  const c = await chain.read(() => chain.rights.getCollection(id));
  const [issuerId, supply] = await chain.read(() =>
    Promise.all([chain.identity.identityOf(c.issuer), chain.rights.totalSupply(id)]),
  );
  return {
    collectionId: id,
    issuer: c.issuer,
    issuerDid: didOf(services.config.DID_METHOD, chain.chainId, issuerId),
    contentHash: c.contentHash,
    metadataCID: c.metadataCID,
    tokenURI: `ipfs://${c.metadataCID}`,
    licenceCID: c.licenceCID,
    rights: RIGHTS.filter((_, i) => Number(c.rights) & (1 << i)),
    maxSupply: Number(c.maxSupply),
    minted: Number(c.minted),
    burned: Number(c.burned),
    totalSupply: Number(supply),
    royalty: { receiver: c.royaltyReceiver, bps: Number(c.royaltyBps) },
    transferPolicy: {
      mode: Number(c.mode) === 0 ? "Locked" : "GiftToVerified",
      holdingPeriodSeconds: Number(c.holdingPeriod),
      minLevel: Number(c.minLevel),
    },
    complianceRef: c.complianceRef,
    createdAt: new Date(Number(c.createdAt) * 1000).toISOString(),
  };
}
