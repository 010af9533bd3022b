/**
 * `npm run reindex`: drops the gateway's event index (events and projections) and rebuilds it from the
 * chain, from the deployment block, printing progress. Stop the gateway first, or run it against a copy.
 * Reads the same environment as the gateway (DATA_DIR or DATABASE_URL, RPC_URL, NETWORK, DEPLOYMENTS_DIR,
 * CONFIRMATIONS, REORG_WINDOW).
 */
import type { Provider } from "ethers";
import type { Deployment } from "../shared/deployment";
import { deploymentFile, readDeploymentFile } from "../shared/node/deployment-file";
import { Chain, jsonRpcProvider } from "../server/chain/chain";
import { ConfigError, loadConfig, type Config } from "../server/config";
import { Indexer } from "../server/indexer/indexer";
import { openStore } from "../server/store";

export interface ReindexOptions {
  /** Defaults to a JSON-RPC provider on config.RPC_URL (tests pass the in-process chain). */
  provider?: Provider;
  /** Defaults to the deployment file the gateway reads. */
  deployment?: Deployment;
  /** Progress lines (at most two a second, and the last). */
  onProgress?: (line: string) => void;
}

/**
 * Rebuilds the index of the store the gateway configured by `config` uses (SQLite in DATA_DIR, or
 * PostgreSQL with DATABASE_URL), from the chain alone.
 *
 * @example
 * const { events, indexedBlock } = await reindex(loadConfig());
 */
export async function reindex(config: Config, opts: ReindexOptions = {}): Promise<{ events: number; indexedBlock: number | null; seconds: number }> {
  const deployment = opts.deployment ?? readDeploymentFile(deploymentFile(config.DEPLOYMENTS_DIR, config.NETWORK));
  const provider = opts.provider ?? jsonRpcProvider(config.RPC_URL, deployment.chainId, config.CHAIN_TIMEOUT_MS);
  const store = await openStore(config);
  const chain = new Chain({ deployment, provider, keys: {} });
  const indexer = new Indexer({ chain, store }, { confirmations: config.CONFIRMATIONS, reorgWindow: config.REORG_WINDOW });
  const started = Date.now();
  let last = 0;
  try {
    const events = await indexer.rebuild((block, target) => {
      if (Date.now() - last < 500 && block < target) return;
      last = Date.now();
      const from = deployment.deployBlock;
      const pct = target > from ? Math.min(100, Math.round(((block - from) / (target - from)) * 100)) : 100;
      opts.onProgress?.(`reindex: block ${block} of ${target} (${pct}%)`);
    });
    return { events, indexedBlock: await indexer.indexedBlock(), seconds: (Date.now() - started) / 1000 };
  } finally {
    await store.close();
    if (!opts.provider) (provider as { destroy?: () => void }).destroy?.();
  }
}

if (require.main === module) {
  (async () => {
    const r = await reindex(loadConfig(), { onProgress: (line) => process.stderr.write(`\r${line}   `) });
    process.stderr.write("\n");
    console.log(`reindex: ${r.events} events indexed in ${r.seconds.toFixed(1)} s, up to block ${r.indexedBlock}`);
  })().catch((e: unknown) => {
    console.error(`reindex: ${e instanceof ConfigError ? e.message : (e as Error).message}`);
    process.exitCode = 1;
  });
}
