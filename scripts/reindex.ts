/**
 * `npm run reindex`: drops the gateway's event index (events and projections) and rebuilds it from the
 * chain, from the deployment block, printing progress. Stop the gateway first, or run it against a copy.
 * Reads the same environment as the gateway (DATA_DIR, RPC_URL, NETWORK, DEPLOYMENTS_DIR, CONFIRMATIONS).
 */
import { join } from "node:path";
import { deploymentFile, readDeploymentFile } from "../shared/node/deployment-file";
import { Chain, jsonRpcProvider } from "../server/chain/chain";
import { ConfigError, loadConfig } from "../server/config";
import { Indexer } from "../server/indexer/indexer";
import { openSqliteStore } from "../server/store/sqlite";

async function main() {
  const config = loadConfig();
  const deployment = readDeploymentFile(deploymentFile(config.DEPLOYMENTS_DIR, config.NETWORK));
  const provider = jsonRpcProvider(config.RPC_URL, deployment.chainId, config.CHAIN_TIMEOUT_MS);
  const store = await openSqliteStore(join(config.DATA_DIR, "gateway.db"));
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
      process.stderr.write(`\rreindex: block ${block} of ${target} (${pct}%)   `);
    });
    process.stderr.write("\n");
    console.log(`reindex: ${events} events indexed in ${((Date.now() - started) / 1000).toFixed(1)} s, up to block ${await indexer.indexedBlock()}`);
  } finally {
    await store.close();
    provider.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(`reindex: ${e instanceof ConfigError ? e.message : (e as Error).message}`);
  process.exitCode = 1;
});
