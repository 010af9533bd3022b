import type { Services } from "../http/services";

type Part = { ok: boolean; ms: number; error?: string };

async function probe(fn: () => Promise<unknown>, timeoutMs = 3000): Promise<Part> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, ms: Date.now() - started, error: (e as { shortMessage?: string }).shortMessage ?? (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz: chain, IPFS and store, each probed separately.
 *
 * @example
 * const { ok, chain, ipfs, store } = await checkHealth(services);
 */
export async function checkHealth(services: Services) {
  const [chain, ipfs, store] = await Promise.all([
    probe(() => services.chain.ping()),
    probe(() => services.ipfs.ping()),
    probe(() => services.store.ping()),
  ]);
  return { ok: chain.ok && ipfs.ok && store.ok, chain, ipfs: { ...ipfs, kind: services.ipfs.kind }, store: { ...store, kind: services.store.kind } };
}
