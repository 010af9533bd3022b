import path from "node:path";
import { openEmbeddedIpfs } from "./helia";
import type { IpfsBackend } from "./ipfs";
import { openRemoteIpfs } from "./kubo";

export type { IpfsBackend } from "./ipfs";
export { openEmbeddedIpfs } from "./helia";
export { openRemoteIpfs } from "./kubo";

/**
 * The gateway's IPFS backend: the Kubo-RPC node at `IPFS_API_URL` when it is set (non-empty), else an
 * embedded Helia node persisted under `DATA_DIR/ipfs`.
 */
export async function openIpfs(config: { IPFS_API_URL?: string; DATA_DIR: string; IPFS_TIMEOUT_MS?: number }): Promise<IpfsBackend> {
  const apiUrl = config.IPFS_API_URL?.trim();
  if (apiUrl) return openRemoteIpfs(apiUrl, { timeoutMs: config.IPFS_TIMEOUT_MS });
  return openEmbeddedIpfs(path.join(config.DATA_DIR, "ipfs"));
}
