import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Provider } from "ethers";
import { main } from "../../scripts/verify";
import { buildScenario, forgeExport, type Scenario } from "../shared/verify/setup";

const ROOT = join(__dirname, "..", "..");

/** Runs the real CLI in a subprocess (no chain needed: usage and unreachable endpoints). */
function cli(args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/verify.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
  });
}

describe("scripts/verify.ts: the auditor's CLI", function () {
  this.timeout(180_000);
  let s: Scenario;
  let dir: string;
  let deploymentFile: string;
  let exportFile: string;

  /** main() in process with the in-process chain injected as the JSON-RPC provider. */
  async function run(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main([...args, "--deployment", deploymentFile], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      provider: ethers.provider as unknown as Provider,
      tty: false,
    });
    return { code, stdout, stderr };
  }

  before(async () => {
    s = await buildScenario("cli");
    dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
    deploymentFile = join(dir, "hardhat.json");
    writeFileSync(deploymentFile, JSON.stringify(s.fx.deployment));
    exportFile = join(dir, "log.jsonl");
    writeFileSync(exportFile, s.exportText);
  });
  after(async () => {
    await s?.gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("token: exit 0 and a report of custody and checks", async () => {
    const r = await run(["token", s.forcedToken, "--ipfs-gateway", s.gw.url, "--log", exportFile]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/forced-transfer .*\[forced by regulator\]/);
    for (const check of ["custody-chain", "metadata-cid", "media-content-hash", "holders-verified", "compliance-ref"]) {
      expect(r.stdout).to.match(new RegExp(`PASS  ${check}`));
    }
    expect(r.stdout).to.include("Result: VERIFIED (5 checks passed)");
  });

  it("token --json over the blocks folder: the same report as JSON", async () => {
    const r = await run(["token", s.plainToken, "--ipfs-blocks", s.blocksDir, "--json"]);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(report).to.include({ subject: "token", tokenId: s.plainToken, passed: true, owner: s.fx.accounts.bob.address });
    expect(report.checks.map((c: { check: string }) => c.check)).to.deep.equal(["custody-chain", "metadata-cid", "media-content-hash", "holders-verified"]);
  });

  it("file: exit 0 for the registered media, 1 for other bytes", async () => {
    const media = join(dir, "work.png");
    writeFileSync(media, s.media);
    const ok = await run(["file", media]);
    expect(ok.code).to.equal(0);
    expect(ok.stdout).to.include(`collection ${s.collectionId}, issuer did:dareg:31337:${s.fx.ids.issuer}`);
    const other = join(dir, "other.png");
    writeFileSync(other, "other bytes");
    const bad = await run(["file", other, "--json"]);
    expect(bad.code).to.equal(1);
    expect(JSON.parse(bad.stdout)).to.include({ registered: false, passed: false });
  });

  it("collection: exit 0, progress on stderr", async () => {
    const r = await run(["collection", s.collectionId, "--ipfs-gateway", s.gw.url, "--log", exportFile]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stderr).to.include("verifying tokens [##############################] 2/2");
    expect(r.stdout).to.include("PASS  serials");
  });

  it("log: exit 0 with an inclusion proof; 1 naming the edited entry of a forged export", async () => {
    const ok = await run(["log", exportFile, "--proof", "2"]);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(ok.stdout).to.match(/PASS  inclusion-proof\s+entry 2 is leaf 1 of \d+ under root 0x/);
    const forged = join(dir, "forged.jsonl");
    writeFileSync(forged, forgeExport(s.exportText, 4, (e) => (e.ts = "2020-01-01T00:00:00.000Z"), false));
    const bad = await run(["log", forged, "--json"]);
    expect(bad.code).to.equal(1);
    const report = JSON.parse(bad.stdout);
    expect(report.passed).to.equal(false);
    expect(report.firstBad).to.deep.equal({ seq: 4, reason: "hash-mismatch" });
    const relinked = join(dir, "relinked.jsonl");
    writeFileSync(relinked, forgeExport(s.exportText, 4, (e) => (e.ts = "2020-01-01T00:00:00.000Z"), true));
    const bad2 = await run(["log", relinked]);
    expect(bad2.code).to.equal(1);
    expect(bad2.stdout).to.match(/FAIL  log-anchors\s+anchor of entries 1-\d+: the entries' Merkle root .* recorded on chain/);
  });

  it("compliance: exit 0 with the decision rule by rule; 1 when the export was tampered with", async () => {
    const r = await run(["compliance", s.collectionId, "--log", exportFile]);
    expect(r.code, r.stdout).to.equal(0);
    expect(r.stdout).to.match(/decision: passed \(entry \d+/);
    expect(r.stdout).to.include("PASS  decision-anchored");
    const forged = join(dir, "forged-compliance.jsonl");
    writeFileSync(forged, forgeExport(s.exportText, 1, (e) => (e.actor = "x"), true));
    const bad = await run(["compliance", s.collectionId, "--log", forged, "--json"]);
    expect(bad.code).to.equal(1);
    expect(JSON.parse(bad.stdout).checks.filter((c: { passed: boolean }) => !c.passed).map((c: { check: string }) => c.check)).to.include("log-anchors");
  });

  it("exit 2: unreachable IPFS source, missing deployment file, a file that is not a log export", async () => {
    const ipfs = await run(["token", s.plainToken, "--ipfs-gateway", "http://127.0.0.1:1"]);
    expect(ipfs.code).to.equal(2);
    expect(ipfs.stderr).to.include("cannot reach the IPFS source");
    const notLog = await run(["log", deploymentFile]);
    expect(notLog.code).to.equal(2);
    expect(notLog.stderr).to.include("is not a sandbox log export");
    const r = await main(["file", __filename, "--deployment", join(dir, "nope.json")], { stdout: () => undefined, stderr: () => undefined, provider: ethers.provider as unknown as Provider });
    expect(r).to.equal(2);
  });

  it("subprocess: bad usage and an unreachable JSON-RPC endpoint exit 2", () => {
    const none = cli([]);
    expect(none.status, none.stderr).to.equal(2);
    expect(none.stderr).to.include("Usage: npm run verify");
    const unknown = cli(["tokens", "1"]);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.include('unknown command "tokens"');
    const noSource = cli(["token", "1"]);
    expect(noSource.status).to.equal(2);
    expect(noSource.stderr).to.include("needs an IPFS source");
    const rpc = cli(["file", __filename, "--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile, "--json"]);
    expect(rpc.status, rpc.stderr).to.equal(2);
    expect(JSON.parse(rpc.stdout)).to.include({ passed: false });
    expect(rpc.stderr).to.include("cannot reach the JSON-RPC endpoint http://127.0.0.1:1");
  });
});
