/**
 * The pieces of npm start that decide before anything runs: settings, the lock, the build fingerprint,
 * the anvil lookup, and moving another chain's data aside. (test/smoke/newcomer.sh runs the whole stack.)
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { stampStore, type RpcClient } from "../../../server/chain/chain-identity";
import { openSqliteStore } from "../../../server/store/sqlite";
import { anvilBinary } from "../../../scripts/lib/stack/chain-node";
import { buildFingerprint } from "../../../scripts/lib/stack/compile";
import { StackError } from "../../../scripts/lib/stack/errors";
import { acquireLock, isAlive, lockIsLive, readLock, removeLock } from "../../../scripts/lib/stack/lock";
import { chainBoundEntries, reconcileLocalData, stampLocalStore } from "../../../scripts/lib/stack/local-data";
import { portIsFree } from "../../../scripts/lib/stack/ports";
import { preflight } from "../../../scripts/lib/stack/preflight";
import { readStackSettings, ROOT } from "../../../scripts/lib/stack/settings";
import { gatewayChainFixture } from "../../server/support/gateway";

describe("scripts/lib/stack: what npm start checks before it runs anything", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "stack-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe("settings", () => {
    it("defaults to anvil on 8545, the gateway on 8080, ./data and deployments/localhost.json", () => {
      const s = readStackSettings({}, { demo: false, cwd: ROOT });
      expect(s).to.deep.include({ port: 8080, host: "127.0.0.1", defaultDataDir: true, dataDirLabel: "data", network: "localhost" });
      expect(s.chain).to.deep.include({ kind: "anvil", port: 8545, url: "http://127.0.0.1:8545", stateFile: join(ROOT, "data", "chain", "state.json") });
      expect(s.deploymentFile).to.equal(join(ROOT, "deployments", "localhost.json"));
      expect(s.logDir).to.equal(join(ROOT, "data", "logs"));
    });

    it("keeps the deployment file of another DATA_DIR inside it, so side-by-side stacks never collide", () => {
      const s = readStackSettings({ DATA_DIR: dir, PORT: "18080", LOCAL_RPC_PORT: "18545" }, { demo: false });
      expect(s.defaultDataDir).to.equal(false);
      expect(s.deploymentFile).to.equal(join(dir, "deployments", "localhost.json"));
      expect(s.chain.url).to.equal("http://127.0.0.1:18545");
    });

    it("CHAIN=hardhat starts a Hardhat node; CHAIN_RPC_URL starts none", () => {
      expect(readStackSettings({ CHAIN: "hardhat" }, { demo: false }).chain.kind).to.equal("hardhat");
      expect(readStackSettings({ CHAIN: "hardhat", CHAIN_RPC_URL: "http://10.0.0.1:8545/" }, { demo: false }).chain).to.deep.equal({
        kind: "external",
        url: "http://10.0.0.1:8545",
      });
    });

    it("refuses bad values in one line that names each", () => {
      expect(() => readStackSettings({ PORT: "abc", CHAIN: "geth", LOCAL_RPC_PORT: "0" }, { demo: false }))
        .to.throw(StackError)
        .with.property("message")
        .that.matches(/^PORT="abc": must be a port number; CHAIN="geth": must be anvil \(default\) or hardhat; LOCAL_RPC_PORT="0": must be 1 to 65535$/);
    });
  });

  describe("the lock", () => {
    it("is taken once, names its holder, and is released only by it", () => {
      const file = join(dir, "stack.lock");
      const info = { pid: process.pid, startedAt: new Date().toISOString(), gatewayUrl: "g", rpcUrl: "r", dataDir: dir };
      expect(acquireLock(file, info)).to.equal(true);
      expect(acquireLock(file, info)).to.equal(false);
      expect(readLock(file)).to.deep.equal(info);
      removeLock(file, 12345);
      expect(existsSync(file)).to.equal(true);
      removeLock(file);
      expect(existsSync(file)).to.equal(false);
    });

    it("counts a dead pid as stale and this process as not another stack", () => {
      expect(isAlive(process.pid)).to.equal(true);
      expect(isAlive(2 ** 22 + 1)).to.equal(false);
      expect(lockIsLive({ pid: 2 ** 22 + 1, startedAt: "", gatewayUrl: "", rpcUrl: "", dataDir: dir })).to.equal(false);
      expect(lockIsLive({ pid: process.pid, startedAt: "", gatewayUrl: "", rpcUrl: "", dataDir: dir })).to.equal(false);
    });
  });

  describe("preflight", () => {
    it("refuses a data directory whose lock holder runs, and writes nothing", async () => {
      const s = readStackSettings({ DATA_DIR: dir, PORT: "0" }, { demo: false });
      // Another live node process holds the lock.
      const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
      writeFileSync(s.lockFile, JSON.stringify({ pid: holder.pid, startedAt: new Date().toISOString(), gatewayUrl: "http://x:1", rpcUrl: "http://y:2", dataDir: dir }));
      const before = readFileSync(s.lockFile, "utf8");
      const e = await preflight(s).catch((x: unknown) => x);
      holder.kill();
      expect(e).to.be.instanceOf(StackError);
      expect((e as Error).message).to.match(/^the stack is already running on .* \(pid \d+, since .*\): gateway http:\/\/x:1, chain http:\/\/y:2\. /);
      expect(readFileSync(s.lockFile, "utf8")).to.equal(before);
    });

    it("refuses a port in use, saying which variable moves it", async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      try {
        expect(await portIsFree("127.0.0.1", port)).to.equal(false);
        const s = readStackSettings({ DATA_DIR: dir, PORT: String(port) }, { demo: false });
        const e = await preflight(s).catch((x: unknown) => x);
        expect((e as Error).message).to.equal(`port ${port} (PORT) is in use by another program: stop it or set PORT to a free port.`);
      } finally {
        server.close();
      }
    });
  });

  it("finds anvil in node_modules, and says what to do when it is not there", () => {
    expect(anvilBinary(ROOT)).to.match(/@foundry-rs\/anvil-[a-z0-9]+-[a-z0-9]+\/bin\/anvil(\.exe)?$/);
    expect(() => anvilBinary(dir)).to.throw(StackError, /the anvil binary \(@foundry-rs\/anvil-.*\) is not installed: run `npm ci`.*or start with CHAIN=hardhat/);
  });

  it("fingerprints the build from the Solidity sources and the compiler versions", () => {
    const root = join(dir, "repo");
    mkdirSync(join(root, "contracts", "token"), { recursive: true });
    writeFileSync(join(root, "hardhat.config.ts"), "export default {};\n");
    writeFileSync(join(root, "contracts", "token", "A.sol"), "contract A {}\n");
    const first = buildFingerprint(root);
    expect(buildFingerprint(root)).to.equal(first);
    writeFileSync(join(root, "contracts", "token", "A.sol"), "contract A { uint x; }\n");
    expect(buildFingerprint(root)).not.to.equal(first);
  });

  describe("one chain's data only", () => {
    const rpc = ethers.provider as unknown as RpcClient;
    const settingsFor = (d: string) => ({ ...readStackSettings({ DATA_DIR: d }, { demo: false }), chain: { kind: "external" as const, url: "in-process" } });

    it("reuses a deployment that is on the chain, and stamps the store", async () => {
      const { deployment } = await loadFixture(gatewayChainFixture);
      const s = settingsFor(dir);
      mkdirSync(s.deploymentsDir, { recursive: true });
      writeFileSync(s.deploymentFile, JSON.stringify(deployment));
      const local = await reconcileLocalData(s, rpc);
      expect(local).to.deep.equal({ deployment });
      await stampLocalStore(s, deployment);
      expect((await reconcileLocalData(s, rpc)).movedTo).to.equal(undefined);
    });

    it("moves the store, IPFS blocks and the deployment of another chain into stale-<timestamp>/", async () => {
      const { deployment } = await loadFixture(gatewayChainFixture);
      const s = settingsFor(dir);
      const foreign = structuredClone(deployment);
      for (const c of Object.values(foreign.contracts)) c.blockHash = `0x${"12".repeat(32)}`;
      mkdirSync(s.deploymentsDir, { recursive: true });
      writeFileSync(s.deploymentFile, JSON.stringify(foreign));
      const store = await openSqliteStore(join(dir, "gateway.db"));
      await stampStore(store, foreign);
      await store.close();
      mkdirSync(join(dir, "ipfs", "blocks"), { recursive: true });
      mkdirSync(join(dir, "chain"), { recursive: true });
      mkdirSync(join(dir, "logs"), { recursive: true });
      writeFileSync(join(dir, "demo-keys.json"), "{}");

      const local = await reconcileLocalData(s, rpc);
      expect(local.deployment).to.equal(undefined);
      expect(local.why).to.match(/recorded 0x12121212…: it is another chain$/);
      expect(local.movedTo).to.match(/\/stale-\d{8}-\d{6}$/);
      for (const moved of ["gateway.db", "ipfs", "demo-keys.json", join("deployments", "localhost.json")]) {
        expect(existsSync(join(local.movedTo!, moved)), moved).to.equal(true);
      }
      expect(existsSync(s.deploymentFile)).to.equal(false);
      expect(chainBoundEntries(dir).filter((n) => n !== "deployments")).to.deep.equal([]);
      expect(existsSync(join(dir, "chain"))).to.equal(true);
      expect(existsSync(join(dir, "logs"))).to.equal(true);
    });

    it("moves a store stamped by another chain aside but keeps a deployment that is on this chain", async () => {
      const { deployment } = await loadFixture(gatewayChainFixture);
      const s = settingsFor(dir);
      mkdirSync(s.deploymentsDir, { recursive: true });
      writeFileSync(s.deploymentFile, JSON.stringify(deployment));
      const store = await openSqliteStore(join(dir, "gateway.db"));
      await stampStore(store, { ...deployment, chainId: 5 });
      await store.close();
      const local = await reconcileLocalData(s, rpc);
      expect(local.deployment).to.deep.equal(deployment);
      expect(local.why).to.match(/^the store in .* belongs to chain 5/);
      expect(existsSync(join(local.movedTo!, "gateway.db"))).to.equal(true);
      expect(existsSync(s.deploymentFile)).to.equal(true);
    });

    it("moves data that has no deployment file aside", async () => {
      const s = settingsFor(dir);
      writeFileSync(join(dir, "gateway.db"), "");
      const local = await reconcileLocalData(s, rpc);
      expect(local.why).to.match(/^there is no deployment file .* for the data in /);
      expect(existsSync(join(local.movedTo!, "gateway.db"))).to.equal(true);
    });
  });
});
