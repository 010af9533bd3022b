import { importBytes, type ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";

/** Kubo's default chunk size (`--chunker=size-262144`). */
export const CHUNK_SIZE = 262_144;
/** Kubo's balanced layout: at most 174 links per intermediate node. */
export const MAX_CHILDREN_PER_NODE = 174;

export type KuboImportOptions = Required<
  Pick<ImporterOptions, "cidVersion" | "rawLeaves" | "reduceSingleLeafToSelf" | "chunker" | "layout">
>;

/**
 * The UnixFS import options that give the same CID as `ipfs add --cid-version=1` on Kubo
 * (raw leaves, 256 KiB fixed chunks, balanced DAG of 174 links, a single chunk stored as a raw block).
 * A fresh object each call: chunker and layout are stateless but callers may spread and extend it.
 */
export function kuboCompatibleImportOptions(): KuboImportOptions {
  return {
    cidVersion: 1,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: CHUNK_SIZE }),
    layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE }),
  };
}

/** Accepts blocks and forgets them: the importer only needs `put` to compute the DAG. */
const discardingBlockstore = {
  put: async (cid: CID): Promise<CID> => cid,
};

/**
 * The CIDv1 (base32) that an IPFS node gives `bytes` when added as a file with Kubo's defaults and
 * `--cid-version=1`, computed from the bytes alone (no IPFS node, nothing stored).
 *
 * @example
 * await cidOf(new TextEncoder().encode("hello world\n"));
 * // "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
 */
export async function cidOf(bytes: Uint8Array): Promise<string> {
  const { cid } = await importBytes(bytes, discardingBlockstore, kuboCompatibleImportOptions());
  return cid.toV1().toString();
}

/** Parses a CID string (v0 `Qm…` or any v1 multibase that multiformats knows), or returns null. */
export function parseCid(value: string): CID | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 200) return null;
  try {
    return CID.parse(value.trim());
  } catch {
    return null;
  }
}

/** The canonical form used across the project: CIDv1 in base32 (`bafy…`/`bafk…`). Throws on an invalid CID. */
export function normalizeCid(value: string): string {
  const cid = parseCid(value);
  if (!cid) throw new TypeError(`Not a valid CID: ${String(value).slice(0, 100)}`);
  return cid.toV1().toString();
}

/**
 * True when `a` and `b` name the same content: same codec and multihash, whatever the CID version or
 * multibase (a CIDv0 `Qm…` equals the `bafy…` CIDv1 of the same dag-pb node). False if either is invalid.
 */
export function sameCid(a: string | CID, b: string | CID): boolean {
  const ca = typeof a === "string" ? parseCid(a) : a;
  const cb = typeof b === "string" ? parseCid(b) : b;
  if (!ca || !cb) return false;
  return ca.toV1().equals(cb.toV1());
}
