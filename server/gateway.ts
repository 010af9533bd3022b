import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { createServer, type Server } from "node:http";
import express from "express";
import pino, { type Logger } from "pino";
import type { Provider } from "ethers";
import { REGULATOR_ACTIONS } from "../shared/api";
import type { Deployment } from "../shared/deployment";
import { deploymentFile, readDeploymentFile } from "../shared/node/deployment-file";
import { buildApp } from "./app";
import { AuthFailureLog } from "./audit/auth-failures";
import { Chain, jsonRpcProvider } from "./chain/chain";
import type { TxJournal } from "./chain/tx-sender";
import { changeMetadataKind, CHANGE_METADATA } from "./collections/change-metadata";
import { createCollectionKind, CREATE_COLLECTION } from "./collections/create-collection";
import { ApprovalSigner, approvalDomain } from "./compliance/approval";
import { createComplianceEngine } from "./compliance/engine";
import { textPool } from "./compliance/text-pool";
import { loadPolicy } from "./compliance/policy";
import { resolveSigningKeys, type Config } from "./config";
import { recordEvidenceKind, RECORD_EVIDENCE } from "./evidence/record-evidence";
import { createMetrics } from "./http/metrics";
import { registerIdentityKind, REGISTER_IDENTITY } from "./identities/register-identity";
import { IDENTITY_ACTIONS, updateIdentityKind } from "./identities/update-identity";
import { openIpfs } from "./ipfs";
import { MintWorker, type CrashPoint } from "./mint/worker";
import { OperationRunner } from "./operations/operation-runner";
import { regulatorActionKind } from "./regulator/regulator-action";
import { createSandboxLog } from "./sandbox/sandbox-log";
import { Indexer, registerIndexMetrics } from "./indexer/indexer";
import { Cursors } from "./queries/cursor";
import type { Services } from "./services";
import { openStore } from "./store";
import type { Store } from "./store/store";

export interface GatewayOptions {
  /** Defaults to a JSON-RPC provider on config.RPC_URL (tests pass the in-process Hardhat chain). */
  provider?: Provider;
  /** Defaults to deployments/<NETWORK>.json. */
  deployment?: Deployment;
  logger?: Logger;
  /** Defaults to SQLite in DATA_DIR/gateway.db. */
  store?: Store;
  /** Tests: make the mint worker die at a point, as a crash would. */
  crashAt?: CrashPoint;
  onCrash?: (at: CrashPoint) => void;
  /** Tests: do not start the worker. */
  startWorker?: boolean;
  /** Tests and tools: do not start the indexer. */
  startIndexer?: boolean;
}

export interface Gateway {
  url: string;
  port: number;
  services: Services;
  server: Server;
  worker: MintWorker;
  stop(): Promise<void>;
}

/** The store's txs table as the senders' journal: every signed transaction is recorded before it is broadcast. */
function txJournal(store: Store): TxJournal {
  return {
    async record(tx) {
      const at = new Date().toISOString();
      await store.txs.add({ ...tx, state: "sent", blockNumber: null, createdAt: at, updatedAt: at });
    },
    async dropped(hash) {
      await store.txs.setState(hash, "dropped", null, new Date().toISOString());
    },
  };
}

/**
 * Opens the store, chain, IPFS and sandbox log, starts the mint worker and the operations watcher, and
 * listens. `stop()` closes everything in reverse order, so tests leave nothing running.
 *
 * @example
 * const gw = await startGateway(loadConfig({ PORT: "0", DATA_DIR: dir }), { provider, deployment });
 */
