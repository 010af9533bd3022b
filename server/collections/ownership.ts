import { AppError } from "../errors";
import type { Services } from "../services";
import type { ApiKeyRecord } from "../store/store";

/** Checks the collection exists and belongs to the key's issuer. */
export async function assertIssuerOwnsCollection(services: Pick<Services, "chain">, collectionId: string, key: ApiKeyRecord): Promise<void> {
  const { chain } = services;
  const count = await chain.read(() => chain.rights.collectionCount());
  if (BigInt(collectionId) < 1n || BigInt(collectionId) > count) throw new AppError("COLLECTION_NOT_FOUND", { collectionId });
  const c = await chain.read(() => chain.rights.getCollection(collectionId));
  if (c.issuer.toLowerCase() !== key.wallet?.toLowerCase()) throw new AppError("ISSUER_MISMATCH", { collectionId });
}
