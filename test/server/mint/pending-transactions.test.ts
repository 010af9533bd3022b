import { expect } from "chai";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transaction, Wallet } from "ethers";
import pino from "pino";
import { DEV_KEYS } from "../../../server/config";
import { deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../../support/anvil";
import type { TestGateway } from "../support/gateway";
import { anvilChain, anvilGateway, issuerWithCollection, verifiedHolders } from "./anvil-gateway";
import { enqueue, expectMintedOnce, jobOf, waitUntil } from "./jobs";

/**
 * The mint worker never reports an outcome the chain did not give (issue 14, finding 1 and 6): on a real
 * anvil with slow blocks, or with blocks held back so that the test decides when a transaction is mined, a
 * batch's transaction is left pending, dropped from the pool, cancelled, replaced, or the chain dies under
 * it. Each time the job waits with a reason, follows the chain, and the chain read back shows every
 * recipient minted exactly once.
 */
describe("mint worker: pending, dropped and replaced transactions, and a chain that dies (anvil)", function () {
  this.timeout(240_000);
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let gw: TestGateway;
  let token: string;
  let collectionId: string;
  let holders: string[];
  const warnings: Array<{ msg: string; retryInMs?: number }> = [];
  const take = (n: number) => holders.splice(0, n);
  const env = { MINT_BATCH_SIZE: "5", MINT_IN_FLIGHT: "3", TX_TIMEOUT_SECONDS: "1" };
  const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  const itemsOf = (jobId: string) => gw.services.store.jobs.items(jobId);
  const requestIds = async (jobId: string) => {
    const items = await itemsOf(jobId);
    return (idx: number) => items[idx].requestId;
  };
  /** A transaction of the gateway's operator key with the same nonce as `original` and twice its fees. */
  const outbid = async (original: Transaction, call: { to: string; data: string; gasLimit: bigint }) => {
    const operator = new Wallet(DEV_KEYS.operator, anvil.provider);
    return operator.sendTransaction({
      ...call,
      nonce: original.nonce,
      maxFeePerGas: original.maxFeePerGas! * 2n,
      maxPriorityFeePerGas: original.maxPriorityFeePerGas! * 2n + 1n,
    });
  };

  before(async () => {
    anvil = await startAnvil();
    fx = await deployToAnvil(anvil);
    gw = await anvilGateway(anvil, fx, { env, logger });
    ({ token, collectionId } = await issuerWithCollection(gw, fx, "pending-transactions"));
    holders = await verifiedHolders(fx, 80, "pending-transactions");
  });
  after(async () => {
    await gw?.close();
    await anvil?.close();
  });
  afterEach(async () => anvil.setBlockTime(0));

  it("6 s blocks and a 1 s receipt budget: pipelined batches stay submitted with a reason, then settle as minted — never failed", async () => {
    await anvil.setBlockTime(6);
    const jobId = await enqueue(gw, token, collectionId, take(15), "slow-blocks");
    const seen = { maxSubmitted: 0, failed: 0, reasons: new Set<string>() };
    const job = await waitUntil(gw, token, jobId, (j) => {
      seen.maxSubmitted = Math.max(seen.maxSubmitted, j.counts.submitted);
      seen.failed = Math.max(seen.failed, j.counts.failed);
      for (const i of j.items) if (i.state === "submitted" && i.reason) seen.reasons.add(i.reason);
      return j.state === "done";
    });
    expect(seen.failed, "items reported failed while their transactions were pending").to.equal(0);
    // Three batches of five, sent without waiting for each other's receipts.
    expect(seen.maxSubmitted).to.be.greaterThanOrEqual(10);
    expect([...seen.reasons].some((r) => /^waiting for transaction 0x[0-9a-f]{64} to be mined: /.test(r)), [...seen.reasons].join(" | ")).to.equal(true);
    const nonces = await expectMintedOnce(anvilChain(anvil, fx), job, await requestIds(jobId));
    expect(nonces).to.have.length(3);
    // The log records each batch as pending with its transaction, then the chain's outcome.
    for (const txHash of new Set(job.items.map((i) => i.txHash!))) {
      const entries = await gw.services.store.log.findByRef(txHash);
      expect(entries.map((e) => e.decision)).to.deep.equal(["pending", "sent"]);
    }
  });

  it("a transaction dropped from the node's pool with its nonce unused is broadcast again: the same transaction, mined once", async () => {
    await anvil.holdBlocks();
    const jobId = await enqueue(gw, token, collectionId, take(5), "dropped");
    const submitted = await waitUntil(gw, token, jobId, (j) => j.counts.submitted === 5);
    const hash = submitted.items[0].txHash!;
    expect(await anvil.rpc("anvil_dropTransaction", [hash])).to.equal(hash);
    // The worker finds it gone, its nonce unused, and broadcasts the recorded bytes again.
    for (let i = 0; (await anvil.provider.getTransaction(hash)) === null; i++) {
      expect(i, "the dropped transaction was never broadcast again").to.be.lessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await jobOf(gw, token, jobId)).counts).to.include({ submitted: 5, failed: 0 });
    await anvil.mine();
    const job = await waitUntil(gw, token, jobId, (j) => j.state === "done");
    expect(job.items.map((i) => i.txHash)).to.deep.equal(Array(5).fill(hash));
    expect((await anvil.provider.getTransactionReceipt(hash))!.status).to.equal(1);
    const [nonce] = await expectMintedOnce(anvilChain(anvil, fx), job, await requestIds(jobId));
    const recorded = await gw.services.store.txs.byPurpose(`mint:${jobId}:${nonce}`);
    expect(recorded.map((t) => [t.hash, t.state])).to.deep.equal([[hash, "mined"]]);
  });

  it("a transaction whose nonce another transaction took, its request unused, is provably dropped: sent again once, under the same request nonce", async () => {
    await anvil.holdBlocks();
    const jobId = await enqueue(gw, token, collectionId, take(10), "nonce-taken");
    await waitUntil(gw, token, jobId, (j) => j.counts.submitted === 10);
    const [first] = await itemsOf(jobId);
    const original = Transaction.from((await gw.services.store.txs.get(first.txHash!))!.raw);
    // A transfer to itself with the batch's nonce and higher fees replaces the batch's transaction in the pool.
    const cancel = await outbid(original, { to: new Wallet(DEV_KEYS.operator).address, data: "0x", gasLimit: 21_000n });
    await anvil.mine();
    expect((await anvil.provider.getTransactionReceipt(cancel.hash))!.status).to.equal(1);
    expect(await fx.contracts.rights.isRequestUsed(fx.accounts.issuer.address, first.requestId!)).to.equal(false);
    const resent = await waitUntil(gw, token, jobId, (j) => j.items.filter((i) => i.idx < 5).every((i) => i.state === "submitted" && i.txHash !== first.txHash));
    expect(resent.counts.failed).to.equal(0);
    await anvil.mine();
    const job = await waitUntil(gw, token, jobId, (j) => j.state === "done");
    const byIdx = await requestIds(jobId);
    expect(byIdx(0)).to.equal(first.requestId);
    await expectMintedOnce(anvilChain(anvil, fx), job, byIdx);
    const recorded = await gw.services.store.txs.byPurpose(`mint:${jobId}:${first.requestId}`);
    expect(recorded.map((t) => t.state)).to.deep.equal(["dropped", "mined"]);
    expect(recorded[0].hash).to.equal(original.hash);
    expect(job.items[0].txHash).to.equal(recorded[1].hash);
    const log = gw.services.store.log;
    expect((await log.findByRef(original.hash!)).map((e) => [e.decision, (e.payload as { error?: { code: string } }).error?.code])).to.deep.equal([
      ["pending", undefined],
      ["failed", "TX_DROPPED"],
    ]);
    expect((await log.findByRef(recorded[1].hash)).map((e) => e.decision)).to.deep.equal(["pending", "sent"]);
  });

  it("a transaction replaced by one that ran the same request is followed: settled from the chain's record, nothing sent again", async () => {
    await anvil.holdBlocks();
    const jobId = await enqueue(gw, token, collectionId, take(5), "replaced");
    await waitUntil(gw, token, jobId, (j) => j.counts.submitted === 5);
    const [first] = await itemsOf(jobId);
    const original = Transaction.from((await gw.services.store.txs.get(first.txHash!))!.raw);
    const replacement = await outbid(original, { to: original.to!, data: original.data, gasLimit: original.gasLimit });
    await anvil.mine();
    const job = await waitUntil(gw, token, jobId, (j) => j.state === "done");
    expect(job.items.map((i) => i.txHash)).to.deep.equal(Array(5).fill(replacement.hash));
    await expectMintedOnce(anvilChain(anvil, fx), job, await requestIds(jobId));
    const recorded = await gw.services.store.txs.byPurpose(`mint:${jobId}:${first.requestId}`);
    expect(recorded.map((t) => [t.hash, t.state])).to.deep.equal([[original.hash, "dropped"]]);
    const entries = await gw.services.store.log.findByRef(original.hash!);
    expect(entries.map((e) => e.decision)).to.deep.equal(["pending", "sent"]);
    expect(entries[1].payload).to.include({ ranIn: replacement.hash, outcome: "mined" });
  });

  it("a chain that dies mid-job: the job says the node cannot be reached, retries back off, and it finishes once the chain is back", async () => {
    await anvil.setBlockTime(3);
    const jobId = await enqueue(gw, token, collectionId, take(15), "chain-dies");
    await waitUntil(gw, token, jobId, (j) => j.counts.submitted > 0);
    const before = warnings.length;
    await anvil.stop();
    const down = await waitUntil(gw, token, jobId, (j) => /CHAIN_UNAVAILABLE/.test(j.reason ?? ""), 20_000);
    expect(down.state).to.equal("running");
    expect(down.reason).to.match(/^waiting for a dependency \(CHAIN_UNAVAILABLE\): The blockchain node cannot be reached\. Next attempt in \d+ s\.$/);
    expect(down.counts.failed).to.equal(0);
    // Down for 8 s: attempts after 1, 2 and 4 s, one warning each, not one a second.
    await new Promise((r) => setTimeout(r, 8_000));
    const waits = warnings.slice(before).filter((w) => w.msg === "mint job waits for a dependency");
    expect(waits.length).to.be.within(1, 4);
    expect(waits.map((w) => w.retryInMs)).to.deep.equal([1000, 2000, 4000, 8000].slice(0, waits.length));
    expect((await jobOf(gw, token, jobId)).counts.failed).to.equal(0);
    await anvil.start();
    const job = await waitUntil(gw, token, jobId, (j) => j.state === "done", 90_000);
    await expectMintedOnce(anvilChain(anvil, fx), job, await requestIds(jobId));
  });

  it("a new store on a chain whose request nonces another store's jobs used: one refused send, then fresh nonces, nothing minted twice", async () => {
    const issued = await gw.services.store.nonces.next(fx.accounts.issuer.address);
    await gw.close(true);
    const dataDir = gw.dataDir;
    const fresh = await anvilGateway(anvil, fx, { env, logger });
    try {
      const freshToken = await fresh.key("issuer", { wallet: fx.accounts.issuer.address });
      const jobId = await enqueue(fresh, freshToken, collectionId, take(10), "fresh-store");
      const job = await waitUntil(fresh, freshToken, jobId, (j) => j.state === "done");
      const items = await fresh.services.store.jobs.items(jobId);
      const nonces = await expectMintedOnce(anvilChain(anvil, fx), job, (idx) => items[idx].requestId);
      for (const n of nonces) expect(BigInt(n) > issued, `request nonce ${n} of the new store, ${issued} used before`).to.equal(true);
      const refusals = (await fresh.services.store.log.list({ action: "chain.rights.mintBatch" })).filter((e) => e.decision === "failed");
      expect(refusals.map((e) => (e.payload as { error: { code: string; params: unknown } }).error)).to.deep.equal([
        { code: "REQUEST_ALREADY_USED", params: { issuer: fx.accounts.issuer.address, requestNonce: "0" } },
      ]);
    } finally {
      await fresh.close();
      gw = await anvilGateway(anvil, fx, { env, logger, dataDir });
    }
  });

  it("RequestAlreadyUsed for the batch's own request nonce means it ran: a store restored from a backup settles from the chain with the same token ids", async () => {
    // A backup taken while the job was queued, before any batch was sent.
    await gw.close(true);
    const dataDir = gw.dataDir;
    gw = await anvilGateway(anvil, fx, { env, logger, dataDir, startWorker: false });
    const recipients = take(10);
    const jobId = await enqueue(gw, token, collectionId, recipients, "restored");
    await gw.close(true);
    const backup = mkdtempSync(join(tmpdir(), "gw-backup-"));
    const dbFiles = readdirSync(dataDir).filter((f) => f.startsWith("gateway.db"));
    for (const f of dbFiles) copyFileSync(join(dataDir, f), join(backup, f));

    gw = await anvilGateway(anvil, fx, { env, logger, dataDir });
    const minted = await waitUntil(gw, token, jobId, (j) => j.state === "done");
    const supply = await fx.contracts.rights.totalSupply(collectionId);
    await gw.close(true);

    // The store goes back to the backup: the job is queued again and its request nonces are handed out again.
    for (const f of readdirSync(dataDir).filter((x) => x.startsWith("gateway.db"))) rmSync(join(dataDir, f));
    for (const f of dbFiles) copyFileSync(join(backup, f), join(dataDir, f));
    rmSync(backup, { recursive: true });
    expect(existsSync(join(dataDir, "gateway.db"))).to.equal(true);
    gw = await anvilGateway(anvil, fx, { env, logger, dataDir, startWorker: false });
    expect((await jobOf(gw, token, jobId)).state).to.equal("queued");
    gw.worker.start();
    const job = await waitUntil(gw, token, jobId, (j) => j.state === "done");
    expect(job.items.map((i) => [i.recipient, i.tokenId, i.txHash])).to.deep.equal(minted.items.map((i) => [i.recipient, i.tokenId, i.txHash]));
    expect(await fx.contracts.rights.totalSupply(collectionId)).to.equal(supply);
    const byIdx = await requestIds(jobId);
    await expectMintedOnce(anvilChain(anvil, fx), job, byIdx);
    // The contract refused each batch at estimation (nothing was signed); the log then names the transaction that ran it.
    const nonce = byIdx(0)!;
    expect(await gw.services.store.txs.byPurpose(`mint:${jobId}:${nonce}`)).to.deep.equal([]);
    const entries = await gw.services.store.log.list({ action: "chain.rights.mintBatch" });
    const ours = entries.filter((e) => (e.payload as { jobId?: string; requestNonce?: string }).jobId === jobId && (e.payload as { requestNonce?: string }).requestNonce === nonce);
    expect(ours.map((e) => [e.decision, (e.payload as { error?: { code: string; params: Record<string, unknown> } }).error?.params])).to.deep.equal([
      ["failed", { issuer: fx.accounts.issuer.address, requestNonce: nonce }],
      ["sent", undefined],
    ]);
    expect(ours[1].ref).to.equal(minted.items[0].txHash);
  });
});
