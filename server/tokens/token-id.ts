import { decodeTokenId } from "../../shared/token-id";

export const parseTokenId = (id: string) => {
  const tokenId = BigInt(id);
  return { tokenId, ...decodeTokenId(tokenId) };
};
