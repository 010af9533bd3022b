import { verifyFile as verifyFileOnChain } from "../../shared/verify";
import type { Services } from "../services";

/**
 * POST /v1/verify: is this file's content hash registered, in which collection, by which issuer and when?
 * The answer is shared/verify verifyFile, the same function the auditor's CLI runs (`verify file`).
 *
 * @example
 * const answer = await verifyFile(services, bytes);
 */
export async function verifyFile(services: Services, bytes: Uint8Array) {
  const { chain } = services;
  return chain.read(() => verifyFileOnChain(chain, bytes, { didMethod: services.config.DID_METHOD }));
}
