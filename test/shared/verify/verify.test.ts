import { blocksDirSource } from "../../../shared/verify/node/sources";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import type { Provider } from "ethers";
import { CID } from "multiformats/cid";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { entryBytes } from "../../../shared/log/entry";
import { defaultHasher, fromHex, generateNoteKey, MerkleFrontier, signCheckpoint, toHex } from "../../../shared/log";
import { verifyReceipt } from "../../../shared/log/receipt";
import {
  bundleSource,
  chainCheckpoints,
  checkHoldersVerified,
  connectVerifierChain,
  findCompliance,
  httpGatewaySource,
  readCustody,
  verifyCollection,
  verifyFile,
  verifyLog,
  verifyToken,
  type ChainCheckpoints,
  type ContentSource,
  type CustodyEntry,
  type VerifierChain,
} from "../../../shared/verify";
import { buildScenario, editLines, forgeEntry, type Scenario } from "./setup";

describe("shared/verify: the independent verifier", function () {
  this.timeout(180_000);
  let s: Scenario;
  let chain: VerifierChain;
  let gateway: ContentSource;
  const failed = (checks: Array<{ check: string; passed: boolean }>) => checks.filter((c) => !c.passed).map((c) => c.check);

  before(async () => {
    s = await buildScenario("verifier");
    // Only the JSON-RPC provider and the deployment file: no gateway services.
    chain = connectVerifierChain(ethers.provider as unknown as Provider, s.fx.deployment);
    gateway = httpGatewaySource(s.gw.url);
  });
  after(async () => s?.gw.close());

  describe("happy paths", () => {
    it("token: custody from events (forced transfer marked), holders verified at arrival, metadata CID, media hash, compliance", async () => {
      const lookup = (ref: string) => s.gw.services.store.log.findByRef(ref);
      const r = await verifyToken(chain, s.forcedToken, { source: gateway, compliance: lookup });
      expect(r.passed, JSON.stringify(r.checks, null, 2)).to.equal(true);
      expect(r.checks.map((c) => c.check)).to.deep.equal(["custody-chain", "metadata-cid", "media-content-hash", "holders-verified", "compliance-ref"]);
      expect(r.entries.map((e) => e.kind)).to.deep.equal(["mint", "forced-transfer"]);
      expect(r.entries[1].forced).to.equal(true);
      expect(r.entries[0].to).to.include({ address: s.fx.accounts.alice.address, verified: true, did: `did:dareg:31337:${s.fx.ids.alice}` });
      expect(r.owner).to.equal(s.fx.accounts.carol.address);
      expect(r.checks.find((c) => c.check === "holders-verified")!.reason).to.match(/1 forced transfer/);
    });

    it("token: the blocks folder of the embedded node is a source too", async () => {
      const r = await verifyToken(chain, s.plainToken, { source: blocksDirSource(s.blocksDir) });
      expect(r.passed, JSON.stringify(r.checks, null, 2)).to.equal(true);
    });

    it("holders are judged at the block they received the token: a later suspension does not rewrite history", async () => {
      const { identity } = s.fx.contracts;
      await (await identity.connect(s.fx.accounts.regulator).suspendIdentity(s.fx.ids.bob, ethers.id("audit"))).wait();
      try {
        const custody = await readCustody(chain, s.plainToken, { didMethod: "dareg" });
        expect(custody.entries[0].to!.verified).to.equal(true);
        expect(await identity.isVerified(s.fx.accounts.bob.address, 2)).to.equal(false);
        expect(checkHoldersVerified(custody.entries, custody.collection.minLevel).passed).to.equal(true);
      } finally {
        await (await identity.connect(s.fx.accounts.regulator).reinstateIdentity(s.fx.ids.bob, ethers.id("audit done"))).wait();
      }
    });

    it("file: the media is registered in the collection by the issuer; other bytes are not", async () => {
      const r = await verifyFile(chain, s.media);
      expect(r).to.include({ registered: true, collectionId: s.collectionId, issuer: s.fx.accounts.issuer.address, metadataCID: s.metadataCID });
      expect(r.issuerDid).to.equal(`did:dareg:31337:${s.fx.ids.issuer}`);
      expect(r.blockNumber).to.be.a("number");
      expect((await verifyFile(chain, new TextEncoder().encode("not registered"))).registered).to.equal(false);
    });

    it("collection: supply, serials, every token, with progress", async () => {
      const progress: Array<[number, number]> = [];
      const r = await verifyCollection(chain, s.collectionId, { source: gateway, onProgress: (d, t) => progress.push([d, t]) });
      expect(r.passed, JSON.stringify(r.checks, null, 2)).to.equal(true);
      expect(r.checks.map((c) => c.check)).to.deep.equal(["supply", "serials", "tokens"]);
      expect(r.tokens).to.have.length(2);
      expect(progress).to.deep.equal([
        [0, 2],
        [1, 2],
        [2, 2],
      ]);
      const missing = await verifyCollection(chain, "999", { source: gateway });
      expect(missing.passed).to.equal(false);
      expect(failed(missing.checks)).to.deep.equal(["collection-exists"]);
    });

    it("log: the offline bundle verifies with only the JSON-RPC endpoint: every entry, both checkpoints, their consistency, the chain's record", async () => {
      const source = bundleSource(s.exportText);
      const r = await verifyLog(source, chainCheckpoints(chain, source.logId));
      expect(r, JSON.stringify(r.checks, null, 2)).to.deep.include({ ok: true, verdict: "passed", entries: source.parsed.entries.length });
      expect(r.checks.map((c) => [c.check, c.verdict])).to.deep.equal([
        ["log-entries", "passed"],
        ["log-checkpoints", "passed"],
        ["log-chain", "passed"],
      ]);
      // The two anchored checkpoints, and the bundle's own head, signed when it was exported.
      expect(r.checkpoints.map((c) => [c.index, c.ok])).to.deep.equal([
        [0, true],
        [1, true],
        [null, true],
      ]);
      expect(r.checkpoints[2].size).to.equal(source.parsed.entries.length);
      expect(r.checkpoints[1].size).to.equal(s.anchoredSize);
      expect(r.onChain).to.deep.equal({ count: 2, checked: 2 });
      expect(r.unanchored).to.equal(source.parsed.entries.length - s.anchoredSize);
      expect(r.checks[1].reason).to.equal("3 signed checkpoint(s) equal the tree recomputed from the entries, 2 consistency proof(s) verified");
    });

    it("receipt: an entry's receipt from the gateway verifies against its anchored checkpoint and the chain's record", async () => {
      const p = s.receipt;
      const r = verifyReceipt(p.anchored.receipt, entryBytes(p.entry), p.verifierKey);
      expect(r).to.deep.include({ ok: true, index: 1, treeSize: s.anchoredSize, checkpointVerified: true });
      const onChain = await chainCheckpoints(chain, p.logId).at(p.anchored.anchor.index);
      expect(onChain).to.deep.equal({ treeSize: s.anchoredSize, rootHash: r.ok ? r.root : "" });
    });

    it("compliance: the decision behind the collection's complianceRef, rule by rule", async () => {
      const f = findCompliance(s.exportText, s.complianceRef);
      expect(f.found).to.equal(true);
      expect(f.passed).to.equal(true);
      expect(f.decision!.action).to.equal("compliance.decision");
      expect(f.rules.length).to.be.greaterThan(3);
      expect(f.rules.every((r) => r.decision === "passed")).to.equal(true);
      expect(findCompliance(s.exportText, ethers.id("nothing")).found).to.equal(false);
    });

    it("the gateway's provenance integrity is the same checks, including holders-verified", async () => {
      const auditor = await s.gw.key("auditor");
      const prov = await s.gw.call("GET", `/v1/tokens/${s.forcedToken}/provenance`, { token: auditor });
      expect(prov.status).to.equal(200);
      const mine = await verifyToken(chain, s.forcedToken, { source: gateway, compliance: (ref) => s.gw.services.store.log.findByRef(ref) });
      expect(prov.body.integrity.checks).to.deep.equal(JSON.parse(JSON.stringify(mine.checks.filter((c) => c.check !== "custody-chain"))));
      expect(prov.body.entries).to.deep.equal(JSON.parse(JSON.stringify(mine.entries)));
    });
  });

  describe("forgeries", () => {
    it("a swapped metadata file on IPFS (an HTTP gateway serving other bytes for the metadata CID)", async () => {
      const fake = new TextEncoder().encode(JSON.stringify({ name: "forged", image: `ipfs://${s.mediaCID}` }));
      const server: Server = createServer(async (req, res) => {
        if (req.url === `/ipfs/${s.metadataCID}`) return res.end(Buffer.from(fake));
        const upstream = await fetch(`${s.gw.url}${req.url}`);
        res.statusCode = upstream.status;
        res.end(Buffer.from(await upstream.arrayBuffer()));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const source = httpGatewaySource(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        const r = await verifyToken(chain, s.plainToken, { source });
        expect(r.passed).to.equal(false);
        expect(failed(r.checks)).to.deep.equal(["metadata-cid", "media-content-hash"]);
        expect(r.checks.find((c) => c.check === "metadata-cid")!.reason).to.match(new RegExp(`hashes to bafk\\w+, not ${s.metadataCID}`));
      } finally {
        server.close();
      }
    });

    it("a swapped metadata block in a copied blocks folder", async () => {
      const dir = mkdtempSync(join(tmpdir(), "blocks-forged-"));
      try {
        cpSync(s.blocksDir, dir, { recursive: true });
        const { FsBlockstore } = (await new Function("s", "return import(s)")("blockstore-fs")) as typeof import("blockstore-fs");
        const bs = new FsBlockstore(dir);
        await bs.open();
        const cid = CID.parse(s.metadataCID);
        await bs.delete(cid);
        await bs.put(cid, new TextEncoder().encode(JSON.stringify({ name: "forged", image: `ipfs://${s.mediaCID}` })));
        await bs.close();
        const r = await verifyToken(chain, s.plainToken, { source: blocksDirSource(dir) });
        expect(failed(r.checks)).to.include("metadata-cid");
        expect(r.checks.find((c) => c.check === "metadata-cid")!.reason).to.match(/the metadata hashes to .*, not /);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("altered media: the image's bytes do not hash to the on-chain contentHash", async () => {
      const source: ContentSource = {
        get: async (cid, max) => (cid === s.mediaCID ? new TextEncoder().encode("a different picture") : gateway.get(cid, max)),
      };
      const r = await verifyToken(chain, s.plainToken, { source });
      expect(failed(r.checks)).to.deep.equal(["media-content-hash"]);
      expect(r.checks.find((c) => c.check === "media-content-hash")!.reason).to.match(/the media hashes to 0x[0-9a-f]{64}, the chain says 0x/);
    });

    it("a token moved to an unverified wallet by a direct contract call: the contract refuses it", async () => {
      const { rights } = s.fx.contracts;
      const { bob, outsider } = s.fx.accounts;
      await expect(rights.connect(bob).transferFrom(bob.address, outsider.address, s.plainToken))
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(outsider.address, 2);
      // …and had one got there, holders-verified names it.
      const custody = await readCustody(chain, s.plainToken, { didMethod: "dareg" });
      const smuggled: CustodyEntry = {
        ...custody.entries[0],
        kind: "transfer",
        forced: false,
        to: { address: outsider.address, did: null, level: null, verified: false },
      };
      const r = checkHoldersVerified([...custody.entries, smuggled], 2);
      expect(r.passed).to.equal(false);
      expect(r.reason).to.include(`${outsider.address} received the token`);
    });
  });

  describe("a forged bundle or receipt fails verification, naming the first entry or anchor that fails", () => {
    const verify = async (text: string, record?: ChainCheckpoints) => {
      const source = bundleSource(text);
      return verifyLog(source, record ?? chainCheckpoints(chain, source.logId));
    };
    const check = (r: Awaited<ReturnType<typeof verify>>, name: string) => r.checks.find((c) => c.check === name)!;

    it("an edited entry", async () => {
      const r = await verify(forgeEntry(s.exportText, 3, (e) => (e.decision = e.decision === "passed" ? "failed" : "passed"), false));
      expect(r).to.deep.include({ ok: false, verdict: "failed" });
      expect(r.firstBad).to.deep.equal({ seq: 3, reason: "hash-mismatch" });
      expect(check(r, "log-entries").reason).to.equal("entry 3 was edited: its bytes do not hash to the hash it carries (hash-mismatch)");
      expect(r.checkpoints[0]).to.deep.include({ ok: false, reason: "root-mismatch" });
    });

    it("an edited entry whose hash chain was recomputed: the signed checkpoints and the chain's record tell", async () => {
      const r = await verify(forgeEntry(s.exportText, 3, (e) => (e.actor = "someone-else"), true));
      expect(r.firstBad).to.equal(undefined);
      expect(check(r, "log-entries").verdict).to.equal("passed");
      expect(r.checkpoints[0]).to.deep.include({ index: 0, ok: false, reason: "root-mismatch" });
      expect(r.onChain.firstBad).to.deep.include({ index: 0, reason: "not-consistent" });
      expect(check(r, "log-chain").reason).to.match(/^the chain's checkpoint 0 \(size \d+, root 0x[0-9a-f]{64}\) is not this log's tree at that size \(0x[0-9a-f]{64}\): it rewrites the log's history$/);
    });

    it("…even re-signed with the forger's own key: the chain's record still tells", async () => {
      const forger = generateNoteKey(bundleSource(s.exportText).origin);
      const relinked = forgeEntry(s.exportText, 3, (e) => (e.actor = "someone-else"), true);
      // The forger's bundle: its own key in the header, its checkpoints of the forged tree signed with it.
      const entries = bundleSource(relinked).parsed.entries;
      const rootAt = (size: number) => {
        const f = new MerkleFrontier(defaultHasher);
        for (const e of entries.slice(0, size)) f.push(fromHex(e.hash));
        return f.root();
      };
      let text = editLines(relinked, "header", (h) => ({ ...h, verifierKey: forger.verifierKey }));
      text = editLines(text, "checkpoint", (c) => ({ ...c, root: `0x${toHex(rootAt(c.size))}`, note: signCheckpoint({ origin: c.note.split("\n")[0], size: c.size, root: rootAt(c.size) }, forger.signerKey) }));
      text = editLines(text, "consistency", () => null);
      const r = await verify(text);
      expect(check(r, "log-entries").verdict).to.equal("passed");
      // Signed by the key the bundle names, and the entries' tree: but not what the chain recorded.
      expect(r.checkpoints.map((c) => c.reason)).to.deep.equal(["chain-mismatch", "chain-mismatch", undefined]);
      expect(check(r, "log-chain").verdict).to.equal("failed");
      expect(r.onChain.firstBad).to.deep.include({ index: 0, reason: "not-consistent" });
    });

    it("a checkpoint signed by another key", async () => {
      const other = generateNoteKey(bundleSource(s.exportText).origin);
      const text = editLines(s.exportText, "checkpoint", (c, i) => (i === 1 ? { ...c, note: signCheckpoint({ origin: c.note.split("\n")[0], size: c.size, root: fromHex(c.root) }, other.signerKey) } : c));
      const r = await verify(text);
      expect(r.checkpoints[1]).to.deep.include({ index: 1, ok: false, reason: "bad-signature" });
      expect(check(r, "log-checkpoints").reason).to.equal(`the checkpoint of size ${s.anchoredSize} is not signed by the log's key for this size and root`);
    });

    it("a forged, a truncated and a reordered consistency proof", async () => {
      const forged = editLines(s.exportText, "consistency", (c, i) => (i === 0 ? { ...c, proof: [`0x${"11".repeat(32)}`, ...c.proof.slice(1)] } : c));
      expect((await verify(forged)).checkpoints[1]).to.deep.include({ ok: false, reason: "not-consistent" });
      const truncated = editLines(s.exportText, "consistency", (c, i) => (i === 0 ? { ...c, proof: c.proof.slice(0, -1) } : c));
      const t = await verify(truncated);
      expect(t.checkpoints[1]).to.deep.include({ ok: false, reason: "not-consistent" });
      expect(t.checkpoints[1].message).to.match(/does not extend the one of size \d+ \(proof-length\)$/);
      const proofLength = bundleSource(s.exportText).parsed.consistency[0].proof.length;
      if (proofLength > 1) {
        const swapped = editLines(s.exportText, "consistency", (c, i) => (i === 0 ? { ...c, proof: [c.proof[1], c.proof[0], ...c.proof.slice(2)] } : c));
        expect((await verify(swapped)).checkpoints[1]).to.deep.include({ ok: false, reason: "not-consistent" });
      }
    });

    it("a checkpoint that claims another place on chain, and a truncated bundle", async () => {
      const moved = editLines(s.exportText, "checkpoint", (c, i) => (i === 1 ? { ...c, anchor: { ...c.anchor, index: 0 } } : c));
      const m = await verify(moved);
      expect(m.checkpoints[1]).to.deep.include({ index: 0, ok: false, reason: "chain-mismatch" });
      expect(m.checkpoints[1].message).to.match(/^checkpoint 0 on chain is size \d+ root 0x[0-9a-f]{64}, the log says size \d+ root 0x[0-9a-f]{64}$/);
      expect(m.onChain.firstBad).to.equal(undefined);
      const missing = editLines(s.exportText, "checkpoint", (c, i) => (i === 1 ? { ...c, anchor: { ...c.anchor, index: 7 } } : c));
      expect((await verify(missing)).checkpoints[1]).to.deep.include({ index: 7, ok: false, reason: "chain-missing" });
      const source = bundleSource(s.exportText);
      const cut = editLines(s.exportText, "entry", (e) => (e.seq > s.anchoredSize - 2 ? null : e));
      const c = await verify(cut);
      expect(c.checkpoints[1]).to.deep.include({ ok: false, reason: "beyond-log" });
      expect(c.entries).to.equal(s.anchoredSize - 2);
      expect(source.parsed.entries.length).to.be.greaterThan(s.anchoredSize);
    });

    it("an anchor on chain that rewrites history (recorded with the ANCHOR key behind the gateway's back)", async () => {
      const snapshot = await takeSnapshot();
      try {
        const source = bundleSource(s.exportText);
        const size = source.parsed.entries.length;
        const forgedRoot = ethers.id("another history");
        await s.fx.contracts.evidence.connect(s.fx.accounts.anchorer).anchorCheckpoint(source.logId, size, forgedRoot);
        const r = await verify(s.exportText);
        expect(r).to.deep.include({ ok: false, verdict: "failed" });
        expect(r.firstBad).to.equal(undefined);
        expect(r.onChain.firstBad).to.deep.include({ index: 2, size, reason: "not-consistent" });
        expect(check(r, "log-chain").reason).to.include(`the chain's checkpoint 2 (size ${size}, root ${forgedRoot}) is not this log's tree at that size`);
      } finally {
        await snapshot.restore();
      }
    });

    it("the node cannot be reached: the chain's part is unverifiable now, not failed, and the rest is still checked", async () => {
      const down = () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1"));
      const r = await verify(s.exportText, { count: down, at: down });
      expect(r).to.deep.include({ ok: false, verdict: "unverifiable" });
      expect(r.checks.map((c) => [c.check, c.verdict])).to.deep.equal([
        ["log-entries", "passed"],
        ["log-checkpoints", "passed"],
        ["log-chain", "unverifiable"],
      ]);
      expect(check(r, "log-chain").reason).to.equal("the chain's checkpoint record cannot be read now: connect ECONNREFUSED 127.0.0.1:1");
      const edited = await verify(forgeEntry(s.exportText, 2, (e) => (e.actor = "x"), false), { count: down, at: down });
      expect(edited.verdict).to.equal("failed");
    });

    it("receipts: a forged sibling, a truncated path, a proof for another leaf, a wrong size, another key, an edited entry", async () => {
      const p = s.receipt;
      const base = p.anchored.receipt;
      const bytes = entryBytes(p.entry);
      const fails = (receipt: unknown, entry = bytes, key: string = p.verifierKey) => {
        const r = verifyReceipt(receipt, entry, key);
        expect(r.ok, JSON.stringify(receipt)).to.equal(false);
        return r.ok ? "" : r.reason;
      };
      expect(fails({ ...base, proof: [`0x${"22".repeat(32)}`, ...base.proof.slice(1)] })).to.equal("root-mismatch");
      expect(fails({ ...base, proof: base.proof.slice(0, -1) })).to.equal("proof-length");
      expect(fails({ ...base, index: base.index + 1 })).to.equal("root-mismatch");
      expect(fails({ ...base, treeSize: base.treeSize + 1 })).to.be.oneOf(["proof-length", "root-mismatch", "checkpoint-mismatch"]);
      expect(fails({ ...base, proof: [...base.proof].reverse() })).to.equal("root-mismatch");
      expect(fails(base, bytes, generateNoteKey(p.origin).verifierKey)).to.equal("unknown-key");
      expect(fails(base, entryBytes({ ...p.entry, decision: "failed" }))).to.equal("leaf-mismatch");
      expect(fails({ ...base, root: `0x${"33".repeat(32)}` })).to.equal("root-mismatch");
    });
  });
});
