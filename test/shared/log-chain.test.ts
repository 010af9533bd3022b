import { expect } from "chai";
import { concat, keccak256, sha256, toUtf8Bytes } from "ethers";
import {
  GENESIS_HASH,
  anchorEvidenceId,
  anchorMetadata,
  AnchorMetadataSchema,
  canonicalJson,
  checkAnchor,
  csvField,
  entryHash,
  exportLine,
  merkleLeaf,
  merkleProof,
  merkleRoot,
  parseExport,
  toJsonSafe,
  verifyExport,
  verifyHashChain,
  verifyMerkleProof,
  type ChainedEntry,
} from "../../shared/log-chain";

/** A valid chain of `n` entries, seq 1..n. */
function makeChain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const body: Omit<ChainedEntry, "hash"> = {
      seq,
      ts: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      actor: seq % 2 ? "key-issuer" : "key-regulator",
      action: "compliance.check",
      rule: seq % 3 === 0 ? "minLevel" : null,
      decision: seq % 3 === 0 ? "deny" : "allow",
      collectionId: "1",
      tokenId: null,
      policyVersion: "2025-01",
      inputHash: sha256(toUtf8Bytes(`input:${seq}`)),
      ref: null,
      payload: { n: seq, nested: { b: [1, "two"], a: true } },
      prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
    };
    out.push({ ...body, hash: entryHash(body) });
  }
  return out;
}

/** Re-hashes entries from index `from` on, as an attacker who edits and recomputes would. */
function rehash(entries: ChainedEntry[], from: number): ChainedEntry[] {
  const out = entries.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    out[i].prevHash = i === 0 ? GENESIS_HASH : out[i - 1].hash;
    const { hash: _h, ...body } = out[i];
    out[i].hash = entryHash(body);
  }
  return out;
}

const hashes = (n: number) => Array.from({ length: n }, (_, i) => sha256(toUtf8Bytes(`leaf ${i}`)));

/** Reference implementation of the documented tree, written independently (recursion on levels). */
function referenceRoot(leafHashes: string[]): string {
  let level = leafHashes.map((h) => keccak256(concat(["0x00", h])));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const l = level[i];
      const r = i + 1 < level.length ? level[i + 1] : level[i];
      next.push(keccak256(concat(["0x01", l, r])));
    }
    level = next;
  }
  return level[0];
}

