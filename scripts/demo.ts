/**
 * Adds the demo content to a stack that is already running. (`npm start -- --demo`, or `npm run demo`,
 * starts a stack and does this itself.)
 *
 *   ADMIN=dar_admin_… [GW=http://127.0.0.1:8080] [RPC_URL=http://127.0.0.1:8545] [DATA_DIR=./data] \
 *     npx ts-node --transpile-only scripts/demo.ts
 *
 * The keys and wallets it makes are saved in DATA_DIR/demo-keys.json; DEPLOYMENTS_DIR (default
 * ./deployments, or DATA_DIR/deployments for another DATA_DIR, as npm start does) holds localhost.json.
 */
import { runDemo } from "./lib/demo/run-demo";
import { readStackSettings } from "./lib/stack/settings";

async function main() {
  const settings = readStackSettings(process.env, { demo: true });
  const gatewayUrl = process.env.GW ?? `http://${settings.host}:${settings.port}`;
  const result = await runDemo({
    gatewayUrl,
    rpcUrl: process.env.RPC_URL ?? settings.chain.url,
    dataDir: settings.dataDir,
    deploymentFile: settings.deploymentFile,
    adminKey: process.env.ADMIN,
    say: (line) => console.log(`  ${line}`),
  });
  console.log(result.created ? "Demo content created." : "The demo content was already there; nothing added.");
  console.log(result.banner.join("\n"));
}

main().catch((e: Error) => {
  console.error(`demo: ${e.message}`);
  process.exit(1);
});
