import { z } from "zod";
import { decodeTokenId } from "../../shared/token-id";

export const TokenIdParam = z.strictObject({
  id: z.string().regex(/^[0-9]{1,78}$/, "must be a decimal token id").refine((v) => !/^[0-9]{1,78}$/.test(v) || BigInt(v) < 2n ** 128n, "token id out of range"),
});

export const parseTokenId = (id: string) => {
  const tokenId = BigInt(id);
  return { tokenId, ...decodeTokenId(tokenId) };
};
