import type { Health } from "../../shared/api/system";
import { AppError } from "../errors";
import type { Services } from "../services";

type Part = { ok: boolean; ms: number; error?: string; code?: string };

async function probe<T>(fn: () => Promise<T>, timeoutMs: number): Promise<Part & { value?: T }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - started, value };
  } catch (e) {
    const code = e instanceof AppError ? e.code : undefined;
    // The catalogued message, never an upstream text (it may hold a provider URL with its key).
    const error = e instanceof AppError ? e.message : `no answer within ${timeoutMs} ms`;
    return { ok: false, ms: Date.now() - started, error, ...(code ? { code } : {}) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz: can the gateway serve? The chain must answer on the deployment's chain id with the
 * contracts' code at their addresses (an empty or reset chain fails with CHAIN_CONTRACTS_MISSING), IPFS
 * and the store must answer; each is reported separately, with the index's lag when there is one.
 *
 * @example
 * const { ok, chain, ipfs, store } = await checkHealth(services);
 */
export async function checkHealth(services: Pick<Services, "chain" | "ipfs" | "store"> & { index?: { status(): Promise<Health["index"]> } }): Promise<Health> {
  const timeoutMs = 3000;
  const [chain, ipfs, store, index] = await Promise.all([
    probe(() => services.chain.ping(), timeoutMs),
    probe(() => services.ipfs.ping(), timeoutMs),
    probe(() => services.store.ping(), timeoutMs),
    services.index ? services.index.status().catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const { value: chainInfo, ...chainPart } = chain;
  const { value: _i, ...ipfsPart } = ipfs;
  const { value: _s, ...storePart } = store;
  return {
    ok: chain.ok && ipfs.ok && store.ok,
    chain: { ...chainPart, ...(chainInfo ? { chainId: chainInfo.chainId, head: chainInfo.head } : {}) },
    ipfs: { ...ipfsPart, kind: services.ipfs.kind },
    store: { ...storePart, kind: services.store.kind },
    ...(index ? { index } : {}),
  };
}