export async function startGateway(config: Config, opts: GatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? pino({ level: config.LOG_LEVEL, base: { service: "gateway" } });
  const deployment = opts.deployment ?? readDeploymentFile(deploymentFile(config.DEPLOYMENTS_DIR, config.NETWORK));
  const keys = resolveSigningKeys(config, deployment.chainId);
  const policy = loadPolicy(config.POLICY_FILE);
  const provider = opts.provider ?? jsonRpcProvider(config.RPC_URL, deployment.chainId, config.CHAIN_TIMEOUT_MS);
  const store = opts.store ?? (await openStore(config));
  let ipfs: Awaited<ReturnType<typeof openIpfs>> | undefined;
  try {
    ipfs = await openIpfs(config);
    const chain = new Chain({
      deployment,
      provider,
      keys: { operator: keys.operator, attestor: keys.attestor, regulator: keys.regulator, anchorer: keys.anchorer },
      journal: txJournal(store),
    });
    const metrics = createMetrics(() => store.jobs.countsByState());
    const sandbox = createSandboxLog({
      store,
      chain,
      anchorEveryEntries: config.ANCHOR_EVERY_ENTRIES,
      anchorEveryMinutes: config.ANCHOR_EVERY_MINUTES,
      logger,
      metrics,
      signingKey: config.LOG_SIGNING_KEY,
    });
    await sandbox.init();
    const compliance = createComplianceEngine(policy, undefined, {
      text: config.COMPLIANCE_THREADS > 0 ? textPool(config.COMPLIANCE_THREADS, config.COMPLIANCE_TIMEOUT_MS) : undefined,
      budgetMs: config.COMPLIANCE_TIMEOUT_MS,
    });
    const authFailures = new AuthFailureLog(sandbox, { onError: (e) => logger.error({ err: e }, "cannot write auth failures to the sandbox log") });
    const owner = config.GATEWAY_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    const leaseMs = config.LEASE_SECONDS * 1000;
    const operations = new OperationRunner({ store, chain, sandbox, metrics, logger, budgetMs: config.TX_TIMEOUT_SECONDS * 1000, owner, leaseMs });
    const worker = new MintWorker(
      { chain, store, sandbox, compliance, metrics, logger },
      { batchSize: config.MINT_BATCH_SIZE, crashAt: opts.crashAt, onCrash: opts.onCrash, owner, leaseMs, maxInFlight: config.MINT_IN_FLIGHT, jobsAtOnce: config.MINT_JOBS_AT_ONCE },
    );
    const approvals = new ApprovalSigner(keys.complianceSigner!, approvalDomain(deployment.chainId, deployment.contracts.collectibleRights.address));
    const indexer = new Indexer({ chain, store, ipfs, logger }, { confirmations: config.CONFIRMATIONS, reorgWindow: config.REORG_WINDOW });
    registerIndexMetrics(metrics.registry, indexer);
    const cursors = await Cursors.open(store);
    const services: Services = { config, logger, store, chain, ipfs, sandbox, compliance, metrics, worker, operations, authFailures, approvals, indexer, cursors };

    operations.register(CREATE_COLLECTION, createCollectionKind(services));
    operations.register(CHANGE_METADATA, changeMetadataKind(services));
    operations.register(REGISTER_IDENTITY, registerIdentityKind);
    operations.register(RECORD_EVIDENCE, recordEvidenceKind);
    for (const action of Object.keys(IDENTITY_ACTIONS)) operations.register(`identity.${action}`, updateIdentityKind);
    for (const action of REGULATOR_ACTIONS) operations.register(`regulator.${action}`, regulatorActionKind);

    const app = buildApp(services);
    const server = createServer(app);
    server.requestTimeout = 10 * 60_000;
    await listen(server, config.PORT, config.HOST);
    let metricsServer: Server | undefined;
    if (config.METRICS_PORT) {
      // /metrics alone, without a key, for a scraper on a private network.
      const metricsApp = express();
      metricsApp.disable("x-powered-by");
      metricsApp.get("/metrics", async (_req, res) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      });
      metricsServer = createServer(metricsApp);
      await listen(metricsServer, config.METRICS_PORT, config.METRICS_HOST);
    }
    sandbox.start();
    authFailures.start();
    operations.start();
    if (opts.startIndexer !== false) indexer.start();
    if (opts.startWorker !== false) worker.start();
    const port = (server.address() as AddressInfo).port;
    logger.info({ port, network: deployment.network, chainId: deployment.chainId, ipfs: ipfs.kind, store: store.kind }, "gateway listening");
    let stopped = false;
    return {
      url: `http://${config.HOST}:${port}`,
      port,
      services,
      server,
      worker,
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (metricsServer) await new Promise<void>((resolve) => metricsServer!.close(() => resolve()));
        await worker.stop();
        await indexer.stop();
        await operations.stop();
        await authFailures.stop();
        await sandbox.stop();
        await compliance.close();
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

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
