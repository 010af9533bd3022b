import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { reindex } from "../../scripts/reindex";
import { loadConfig } from "../../server/config";
import { openStore } from "../../server/store";
import { gatewayChainFixture, startTestGateway } from "../server/support/gateway";
import { busyHistory, chainOps, dumpIndex, expectProjectionsEqualChain, indexedToHead, type Fx } from "../server/indexer/support";
import { postgresCluster } from "../support/postgres";

const ROOT = join(__dirname, "..", "..");

describe("scripts/reindex.ts: npm run reindex rebuilds the index from the chain", function () {
  this.timeout(300_000);
  let fx: Fx;
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  beforeEach(async () => {
    fx = await loadFixture(gatewayChainFixture);
  });

  /** The incremental index built by a running gateway, then the rebuild over the same store: equal. */
  async function rebuildEqualsIncremental(env: Record<string, string>) {
    const dataDir = mkdtempSync(join(tmpdir(), "reindex-"));
    dirs.push(dataDir);
    const ops = chainOps(fx);
    const { c1 } = await busyHistory(fx, ops, `reindex-${Object.keys(env).join("-") || "sqlite"}`);
    // Built in several steps while the chain moves, as a running gateway builds it.
    const gw = await startTestGateway(fx.deployment, { dataDir, env });
    await indexedToHead(gw.services.indexer);
    await ops.mint(c1, [fx.accounts.bob.address]);
    await ops.suspend(fx.ids.alice);
    await indexedToHead(gw.services.indexer);
    await gw.close(true);

    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env });
    const read = async () => {
      const store = await openStore(config);
      try {
        return { dump: await dumpIndex(store.db), store };
      } finally {
        await store.close();
      }
    };
    const incremental = (await read()).dump;
    expect(incremental.ix_events.length).to.be.greaterThan(40);

    const progress: string[] = [];
    const r = await reindex(config, { provider: ethers.provider as unknown as Provider, deployment: fx.deployment, onProgress: (l) => progress.push(l) });
    const head = await ethers.provider.getBlockNumber();
    expect(r).to.include({ events: incremental.ix_events.length, indexedBlock: head });
    expect(progress.at(-1)).to.equal(`reindex: block ${head} of ${head} (100%)`);
    expect((await read()).dump).to.deep.equal(incremental);

    const store = await openStore(config);
    try {
      await expectProjectionsEqualChain(fx, store.db);
    } finally {
      await store.close();
    }
  }

  it("on SQLite (DATA_DIR): the rebuilt index equals the incrementally built one", async () => {
    await rebuildEqualsIncremental({});
  });

  it("on PostgreSQL (DATABASE_URL): the rebuilt index equals the incrementally built one", async () => {
    const pg = await postgresCluster();
    await rebuildEqualsIncremental({ DATABASE_URL: pg.createDatabase() });
  });

  it("as a command: a configuration error exits 1 with a message naming the setting", () => {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/reindex.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", RPC_URL: "not a url" },
    });
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/^reindex: /);
    expect(r.stderr).to.include("RPC_URL");
    expect(r.stderr).to.not.match(/\n\s+at /);
  });
});
