import { AppError } from "../errors";

export { didOf } from "../../shared/did";

export function parseDid(did: string, method: string): { chainId: number; identityId: string } {
  const m = new RegExp(`^did:${method}:(\\d{1,12}):(0x[0-9a-fA-F]{64})$`).exec(did);
  if (!m) {
    throw new AppError("INVALID_DID", { did: String(did).slice(0, 200) }, { details: { expected: `did:${method}:<chainId>:<0x… 32-byte identity id>` } });
  }
  return { chainId: Number(m[1]), identityId: m[2].toLowerCase() };
}
