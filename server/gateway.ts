import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import type { Provider } from "ethers";
import type { Deployment } from "../shared/deployment";
import { buildApp } from "./app";
import { Chain, jsonRpcProvider, readDeployment } from "./chain/chain";
import { createComplianceEngine } from "./compliance/engine";
import { loadPolicy } from "./compliance/policy";
import type { Config } from "./config";
import { createMetrics } from "./http/metrics";
import type { Services } from "./http/services";
import { openIpfs } from "./ipfs";
import { MintWorker, type CrashPoint } from "./mint/worker";
import { createSandboxLog } from "./sandbox/sandbox-log";
import { openSqliteStore } from "./store/sqlite";

export interface GatewayOptions {
  /** Defaults to a JSON-RPC provider on config.RPC_URL (tests pass the in-process Hardhat chain). */
  provider?: Provider;
  /** Defaults to deployments/<NETWORK>.json. */
  deployment?: Deployment;
  logger?: Logger;
  /** Tests: make the mint worker die at a point, as a crash would. */
  crashAt?: CrashPoint;
  /** Tests: do not start the worker. */
  startWorker?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  services: Services;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Opens the store, chain, IPFS and sandbox log, starts the mint worker and listens.
 * `stop()` closes everything in reverse order, so tests leave nothing running.
 *
 * @example
 * const gw = await startGateway(loadConfig({ PORT: "0", DATA_DIR: dir }), { provider, deployment });
 */
export async function startGateway(config: Config, opts: GatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: "gateway" } });
  const deployment = opts.deployment ?? readDeployment(config.DEPLOYMENTS_DIR, config.NETWORK);
  const policy = loadPolicy(config.POLICY_FILE);
  const provider = opts.provider ?? jsonRpcProvider(config.RPC_URL, deployment.chainId);
  const store = openSqliteStore(join(config.DATA_DIR, "gateway.db"));
  let ipfs: Awaited<ReturnType<typeof openIpfs>> | undefined;
  try {
    ipfs = await openIpfs(config);
    const chain = new Chain({
      deployment,
      provider,
      keys: { operator: config.OPERATOR_KEY, attestor: config.ATTESTOR_KEY, regulator: config.REGULATOR_KEY },
      txTimeoutMs: config.TX_TIMEOUT_SECONDS * 1000,
    });
    const sandbox = createSandboxLog({
      store,
      chain,
      anchorEveryEntries: config.ANCHOR_EVERY_ENTRIES,
      anchorEveryMinutes: config.ANCHOR_EVERY_MINUTES,
      logger,
    });
    const services: Services = {
      config,
      logger,
      store,
      chain,
      ipfs,
      sandbox,
      compliance: createComplianceEngine(policy),
      metrics: createMetrics(() => store.jobs.countsByState()),
      worker: new MintWorker(() => services, { batchSize: config.MINT_BATCH_SIZE, crashAt: opts.crashAt }),
    };
    const app = buildApp(services);
    const server = createServer(app);
    server.requestTimeout = 10 * 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
    sandbox.start();
    if (opts.startWorker !== false) services.worker.start();
    const port = (server.address() as AddressInfo).port;
    logger.info({ port, network: deployment.network, chainId: deployment.chainId, ipfs: ipfs.kind }, "gateway listening");
    let stopped = false;
    return {
      url: `http://${config.HOST}:${port}`,
      port,
      services,
      server,
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await services.worker.stop();
        await sandbox.stop();
        await ipfs!.stop();
        await store.close();
      },
    };
  } catch (e) {
    await ipfs?.stop().catch(() => undefined);
    await store.close();
    throw e;
  }
}
