import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Helia } from "helia";
import type { UnixFS } from "@helia/unixfs";
import type { CID } from "multiformats/cid";
import { kuboCompatibleImportOptions } from "../../shared/cid";
import { AppError } from "../errors";
import {
  checkMaxBytes,
  collectBytes,
  contentTooLarge,
  DEFAULT_GET_TIMEOUT_MS,
  dynImport,
  ensurePromiseWithResolvers,
  requireCid,
  type GetOptions,
  type IpfsBackend,
} from "./ipfs";

interface Closable {
  open(): Promise<void>;
  close(): Promise<void>;
}

const NOT_FOUND_ERRORS = new Set([
  "BlockNotFoundWhileOfflineError",
  "NotFoundError",
  "DoesNotExistError",
  "NoContentError",
  // the CID names a codec or hash the embedded node never stores, so it cannot hold it
  "UnknownCodecError",
  "InvalidCodecError",
  "UnknownHashAlgorithmError",
]);
const NOT_A_FILE_ERRORS = new Set(["NotAFileError", "NotUnixFSError", "InvalidPBNodeError"]);

/**
 * Opens (creating if needed) an embedded Helia node whose blocks, pins and metadata live under `dir`
 * (`dir/blocks`, `dir/datastore`), so content survives restarts. The node has no libp2p, no block
 * brokers and no routers: it never opens a socket, and reads never look beyond the local store.
 * Only one process may open a given `dir` at a time.
 */
export async function openEmbeddedIpfs(dir: string): Promise<IpfsBackend> {
  ensurePromiseWithResolvers();
  // Loaded here, after the polyfill. helia and @helia/unixfs can be required; the fs stores can't.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHeliaLight } = require("helia") as typeof import("helia");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { unixfs } = require("@helia/unixfs") as typeof import("@helia/unixfs");
  const { FsBlockstore } = (await dynImport("blockstore-fs")) as typeof import("blockstore-fs");
  const { FsDatastore } = (await dynImport("datastore-fs")) as typeof import("datastore-fs");

  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  const blockstore = new FsBlockstore(path.join(root, "blocks"));
  const datastore = new FsDatastore(path.join(root, "datastore"));
  try {
    await (blockstore as unknown as Closable).open();
    await (datastore as unknown as Closable).open();
  } catch (e) {
    throw new AppError("IPFS_UNAVAILABLE", {}, { cause: e });
  }
  const closeStores = async () => {
    await (blockstore as unknown as Closable).close();
    await (datastore as unknown as Closable).close();
  };
  const helia = createHeliaLight({ blockstore, datastore });
  try {
    await helia.start();
  } catch (e) {
    await closeStores().catch(() => undefined);
    throw new AppError("IPFS_UNAVAILABLE", {}, { cause: e });
  }
  return new EmbeddedIpfs(helia, unixfs(helia), closeStores);
}

class EmbeddedIpfs implements IpfsBackend {
  readonly kind = "embedded" as const;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly helia: Helia,
    private readonly fs: UnixFS,
    private readonly closeStores: () => Promise<void>,
  ) {}

  async add(bytes: Uint8Array): Promise<string> {
    this.assertRunning();
    try {
      const cid = await this.fs.addBytes(bytes, kuboCompatibleImportOptions());
      await this.pin(cid);
      return cid.toV1().toString();
    } catch (e) {
      throw this.toAppError(e, "add");
    }
  }

  async get(cid: string, opts: GetOptions = {}): Promise<Uint8Array> {
    const parsed = requireCid(cid);
    const maxBytes = checkMaxBytes(opts.maxBytes);
    this.assertRunning();
    const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_GET_TIMEOUT_MS);
    const display = parsed.toV1().toString();
    try {
      // The root block tells the size up front: refuse early instead of reading a huge file.
      const stat = await this.fs.stat(parsed, { offline: true, signal });
      if (stat.type === "directory") throw notAFile(display);
      if (Number(stat.size) > maxBytes) throw contentTooLarge(display, maxBytes, stat.size);
      return await collectBytes(this.fs.cat(parsed, { offline: true, signal }), display, maxBytes);
    } catch (e) {
      throw this.toAppError(e, "get", display);
    }
  }

  async isPinned(cid: string): Promise<boolean> {
    const parsed = requireCid(cid);
    this.assertRunning();
    try {
      return await this.helia.pins.isPinned(parsed.toV1());
    } catch (e) {
      throw this.toAppError(e, "isPinned");
    }
  }

  async unpin(cid: string): Promise<void> {
    const parsed = requireCid(cid);
    this.assertRunning();
    try {
      if (!(await this.helia.pins.isPinned(parsed.toV1()))) return;
      for await (const _ of this.helia.pins.rm(parsed.toV1())) {
        // drain
      }
    } catch (e) {
      if ((e as Error)?.name === "NotFoundError") return;
      throw this.toAppError(e, "unpin");
    }
  }

  async ping(): Promise<void> {
    this.assertRunning();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.helia.stop();
      await this.closeStores();
    })();
    return this.stopping;
  }

  private async pin(cid: CID): Promise<void> {
    if (await this.helia.pins.isPinned(cid)) return;
    try {
      for await (const _ of this.helia.pins.add(cid)) {
        // drain: yields each block as it is pinned
      }
    } catch (e) {
      // a concurrent add of the same bytes pinned it first
      if ((e as Error)?.name !== "AlreadyPinnedError") throw e;
    }
  }

  private assertRunning(): void {
    if (this.stopping || this.helia.status !== "started") {
      throw new AppError("IPFS_UNAVAILABLE");
    }
  }

  private toAppError(e: unknown, op: string, cid?: string): AppError {
    if (e instanceof AppError) return e;
    const name = (e as Error)?.name ?? "";
    if (cid && NOT_FOUND_ERRORS.has(name)) {
      return new AppError("CONTENT_NOT_FOUND", { cid }, { cause: e });
    }
    if (cid && NOT_A_FILE_ERRORS.has(name)) return notAFile(cid, e);
    if (name === "TimeoutError" || name === "AbortError") {
      return new AppError("IPFS_UNAVAILABLE", {}, { cause: e, details: { op } });
    }
    return new AppError("IPFS_ERROR", {}, { cause: e, details: { op } });
  }
}

function notAFile(cid: string, cause?: unknown): AppError {
  return new AppError("NOT_A_FILE", { cid }, { cause });
}
