import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { CrashPoint } from "../../../server/mint/worker";
import { chainNowMs, gatewayChainFixture, startTestGateway } from "../support/gateway";
import { issuerSetup, waitForJob } from "../support/issuer";

/**
 * Crash safety: the worker dies at each point of a batch's life (as a killed process would: nothing after
 * that point runs), a new gateway starts on the same data, and every recipient ends up minted exactly once.
 */
describe("gateway: mint jobs survive a crash at any point", function () {
  this.timeout(180_000);

  for (const crashAt of ["after-assign", "after-submit", "after-receipt"] as CrashPoint[]) {
    it(`crash ${crashAt}: a restarted gateway mints every recipient exactly once`, async () => {
      const fx = await loadFixture(gatewayChainFixture);
      const env = { MINT_BATCH_SIZE: "2" };
      const first = await startTestGateway(fx.deployment, { crashAt, env });
      const { token, form } = await issuerSetup(first, fx);
      const created = await first.call("POST", "/v1/collections", { token, form: (await form(`crash-${crashAt}`)).form });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.collectionId as string;

      // Five fresh verified holders.
      const holders = Array.from({ length: 5 }, () => ethers.Wallet.createRandom().address);
      const expiry = BigInt(Math.floor((await chainNowMs()) / 1000) + 365 * 86_400);
      for (const [i, h] of holders.entries()) {
        await (await fx.contracts.identity.connect(fx.accounts.attestor).registerIdentity(ethers.id(`crash-${crashAt}-${i}`), h, 2, 156, expiry, ethers.id("kyc"))).wait();
      }
      const accepted = await first.call("POST", `/v1/collections/${id}/mint`, {
        token,
        json: { recipients: holders },
        headers: { "idempotency-key": `crash-${crashAt}` },
      });
      expect(accepted.status).to.equal(202);
      const jobId = accepted.body.jobId as string;

      // Wait until the worker has died at the crash point.
      const store = first.services.store;
      for (let i = 0; i < 200; i++) {
        const items = await store.jobs.items(jobId);
        const reached =
          crashAt === "after-assign" ? items.some((x) => x.requestId) : items.some((x) => x.state === "submitted");
        if (reached) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
      const before = await store.jobs.items(jobId);
      expect(before.some((x) => x.state === "minted")).to.equal(false);
      await first.close(true);

      const second = await startTestGateway(fx.deployment, { dataDir: first.dataDir, env });
      try {
        const job = await waitForJob(second, token, jobId);
        expect(job.state).to.equal("done");
        expect(job.counts).to.include({ total: 5, minted: 5, failed: 0 });
        const rights = fx.contracts.rights;
        expect(await rights.totalSupply(id)).to.equal(5n);
        for (const h of holders) expect(await rights.balanceOf(h)).to.equal(1n);
        const tokenIds = job.items.map((x: { tokenId: string }) => x.tokenId);
        expect(new Set(tokenIds).size).to.equal(5);
        for (const item of job.items) expect(await rights.ownerOf(item.tokenId)).to.equal(item.recipient);
      } finally {
        await second.close();
      }
    });
  }
});
