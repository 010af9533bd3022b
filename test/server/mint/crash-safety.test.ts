import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import type { CrashPoint } from "../../../server/mint/worker";
import { chainNowMs, gatewayChainFixture, startTestGateway } from "../support/gateway";
import { issuerSetup } from "../support/issuer";
import { enqueue, expectMintedOnce, waitUntil, type MintedChain } from "./jobs";

/** What a crash point leaves behind, read from the store and the chain at the moment the worker died. */
interface CrashState {
  /** Request nonces assigned to batches, in order. */
  assigned: number;
  /** Of those, the ones whose signed transaction is recorded. */
  recorded: number;
  /** Of the recorded ones, those the node holds as pending (no receipt). */
  pending: number;
  /** isRequestUsed of each assigned nonce. */
  used: boolean[];
  /** Items the store shows minted. */
  minted: number;
}

/**
 * Crash safety with pipelined batches (MINT_IN_FLIGHT 3, batches of 2, 8 recipients): the worker dies at a
 * point of a batch's life, as a killed process would (nothing after it runs), with other batches in flight.
 * Blocks are mined only when the test says, so each crash point is reached at a known moment and leaves its
 * own state on chain. A gateway started on the same data then mints every recipient exactly once.
 */
describe("gateway: pipelined mint batches survive a crash at any point", function () {
  this.timeout(180_000);
  const env = { MINT_BATCH_SIZE: "2", MINT_IN_FLIGHT: "3", GATEWAY_ID: "crash-test" };
  const automine = (on: boolean) => network.provider.send("evm_setAutomine", [on]);
  afterEach(() => automine(true));

  const cases: Array<{ crashAt: CrashPoint; why: string; expected: CrashState; mineFirst: boolean }> = [
    {
      crashAt: "after-assign#2",
      why: "the second batch has its request nonce, the first is pending on the node",
      expected: { assigned: 2, recorded: 1, pending: 1, used: [false, false], minted: 0 },
      mineFirst: false,
    },
    {
      crashAt: "after-submit#2",
      why: "two batches are pending on the node, the third is not assigned",
      expected: { assigned: 2, recorded: 2, pending: 2, used: [false, false], minted: 0 },
      mineFirst: false,
    },
    {
      crashAt: "after-receipt#1",
      why: "three batches ran on chain, the store has not settled any of them",
      expected: { assigned: 3, recorded: 3, pending: 0, used: [true, true, true], minted: 0 },
      mineFirst: true,
    },
  ];

  for (const { crashAt, why, expected, mineFirst } of cases) {
    it(`crash ${crashAt} (${why}): a restarted gateway mints every recipient exactly once`, async () => {
      const fx = await loadFixture(gatewayChainFixture);
      let crashed: CrashPoint | undefined;
      const first = await startTestGateway(fx.deployment, { crashAt, onCrash: (at) => (crashed = at), env });
      const { token, form } = await issuerSetup(first, fx);
      const created = await first.call("POST", "/v1/collections", { token, form: (await form(`crash-${crashAt}`)).form });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const collectionId = created.body.collectionId as string;
      const holders = Array.from({ length: 8 }, () => ethers.Wallet.createRandom().address);
      const expiresAt = BigInt(Math.floor((await chainNowMs()) / 1000) + 365 * 86_400);
      await (
        await fx.contracts.identity.connect(fx.accounts.attestor).batchRegisterIdentities(
          holders.map((wallet, i) => ({ identityId: ethers.id(`crash-${crashAt}-${i}`), wallet, level: 2, jurisdiction: 156, expiresAt, evidenceHash: ethers.id("kyc") })),
        )
      ).wait();

      await automine(false);
      const jobId = await enqueue(first, token, collectionId, holders, `crash-${crashAt.replace("#", "-")}`);
      const store = first.services.store;
      if (mineFirst) {
        await waitUntil(first, token, jobId, (j) => j.counts.submitted === 6);
        await network.provider.send("evm_mine", []);
      }
      for (let i = 0; !crashed; i++) {
        expect(i, `the worker never reached ${crashAt}`).to.be.lessThan(300);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(crashed).to.equal(crashAt);

      // What the crash left, from the store and the chain.
      const items = await store.jobs.items(jobId);
      const nonces = [...new Set(items.map((i) => i.requestId).filter((n): n is string => n !== null))];
      const recorded = (await Promise.all(nonces.map((n) => store.txs.byPurpose(`mint:${jobId}:${n}`)))).flat();
      const onNode = await Promise.all(recorded.map(async (t) => ({ tx: await ethers.provider.getTransaction(t.hash), receipt: await ethers.provider.getTransactionReceipt(t.hash) })));
      const state: CrashState = {
        assigned: nonces.length,
        recorded: recorded.length,
        pending: onNode.filter((x) => x.tx !== null && x.receipt === null).length,
        used: await Promise.all(nonces.map((n) => fx.contracts.rights.isRequestUsed(fx.accounts.issuer.address, n))),
        minted: items.filter((i) => i.state === "minted").length,
      };
      expect(state).to.deep.equal(expected);
      await first.close(true);

      // The same gateway restarted on its data, while the chain still holds what was pending.
      const second = await startTestGateway(fx.deployment, { dataDir: first.dataDir, env });
      try {
        await automine(true);
        await network.provider.send("evm_mine", []);
        const job = await waitUntil(second, token, jobId, (j) => j.state === "done" || j.state === "failed");
        const after = await second.services.store.jobs.items(jobId);
        const chain: MintedChain = { provider: ethers.provider as unknown as Provider, deployment: fx.deployment, issuer: fx.accounts.issuer.address, rights: fx.contracts.rights };
        const used = await expectMintedOnce(chain, job, (idx) => after[idx].requestId);
        expect(used).to.have.length(4);
        // Batches assigned before the crash kept their request nonces: nothing was given a second one.
        for (const n of nonces) expect(used).to.include(n);
        expect(await fx.contracts.rights.totalSupply(collectionId)).to.equal(8n);
      } finally {
        await second.close();
      }
    });
  }
});
