import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Provider } from "ethers";
import { main } from "../../../scripts/verify";
import { replay } from "../../../server/indexer/indexer";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup, waitForJob } from "../support/issuer";
import { chainOps, indexedToHead, type Fx } from "./support";

interface Scenario {
  fx: Fx;
  gw: TestGateway;
  /** Minted to alice, then moved to carol by the regulator. */
  forcedToken: string;
  /** Minted to bob. */
  plainToken: string;
}

/** The real gateway: a collection created through compliance (metadata and media on its IPFS), two editions. */
async function scenario(): Promise<Scenario> {
  const fx = await loadFixture(gatewayChainFixture);
  const gw = await startTestGateway(fx.deployment);
  const issuer = await issuerSetup(gw, fx);
  const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form: (await issuer.form("ix-provenance")).form });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const { alice, bob, carol } = fx.accounts;
  const mint = await gw.call("POST", `/v1/collections/${created.body.collectionId}/mint`, {
    token: issuer.token,
    json: { recipients: [alice.address, bob.address] },
    headers: { "idempotency-key": "ix-provenance" },
  });
  const job = await waitForJob(gw, issuer.token, mint.body.jobId);
  const [forcedToken, plainToken] = job.items.map((i: { tokenId: string }) => i.tokenId);
  await chainOps(fx).force(alice.address, carol.address, BigInt(forcedToken));
  return { fx, gw, forcedToken, plainToken };
}

/** The in-process chain as a provider that records how many reads it answers at once. */
function countingProvider() {
  const base = ethers.provider as unknown as Provider;
  const stats = { inFlight: 0, max: 0, calls: 0 };
  const provider = new Proxy(base, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (prop !== "call" && prop !== "getBlock" && prop !== "getLogs") return v.bind(target);
      return async (...args: unknown[]) => {
        stats.inFlight += 1;
        stats.calls += 1;
        stats.max = Math.max(stats.max, stats.inFlight);
        try {
          // A node's round trip: without it the in-process chain answers before the next read is sent.
          await new Promise((r) => setTimeout(r, 2));
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          stats.inFlight -= 1;
        }
      };
    },
  });
  return { provider, stats };
}

