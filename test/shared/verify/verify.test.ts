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
import {
  checkAnchorAgainstChain,
  checkHoldersVerified,
  connectVerifierChain,
  findCompliance,
  httpGatewaySource,
  readCustody,
  verifyCollection,
  verifyFile,
  verifyLogExport,
  verifyMerkleProofFree,
  verifyToken,
  type ContentSource,
  type CustodyEntry,
  type VerifierChain,
} from "./lib";
import { buildScenario, forgeExport, type Scenario } from "./setup";

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

    it("log: the export's hash chain and anchors hold against the EvidenceRegistry; an inclusion proof verifies", async () => {
      const r = await verifyLogExport(s.exportText, chain);
      expect(r.passed, JSON.stringify(r.checks, null, 2)).to.equal(true);
      expect(r.anchors).to.have.length(1);
      expect(r.anchors[0]).to.include({ ok: true, fromSeq: 1, onChain: true });
      expect(r.firstBad).to.equal(undefined);
      const p = r.proof(2)!;
      expect(p.verified, p.reason).to.equal(true);
      expect(verifyMerkleProofFree(p.entry.hash, p.proof, r.anchors[0].chainRoot!)).to.equal(true);
      expect(r.proof(r.lastSeq!)).to.equal(undefined); // the anchor's own entry is not anchored yet
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

    it("an edited log entry in the export is named", async () => {
      const forged = forgeExport(s.exportText, 3, (e) => (e.decision = e.decision === "passed" ? "failed" : "passed"), false);
      const r = await verifyLogExport(forged, chain);
      expect(r.passed).to.equal(false);
      expect(r.firstBad).to.deep.equal({ seq: 3, reason: "hash-mismatch" });
      expect(r.checks.find((c) => c.check === "log-hash-chain")!.reason).to.match(/entry 3 breaks the hash chain \(hash-mismatch/);
    });

    it("a log whose hash chain was recomputed after an edit passes the chain but not the anchor", async () => {
      const forged = forgeExport(s.exportText, 3, (e) => (e.actor = "someone-else"), true);
      const r = await verifyLogExport(forged, chain);
      expect(r.checks.find((c) => c.check === "log-hash-chain")!.passed).to.equal(true);
      expect(r.passed).to.equal(false);
      expect(r.anchors[0]).to.include({ ok: false, reason: "chain-mismatch" });
      expect(r.firstBad).to.deep.equal({ seq: 1, reason: "chain-mismatch" });
      expect(r.checks.find((c) => c.check === "log-anchors")!.reason).to.match(/is not the root .* recorded on chain/);
      // …even when the forger also rewrites the anchor line's root.
      const parsed = forged.split("\n");
      const ok = await checkAnchorAgainstChain({ ...r.parsedAnchors[0], root: r.anchors[0].recomputedRoot! }, r.parsedEntries, {
        chainRoot: async () => r.anchors[0].chainRoot,
      });
      expect(ok).to.include({ ok: false, reason: "chain-mismatch" });
      expect(parsed.length).to.be.greaterThan(3);
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
});
