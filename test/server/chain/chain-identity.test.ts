import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { JsonRpcProvider } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Deployment } from "../../../shared/deployment";
import {
  assertChainIdentity,
  CHAIN_IDENTITY_KEY,
  ChainIdentityError,
  chainIdentityOf,
  checkDeploymentOnChain,
  checkStoreStamp,
  stampStore,
  type RpcClient,
} from "../../../server/chain/chain-identity";
import { openSqliteStore } from "../../../server/store/sqlite";
import type { Store } from "../../../server/store/store";
import { expectRejects } from "../../support/rejects";
import { gatewayChainFixture } from "../support/gateway";

const labels = { where: "http://chain.test", file: "deployments/test.json" };
const rpc = ethers.provider as unknown as RpcClient;

/** A copy of `d` with every contract's deploy block changed by `edit`. */
function withBlocks(d: Deployment, edit: (c: Deployment["contracts"]["identityRegistry"]) => Partial<Deployment["contracts"]["identityRegistry"]>): Deployment {
  const contracts = Object.fromEntries(Object.entries(d.contracts).map(([k, c]) => [k, { ...c, ...edit(c) }])) as Deployment["contracts"];
  return { ...d, contracts };
}

describe("server/chain/chain-identity: a deployment and a store belong to one chain", function () {
  this.timeout(60_000);
  let deployment: Deployment;
  let dir: string;
  let store: Store;

  before(async () => {
    ({ deployment } = await loadFixture(gatewayChainFixture));
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "chain-identity-"));
    store = await openSqliteStore(join(dir, "gateway.db"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the chain id and the earliest deploy block as the identity", () => {
    const id = chainIdentityOf(deployment);
    const first = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
    expect(id.chainId).to.equal(31337);
    expect(id.blockNumber).to.equal(first);
    expect(id.blockHash).to.match(/^0x[0-9a-f]{64}$/);
  });

  describe("checkDeploymentOnChain", () => {
    it("accepts the chain the registry was deployed to", async () => {
      expect(await checkDeploymentOnChain(rpc, deployment, labels)).to.deep.equal({ ok: true });
    });

    it("refuses another chain id", async () => {
      const r = await checkDeploymentOnChain(rpc, { ...deployment, chainId: 1 }, labels);
      expect(r).to.include({ ok: false, reason: "chain-id" });
      expect((r as { message: string }).message).to.equal("the node at http://chain.test is chain 31337, but deployments/test.json is for chain 1");
    });

    it("refuses a chain that does not reach the deploy block (a new chain)", async () => {
      const r = await checkDeploymentOnChain(rpc, withBlocks(deployment, (c) => ({ blockNumber: c.blockNumber + 1_000_000 })), labels);
      expect(r).to.include({ ok: false, reason: "block-missing" });
      expect((r as { message: string }).message).to.match(/has no block \d+, where deployments\/test\.json says the registry was deployed: it is a new chain$/);
    });

    it("refuses a chain whose deploy block has another hash (another chain with the same id)", async () => {
      const r = await checkDeploymentOnChain(rpc, withBlocks(deployment, () => ({ blockHash: `0x${"ab".repeat(32)}` })), labels);
      expect(r).to.include({ ok: false, reason: "block-differs" });
      expect((r as { message: string }).message).to.match(/recorded 0xabababab…: it is another chain$/);
    });

    it("refuses when a contract has no code at its address", async () => {
      const d = structuredClone(deployment);
      d.contracts.evidenceRegistry.address = "0x000000000000000000000000000000000000dEaD";
      const r = await checkDeploymentOnChain(rpc, d, labels);
      expect(r).to.include({ ok: false, reason: "code-missing" });
    });

    it("says when no node answers", async () => {
      const down = new JsonRpcProvider("http://127.0.0.1:9", 31337, { staticNetwork: true });
      const r = await checkDeploymentOnChain(down, deployment, labels, 5_000);
      down.destroy();
      expect(r).to.include({ ok: false, reason: "unreachable" });
      expect((r as { message: string }).message).to.match(/^no JSON-RPC node answers at http:\/\/chain\.test/);
    });
  });

  describe("the store's stamp", () => {
    it("is absent in a new store, then matches once stamped", async () => {
      expect(await checkStoreStamp(store, deployment, dir)).to.deep.equal({ status: "unstamped" });
      await stampStore(store, deployment);
      expect(JSON.parse((await store.kv.get(CHAIN_IDENTITY_KEY))!)).to.deep.equal(chainIdentityOf(deployment));
      expect(await checkStoreStamp(store, deployment, dir)).to.deep.equal({ status: "match" });
    });

    it("names the other chain when the store was stamped by another deployment", async () => {
      await stampStore(store, withBlocks(deployment, () => ({ blockHash: `0x${"cd".repeat(32)}` })));
      const r = await checkStoreStamp(store, deployment, "./data");
      expect(r.status).to.equal("other-chain");
      expect((r as { message: string }).message).to.match(/^the store in \.\/data belongs to chain 31337, block \d+ \(0xcdcdcdcd…\), not to chain 31337, block \d+ \(0x[0-9a-f]{8}…\) of the deployment$/);
    });

    it("treats an unreadable stamp as another chain", async () => {
      await store.kv.set(CHAIN_IDENTITY_KEY, "garbage");
      expect((await checkStoreStamp(store, deployment, dir)).status).to.equal("other-chain");
    });
  });

  describe("assertChainIdentity (the gateway started alone)", () => {
    const args = () => ({ rpc, rpcUrl: labels.where, deployment, deploymentFile: labels.file, store, dataDir: "./data" });

    it("stamps an unstamped store on the right chain, then accepts it", async () => {
      expect(await assertChainIdentity(args())).to.equal("stamped");
      expect(await assertChainIdentity(args())).to.equal("match");
    });

    it("refuses, in one line and without stamping, a chain that is not the deployment's", async () => {
      const e = (await expectRejects(
        assertChainIdentity({ ...args(), deployment: withBlocks(deployment, (c) => ({ blockNumber: c.blockNumber + 1_000_000 })) }),
        ChainIdentityError,
        /it is a new chain; refusing to serve \.\/data against it/,
      )) as ChainIdentityError;
      expect(e.reason).to.equal("block-missing");
      expect(e.message).not.to.include("\n");
      expect(await store.kv.get(CHAIN_IDENTITY_KEY)).to.equal(undefined);
    });

    it("refuses a store stamped by another chain", async () => {
      await stampStore(store, withBlocks(deployment, () => ({ blockHash: `0x${"ef".repeat(32)}` })));
      const e = (await expectRejects(assertChainIdentity(args()), ChainIdentityError, /refusing to serve it/)) as ChainIdentityError;
      expect(e.reason).to.equal("other-store");
      expect(e.message).not.to.include("\n");
    });
  });
});
