/**
 * Known-answer tests: the classic 8-leaf data set of RFC 6962's reference implementation
 * (certificate-transparency's merkle_tree_test.cc), with the roots, inclusion and consistency proofs
 * as published in transparency-dev/merkle proof/verify_test.go, and that file's corruption probes
 * (wrong index, wrong size, trailing/preceding garbage, bit flips…) re-implemented here. Every vector is
 * also re-derived by the reference implementation written from the RFC's definitions.
 */
import { expect } from "chai";
import {
  appendLeaf,
  consistencyProof,
  defaultHasher,
  fromHex,
  inclusionProof,
  MemoryNodeStore,
  rootAt,
  rootFromLeaves,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../shared/log";
import { ReferenceTree } from "./rfc9162-reference";

const ENTRIES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(fromHex);

const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SOME_HASH = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

/** transparency-dev's vectors use 1-based leaf numbers; `index` here is 0-based. */
const INCLUSION = [
  { index: 0, size: 8, proof: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
  { index: 5, size: 8, proof: ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  { index: 1, size: 5, proof: ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
  { index: 0, size: 1, proof: [] },
];

const CONSISTENCY = [
  { m: 1, n: 1, proof: [] },
  { m: 1, n: 8, proof: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
  { m: 6, n: 8, proof: ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
  { m: 2, n: 5, proof: ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
  { m: 6, n: 7, proof: ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
];

const hexes = (bs: Uint8Array[]) => bs.map(toHex);
const flipBit = (b: Uint8Array, byte: number, mask: number) => {
  const c = b.slice();
  c[byte] ^= mask;
  return c;
};

describe("shared/log RFC 9162 known answers (RFC 6962 / certificate-transparency 8-leaf data)", () => {
  const leaves = ENTRIES.map((e) => defaultHasher.hashLeaf(e));
  const ref = ReferenceTree.fromEntries(ENTRIES);
  const store = new MemoryNodeStore();
  for (let i = 0; i < leaves.length; i++) store.put(appendLeaf(i, leaves[i], store).newNodes);
  const root = (size: number) => fromHex(ROOTS[size - 1]);

  it("hashes the empty tree to SHA-256()", () => {
    expect(toHex(defaultHasher.emptyRoot)).to.equal(EMPTY_ROOT);
    expect(toHex(rootAt(0, store))).to.equal(EMPTY_ROOT);
    expect(toHex(rootFromLeaves([]))).to.equal(EMPTY_ROOT);
    expect(toHex(ref.root(0))).to.equal(EMPTY_ROOT);
  });

  it("gives the published roots for sizes 1..8 (store, streaming and reference)", () => {
    for (let size = 1; size <= 8; size++) {
      expect(toHex(rootAt(size, store)), `rootAt(${size})`).to.equal(ROOTS[size - 1]);
      expect(toHex(rootFromLeaves(leaves.slice(0, size))), `rootFromLeaves(${size})`).to.equal(ROOTS[size - 1]);
      expect(toHex(ref.root(size)), `reference(${size})`).to.equal(ROOTS[size - 1]);
    }
  });

  for (const v of INCLUSION) {
    it(`inclusion of leaf ${v.index} in ${v.size}: builds the published proof, verifies it, and rejects every corruption`, () => {
      expect(hexes(inclusionProof(v.index, v.size, store))).to.deep.equal(v.proof);
      expect(hexes(ref.inclusion(v.index, v.size))).to.deep.equal(v.proof);
      const proof = v.proof.map(fromHex);
      const leaf = leaves[v.index];
      const r = root(v.size);
      expect(verifyInclusion(leaf, v.index, v.size, proof, r)).to.deep.equal({ ok: true });

      // transparency-dev's corruptInclusionProof probes.
      const probes: Array<[string, Parameters<typeof verifyInclusion>]> = [
        ["leafIndex - 1", [leaf, v.index - 1, v.size, proof, r]],
        ["leafIndex + 1", [leaf, v.index + 1, v.size, proof, r]],
        ["leafIndex ^ 2", [leaf, v.index ^ 2, v.size, proof, r]],
        ["treeSize * 2", [leaf, v.index, v.size * 2, proof, r]],
        ["treeSize / 2", [leaf, v.index, Math.floor(v.size / 2), proof, r]],
        ["wrong leaf", [new TextEncoder().encode("WrongLeaf"), v.index, v.size, proof, r]],
        ["wrong leaf (32 bytes)", [SOME_HASH, v.index, v.size, proof, r]],
        ["empty root", [leaf, v.index, v.size, proof, fromHex(EMPTY_ROOT)]],
        ["random root", [leaf, v.index, v.size, proof, SOME_HASH]],
        ["trailing garbage", [leaf, v.index, v.size, [...proof, new Uint8Array(0)], r]],
        ["trailing root", [leaf, v.index, v.size, [...proof, r], r]],
        ["preceding garbage", [leaf, v.index, v.size, [new Uint8Array(0), ...proof], r]],
        ["preceding root", [leaf, v.index, v.size, [r, ...proof], r]],
      ];
      proof.forEach((_, i) => probes.push([`modified proof[${i}] bit 3`, [leaf, v.index, v.size, proof.map((p, j) => (j === i ? flipBit(p, 0, 8) : p)), r]]));
      if (proof.length > 0) probes.push(["removed component", [leaf, v.index, v.size, proof.slice(0, -1), r]]);
      if (proof.length > 1) probes.push(["inserted component", [leaf, v.index, v.size, [proof[0], SOME_HASH, ...proof.slice(1)], r]]);
      for (const [desc, args] of probes) {
        const res = verifyInclusion(...args);
        expect(res.ok, `${desc} must not verify`).to.equal(false);
      }
    });
  }

  for (const v of CONSISTENCY) {
    it(`consistency ${v.m} → ${v.n}: builds the published proof, verifies it, and rejects every corruption`, () => {
      expect(hexes(consistencyProof(v.m, v.n, store))).to.deep.equal(v.proof);
      if (v.m < v.n) expect(hexes(ref.consistency(v.m, v.n))).to.deep.equal(v.proof);
      const proof = v.proof.map(fromHex);
      const r1 = root(v.m);
      const r2 = root(v.n);
      expect(verifyConsistency(v.m, v.n, r1, r2, proof)).to.deep.equal({ ok: true });
      if (proof.length === 0) return;

      // transparency-dev's corruptConsistencyProof probes.
      const wrong = new TextEncoder().encode("WrongRoot");
      const probes: Array<[string, Parameters<typeof verifyConsistency>]> = [
        ["size1 - 1", [v.m - 1, v.n, r1, r2, proof]],
        ["size1 + 1", [v.m + 1, v.n, r1, r2, proof]],
        ["size1 ^ 2", [v.m ^ 2, v.n, r1, r2, proof]],
        ["size2 * 2", [v.m, v.n * 2, r1, r2, proof]],
        ["size2 / 2", [v.m, Math.floor(v.n / 2), r1, r2, proof]],
        ["wrong root1", [v.m, v.n, wrong, r2, proof]],
        ["wrong root2", [v.m, v.n, r1, wrong, proof]],
        ["wrong root1 (32 bytes)", [v.m, v.n, SOME_HASH, r2, proof]],
        ["wrong root2 (32 bytes)", [v.m, v.n, r1, SOME_HASH, proof]],
        ["swapped roots", [v.m, v.n, r2, r1, proof]],
        ["empty proof", [v.m, v.n, r1, r2, []]],
        ["trailing garbage", [v.m, v.n, r1, r2, [...proof, new Uint8Array(0)]]],
        ["trailing root1", [v.m, v.n, r1, r2, [...proof, r1]]],
        ["trailing root2", [v.m, v.n, r1, r2, [...proof, r2]]],
        ["preceding garbage", [v.m, v.n, r1, r2, [new Uint8Array(0), ...proof]]],
        ["preceding root1", [v.m, v.n, r1, r2, [r1, ...proof]]],
        ["preceding root2", [v.m, v.n, r1, r2, [r2, ...proof]]],
        ["preceding proof[0]", [v.m, v.n, r1, r2, [proof[0], ...proof]]],
        ["truncated proof", [v.m, v.n, r1, r2, proof.slice(0, -1)]],
      ];
      proof.forEach((_, i) => probes.push([`modified proof[${i}] bit 4`, [v.m, v.n, r1, r2, proof.map((p, j) => (j === i ? flipBit(p, 0, 16) : p))]]));
      for (const [desc, args] of probes) {
        expect(verifyConsistency(...args).ok, `${desc} must not verify`).to.equal(false);
      }
    });
  }

  it("handles the edge cases of transparency-dev's TestVerifyConsistency", () => {
    const r1 = fromHex(ROOTS[0]);
    const r2 = fromHex(ROOTS[1]);
    const empty = fromHex(EMPTY_ROOT);
    // Always consistent: equal sizes with equal roots, and the empty tree.
    expect(verifyConsistency(0, 0, empty, empty, []).ok).to.equal(true);
    expect(verifyConsistency(0, 1, empty, r1, []).ok).to.equal(true);
    expect(verifyConsistency(1, 1, r2, r2, []).ok).to.equal(true);
    // Time travel to the past.
    expect(verifyConsistency(1, 0, r1, r2, [])).to.include({ ok: false, reason: "size-order" });
    expect(verifyConsistency(2, 1, r1, r2, [])).to.include({ ok: false, reason: "size-order" });
    // Empty proof where one is needed.
    expect(verifyConsistency(1, 2, r1, r2, [])).to.include({ ok: false, reason: "proof-length" });
    // Roots don't match.
    expect(verifyConsistency(0, 0, empty, r2, []).ok).to.equal(false);
    expect(verifyConsistency(1, 1, empty, r2, [])).to.include({ ok: false, reason: "old-root-mismatch" });
    // Roots match but the proof is not empty.
    expect(verifyConsistency(0, 0, empty, empty, [empty])).to.include({ ok: false, reason: "proof-length" });
    expect(verifyConsistency(0, 1, empty, empty, [empty])).to.include({ ok: false, reason: "proof-length" });
    expect(verifyConsistency(1, 1, empty, empty, [empty])).to.include({ ok: false, reason: "proof-length" });
    // Size 0 must carry the empty tree's root (stricter than transparency-dev, which ignores it).
    expect(verifyConsistency(0, 1, r1, r1, [])).to.include({ ok: false, reason: "old-root-mismatch" });
  });

  it("handles the edge cases of transparency-dev's TestVerifyInclusion and single-entry test", () => {
    const empty = fromHex(EMPTY_ROOT);
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]]) {
      expect(verifyInclusion(SOME_HASH, index, size, [], new Uint8Array(0)).ok).to.equal(false);
      expect(verifyInclusion(new Uint8Array(0), index, size, [], empty).ok).to.equal(false);
      expect(verifyInclusion(SOME_HASH, index, size, [], empty).ok).to.equal(false);
    }
    const h = defaultHasher.hashLeaf(new TextEncoder().encode("data"));
    expect(verifyInclusion(h, 0, 1, [], h).ok).to.equal(true);
    expect(verifyInclusion(new Uint8Array(0), 0, 1, [], h)).to.include({ ok: false, reason: "bad-hash-length" });
    expect(verifyInclusion(h, 0, 1, [], new Uint8Array(0))).to.include({ ok: false, reason: "bad-hash-length" });
  });
});