describe("provenance from the index: equal to ?source=chain and to the auditor's CLI, entry by entry", function () {
  this.timeout(300_000);
  let s: Scenario;
  let dir: string;
  let deploymentFile: string;
  let auditor: string;
  let tokens: string[];

  async function cli(args: string[], provider = ethers.provider as unknown as Provider) {
    let stdout = "";
    let stderr = "";
    const code = await main([...args, "--deployment", deploymentFile], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), provider, tty: false });
    return { code, stdout, stderr };
  }

  before(async () => {
    s = await scenario();
    dir = mkdtempSync(join(tmpdir(), "ix-prov-"));
    deploymentFile = join(dir, "hardhat.json");
    writeFileSync(deploymentFile, JSON.stringify(s.fx.deployment));
    auditor = await s.gw.key("auditor");
    // A longer history for the plain token: a licence, a freeze, a gift after the holding period, then
    // its holders' identities change (history must keep the verdicts of the time).
    const ops = chainOps(s.fx);
    const { alice, bob, dave } = s.fx.accounts;
    const plain = BigInt(s.plainToken);
    await ops.licence(bob, plain, dave.address, 1, (await time.latest()) + 1000 * 86_400);
    await ops.freezeToken(plain);
    await ops.unfreezeToken(plain);
    await ops.pastHolding();
    await ops.gift(bob, alice.address, plain);
    await ops.suspend(s.fx.ids.bob);
    await ops.update(s.fx.ids.alice, 3);
    tokens = [s.forcedToken, s.plainToken];
    await indexedToHead(s.gw.services.indexer);
  });
  after(async () => {
    await s?.gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("GET /v1/tokens/:id/provenance from the index equals ?source=chain and the CLI's custody, entry by entry", async () => {
    for (const id of tokens) {
      const fromIndex = await s.gw.call("GET", `/v1/tokens/${id}/provenance`, { token: auditor });
      const fromChain = await s.gw.call("GET", `/v1/tokens/${id}/provenance?source=chain`, { token: auditor });
      expect(fromIndex.status, JSON.stringify(fromIndex.body)).to.equal(200);
      expect(fromChain.status).to.equal(200);
      expect(fromIndex.body.source).to.equal("index");
      expect(fromChain.body.source).to.equal("chain");
      expect(fromIndex.body.entries.length).to.be.greaterThan(1);
      expect(fromIndex.body.entries, `token ${id}`).to.deep.equal(fromChain.body.entries);
      const { source: _a, ...indexRest } = fromIndex.body;
      const { source: _b, ...chainRest } = fromChain.body;
      expect(indexRest).to.deep.equal(chainRest);
      const r = await cli(["token", id, "--ipfs-gateway", s.gw.url, "--json"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(fromIndex.body.entries).to.deep.equal(JSON.parse(r.stdout).entries);
    }
    const plain = (await s.gw.call("GET", `/v1/tokens/${s.plainToken}/provenance`, { token: auditor })).body;
    expect(plain.entries.map((e: { kind: string }) => e.kind)).to.deep.equal(["mint", "licence-granted", "freeze", "unfreeze", "transfer"]);
    // bob was verified when the token arrived, though suspended now; alice's level 2 then, 3 now.
    expect(plain.entries[0].to).to.include({ address: s.fx.accounts.bob.address, verified: true, level: 2 });
    expect(plain.entries[4].to).to.include({ address: s.fx.accounts.alice.address, verified: true, level: 2 });
  });

  it("verify token --against-gateway: exit 0 and 'equals the chain' when the gateway agrees", async () => {
    for (const id of tokens) {
      const r = await cli(["token", id, "--ipfs-gateway", s.gw.url, "--against-gateway", s.gw.url, "--api-key", auditor]);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(r.stdout).to.match(/PASS {2}gateway-provenance\s+the gateway's provenance \(from its index\) equals the chain's \d+ entries, entry by entry/);
      expect(r.stdout).to.not.include("Differences from the gateway");
    }
    const json = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", `${s.gw.url}/`, "--json"].concat(["--api-key", auditor]));
    expect(JSON.parse(json.stdout).gateway).to.deep.equal({ url: s.gw.url, source: "index", differences: [] });
  });

  it("verify token --against-gateway: exit 1 naming the entry and field when the gateway's index is wrong", async () => {
    const db = s.gw.services.store.db;
    // Corrupt the index as a faulty indexer would: bob's identity shown suspended from the start.
    await db.run(`UPDATE ix_identity_states SET status = 2 WHERE identity_id = $1`, [s.fx.ids.bob.toLowerCase()]);
    try {
      const r = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", s.gw.url, "--api-key", auditor]);
      expect(r.code, r.stdout).to.equal(1);
      expect(r.stdout).to.include("Differences from the gateway");
      expect(r.stdout).to.match(/entry 1 \(mint in block \d+, tx 0x[0-9a-f]{64} log \d+\): to\.verified is true on chain, false in the report/);
      expect(r.stdout).to.match(/entry 5 \(transfer in block \d+.*\): from\.verified is true on chain, false in the report/);
      expect(r.stdout).to.match(/FAIL {2}gateway-provenance\s+\d+ difference\(s\) from the gateway's provenance \(from its index\)/);
      expect(r.stdout).to.include("Result: NOT VERIFIED");
      const json = JSON.parse((await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", s.gw.url, "--api-key", auditor, "--json"])).stdout);
      expect(json.passed).to.equal(false);
      expect(json.gateway.differences.length).to.be.greaterThan(1);
    } finally {
      await db.tx((t) => replay(t));
    }
    expect((await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", s.gw.url, "--api-key", auditor])).code).to.equal(0);
  });

  it("verify token --against-gateway: exit 3 when the content cannot be checked now though the gateway agrees; 2 when the gateway is unreachable or refuses the key", async () => {
    const emptyBlocks = join(dir, "empty-blocks");
    mkdirSync(emptyBlocks, { recursive: true });
    const unsure = await cli(["token", s.plainToken, "--ipfs-blocks", emptyBlocks, "--against-gateway", s.gw.url, "--api-key", auditor]);
    expect(unsure.code, unsure.stdout + unsure.stderr).to.equal(3);
    expect(unsure.stdout).to.match(/PASS {2}gateway-provenance/);
    expect(unsure.stdout).to.include("Result: UNVERIFIABLE NOW");

    const down = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", "http://127.0.0.1:1", "--api-key", auditor]);
    expect(down.code).to.equal(2);
    expect(down.stderr).to.include("cannot reach the gateway http://127.0.0.1:1");
    const noKey = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--against-gateway", s.gw.url, "--api-key", "dar_bad"]);
    expect(noKey.code).to.equal(2);
    expect(noKey.stderr).to.match(/refused the API key \(401 AUTH_INVALID\)/);
    const misuse = await cli(["file", deploymentFile, "--against-gateway", s.gw.url]);
    expect(misuse.code).to.equal(2);
    expect(misuse.stderr).to.include("--against-gateway is an option of token, not of file");
    const badConcurrency = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--concurrency", "0"]);
    expect(badConcurrency.code).to.equal(2);
    expect(badConcurrency.stderr).to.include("--concurrency needs an integer from 1 to 64");
  });

  it("the CLI's RPC reads run with bounded concurrency: at most 8 at once by default, one at a time with --concurrency 1, the same report", async () => {
    const sequential = countingProvider();
    const one = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--json", "--concurrency", "1"], sequential.provider);
    const bounded = countingProvider();
    const eight = await cli(["token", s.plainToken, "--ipfs-gateway", s.gw.url, "--json"], bounded.provider);
    expect(one.code).to.equal(0);
    expect(eight.code).to.equal(0);
    expect(JSON.parse(one.stdout)).to.deep.equal(JSON.parse(eight.stdout));
    // The two topic queries start together, then one read at a time.
    expect(sequential.stats.max).to.be.at.most(2);
    expect(bounded.stats.max).to.be.greaterThan(2);
    expect(bounded.stats.max).to.be.at.most(8);
    expect(bounded.stats.calls).to.equal(sequential.stats.calls);
  });
});
