import { BadRequestError } from "../errors";

export { didOf } from "../../shared/did";

export function parseDid(did: string, method: string): { chainId: number; identityId: string } {
  const m = new RegExp(`^did:${method}:(\\d{1,12}):(0x[0-9a-fA-F]{64})$`).exec(did);
  if (!m) {
    throw new BadRequestError("INVALID_DID", `Expected did:${method}:<chainId>:<0x… 32-byte identity id>.`, {
      details: { did },
    });
  }
  return { chainId: Number(m[1]), identityId: m[2].toLowerCase() };
}
