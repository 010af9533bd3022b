/** Starts the gateway from the environment; see the README for every variable. */
import { join } from "node:path";
import type { JsonRpcProvider } from "ethers";
import { ConfigError, loadConfig } from "./config";
import { assertChainIdentity, ChainIdentityError } from "./chain/chain-identity";
import { jsonRpcProvider } from "./chain/chain";
import { startGateway } from "./gateway";
import { createLogger, gatewayLogFile } from "./logging";
import { openStore } from "./store";
import { DeploymentFileError } from "../shared/deployment";
import { deploymentFile, readDeploymentFile } from "../shared/node/deployment-file";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const deployment = readDeploymentFile(deploymentFile(config.DEPLOYMENTS_DIR, config.NETWORK));
  const provider = jsonRpcProvider(config.RPC_URL, deployment.chainId, config.CHAIN_TIMEOUT_MS);
  // Never serve a store from another chain: a replaced local chain keeps its chain id and addresses.
  const store = await openStore(config);
  try {
    await assertChainIdentity({
      rpc: provider as JsonRpcProvider,
      rpcUrl: config.RPC_URL,
      deployment,
      deploymentFile: join(config.DEPLOYMENTS_DIR, `${config.NETWORK}.json`),
      store,
      dataDir: config.DATA_DIR,
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const gateway = await startGateway(config, { deployment, provider, store, logger: createLogger(config) });
  console.log(`gateway listening on ${gateway.url} (OpenAPI: ${gateway.url}/v1/openapi.json)`);
  if (!config.LOG_TO_STDOUT) console.log(`logs: ${gatewayLogFile(config)} (LOG_TO_STDOUT=true prints them here)`);
  const shutdown = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((e: Error) => {
  const code = (e as NodeJS.ErrnoException).code;
  if (e instanceof ChainIdentityError || e instanceof DeploymentFileError || e instanceof ConfigError) console.error(`gateway: ${e.message}`);
  else if (code === "EADDRINUSE") console.error(`gateway: port ${process.env.PORT ?? 8080} is in use: stop what runs there or set PORT.`);
  else console.error(`gateway: ${e.message}`);
  process.exit(1);
});
