/** Starts the gateway from the environment; see the README for every variable. */
import { ConfigError, loadConfig } from "./config";
import { startGateway } from "./gateway";

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
  const gateway = await startGateway(config);
  console.log(`gateway listening on ${gateway.url} (OpenAPI: ${gateway.url}/v1/openapi.json)`);
  const shutdown = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((e: Error) => {
  console.error(`gateway: ${e.message}`);
  process.exit(1);
});
