import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { Wallet } from "ethers";
import { DEV_KEYS } from "../../server/config";
import type { JobView } from "../../shared/api/mint";
import { openStore } from "../../server/store";
import { deployToAnvil, freePort, startAnvil, type Anvil, type AnvilRegistry } from "../support/anvil";
import { anvilChain, anvilGateway, issuerWithCollection, verifiedHolders } from "../server/mint/anvil-gateway";
import { expectMintedOnce } from "../server/mint/jobs";
import { startGatewayProcess, writeDeploymentFile, type GatewayProcess } from "./gateway-process";

/**
 * The outside check of issue 14: the gateway as a real process (server/main.ts, as `npm run gateway` runs
 * it) on anvil with 3 s blocks, five jobs of 40 queued, and `kill -9` three times while batches are pending on the
 * chain. After each restart and at the end, no job may report a minted recipient as failed; the chain read
 * back must show every recipient minted exactly once.
 */
describe("integration: kill -9 during pending mint transactions, with slow blocks", function () {
  // About 2.5 min on this 2-core machine when it is not shared; the four starts of the gateway process
  // (ts-node compiling the gateway each time) dominate, and take several times longer under load.
  this.timeout(600_000);
  const JOBS = 5;
  const PER_JOB = 40;
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let dataDir: string;
  let gateway: GatewayProcess | undefined;

  before(async () => {
    anvil = await startAnvil();
    fx = await deployToAnvil(anvil);
    dataDir = mkdtempSync(join(tmpdir(), "kill9-"));
  });
  after(async () => {
    await gateway?.kill();
    await anvil?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("every recipient is minted exactly once, and no job ever reports a minted recipient as failed", async () => {
    // Keys, the issuer's evidence and a collection through the gateway in this process, on the same data.
    const setup = await anvilGateway(anvil, fx, { dataDir });
    const { token, collectionId } = await issuerWithCollection(setup, fx, "kill9", 1000);
    await setup.close(true);
    const holders = [...(await verifiedHolders(fx, 100, "kill9-a")), ...(await verifiedHolders(fx, 100, "kill9-b"))];
    await anvil.setBlockTime(3);

    const deploymentsDir = join(dataDir, "deployments");
    writeDeploymentFile(deploymentsDir, fx.deployment);
    const env = {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      DEPLOYMENTS_DIR: deploymentsDir,
      NETWORK: fx.deployment.network,
      RPC_URL: anvil.url,
      POLICY_FILE: join(hre.config.paths.root, "policy", "default.yaml"),
      // A restarted gateway with the same name takes its jobs back at once, instead of after their lease.
      GATEWAY_ID: "kill9-gateway",
      // Eight batches per job, two in flight: four rounds of ten transactions, so there is work pending at every kill.
      MINT_BATCH_SIZE: "5",
      MINT_IN_FLIGHT: "2",
      TX_TIMEOUT_SECONDS: "2",
      COMPLIANCE_THREADS: "0",
      RATE_LIMIT_PER_IP: "1000000",
      RATE_LIMIT_PER_KEY: "1000000",
      ...fx.gatewayEnv,
    };
    gateway = await startGatewayProcess(env);
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${gateway!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const jobIds: string[] = [];
    for (let j = 0; j < JOBS; j++) {
      const r = await call("POST", `/v1/collections/${collectionId}/mint`, { recipients: holders.slice(j * PER_JOB, (j + 1) * PER_JOB) }, { "idempotency-key": `kill9-job-${j}` });
      expect(r.status, JSON.stringify(r.body)).to.equal(202);
      jobIds.push(r.body.jobId);
    }
    /** Every job as the gateway reports it; none may ever show a failed recipient. */
    const jobs = async (): Promise<JobView[]> => {
      const views = await Promise.all(jobIds.map(async (id) => (await call("GET", `/v1/jobs/${id}`)).body as JobView));
      for (const v of views) expect(v.counts.failed, `job ${v.id}: ${v.reason}`).to.equal(0);
      return views;
    };

    /** The gateway's mint transactions the chain holds as pending (the operator signs them). */
    const operator = new Wallet(DEV_KEYS.operator).address.toLowerCase();
    const pendingOnChain = async () => {
      const pool = (await anvil.rpc("txpool_content")) as { pending: Record<string, Record<string, unknown>> };
      const mine = Object.entries(pool.pending).find(([address]) => address.toLowerCase() === operator);
      return mine ? Object.keys(mine[1]).length : 0;
    };

    // Three kills, each while mint transactions wait on the chain and, from the second on, after progress.
    let killsDuringPending = 0;
    let mintedBefore = 0;
    for (let kill = 0; kill < 3; kill++) {
      for (let i = 0; ; i++) {
        expect(i, "no mint transaction was pending when the gateway was to be killed").to.be.lessThan(1200);
        const views = await jobs();
        const minted = views.reduce((n, v) => n + v.counts.minted, 0);
        if (minted >= mintedBefore + (kill === 0 ? 0 : 20) && (await pendingOnChain()) > 0) {
          mintedBefore = minted;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await gateway.kill();
      if ((await pendingOnChain()) > 0) killsDuringPending += 1;
      gateway = await startGatewayProcess(env);
      await jobs();
    }
    expect(killsDuringPending, "kills while the chain still held the gateway's mint transactions pending").to.be.greaterThanOrEqual(2);

    for (let i = 0; ; i++) {
      expect(i, "the jobs did not finish").to.be.lessThan(1200);
      const views = await jobs();
      if (views.every((v) => v.state === "done")) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const views = await jobs();
    await gateway.stop();
    gateway = undefined;

    // The chain read back, with each item's request nonce from the store.
    const store = await openStore({ DATA_DIR: dataDir });
    try {
      for (const view of views) {
        const items = await store.jobs.items(view.id);
        await expectMintedOnce(anvilChain(anvil, fx), view, (idx) => items[idx].requestId);
      }
    } finally {
      await store.close();
    }
    expect(await fx.contracts.rights.totalSupply(collectionId)).to.equal(BigInt(JOBS * PER_JOB));
  });
});
