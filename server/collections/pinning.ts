import { AppError } from "../errors";
import type { Services } from "../services";

type Deps = Pick<Services, "ipfs" | "config" | "metrics" | "logger">;

/**
 * Pins files and checks each CID, within IPFS_TIMEOUT_MS (plus a second per MiB). A pin that times out
 * fails the request with IPFS_TIMEOUT, and if the node finishes it later, it is unpinned then: content of
 * a request that failed is never left pinned. Returns the CIDs pinned.
 */
export async function pinAll(services: Deps, files: Uint8Array[], expected: string[]): Promise<string[]> {
  const pinned: string[] = [];
  try {
    await Promise.all(
      files.map(async (bytes, i) => {
        const budget = services.config.IPFS_TIMEOUT_MS + Math.ceil(bytes.length / 1_048_576) * 1000;
        const add = services.ipfs.add(bytes);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new AppError("IPFS_TIMEOUT", { timeoutMs: budget })), budget);
        });
        try {
          const cid = await Promise.race([add, timedOut]);
          if (cid !== expected[i]) throw new AppError("IPFS_CID_MISMATCH", { cid: expected[i] }, { details: { node: cid, expected: expected[i] } });
          pinned.push(cid);
        } catch (e) {
          // A late pin of a failed request is undone as soon as it lands.
          add.then((cid) => unpinQuietly(services, [cid]), () => undefined);
          throw e;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return pinned;
  } catch (e) {
    services.metrics.ipfsErrors.inc({ code: e instanceof AppError ? e.code : "IPFS_ERROR" });
    unpinQuietly(services, pinned);
    throw e;
  }
}

/** Unpins in the background; failures are logged, never thrown (a leftover pin costs disk, not correctness). */
export function unpinQuietly(services: Pick<Deps, "ipfs" | "logger">, cids: readonly string[]): void {
  for (const cid of cids) {
    services.ipfs.unpin(cid).catch((e: unknown) => services.logger.warn({ err: e, cid }, "could not unpin the content of a failed request"));
  }
}
