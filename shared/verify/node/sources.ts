/** Node-only sources of the verifier: an IPFS node's blocks folder, and local files. */
import { readFile, stat } from "node:fs/promises";
import { concatBytes } from "../../bytes";
import { ContentUnavailableError, DEFAULT_MAX_BYTES, TIMEOUT_MS, requireCid, type ContentSource } from "../sources";

const dynImport = new Function("s", "return import(s)") as (specifier: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The blocks folder of an IPFS node's filesystem blockstore (the gateway's DATA_DIR/ipfs/blocks), read
 * with blockstore-fs and ipfs-unixfs-exporter. Read-only; nothing is fetched from the network.
 */
export function blocksDirSource(dir: string): ContentSource {
  let store: Promise<unknown> | undefined;
  const open = () =>
    (store ??= (async () => {
      const st = await stat(dir).catch(() => undefined);
      if (!st?.isDirectory()) throw new ContentUnavailableError(`${dir} is not a directory of IPFS blocks`, "", true);
      const { FsBlockstore } = (await dynImport("blockstore-fs")) as typeof import("blockstore-fs");
      const bs = new FsBlockstore(dir, { createIfMissing: false });
      await bs.open();
      return bs;
    })());
  return {
    label: `blocks-dir ${dir}`,
    async ping() {
      await open();
    },
    async get(cid, maxBytes = DEFAULT_MAX_BYTES) {
      const parsed = requireCid(cid);
      const blockstore = await open();
      const { exporter } = (await dynImport("ipfs-unixfs-exporter")) as typeof import("ipfs-unixfs-exporter");
      try {
        const entry = await exporter(parsed, blockstore as Parameters<typeof exporter>[1], { signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (entry.type === "directory" || entry.type === "object") throw new ContentUnavailableError(`${cid} is a directory, not a file`, cid);
        if (Number(entry.size) > maxBytes) throw new ContentUnavailableError(`content ${cid} is larger than ${maxBytes} bytes`, cid);
        const parts: Uint8Array[] = [];
        let total = 0;
        for await (const chunk of (entry as { content(): AsyncIterable<Uint8Array> }).content()) {
          total += chunk.byteLength;
          if (total > maxBytes) throw new ContentUnavailableError(`content ${cid} is larger than ${maxBytes} bytes`, cid);
          parts.push(chunk);
        }
        return concatBytes(parts, total);
      } catch (e) {
        if (e instanceof ContentUnavailableError) throw e;
        const name = (e as Error)?.name ?? "";
        const missing = /NotFound/i.test(name) || /not found|ENOENT/i.test((e as Error)?.message ?? "");
        throw new ContentUnavailableError(missing ? `${cid} is not in ${dir}` : `cannot read ${cid} from ${dir}: ${(e as Error).message}`, cid);
      }
    },
  };
}

/** Reads a local file (used by the CLI's `file` command). */
export async function readLocalFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
