import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Provider } from "ethers";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { main } from "../../scripts/verify";
import { generateNoteKey, signCheckpoint, fromHex } from "../../shared/log";
import { buildScenario, bundleLines, editLines, forgeEntry, toBundle, type Scenario } from "../shared/verify/setup";

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

/** `npm run verify -- …` as an auditor types it. */
function npmVerify(args: string[]) {
  return spawnSync("npm", ["run", "--silent", "verify", "--", ...args], { cwd: ROOT, encoding: "utf8", timeout: 90_000 });
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
    dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
    s = await buildScenario("cli");
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

  /** Writes `text` to a file in the test's folder; returns its path. */
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("log: exit 0 for the bundle, with only the JSON-RPC endpoint", async () => {
    const r = await run(["log", exportFile]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    for (const check of ["log-header", "log-entries", "log-checkpoints", "log-chain"]) expect(r.stdout).to.match(new RegExp(`PASS  ${check} `));
    expect(r.stdout).to.match(/PASS {2}checkpoint size \d+ \(on chain #0\)/);
    expect(r.stdout).to.match(/PASS {2}checkpoint size \d+ \(on chain #1\)/);
    expect(r.stdout).to.include("Result: VERIFIED (4 checks passed)");
    const json = JSON.parse((await run(["log", exportFile, "--json"])).stdout);
    expect(json).to.deep.include({ passed: true, verdict: "passed" });
    expect(json.onChain).to.deep.equal({ count: 2, checked: 2 });
  });

  it("log: exit 1 naming the first entry or anchor that fails, and why", async () => {
    const edited = await run(["log", file("edited.jsonl", forgeEntry(s.exportText, 4, (e) => (e.ts = "2020-01-01T00:00:00.000Z"), false)), "--json"]);
    expect(edited.code).to.equal(1);
    const report = JSON.parse(edited.stdout);
    expect(report.firstBad).to.deep.equal({ seq: 4, reason: "hash-mismatch" });
    expect(report.checks.find((c: { check: string }) => c.check === "log-entries").reason).to.equal("entry 4 was edited: its bytes do not hash to the hash it carries (hash-mismatch)");

    const relinked = await run(["log", file("relinked.jsonl", forgeEntry(s.exportText, 4, (e) => (e.actor = "someone-else"), true))]);
    expect(relinked.code).to.equal(1);
    expect(relinked.stdout).to.match(/FAIL {2}log-chain +the chain's checkpoint 0 \(size \d+, root 0x[0-9a-f]{64}\) is not this log's tree at that size \(0x[0-9a-f]{64}\): it rewrites the log's history/);
    expect(relinked.stdout).to.match(/first bad on-chain checkpoint: #0: /);
    expect(relinked.stdout).to.match(/^Result: NOT VERIFIED \(2 of 4 checks failed\)$/m);

    const other = generateNoteKey(JSON.parse(s.exportText.split("\n")[0]).origin);
    const resigned = editLines(s.exportText, "checkpoint", (c, i) => (i === 0 ? { ...c, note: signCheckpoint({ origin: c.note.split("\n")[0], size: c.size, root: fromHex(c.root) }, other.signerKey) } : c));
    const bad = await run(["log", file("resigned.jsonl", resigned)]);
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.match(/FAIL {2}checkpoint size \d+ \(on chain #0\): the checkpoint of size \d+ is not signed by the log's key for this size and root/);

    const truncatedProof = editLines(s.exportText, "consistency", (c, i) => (i === 0 ? { ...c, proof: c.proof.slice(0, -1) } : c));
    const t = await run(["log", file("truncated-proof.jsonl", truncatedProof)]);
    expect(t.code).to.equal(1);
    expect(t.stdout).to.match(/FAIL {2}checkpoint size \d+ \(on chain #1\): the checkpoint of size \d+ does not extend the one of size \d+ \(proof-length\)/);

    const lines = bundleLines(s.exportText);
    const truncated = await run(["log", file("truncated.jsonl", toBundle(lines.filter((l) => !(l.type === "entry" && l.seq > lines[0].size - 2))))]);
    expect(truncated.code).to.equal(1);
    expect(truncated.stdout).to.match(/FAIL {2}log-complete +the header says \d+ entries, the bundle holds \d+: filtered or truncated/);
  });

  it("log: exit 1 when an anchor on chain rewrites history, or the bundle is of another log", async () => {
    const snapshot = await takeSnapshot();
    try {
      const header = JSON.parse(s.exportText.split("\n")[0]);
      const size = bundleLines(s.exportText).filter((l) => l.type === "entry").length;
      const forged = ethers.id("rewritten");
      await s.fx.contracts.evidence.connect(s.fx.accounts.anchorer).anchorCheckpoint(header.logId, size, forged);
      const r = await run(["log", exportFile]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.include(`first bad on-chain checkpoint: #2: the chain's checkpoint 2 (size ${size}, root ${forged}) is not this log's tree at that size`);
    } finally {
      await snapshot.restore();
    }
    const otherLog = editLines(s.exportText, "header", (h) => ({ ...h, origin: "dareg-sandbox-log/31337/0x0000000000000000000000000000000000000001", logId: ethers.id("x") }));
    const o = await run(["log", file("other-log.jsonl", otherLog)]);
    expect(o.code).to.equal(1);
    expect(o.stdout).to.match(/FAIL {2}log-header .*, not chain 31337 \/ 0x[0-9a-fA-F]{40}, log dareg-sandbox-log\/31337\/0x[0-9a-f]{40}/);
  });

  it("entry: a receipt or the bundle, exit 0 once anchored; 3 before; 1 for a forged receipt or another log", async () => {
    const receiptFile = file("receipt.json", JSON.stringify(s.receipt, null, 2));
    const ok = await run(["entry", receiptFile, "2"]);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(ok.stdout).to.match(/PASS {2}entry-inclusion +entry 2 is leaf 1 of the tree of \d+, root 0x[0-9a-f]{64}, checkpoint signed by dareg-sandbox-log\/31337\//);
    expect(ok.stdout).to.match(/PASS {2}entry-on-chain +checkpoint #1 on chain is size \d+ with this root/);
    const fromBundle = await run(["entry", exportFile, "3"]);
    expect(fromBundle.code, fromBundle.stdout).to.equal(0);
    const last = bundleLines(s.exportText).filter((l) => l.type === "entry").length;
    const pending = await run(["entry", exportFile, String(last)]);
    expect(pending.code, pending.stdout).to.equal(3);
    expect(pending.stdout).to.match(/PASS {2}entry-inclusion/);
    expect(pending.stdout).to.match(/N\/A {3}entry-on-chain +entry \d+ is not under an anchored checkpoint yet/);
    expect(pending.stdout).to.include("Result: UNVERIFIABLE NOW");

    const anchored = s.receipt.anchored;
    const forgedSibling = { ...s.receipt, anchored: { ...anchored, receipt: { ...anchored.receipt, proof: [`0x${"44".repeat(32)}`, ...anchored.receipt.proof.slice(1)] } } };
    const f1 = await run(["entry", file("forged-sibling.json", JSON.stringify(forgedSibling)), "2"]);
    expect(f1.code).to.equal(1);
    expect(f1.stdout).to.match(/FAIL {2}entry-inclusion +root-mismatch: /);
    const truncatedPath = { ...s.receipt, anchored: { ...anchored, receipt: { ...anchored.receipt, proof: anchored.receipt.proof.slice(0, -1) } } };
    expect((await run(["entry", file("truncated-path.json", JSON.stringify(truncatedPath)), "2"])).code).to.equal(1);
    const editedEntry = { ...s.receipt, entry: { ...s.receipt.entry, actor: "someone-else" } };
    const f2 = await run(["entry", file("edited-entry.json", JSON.stringify(editedEntry)), "2"]);
    expect(f2.code).to.equal(1);
    expect(f2.stdout).to.match(/FAIL {2}entry-inclusion +leaf-mismatch: /);
    const wrongIndex = { ...s.receipt, anchored: { ...anchored, anchor: { ...anchored.anchor, index: 0 } } };
    const f3 = await run(["entry", file("wrong-index.json", JSON.stringify(wrongIndex)), "2"]);
    expect(f3.code).to.equal(1);
    expect(f3.stdout).to.match(/FAIL {2}entry-on-chain +checkpoint #0 on chain is size \d+ root 0x[0-9a-f]{64}, not size \d+ root 0x[0-9a-f]{64}/);
    const own = generateNoteKey("dareg-sandbox-log/31337/0x0000000000000000000000000000000000000001");
    const otherLog = { ...s.receipt, origin: "dareg-sandbox-log/31337/0x0000000000000000000000000000000000000001", verifierKey: own.verifierKey };
    const f4 = await run(["entry", file("other-log.json", JSON.stringify(otherLog)), "2"]);
    expect(f4.code).to.equal(1);
    expect(f4.stdout).to.match(/FAIL {2}entry-log +the file is of log dareg-sandbox-log\/31337\/0x0{39}1/);
    expect((await run(["entry", receiptFile, "3"])).stdout).to.match(/FAIL {2}entry +the file holds no entry 3/);
  });

  it("compliance: exit 0 with the decision rule by rule; 1 when the export was tampered with", async () => {
    const r = await run(["compliance", s.collectionId, "--log", exportFile]);
    expect(r.code, r.stdout).to.equal(0);
    expect(r.stdout).to.match(/decision: passed \(entry \d+/);
    expect(r.stdout).to.include("PASS  decision-anchored");
    const forged = join(dir, "forged-compliance.jsonl");
    writeFileSync(forged, forgeEntry(s.exportText, 1, (e) => (e.actor = "x"), true));
    const bad = await run(["compliance", s.collectionId, "--log", forged, "--json"]);
    expect(bad.code).to.equal(1);
    expect(JSON.parse(bad.stdout).checks.filter((c: { passed: boolean }) => !c.passed).map((c: { check: string }) => c.check)).to.include("log-chain");
  });

  it("exit 2: unreachable IPFS source, missing deployment file, a file that is not a log export", async () => {
    const ipfs = await run(["token", s.plainToken, "--ipfs-gateway", "http://127.0.0.1:1"]);
    expect(ipfs.code).to.equal(2);
    expect(ipfs.stderr).to.include("cannot reach the IPFS source");
    const notLog = await run(["log", deploymentFile]);
    expect(notLog.code).to.equal(2);
    expect(notLog.stderr).to.include("is not a sandbox log bundle");
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

  it("npm run verify -- log/entry with the JSON-RPC endpoint down: everything offline still checked, exit 3 (unverifiable), 1 if something fails", () => {
    const down = ["--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile];
    const log = npmVerify(["log", exportFile, ...down]);
    expect(log.status, log.stdout + log.stderr).to.equal(3);
    expect(log.stdout).to.match(/PASS {2}log-entries /);
    expect(log.stdout).to.match(/PASS {2}log-checkpoints /);
    expect(log.stdout).to.match(/N\/A {3}log-chain +the chain's checkpoint record cannot be read now: cannot reach the JSON-RPC endpoint http:\/\/127\.0\.0\.1:1/);
    expect(log.stdout).to.include("Result: UNVERIFIABLE NOW (1 of 4 checks cannot be made now; the others passed)");
    const edited = file("edited-offline.jsonl", forgeEntry(s.exportText, 2, (e) => (e.actor = "x"), false));
    expect(cli(["log", edited, ...down]).status).to.equal(1);
    const receipt = file("receipt-offline.json", JSON.stringify(s.receipt));
    const entry = cli(["entry", receipt, "2", ...down, "--json"]);
    expect(entry.status, entry.stdout + entry.stderr).to.equal(3);
    const report = JSON.parse(entry.stdout);
    expect(report.checks.map((c: { check: string; verdict: string }) => [c.check, c.verdict])).to.deep.equal([
      ["entry-inclusion", "passed"],
      ["entry-on-chain", "unverifiable"],
    ]);
  });
});
