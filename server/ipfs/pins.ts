import { AppError } from "../errors";
import type { IpfsBackend } from "./ipfs";

/**
 * Which pins a request may undo. Content the node already pins (the standard licence text of many
 * collections, say) belongs to someone else and is never added or unpinned by a request; content a request
 * adds is claimed by it, and released when it fails. A claim is counted, so that of two requests adding the
 * same bytes at once, the one that fails leaves the pin to the other. Claims live in this process: gateways
 * sharing one IPFS node can still race on identical new content, which costs a re-pin, never a lost chain
 * write.
 */
const claimsByNode = new WeakMap<IpfsBackend, Map<string, number>>();
const claimsOf = (ipfs: IpfsBackend) => {
  let claims = claimsByNode.get(ipfs);
  if (!claims) claimsByNode.set(ipfs, (claims = new Map()));
  return claims;
};

export interface PinOptions {
  /** Limit of each call to the node; an add gets one more second per MiB. */
  timeoutMs: number;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** How long a node that does not answer again is waited for before a late pin is left to the operator. */
const GIVE_UP_MS = 30 * 60_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError("IPFS_TIMEOUT", { timeoutMs: ms })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Pins the files of one request, each checked against its expected CID, every call to the node within
 * `timeoutMs`: a frozen node fails the request with a fast 503 IPFS_TIMEOUT instead of hanging it. Returns
 * the CIDs this request pinned, which are exactly what {@link releasePins} may undo; on failure it releases
 * them itself. An add that timed out may still land when the node resumes: that late pin is watched for
 * and undone.
 */
export async function pinFiles(ipfs: IpfsBackend, files: readonly Uint8Array[], expected: readonly string[], opts: PinOptions): Promise<string[]> {
  const claims = claimsOf(ipfs);
  const claimed: string[] = [];
  // Every file's calls settle (each within its limit) before anything is released, so that no add of this
  // request lands after its claims are given up.
  const outcomes = await Promise.allSettled(
    files.map(async (bytes, i) => {
      const cid = expected[i];
      if ((claims.get(cid) ?? 0) === 0 && (await within(ipfs.isPinned(cid), opts.timeoutMs))) return;
      claims.set(cid, (claims.get(cid) ?? 0) + 1);
      claimed.push(cid);
      const add = ipfs.add(bytes);
      let got: string;
      try {
        got = await within(add, opts.timeoutMs + Math.ceil(bytes.length / 1_048_576) * 1000);
      } catch (e) {
        void watchLatePin(ipfs, cid, add, opts);
        throw e;
      }
      if (got !== cid) throw new AppError("IPFS_CID_MISMATCH", { cid }, { details: { node: got, expected: cid } });
    }),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (!failed) return claimed;
  releasePins(ipfs, claimed, opts);
  throw failed.reason;
}

/**
 * Gives up the claims of a failed request and unpins, in the background, what no other request of this
 * gateway claims. Failures are logged, never thrown: a leftover pin costs disk, not correctness.
 */
export function releasePins(ipfs: IpfsBackend, cids: readonly string[], opts: Pick<PinOptions, "logger">): void {
  const claims = claimsOf(ipfs);
  for (const cid of cids) {
    const left = (claims.get(cid) ?? 1) - 1;
    if (left > 0) {
      claims.set(cid, left);
      continue;
    }
    claims.delete(cid);
    ipfs.unpin(cid).catch((e: unknown) => opts.logger.warn({ err: e, cid }, "could not unpin the content of a failed request"));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * An add that did not answer in time may still pin when a frozen node resumes. Once the node answers again
 * (and the add has settled), the pin is checked, and removed, for four more timeouts, unless a request
 * claimed the content meanwhile. Logged as `ipfs.late-pin` so an operator sees what was undone, or left.
 */
async function watchLatePin(ipfs: IpfsBackend, cid: string, add: Promise<unknown>, opts: PinOptions): Promise<void> {
  const claims = claimsOf(ipfs);
  const settleMs = 4 * opts.timeoutMs;
  const giveUpAt = Date.now() + GIVE_UP_MS;
  let settled = false;
  void add.then(
    () => (settled = true),
    () => (settled = true),
  );
  let quietSince: number | undefined;
  let undone = false;
  while (Date.now() < giveUpAt) {
    await sleep(Math.min(1_000, opts.timeoutMs));
    if ((claims.get(cid) ?? 0) > 0) return; // a request uses this content now
    let pinned: boolean;
    try {
      pinned = await within(ipfs.isPinned(cid), opts.timeoutMs);
    } catch {
      quietSince = undefined; // still frozen or down
      continue;
    }
    if (pinned) {
      try {
        await within(ipfs.unpin(cid), opts.timeoutMs);
        undone = true;
        opts.logger.info({ event: "ipfs.late-pin", cid, action: "unpinned" }, "unpinned the late pin of a failed request");
      } catch {
        continue;
      }
    }
    quietSince ??= Date.now();
    if (settled && Date.now() - quietSince >= settleMs) return;
  }
  if (!undone) opts.logger.warn({ event: "ipfs.late-pin", cid, action: "left" }, "the IPFS node did not answer again: a late pin of a failed request may be left");
}
