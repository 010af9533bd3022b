/** Token ids encode their collection and serial: tokenId = collectionId << 64 | serial (see CollectibleRights). */
export const tokenIdOf = (collectionId: bigint, serial: bigint): bigint => (collectionId << 64n) | serial;

export const decodeTokenId = (tokenId: bigint): { collectionId: bigint; serial: bigint } => ({
  collectionId: tokenId >> 64n,
  serial: tokenId & ((1n << 64n) - 1n),
});
