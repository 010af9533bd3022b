/**
 * shared/log/legacy.ts: the first release's anchors (keccak range roots), still checked as history. An
 * independent implementation (ethers' keccak, written from the scheme's definition) is the reference.
 */
import { expect } from "chai";
import { concat, keccak256, sha256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "../../../shared/log/canonical";
import { entryHash, GENESIS_HASH, type LogEntry } from "../../../shared/log/entry";
import { anchorEvidenceId, anchorMetadata, AnchorMetadataSchema, checkAnchor, merkleLeaf, merkleNode, merkleProof, merkleRoot, MERKLE_SCHEME, verifyMerkleProof } from "../../../shared/log/legacy";

const hashes = (n: number) => Array.from({ length: n }, (_, i) => sha256(toUtf8Bytes(`leaf ${i}`)));

function referenceRoot(leafHashes: string[]): string {
  let level = leafHashes.map((h) => keccak256(concat(["0x00", h])));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(keccak256(concat(["0x01", level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

/** A first-release log: entries whose hash is sha256 of their bytes. */
function firstReleaseLog(n: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const body = { seq, ts: `2025-01-01T00:00:${String(seq).padStart(2, "0")}.000Z`, actor: "key-issuer", action: "compliance.rule", rule: "privacy", decision: "passed", collectionId: "1", tokenId: null, policyVersion: "1", inputHash: null, ref: null, payload: { n: seq }, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...body, hash: entryHash(body, { leafHashFrom: Number.MAX_SAFE_INTEGER }) });
  }
  return out;
}

describe("shared/log/legacy: the first release's range anchors, kept as history", function () {
  it("the root matches an independent implementation of the scheme for 1..17 leaves", function () {
    expect(MERKLE_SCHEME).to.equal("keccak256-positional-duplast-v1");
    for (let n = 1; n <= 17; n++) expect(merkleRoot(hashes(n)), `n=${n}`).to.equal(referenceRoot(hashes(n)));
    expect(merkleRoot(hashes(1))).to.equal(merkleLeaf(hashes(1)[0]));
    expect(() => merkleRoot([])).to.throw(RangeError);
    expect(() => merkleRoot(["0x12"])).to.throw(TypeError, "leaf 0 must be a 0x-prefixed 32-byte hex value, got 0x12");
  });

  it("domain-separates leaves from inner nodes, is positional, and has the duplicate-last ambiguity the tree replaced", function () {
    const [a, b, c] = hashes(3);
    expect(merkleRoot([a, b])).to.equal(merkleNode(merkleLeaf(a), merkleLeaf(b)));
    expect(merkleRoot([merkleNode(merkleLeaf(a), merkleLeaf(b))])).to.not.equal(merkleRoot([a, b]));
    expect(merkleRoot([a, b, c])).to.not.equal(merkleRoot([b, a, c]));
    // CVE-2012-2459: [a, b, c] and [a, b, c, c] share a root; an anchor is only safe because its range is bound.
    expect(merkleRoot([a, b, c])).to.equal(merkleRoot([a, b, c, c]));
  });

  it("proves every leaf of trees with 1..17 leaves; a proof does not transfer; a tampered proof fails", function () {
    for (let n = 1; n <= 17; n++) {
      const leaves = hashes(n);
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const proof = merkleProof(leaves, i);
        expect(proof.length, `n=${n}`).to.equal(Math.ceil(Math.log2(n)));
        expect(verifyMerkleProof(leaves[i], proof, root), `n=${n} i=${i}`).to.equal(true);
        if (n > 1) expect(verifyMerkleProof(leaves[(i + 1) % n], proof, root)).to.equal(false);
      }
    }
    expect(() => merkleProof(hashes(3), 3)).to.throw(RangeError);
    const leaves = hashes(13);
    const root = merkleRoot(leaves);
    const proof = merkleProof(leaves, 6);
    expect(verifyMerkleProof(leaves[6], proof.map((s, i) => (i === 1 ? { ...s, hash: sha256(s.hash) } : s)), root)).to.equal(false);
    expect(verifyMerkleProof(leaves[6], proof.map((s, i) => (i === 0 ? { ...s, position: s.position === "left" ? ("right" as const) : ("left" as const) } : s)), root)).to.equal(false);
    expect(verifyMerkleProof(leaves[6], proof.slice(1), root)).to.equal(false);
    expect(verifyMerkleProof(leaves[6], [...proof, proof[0]], root)).to.equal(false);
    expect(verifyMerkleProof(leaves[6], proof, merkleRoot(leaves.slice(1)))).to.equal(false);
    expect(verifyMerkleProof("0x1234", proof, root)).to.equal(false);
    expect(verifyMerkleProof(leaves[6], [{ position: "up" as never, hash: proof[0].hash }], root)).to.equal(false);
  });

  it("binds the range into the evidence id and writes canonical metadata", function () {
    expect(anchorEvidenceId(1, 100)).to.equal(keccak256(toUtf8Bytes("sandbox-log:1-100")));
    expect(anchorEvidenceId(1, 100)).to.not.equal(anchorEvidenceId(1, 101));
    for (const [f, t] of [[5, 4], [0, 3], [1.5, 3]]) expect(() => anchorEvidenceId(f, t)).to.throw(RangeError, `bad anchor range ${f}-${t}`);
    const log = firstReleaseLog(4);
    const meta = anchorMetadata(1, 4, log[3].hash);
    expect(meta).to.equal(canonicalJson(JSON.parse(meta)));
    expect(AnchorMetadataSchema.parse(JSON.parse(meta))).to.deep.equal({ type: "sandbox-log-anchor", v: 1, fromSeq: 1, toSeq: 4, count: 4, lastHash: log[3].hash, merkle: MERKLE_SCHEME });
  });

  it("checkAnchor: a range's entries give its root; a rewritten, moved, or incomplete range does not", function () {
    const log = firstReleaseLog(8);
    const anchor = { fromSeq: 3, toSeq: 8, root: referenceRoot(log.slice(2).map((e) => e.hash)), evidenceId: anchorEvidenceId(3, 8) };
    expect(checkAnchor(anchor, log)).to.deep.equal({ ok: true, root: anchor.root });
    const edited = log.map((e, i) => (i === 4 ? { ...e, payload: { n: -1 } } : e));
    const recomputed = edited.map((e) => ({ ...e, hash: entryHash(e, { leafHashFrom: Number.MAX_SAFE_INTEGER }) }));
    expect(checkAnchor(anchor, recomputed)).to.deep.include({ ok: false, reason: "root-mismatch" });
    expect(checkAnchor({ ...anchor, evidenceId: anchorEvidenceId(3, 7) }, log)).to.deep.equal({ ok: false, reason: "evidence-id-mismatch" });
    expect(checkAnchor(anchor, log.filter((e) => e.seq !== 5))).to.deep.equal({ ok: false, reason: "range-incomplete" });
    expect(checkAnchor({ ...anchor, fromSeq: 9, toSeq: 8 }, log)).to.deep.equal({ ok: false, reason: "range-incomplete" });
  });
});
