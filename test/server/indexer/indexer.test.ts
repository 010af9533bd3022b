import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { Chain } from "../../../server/chain/chain";
import { Indexer } from "../../../server/indexer/indexer";
import { openSqliteStore } from "../../../server/store/sqlite";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { busyHistory, chainOps, dumpIndex, expectProjectionsEqualChain, indexedKeys, indexedToHead, keptLogsOnChain, type Fx } from "./support";

/**
 * The real in-process Hardhat chain behind a provider that refuses what a public node refuses: getLogs
 * over more than `maxBlocks` blocks, or answering more than `maxLogs` logs. It forwards everything else
 * unchanged; the chain it answers from is the real one.
 */
function refusingProvider(maxBlocks: number, maxLogs = Infinity) {
  const base = ethers.provider as unknown as Provider;
  const calls = { served: [] as Array<[number, number]>, refused: [] as Array<[number, number]> };
  const provider = new Proxy(base, {
    get(target, prop) {
      if (prop === "getLogs") {
        return async (filter: { fromBlock: number; toBlock: number }) => {
          const span: [number, number] = [Number(filter.fromBlock), Number(filter.toBlock)];
          if (span[1] - span[0] + 1 > maxBlocks) {
            calls.refused.push(span);
            throw new Error(`eth_getLogs is limited to a ${maxBlocks} block range`);
          }
          const logs = await target.getLogs(filter);
          if (logs.length > maxLogs) {
            calls.refused.push(span);
            throw new Error(`query returned more than ${maxLogs} results`);
          }
          calls.served.push(span);
          return logs;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { provider, calls };
}

describe("server/indexer: the chain's events in the store", function () {
  this.timeout(300_000);
  let fx: Fx;
  let gw: TestGateway | undefined;
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "ix-test-"));
    dirs.push(d);
    return d;
  };

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
  });
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("follows all three contracts into the projections: every kept event once, every projection equal to the chain", async () => {
    const ops = chainOps(fx);
    const history = await busyHistory(fx, ops, "follow");
    gw = await startTestGateway(fx.deployment);
    await indexedToHead(gw.services.indexer);
    const db = gw.services.store.db;
    const onChain = await keptLogsOnChain(fx);
    expect(await indexedKeys(db)).to.deep.equal(onChain);
    // Every contract's events are there, of every kind the history made.
    const types = (await db.query<{ type: string }>(`SELECT DISTINCT type FROM ix_events`)).map((r) => r.type).sort();
    expect(types).to.include.members([
      "collection-created",
      "editions-minted",
      "transfer",
      "forced-transfer",
      "taken-down",
      "token-frozen",
      "token-unfrozen",
      "wallet-frozen",
      "wallet-unfrozen",
      "paused",
      "unpaused",
      "licence-granted",
      "licence-revoked",
      "identity-registered",
      "identity-updated",
      "identity-renewed",
      "identity-status-changed",
      "wallet-linked",
      "wallet-unlinked",
      "evidence-recorded",
      "role-granted",
      "role-revoked",
    ]);
    await expectProjectionsEqualChain(fx, db);
    // And it keeps following: a new event after the first catch-up arrives too.
    await chainOps(fx).mint(history.c1, [fx.accounts.bob.address]);
    await indexedToHead(gw.services.indexer);
    expect(await indexedKeys(db)).to.deep.equal(await keptLogsOnChain(fx));
    await expectProjectionsEqualChain(fx, db);
  });

  it("resumes after a restart on the same data directory with no duplicate and no gap", async () => {
    const ops = chainOps(fx);
    const dataDir = tempDir();
    const { c1 } = await busyHistory(fx, ops, "restart");
    gw = await startTestGateway(fx.deployment, { dataDir });
    const before = await indexedToHead(gw.services.indexer);
    expect(await gw.services.indexer.indexedBlock()).to.equal(before);
    await gw.close(true);
    gw = undefined;

    // The chain moves on while the gateway is down.
    const { alice, bob, carol } = fx.accounts;
    const [t] = await ops.mint(c1, [alice.address, bob.address]);
    await ops.freezeToken(t);
    await ops.suspend(fx.ids.carol);
    await mine(3);
    expect(await ethers.provider.getBlockNumber()).to.be.greaterThan(before + 5);

    gw = await startTestGateway(fx.deployment, { dataDir });
    await indexedToHead(gw.services.indexer);
    const db = gw.services.store.db;
    const keys = await indexedKeys(db);
    expect(new Set(keys).size, "no duplicate").to.equal(keys.length);
    expect(keys, "no gap").to.deep.equal(await keptLogsOnChain(fx));
    await expectProjectionsEqualChain(fx, db);
    // A third start with nothing new stores nothing again.
    const n = keys.length;
    await gw.close(true);
    gw = await startTestGateway(fx.deployment, { dataDir });
    await indexedToHead(gw.services.indexer);
    expect(await gw.services.indexer.syncOnce()).to.equal(0);
    expect((await indexedKeys(gw.services.store.db)).length).to.equal(n);
    void carol;
  });

  it("rewinds a re-org to the common ancestor and indexes the new branch (evm_snapshot, evm_revert, other blocks)", async () => {
    const ops = chainOps(fx);
    const { alice, bob, carol, dave } = fx.accounts;
    const c1 = await ops.createCollection("reorg");
    await ops.mint(c1, [alice.address]);
    gw = await startTestGateway(fx.deployment);
    await indexedToHead(gw.services.indexer);
    const fork = await ethers.provider.getBlockNumber();
    const snapshot = await network.provider.send("evm_snapshot", []);

    // Branch A: a mint to bob, a suspension, a new identity, evidence.
    const [onA] = await ops.mint(c1, [bob.address, bob.address]);
    await ops.suspend(fx.ids.dave);
    await ops.register(ethers.id("identity:branch-a"), ethers.Wallet.createRandom().address, 2, BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 86_400n * 90n);
    await ops.record(ethers.id("ev:branch-a"), ethers.id("ev:branch-a:v1"));
    const headA = await indexedToHead(gw.services.indexer);
    const db = gw.services.store.db;
    expect((await db.query(`SELECT owner FROM ix_tokens WHERE token_id = $1`, [onA.toString()]))[0]?.owner).to.equal(bob.address.toLowerCase());

    // The chain forgets branch A and grows a longer branch B from the fork.
    expect(await network.provider.send("evm_revert", [snapshot])).to.equal(true);
    expect(await ethers.provider.getBlockNumber()).to.equal(fork);
    const [onB] = await ops.mint(c1, [carol.address]);
    await ops.freezeWallet(dave.address);
    await ops.renew(fx.ids.alice, BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 86_400n * 500n);
    await mine(headA - fork + 2);
    await indexedToHead(gw.services.indexer);

    expect(await indexedKeys(db), "branch A's events are gone, branch B's are in").to.deep.equal(await keptLogsOnChain(fx));
    await expectProjectionsEqualChain(fx, db);
    expect((await db.query(`SELECT owner FROM ix_tokens WHERE token_id = $1`, [onB.toString()]))[0]?.owner).to.equal(carol.address.toLowerCase());
    expect(onB).to.equal(onA, "the same token id went to carol on branch B");
    expect((await db.query(`SELECT 1 FROM ix_identities WHERE identity_id = $1`, [ethers.id("identity:branch-a")])).length).to.equal(0);
    expect((await db.query(`SELECT 1 FROM ix_evidence WHERE evidence_id = $1`, [ethers.id("ev:branch-a")])).length).to.equal(0);
    // Every block hash the index keeps is the chain's.
    const stored = await db.query<{ number: unknown; hash: string }>(`SELECT number, hash FROM ix_blocks`);
    for (const b of stored) expect(b.hash, `block ${b.number}`).to.equal((await ethers.provider.getBlock(Number(b.number)))!.hash);
  });

  it("splits getLogs ranges when the node refuses them (a block-range limit, then a result limit), and indexes the same", async () => {
    const ops = chainOps(fx);
    await busyHistory(fx, ops, "ranges");
    gw = await startTestGateway(fx.deployment);
    await indexedToHead(gw.services.indexer);
    const reference = await dumpIndex(gw.services.store.db);

    // The most logs of one block: a node must at least answer a one-block range.
    const perBlock = new Map<number, number>();
    for (const l of await ethers.provider.getLogs({ fromBlock: fx.deployment.deployBlock, toBlock: "latest" })) perBlock.set(l.blockNumber, (perBlock.get(l.blockNumber) ?? 0) + 1);
    const busiest = Math.max(...perBlock.values());
    for (const [maxBlocks, maxLogs] of [
      [5, Infinity],
      [10_000, busiest],
    ]) {
      const { provider, calls } = refusingProvider(maxBlocks, maxLogs);
      const store = await openSqliteStore(join(tempDir(), "ix.db"));
      try {
        const chain = new Chain({ deployment: fx.deployment, provider, keys: {} });
        const indexer = new Indexer({ chain, store }, { confirmations: 0 });
        while (((await indexer.indexedBlock()) ?? -1) < (await ethers.provider.getBlockNumber())) await indexer.syncOnce();
        expect(calls.refused.length, `refusals with limits ${maxBlocks} blocks / ${maxLogs} logs`).to.be.greaterThan(0);
        for (const [from, to] of calls.served) expect(to - from + 1).to.be.at.most(maxBlocks);
        // After a refusal the range does not grow past what the node refused: few refusals, not one per range.
        expect(calls.refused.length).to.be.lessThan(calls.served.length);
        expect(await dumpIndex(store.db)).to.deep.equal(reference);
      } finally {
        await store.close();
      }
    }
  });

  it("reports the indexed block, the head and the lag in /healthz and /metrics", async () => {
    gw = await startTestGateway(fx.deployment);
    const head = await indexedToHead(gw.services.indexer);
    const admin = await gw.key("admin");
    const health = await gw.call("GET", "/healthz");
    expect(health.status).to.equal(200);
    expect(health.body.index).to.deep.equal({ indexedBlock: head, head, lag: 0 });

    // The indexer stops following; the chain moves 4 blocks on.
    await gw.services.indexer.stop();
    await mine(4);
    const behind = await gw.call("GET", "/healthz");
    expect(behind.body.index).to.deep.equal({ indexedBlock: head, head: head + 4, lag: 4 });
    const metrics = await gw.call("GET", "/metrics", { token: admin });
    expect(metrics.status).to.equal(200);
    const text = String(metrics.body);
    expect(text).to.match(new RegExp(`^gateway_index_indexed_block ${head}$`, "m"));
    expect(text).to.match(new RegExp(`^gateway_index_head_block ${head + 4}$`, "m"));
    expect(text).to.match(/^gateway_index_lag_blocks 4$/m);
    const network = await gw.call("GET", "/v1/network");
    expect(network.body).to.include({ indexedBlock: head, head: head + 4, lag: 4, confirmations: 0 });

    gw.services.indexer.start();
    await indexedToHead(gw.services.indexer);
    const caught = await gw.call("GET", "/healthz");
    expect(caught.body.index).to.deep.equal({ indexedBlock: head + 4, head: head + 4, lag: 0 });
    const after = String((await gw.call("GET", "/metrics", { token: admin })).body);
    expect(after, after.split("\n").filter((l) => l.includes("index")).join("\n")).to.match(/^gateway_index_lag_blocks 0$/m);
  });

  it("indexes up to head minus CONFIRMATIONS", async () => {
    gw = await startTestGateway(fx.deployment, { env: { CONFIRMATIONS: "3" } });
    await mine(5);
    const head = await ethers.provider.getBlockNumber();
    await gw.services.indexer.waitFor(head - 3);
    await gw.services.indexer.syncOnce();
    expect(await gw.services.indexer.indexedBlock()).to.equal(head - 3);
    expect((await gw.call("GET", "/healthz")).body.index).to.deep.equal({ indexedBlock: head - 3, head, lag: 3 });
  });
});
