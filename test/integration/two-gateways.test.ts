import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { Wallet } from "ethers";
import type { JobView } from "../../shared/api/mint";
import { openPostgresDb } from "../../server/store/postgres-db";
import { openSqlStore } from "../../server/store/sql-store";
import { deployToAnvil, devWallet, freePort, startAnvil, type Anvil, type AnvilRegistry } from "../support/anvil";
import { startJsIpfs, type JsIpfsNode } from "../support/jsipfs";
import { postgresCluster } from "../support/postgres";
import { anvilChain, anvilGateway, issuerWithCollection, verifiedHolders } from "../server/mint/anvil-gateway";
import { expectMintedOnce } from "../server/mint/jobs";
import { leadersOf } from "../server/store/leaders";
import { checkedClient } from "./checked-client";
import { startGatewayProcess, writeDeploymentFile, type GatewayProcess } from "./gateway-process";

/** Polls `fn` until it returns a value; on timeout, fails naming `what` and the last `detail` seen. */
const until = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 200, detail?: () => unknown): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? `: ${JSON.stringify(detail())}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

/**
 * Issue 12's test of several gateways: two gateways as real processes (server/main.ts), each with its own
 * operator and anchor keys, on one PostgreSQL store, one anvil with 2 s blocks and one Kubo-RPC node
 * (js-ipfs). Ten jobs of 100 recipients go in through both; the gateway that leads the indexer and the
 * anchorer is killed -9 while its batches wait on the chain. The survivor must take its jobs over once
 * their lease expires and finish them; the chain read back must show every recipient minted exactly once;
 * the sandbox log written by both must stay one sequence and one tree, without a duplicated entry, and
 * verify against the checkpoints both anchored; indexing and anchoring must pass to the survivor.
 */
describe("integration: two gateways on one PostgreSQL store, one killed -9", function () {
  this.timeout(600_000);
  const JOBS = 10;
  const PER_JOB = 100;
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let ipfs: JsIpfsNode;
  let dir: string;
  let databaseUrl: string;
  const gateways: GatewayProcess[] = [];

  before(async () => {
    const pg = await postgresCluster();
    databaseUrl = pg.createDatabase();
    [anvil, ipfs] = await Promise.all([startAnvil(), startJsIpfs()]);
    fx = await deployToAnvil(anvil);
    dir = mkdtempSync(join(tmpdir(), "two-gateways-"));
  });
  afterEach(function () {
    // A failure in CI is read from here: what each gateway process printed and logged last.
    if (this.currentTest?.state !== "failed") return;
    for (const name of ["gw-a", "gw-b"]) {
      const file = join(dir, name, "gateway-process.out");
      if (existsSync(file)) console.error(`--- ${file}\n${readFileSync(file, "utf8").split("\n").slice(-60).join("\n")}`);
    }
  });
  after(async () => {
    for (const g of gateways) await g.kill();
    await anvil?.close();
    await ipfs?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the survivor finishes every job after the lease; each recipient is minted once on chain; the log stays one verified sequence; indexing and anchoring move over", async () => {
    const { rights, evidence } = fx.contracts;
    const { admin, issuer } = fx.accounts;
    // Gateway B's own operator and anchor keys, granted their roles like A's (Hardhat's operator, the fixture's anchorer).
    const operatorB = Wallet.createRandom();
    const anchorB = Wallet.createRandom();
    for (const w of [operatorB, anchorB]) await anvil.rpc("anvil_setBalance", [w.address, `0x${(10n ** 21n).toString(16)}`]);
    await (await rights.connect(admin).grantRole(await rights.OPERATOR_ROLE(), operatorB.address)).wait();
    await (await evidence.connect(admin).grantRole(await evidence.ANCHOR_ROLE(), anchorB.address)).wait();
    const operatorA = devWallet(4);
    const anchorA = new Wallet(fx.gatewayEnv.ANCHOR_KEY);

    // The issuer's key and collection through a gateway in this process, on the same store and IPFS node.
    const shared = { DATABASE_URL: databaseUrl, IPFS_API_URL: ipfs.apiUrl };
    const setup = await anvilGateway(anvil, fx, { env: shared, dataDir: join(dir, "setup") });
    const { token, collectionId } = await issuerWithCollection(setup, fx, "two-gateways", JOBS * PER_JOB);
    const regulatorToken = await setup.key("regulator");
    const auditorToken = await setup.key("auditor");
    await setup.close(true);

    const deploymentsDir = join(dir, "deployments");
    writeDeploymentFile(deploymentsDir, fx.deployment);
    const envOf = async (name: string, operatorKey: string, anchorKey: string) => ({
      PORT: String(await freePort()),
      DATA_DIR: join(dir, name),
      DEPLOYMENTS_DIR: deploymentsDir,
      NETWORK: fx.deployment.network,
      RPC_URL: anvil.url,
      POLICY_FILE: join(hre.config.paths.root, "policy", "default.yaml"),
      DATABASE_URL: `${databaseUrl}?application_name=${name}`,
      IPFS_API_URL: ipfs.apiUrl,
      GATEWAY_ID: name,
      OPERATOR_KEY: operatorKey,
      ANCHOR_KEY: anchorKey,
      COMPLIANCE_SIGNER_KEY: fx.gatewayEnv.COMPLIANCE_SIGNER_KEY,
      LEASE_SECONDS: "5",
      // One batch of 25 in flight per job: each job takes four blocks at least, so the kill lands in the middle.
      MINT_BATCH_SIZE: "25",
      MINT_IN_FLIGHT: "1",
      ANCHOR_EVERY_ENTRIES: "10",
      TX_TIMEOUT_SECONDS: "2",
      COMPLIANCE_THREADS: "0",
      RATE_LIMIT_PER_IP: "1000000",
      RATE_LIMIT_PER_KEY: "1000000",
      // The logs in gateway-process.out, written as they come (a killed process loses no buffered line).
      LOG_TO_STDOUT: "true",
    });

    // A first, so that it leads the indexer and the anchorer; B starts once PostgreSQL says A holds both.
    const db = openPostgresDb(databaseUrl);
    const store = await openSqlStore(db);
    try {
      // A generous start-up limit: ts-node compiles the gateway in each process, on a shared 2-core machine.
      const starting = startGatewayProcess(await envOf("gw-a", operatorA.privateKey, anchorA.privateKey), { timeoutMs: 240_000 }).then((g) => {
        gateways.push(g);
        return g;
      });
      // The holders meanwhile (blocks on demand), then blocks every 2 s.
      const holders: string[] = [];
      for (let j = 0; j < JOBS; j++) holders.push(...(await verifiedHolders(fx, PER_JOB, `two-gateways-${j}`)));
      await anvil.setBlockTime(2);
      const a = await starting;
      const leaders = async () => ({
        indexer: (await leadersOf(db, "indexer")).map((l) => l.application),
        anchorer: (await leadersOf(db, "anchorer")).map((l) => l.application),
      });
      await until("gateway A to lead", async () => JSON.stringify(await leaders()) === JSON.stringify({ indexer: ["gw-a"], anchorer: ["gw-a"] }), 30_000);
      const b = await startGatewayProcess(await envOf("gw-b", operatorB.privateKey, anchorB.privateKey), { timeoutMs: 240_000 });
      gateways.push(b);
      expect(await leaders()).to.deep.equal({ indexer: ["gw-a"], anchorer: ["gw-a"] });

      const issuerApi = { a: checkedClient(a.url, token), b: checkedClient(b.url, token) };
      const jobIds: string[] = [];
      for (let j = 0; j < JOBS; j++) {
        const via = j % 2 === 0 ? issuerApi.a : issuerApi.b;
        const r = await via.call("enqueueMint", { params: { id: collectionId }, body: { recipients: holders.slice(j * PER_JOB, (j + 1) * PER_JOB) }, headers: { "idempotency-key": `two-gw-${j}` } });
        jobIds.push(r.jobId);
      }
      /** Every job as a gateway reports it; none may ever show a failed recipient. */
      const jobs = async (api: typeof issuerApi.a): Promise<JobView[]> => {
        const views = await Promise.all(jobIds.map((id) => api.call("getJob", { params: { id } })));
        for (const v of views) expect(v.counts.failed, `job ${v.id}: ${v.reason}`).to.equal(0);
        return views;
      };
      const owners = async () => new Map((await db.query<{ id: string; owner: string | null }>(`SELECT id, owner FROM jobs`)).map((r) => [r.id, r.owner]));
      await until("every job leased", async () => [...(await owners()).values()].every((o) => o !== null), 30_000);
      const ownedByA = [...(await owners())].filter(([, o]) => o === "gw-a").map(([id]) => id);
      expect(ownedByA.length, "jobs leased by A").to.be.within(1, JOBS - 1);

      // The kill: once A has anchored, some of its jobs are part minted, and its batches wait on the chain.
      const anchoredBy = async () => (await evidence.queryFilter(evidence.filters.CheckpointAnchored(), fx.deployment.deployBlock)).map((e) => e.args.anchorer);
      const pendingOf = async (address: string) => {
        const pool = (await anvil.rpc("txpool_content")) as { pending: Record<string, Record<string, unknown>> };
        return Object.entries(pool.pending).filter(([from]) => from.toLowerCase() === address.toLowerCase()).reduce((n, [, txs]) => n + Object.keys(txs).length, 0);
      };
      await until(
        "A anchoring, and part-minted jobs of A with batches pending",
        async () => {
          const views = (await jobs(issuerApi.a)).filter((v) => ownedByA.includes(v.id));
          const partMinted = views.some((v) => v.counts.minted > 0 && v.counts.minted < v.counts.total && v.counts.submitted > 0);
          return partMinted && (await anchoredBy()).includes(anchorA.address) && (await pendingOf(operatorA.address)) > 0;
        },
        120_000,
        100,
      );
      const supplyAtKill = await rights.totalSupply(collectionId);
      await a.kill();
      expect(supplyAtKill).to.be.lessThan(BigInt(JOBS * PER_JOB));

      // B takes A's jobs once their lease expires, and finishes all of them.
      let last: JobView[] = [];
      const views = await until(
        "every job done",
        async () => {
          last = await jobs(issuerApi.b);
          return last.every((x) => x.state === "done") && last;
        },
        180_000,
        500,
        () => last.map((v) => ({ id: v.id, state: v.state, reason: v.reason, counts: v.counts })),
      );
      const ownersAfter = await owners();
      for (const id of jobIds) expect(ownersAfter.get(id), `job ${id}`).to.equal("gw-b");

      // The chain read back: every recipient minted exactly once, by request nonces each used once.
      await Promise.all(
        views.map(async (view) => {
          const items = await store.jobs.items(view.id);
          await expectMintedOnce(anvilChain(anvil, fx), view, (idx) => items[idx].requestId);
        }),
      );
      expect(await rights.totalSupply(collectionId)).to.equal(BigInt(JOBS * PER_JOB));
      const minted = await rights.queryFilter(rights.filters.EditionsMinted(BigInt(collectionId)), fx.deployment.deployBlock);
      expect(minted.reduce((n, e) => n + Number(e.args.count), 0)).to.equal(JOBS * PER_JOB);
      expect(new Set(minted.map((e) => e.args.operator))).to.deep.equal(new Set([operatorA.address, operatorB.address]));
      expect(new Set(views.flatMap((v) => v.items.map((i) => i.recipient)))).to.deep.equal(new Set(holders));

      // Indexing and anchoring passed to B: the index follows the chain to the last edition.
      expect(await leaders()).to.deep.equal({ indexer: ["gw-b"], anchorer: ["gw-b"] });
      const auditorB = checkedClient(b.url, auditorToken);
      await until("the index to show every edition", async () => {
        const page = await auditorB.call("listCollections", { query: { issuer: issuer.address } });
        const c = page.items.find((x) => x.collectionId === collectionId);
        return c?.minted === JOBS * PER_JOB && c.holders === JOBS * PER_JOB;
      }, 60_000, 500);

      // Anchors: A's until it died, B's after; never interleaved. "Anchor now" answers with B's checkpoint.
      const regulatorB = checkedClient(b.url, regulatorToken);
      const final = await regulatorB.call("anchorLog");
      expect(final.checkpoint?.anchor, "the final checkpoint is anchored").to.not.equal(null);
      const anchorers = await anchoredBy();
      const firstB = anchorers.indexOf(anchorB.address);
      expect(firstB, anchorers.join(",")).to.be.greaterThan(0);
      expect(anchorers.slice(0, firstB).every((x) => x === anchorA.address), anchorers.join(",")).to.equal(true);
      expect(anchorers.slice(firstB).every((x) => x === anchorB.address), anchorers.join(",")).to.equal(true);

      // The log both wrote: one sequence, one hash chain, no entry twice, and it verifies against every checkpoint.
      const size = await store.log.count();
      const entries = await store.log.range(1, size);
      expect(entries.map((e) => e.seq)).to.deep.equal(entries.map((_, i) => i + 1));
      for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash, `seq ${entries[i].seq}`).to.equal(entries[i - 1].hash);
      const signers = new Set(entries.filter((e) => e.action === "chain.rights.mintBatch" && e.decision === "pending").map((e) => (e.payload as { signer?: string }).signer));
      expect(signers).to.deep.equal(new Set([operatorA.address, operatorB.address]));
      const seen = new Map<string, number>();
      for (const e of entries.filter((x) => x.ref && x.action.startsWith("chain."))) {
        const k = `${e.action} ${e.decision} ${e.ref}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      const twice = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
      expect(twice, "entries logged twice").to.deep.equal([]);
      const report = await regulatorB.call("verifyLog");
      expect(report.ok, JSON.stringify({ firstBad: report.firstBad, checks: report.checks.filter((c) => !c.passed) })).to.equal(true);
      expect(report.entries).to.equal(size);
      expect(report.checkpoints.length).to.be.greaterThanOrEqual(2);
      expect(report.checkpoints.every((c) => c.ok)).to.equal(true);
      expect(report.onChain.count).to.equal(anchorers.length);
      await b.stop();
    } finally {
      await store.close();
    }
  });
});