describe("shared/log-chain", function () {
  describe("canonicalJson", function () {
    it("sorts keys at every depth, drops undefined, writes bigint as a decimal string, no whitespace", function () {
      expect(canonicalJson({ b: 2n, a: { d: undefined, c: [3, undefined, "x"] }, e: null })).to.equal(
        '{"a":{"c":[3,null,"x"]},"b":"2","e":null}',
      );
      expect(canonicalJson(12345678901234567890n)).to.equal('"12345678901234567890"');
      expect(canonicalJson("é\n\"")).to.equal(JSON.stringify("é\n\""));
      expect(canonicalJson(new Date("2025-01-01T00:00:00.000Z"))).to.equal('"2025-01-01T00:00:00.000Z"');
    });

    it("gives the same text whatever the key order", function () {
      expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).to.equal(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
    });

    it("refuses what JSON cannot carry faithfully", function () {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const bad of [NaN, Infinity, () => 1, Symbol("s"), new Map(), new Set(), new Uint8Array(2), Buffer.from("ab"), new ArrayBuffer(2), cyclic, undefined]) {
        expect(() => canonicalJson(bad), String(bad)).to.throw(TypeError);
      }
    });

    it("toJsonSafe round-trips through JSON.stringify/parse unchanged", function () {
      const safe = toJsonSafe({ id: 7n, list: [1n, undefined], skip: undefined });
      expect(safe).to.deep.equal({ id: "7", list: ["1", null] });
      expect(JSON.parse(JSON.stringify(safe))).to.deep.equal(safe);
      expect(toJsonSafe(undefined)).to.equal(null);
    });
  });

  describe("entryHash", function () {
    it("is sha256 of the canonical JSON of every field but hash, and ignores extra properties", function () {
      const [e] = makeChain(1);
      const { hash, ...body } = e;
      expect(hash).to.equal(sha256(toUtf8Bytes(canonicalJson(body))));
      expect(entryHash({ ...body, extra: "ignored" } as typeof body)).to.equal(hash);
      expect(entryHash({ ...body, ref: "0x01" })).to.not.equal(hash);
    });
  });

  describe("verifyHashChain", function () {
    it("accepts an intact chain and an empty one", function () {
      const chain = makeChain(10);
      const r = verifyHashChain(chain);
      expect(r).to.deep.include({ ok: true, count: 10, lastSeq: 10, lastHash: chain[9].hash });
      expect(verifyHashChain([]).ok).to.equal(true);
    });

    it("names an edited entry (hash-mismatch)", function () {
      const chain = makeChain(10);
      chain[4] = { ...chain[4], payload: { n: 999 } };
      expect(verifyHashChain(chain)).to.deep.equal({ ok: false, firstBad: { seq: 5, reason: "hash-mismatch" } });
    });

    it("names an entry whose prevHash was edited and rehashed (prev-mismatch)", function () {
      const chain = makeChain(10);
      const { hash: _h, ...body } = { ...chain[6], prevHash: sha256("0x1234") };
      chain[6] = { ...body, hash: entryHash(body) };
      expect(verifyHashChain(chain)).to.deep.equal({ ok: false, firstBad: { seq: 7, reason: "prev-mismatch" } });
    });

    it("names the first broken entry when several are broken", function () {
      const chain = makeChain(10);
      chain[2] = { ...chain[2], actor: "mallory" };
      chain[7] = { ...chain[7], actor: "mallory" };
      expect(verifyHashChain(chain)).to.deep.equal({ ok: false, firstBad: { seq: 3, reason: "hash-mismatch" } });
    });

    it("reports a deleted entry as seq-gap at the missing seq", function () {
      const chain = makeChain(10);
      chain.splice(5, 1);
      expect(verifyHashChain(chain)).to.deep.equal({ ok: false, firstBad: { seq: 6, reason: "seq-gap" } });
      expect(verifyHashChain(makeChain(3).slice(1))).to.deep.equal({ ok: false, firstBad: { seq: 1, reason: "seq-gap" } });
    });

    it("a deleted entry hidden by renumbering and rehashing passes the hash chain but not the anchor", function () {
      const chain = makeChain(10);
      const cut = [...chain.slice(0, 5), ...chain.slice(6).map((e) => ({ ...e, seq: e.seq - 1 }))];
      const forged = rehash(cut, 5);
      expect(verifyHashChain(forged).ok).to.equal(true); // a recomputed chain is self-consistent…
      const anchor = { fromSeq: 1, toSeq: 10, root: merkleRoot(chain.map((e) => e.hash)), evidenceId: anchorEvidenceId(1, 10) };
      expect(checkAnchor(anchor, chain)).to.deep.include({ ok: true });
      expect(checkAnchor(anchor, forged)).to.deep.include({ ok: false, reason: "range-incomplete" }); // …the anchor is not
    });

    it("verifies a slice given the hash before it, and pages compose", function () {
      const chain = makeChain(12);
      const first = verifyHashChain(chain.slice(0, 5));
      expect(first.ok).to.equal(true);
      if (!first.ok) return;
      expect(verifyHashChain(chain.slice(5), { startPrevHash: first.lastHash, startSeq: 6 }).ok).to.equal(true);
      expect(verifyHashChain(chain.slice(5), { startPrevHash: GENESIS_HASH, startSeq: 6 })).to.deep.equal({
        ok: false,
        firstBad: { seq: 6, reason: "prev-mismatch" },
      });
      expect(verifyHashChain(chain.slice(5), { startPrevHash: first.lastHash, startSeq: 5 })).to.deep.equal({
        ok: false,
        firstBad: { seq: 5, reason: "seq-gap" },
      });
    });
  });

  describe("Merkle tree", function () {
    it("matches an independent implementation of the documented scheme for 1..17 leaves", function () {
      for (let n = 1; n <= 17; n++) {
        expect(merkleRoot(hashes(n)), `n=${n}`).to.equal(referenceRoot(hashes(n)));
      }
      expect(merkleRoot(hashes(1))).to.equal(merkleLeaf(hashes(1)[0]));
      expect(() => merkleRoot([])).to.throw(RangeError);
    });

    it("domain-separates leaves from inner nodes", function () {
      const [a, b] = hashes(2);
      const inner = keccak256(concat(["0x01", merkleLeaf(a), merkleLeaf(b)]));
      expect(merkleRoot([a, b])).to.equal(inner);
      // An inner node presented as a leaf does not give the same root.
      expect(merkleRoot([inner])).to.not.equal(inner);
    });

    it("is positional: swapping two leaves changes the root", function () {
      const [a, b, c] = hashes(3);
      expect(merkleRoot([a, b, c])).to.not.equal(merkleRoot([b, a, c]));
    });

    it("proves every leaf of trees with 1..17 leaves, and proofs do not transfer", function () {
      for (let n = 1; n <= 17; n++) {
        const leaves = hashes(n);
        const root = merkleRoot(leaves);
        for (let i = 0; i < n; i++) {
          const proof = merkleProof(leaves, i);
          expect(proof.length, `n=${n}`).to.equal(Math.ceil(Math.log2(n)));
          expect(verifyMerkleProof(leaves[i], proof, root), `n=${n} i=${i}`).to.equal(true);
          if (n > 1) {
            const other = leaves[(i + 1) % n];
            expect(verifyMerkleProof(other, proof, root), `other leaf n=${n} i=${i}`).to.equal(false);
          }
        }
      }
      expect(() => merkleProof(hashes(3), 3)).to.throw(RangeError);
    });

    it("rejects a tampered proof: changed sibling, flipped side, dropped or extra step, wrong root", function () {
      const leaves = hashes(13);
      const root = merkleRoot(leaves);
      const proof = merkleProof(leaves, 6);
      expect(verifyMerkleProof(leaves[6], proof, root)).to.equal(true);
      const changed = proof.map((s, i) => (i === 1 ? { ...s, hash: sha256(s.hash) } : s));
      expect(verifyMerkleProof(leaves[6], changed, root)).to.equal(false);
      const flipped = proof.map((s, i) => (i === 0 ? { ...s, position: s.position === "left" ? ("right" as const) : ("left" as const) } : s));
      expect(verifyMerkleProof(leaves[6], flipped, root)).to.equal(false);
      expect(verifyMerkleProof(leaves[6], proof.slice(1), root)).to.equal(false);
      expect(verifyMerkleProof(leaves[6], [...proof, proof[0]], root)).to.equal(false);
      expect(verifyMerkleProof(leaves[6], proof, merkleRoot(leaves.slice(1)))).to.equal(false);
      expect(verifyMerkleProof("0x1234", proof, root)).to.equal(false);
      expect(verifyMerkleProof(leaves[6], [{ position: "up" as never, hash: proof[0].hash }], root)).to.equal(false);
    });
  });

  describe("anchors and export format", function () {
    it("derives the evidence id from the range and writes canonical metadata", function () {
      expect(anchorEvidenceId(1, 100)).to.equal(keccak256(toUtf8Bytes("sandbox-log:1-100")));
      expect(anchorEvidenceId(1, 100)).to.not.equal(anchorEvidenceId(1, 101));
      expect(() => anchorEvidenceId(5, 4)).to.throw(RangeError);
      const chain = makeChain(4);
      const meta = anchorMetadata(1, 4, chain[3].hash);
      expect(meta).to.equal(canonicalJson(JSON.parse(meta)));
      expect(AnchorMetadataSchema.parse(JSON.parse(meta))).to.deep.include({ fromSeq: 1, toSeq: 4, count: 4, lastHash: chain[3].hash });
    });

    it("checkAnchor catches a rewritten range and a moved range", function () {
      const chain = makeChain(8);
      const anchor = { fromSeq: 3, toSeq: 8, root: merkleRoot(chain.slice(2).map((e) => e.hash)), evidenceId: anchorEvidenceId(3, 8) };
      expect(checkAnchor(anchor, chain)).to.deep.equal({ ok: true, root: anchor.root });
      const edited = chain.map((e) => ({ ...e }));
      edited[4].payload = { n: -1 };
      expect(checkAnchor(anchor, rehash(edited, 4))).to.deep.include({ ok: false, reason: "root-mismatch" });
      expect(checkAnchor({ ...anchor, evidenceId: anchorEvidenceId(3, 7) }, chain)).to.deep.include({ ok: false, reason: "evidence-id-mismatch" });
    });

    it("parses and verifies an export file offline, and names a bad line", function () {
      const chain = makeChain(6);
      const root = merkleRoot(chain.map((e) => e.hash));
      const anchorLine = {
        type: "anchor" as const,
        fromSeq: 1,
        toSeq: 6,
        root,
        evidenceId: anchorEvidenceId(1, 6),
        txHash: sha256("0x01"),
        blockNumber: 7,
        createdAt: "2025-01-01T00:00:00.000Z",
      };
      const header = {
        type: "header" as const,
        format: "sandbox-log" as const,
        version: 1 as const,
        generatedAt: "2025-01-01T00:00:00.000Z",
        chainId: 31337,
        evidenceRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        merkle: "keccak256-positional-duplast-v1" as const,
        filter: {},
      };
      const lines = [exportLine(header), ...chain.map((e) => exportLine({ type: "entry", ...e })), exportLine(anchorLine)];
      const parsed = parseExport(lines.join("\n") + "\n");
      expect(parsed.header?.chainId).to.equal(31337);
      expect(parsed.entries).to.deep.equal(chain);
      expect(verifyExport(parsed)).to.deep.include({ ok: true });

      const tampered = parseExport(lines.join("\n").replace('"n":3', '"n":4'));
      const check = verifyExport(tampered);
      expect(check.ok).to.equal(false);
      expect(check.chain).to.deep.equal({ ok: false, firstBad: { seq: 3, reason: "hash-mismatch" } });
      expect(check.anchors[0]).to.deep.include({ ok: false, reason: "root-mismatch" });

      expect(() => parseExport(`${lines[0]}\n{"type":"entry","seq":1}`)).to.throw(SyntaxError, /line 2/);
    });

    it("quotes CSV fields per RFC 4180 and keeps null and empty apart", function () {
      expect(csvField("plain")).to.equal("plain");
      expect(csvField('a,"b"\r\nc')).to.equal('"a,""b""\r\nc"');
      expect(csvField(null)).to.equal("");
      expect(csvField("")).to.equal('""');
      expect(csvField(42)).to.equal("42");
    });
  });
});
