/**
 * Property tests (fast-check): for random trees and sizes, every inclusion and consistency proof the
 * store-backed code produces equals the RFC 9162 reference and verifies; flipping any single bit of a
 * proof (or of the leaf hash or a root) makes verification fail.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  appendLeaf,
  consistencyProof,
  defaultHasher,
  fastHasher,
  inclusionProof,
  MemoryNodeStore,
  rootAt,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../shared/log";
import { makeEntries, ReferenceTree } from "./rfc9162-reference";

const hexes = (bs: Uint8Array[]) => bs.map(toHex);

function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const c = bytes.slice();
  c[bit >> 3] ^= 1 << (bit & 7);
  return c;
}

function grow(leaves: readonly Uint8Array[]) {
  const store = new MemoryNodeStore();
  leaves.forEach((l, i) => store.put(appendLeaf(i, l, store).newNodes));
  return store;
}

describe("shared/log properties (fast-check)", () => {
  const MAX = 4096;
  const ref = ReferenceTree.fromEntries(makeEntries(MAX, 4242));
  const store = grow(ref.leaves);

  it("trees of random entries: every root, and all proofs of a random size, match the reference", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 80 }), (entries) => {
        const r = ReferenceTree.fromEntries(entries);
        const s = grow(r.leaves);
        const n = entries.length;
        expect(toHex(rootAt(n, s))).to.equal(toHex(r.root(n)));
        for (let i = 0; i < n; i++) {
          const p = inclusionProof(i, n, s);
          expect(hexes(p)).to.deep.equal(hexes(r.inclusion(i, n)));
          expect(verifyInclusion(r.leaves[i], i, n, p, r.root(n)).ok).to.equal(true);
        }
        for (let m = 1; m < n; m++) {
          const p = consistencyProof(m, n, s);
          expect(hexes(p)).to.deep.equal(hexes(r.consistency(m, n)));
          expect(verifyConsistency(m, n, r.root(m), r.root(n), p).ok).to.equal(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it(`inclusion proofs at random (index, size ≤ ${MAX}) verify, and any single bit flip in the proof, leaf or root fails`, () => {
    const arb = fc
      .integer({ min: 1, max: MAX })
      .chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }), pick: fc.nat(), bit: fc.integer({ min: 0, max: 255 }) }));
    fc.assert(
      fc.property(arb, ({ size, index, pick, bit }) => {
        const proof = inclusionProof(index, size, store);
        const root = ref.root(size);
        const leaf = ref.leaves[index];
        expect(hexes(proof)).to.deep.equal(hexes(ref.inclusion(index, size)));
        expect(verifyInclusion(leaf, index, size, proof, root).ok).to.equal(true);
        expect(verifyInclusion(leaf, index, size, proof, root, fastHasher).ok).to.equal(true);
        if (proof.length > 0) {
          const at = pick % proof.length;
          const bad = proof.map((p, i) => (i === at ? flip(p, bit) : p));
          expect(verifyInclusion(leaf, index, size, bad, root).ok, `flip bit ${bit} of proof[${at}]`).to.equal(false);
          expect(verifyInclusion(leaf, index, size, bad, root, fastHasher).ok).to.equal(false);
        }
        expect(verifyInclusion(flip(leaf, bit), index, size, proof, root).ok).to.equal(false);
        expect(verifyInclusion(leaf, index, size, proof, flip(root, bit)).ok).to.equal(false);
      }),
      { numRuns: 400 },
    );
  });

  it(`consistency proofs at random (m ≤ n ≤ ${MAX}) verify, and any single bit flip in the proof or a root fails`, () => {
    const arb = fc
      .integer({ min: 1, max: MAX })
      .chain((n) => fc.record({ n: fc.constant(n), m: fc.integer({ min: 1, max: n }), pick: fc.nat(), bit: fc.integer({ min: 0, max: 255 }) }));
    fc.assert(
      fc.property(arb, ({ m, n, pick, bit }) => {
        const proof = consistencyProof(m, n, store);
        const rootM = ref.root(m);
        const rootN = ref.root(n);
        expect(hexes(proof)).to.deep.equal(hexes(m === n ? [] : ref.consistency(m, n)));
        expect(verifyConsistency(m, n, rootM, rootN, proof).ok).to.equal(true);
        if (proof.length > 0) {
          const at = pick % proof.length;
          const bad = proof.map((p, i) => (i === at ? flip(p, bit) : p));
          expect(verifyConsistency(m, n, rootM, rootN, bad).ok, `flip bit ${bit} of proof[${at}]`).to.equal(false);
        }
        expect(verifyConsistency(m, n, flip(rootM, bit), rootN, proof).ok).to.equal(false);
        expect(verifyConsistency(m, n, rootM, flip(rootN, bit), proof).ok).to.equal(false);
      }),
      { numRuns: 400 },
    );
  });

  it("every bit of every proof element matters (exhaustive over one inclusion and one consistency proof)", () => {
    const size = 3001;
    const index = 1234;
    const proof = inclusionProof(index, size, store);
    let flips = 0;
    for (let at = 0; at < proof.length; at++) {
      for (let bit = 0; bit < 256; bit++) {
        const bad = proof.map((p, i) => (i === at ? flip(p, bit) : p));
        expect(verifyInclusion(ref.leaves[index], index, size, bad, ref.root(size)).ok).to.equal(false);
        flips++;
      }
    }
    const cproof = consistencyProof(1000, size, store);
    for (let at = 0; at < cproof.length; at++) {
      for (let bit = 0; bit < 256; bit++) {
        const bad = cproof.map((p, i) => (i === at ? flip(p, bit) : p));
        expect(verifyConsistency(1000, size, ref.root(1000), ref.root(size), bad).ok).to.equal(false);
        flips++;
      }
    }
    expect(flips).to.equal(256 * (proof.length + cproof.length));
  });

  it("verification never throws on arbitrary input", () => {
    const anything = fc.anything();
    fc.assert(
      fc.property(anything, anything, anything, anything, anything, (a, b, c, d, e) => {
        const r1 = verifyInclusion(a as Uint8Array, b as number, c as number, d as Uint8Array[], e as Uint8Array);
        const r2 = verifyConsistency(a as number, b as number, c as Uint8Array, d as Uint8Array, e as Uint8Array[]);
        expect(r1.ok).to.equal(false);
        expect(r2.ok).to.equal(false);
      }),
      { numRuns: 300 },
    );
    expect(defaultHasher.emptyRoot.length).to.equal(32);
  });
});
