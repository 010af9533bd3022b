import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { openSqliteStore } from "../../../server/store/sqlite";
import { chainNowMs, gatewayChainFixture, startTestGateway } from "../support/gateway";
import { issuerSetup } from "../support/issuer";
import { enqueue, expectMintedOnce, waitUntil } from "./jobs";

/**
 * Leases with a fencing token (issue 12): two gateways share one store; the first is running a job when
 * the second takes it over (as it would once the first's lease expired, the first being stalled rather
 * than dead), which bumps the job's fence. The first must then neither send nor settle anything of that
 * job, although its transaction is mined meanwhile; the second settles it, finishes the job, and the chain
 * shows every recipient minted once.
 */
describe("gateway: a mint job's lease is fenced", function () {
  this.timeout(120_000);
  afterEach(() => network.provider.send("evm_setAutomine", [true]));

  it("a gateway whose job was taken over sends and settles nothing more of it; the new holder finishes it exactly once", async () => {
    const fx = await loadFixture(gatewayChainFixture);
    const dir = mkdtempSync(join(tmpdir(), "leases-"));
    const store = await openSqliteStore(join(dir, "gateway.db"));
    const env = { MINT_BATCH_SIZE: "2", MINT_IN_FLIGHT: "1", LEASE_SECONDS: "30" };
    const a = await startTestGateway(fx.deployment, { store, startIndexer: false, env: { ...env, GATEWAY_ID: "gw-a" } });
    const b = await startTestGateway(fx.deployment, { store, startIndexer: false, startWorker: false, env: { ...env, GATEWAY_ID: "gw-b" } });
    try {
      const { token, form } = await issuerSetup(a, fx);
      const created = await a.call("POST", "/v1/collections", { token, form: (await form("leases")).form });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const holders = Array.from({ length: 6 }, () => ethers.Wallet.createRandom().address);
      const expiresAt = BigInt(Math.floor((await chainNowMs()) / 1000) + 365 * 86_400);
      await (
        await fx.contracts.identity.connect(fx.accounts.attestor).batchRegisterIdentities(
          holders.map((wallet, i) => ({ identityId: ethers.id(`lease-${i}`), wallet, level: 2, jurisdiction: 156, expiresAt, evidenceHash: ethers.id("kyc") })),
        )
      ).wait();

      // Gateway A sends the first batch; no block comes, so it waits on it.
      await network.provider.send("evm_setAutomine", [false]);
      const jobId = await enqueue(a, token, created.body.collectionId, holders, "leases-1");
      await waitUntil(a, token, jobId, (j) => j.counts.submitted === 2);

      // Gateway B takes the job over: its clock says A's lease has run out.
      const later = new Date(Date.now() + 60_000);
      const taken = await store.jobs.lease("gw-b", later.toISOString(), new Date(later.getTime() + 30_000).toISOString());
      expect(taken.map((t) => [t.job.id, t.fence])).to.deep.equal([[jobId, 2]]);
      const sentBefore = (await store.txs.open()).length;

      // A's transaction is mined; A, still running, polls every 250 ms for a few seconds, and leaves the job alone.
      await network.provider.send("evm_mine", []);
      expect((await ethers.provider.getTransactionReceipt((await store.jobs.items(jobId))[0].txHash!))!.status).to.equal(1);
      await new Promise((r) => setTimeout(r, 3_000));
      const items = await store.jobs.items(jobId);
      expect(items.filter((i) => i.state === "minted")).to.deep.equal([]);
      expect((await store.txs.open()).length).to.equal(sentBefore);
      expect(items.filter((i) => i.requestId !== null)).to.have.length(2);

      // B settles what A sent, and mints the rest.
      await network.provider.send("evm_setAutomine", [true]);
      b.worker.start();
      const job = await waitUntil(b, token, jobId, (j) => j.state === "done");
      const after = await store.jobs.items(jobId);
      const chain = { provider: ethers.provider as unknown as Provider, deployment: fx.deployment, issuer: fx.accounts.issuer.address, rights: fx.contracts.rights };
      const nonces = await expectMintedOnce(chain, job, (idx) => after[idx].requestId);
      expect(nonces).to.have.length(3);
      expect(after[0].requestId).to.equal(items[0].requestId);
    } finally {
      await a.close(true);
      await b.close(true);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
