import { AppError } from "../errors";
import { pinFiles, releasePins } from "../ipfs/pins";
import type { Services } from "../services";

type Deps = Pick<Services, "ipfs" | "config" | "metrics" | "logger">;

/**
 * Pins a request's files, each checked against its CID, every call to IPFS within IPFS_TIMEOUT_MS (plus a
 * second per MiB): a frozen node fails the request with a fast 503. Content already pinned (by another
 * collection) is left alone; what this request pins is returned, and undone if the request fails, a late
 * pin of a frozen node included (server/ipfs/pins.ts).
 */
export async function pinAll(services: Deps, files: Uint8Array[], expected: string[]): Promise<string[]> {
  try {
    return await pinFiles(services.ipfs, files, expected, { timeoutMs: services.config.IPFS_TIMEOUT_MS, logger: services.logger });
  } catch (e) {
    services.metrics.ipfsErrors.inc({ code: e instanceof AppError ? e.code : "IPFS_ERROR" });
    throw e;
  }
}

/** Undoes, in the background, the pins of a failed request that no other request uses. */
export function unpinQuietly(services: Pick<Deps, "ipfs" | "logger">, cids: readonly string[]): void {
  releasePins(services.ipfs, cids, { logger: services.logger });
}
