/**
 * The incremental, store-backed tree against the reference written from RFC 9162's definitions: every
 * root, every inclusion proof (index, size) and every consistency proof (m, n) up to 70 leaves, then
 * random ones in larger trees; the async reader variants; what appendLeaf writes; a store that lacks or
 * corrupts a node.
 */
import { expect } from "chai";
import {
  appendLeaf,
  appendLeafAsync,
  consistencyProof,
  consistencyProofAsync,
  consistencyProofLength,
  CorruptNodeError,
  defaultHasher,
  inclusionProof,
  inclusionProofAsync,
  inclusionProofLength,
  MemoryNodeStore,
  MerkleFrontier,
  MissingNodeError,
  rootAt,
  rootAtAsync,
  rootFromLeavesAsync,
  toHex,
  TreeArgumentError,
  verifyConsistency,
  verifyInclusion,
  type AsyncNodeReader,
  type NodeId,
  type NodeReader,
} from "../../../shared/log";
import { nodeMerkleHasher } from "../../../shared/log/node/sha256";
import { makeEntries, ReferenceTree } from "./rfc9162-reference";

const hexes = (bs: Uint8Array[]) => bs.map(toHex);

function grow(leaves: readonly Uint8Array[]) {
  const store = new MemoryNodeStore();
  const written: number[] = [];
  for (let i = 0; i < leaves.length; i++) {
    const { newNodes } = appendLeaf(i, leaves[i], store);
    written.push(newNodes.length);
    store.put(newNodes);
  }
  return { store, written };
}

/** A deterministic PRNG for the random samples (xorshift32). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (below: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % below;
  };
}

describe("shared/log store-backed tree against the RFC 9162 reference", () => {
  const SMALL = 70;
  const ref = ReferenceTree.fromEntries(makeEntries(SMALL, 7));
  const { store, written } = grow(ref.leaves);

  it("appendLeaf writes exactly the perfect subtrees each leaf completes (1 + trailing ones of size), and each is the reference MTH", () => {
    let total = 0;
    for (let size = 0; size < SMALL; size++) {
      let ones = 0;
      for (let s = size; s % 2 === 1; s = (s - 1) / 2) ones++;
      expect(written[size], `leaf ${size}`).to.equal(1 + ones);
      total += written[size];
    }
    // A complete store holds 2n − popcount(n) nodes (every perfect subtree inside [0, n)).
    expect(store.nodeCount).to.equal(total);
    expect(total).to.equal(2 * SMALL - 3); // 70 = 0b1000110
    for (let level = 0; 2 ** level <= SMALL; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= SMALL; index++) {
        expect(toHex(store.get(level, index)!), `node ${level}/${index}`).to.equal(toHex(ref.mth(index * 2 ** level, (index + 1) * 2 ** level)));
      }
    }
  });

  it(`roots for every size 0..${SMALL} equal the reference`, () => {
    for (let size = 0; size <= SMALL; size++) expect(toHex(rootAt(size, store)), `size ${size}`).to.equal(toHex(ref.root(size)));
  });

  it(`inclusion proofs for every (index, size) with size ≤ ${SMALL} equal the reference and verify`, () => {
    let checked = 0;
    for (let size = 1; size <= SMALL; size++) {
      const root = ref.root(size);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, size, store);
        expect(hexes(proof), `PATH(${index}, D[${size}])`).to.deep.equal(hexes(ref.inclusion(index, size)));
        expect(proof.length).to.equal(inclusionProofLength(index, size));
        expect(verifyInclusion(ref.leaves[index], index, size, proof, root).ok, `verify ${index}/${size}`).to.equal(true);
        checked++;
      }
    }
    expect(checked).to.equal((SMALL * (SMALL + 1)) / 2);
  });

  it(`consistency proofs for every (m, n) with m ≤ n ≤ ${SMALL} equal the reference and verify`, () => {
    let checked = 0;
    for (let n = 0; n <= SMALL; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(m, n, store);
        const expected = m === 0 || m === n ? [] : ref.consistency(m, n);
        expect(hexes(proof), `PROOF(${m}, D[${n}])`).to.deep.equal(hexes(expected));
        expect(proof.length).to.equal(consistencyProofLength(m, n));
        expect(verifyConsistency(m, n, ref.root(m), ref.root(n), proof).ok, `verify ${m} → ${n}`).to.equal(true);
        checked++;
      }
    }
    expect(checked).to.equal(((SMALL + 1) * (SMALL + 2)) / 2);
  });

  describe("random proofs in larger trees", () => {
    const LARGE = 5000;
    const big = ReferenceTree.fromEntries(makeEntries(LARGE, 99));
    const bigStore = grow(big.leaves).store;
    const pick = rng(2024);

    it("300 random inclusion proofs (index, size ≤ 5000) equal the reference and verify", () => {
      for (let i = 0; i < 300; i++) {
        const size = 1 + pick(LARGE);
        const index = pick(size);
        const proof = inclusionProof(index, size, bigStore);
        expect(hexes(proof), `PATH(${index}, D[${size}])`).to.deep.equal(hexes(big.inclusion(index, size)));
        expect(verifyInclusion(big.leaves[index], index, size, proof, big.root(size)).ok).to.equal(true);
      }
    });

    it("300 random consistency proofs (m < n ≤ 5000) equal the reference and verify", () => {
      for (let i = 0; i < 300; i++) {
        const n = 2 + pick(LARGE - 1);
        const m = 1 + pick(n - 1);
        const proof = consistencyProof(m, n, bigStore);
        expect(hexes(proof), `PROOF(${m}, D[${n}])`).to.deep.equal(hexes(big.consistency(m, n)));
        expect(verifyConsistency(m, n, big.root(m), big.root(n), proof).ok).to.equal(true);
      }
    });

    it("the streaming frontier gives the root of every prefix, with the default and the node:crypto hasher", () => {
      const f = new MerkleFrontier();
      const g = new MerkleFrontier(nodeMerkleHasher);
      for (let size = 1; size <= LARGE; size++) {
        f.push(big.leaves[size - 1]);
        g.push(big.leaves[size - 1]);
        if (size % 97 === 0 || size === LARGE || (size & (size - 1)) === 0) {
          expect(toHex(f.root()), `frontier ${size}`).to.equal(toHex(big.root(size)));
          expect(toHex(g.root())).to.equal(toHex(big.root(size)));
        }
      }
      expect(f.size).to.equal(LARGE);
    });
  });

  describe("async readers", () => {
    /** An async view of a sync store, counting round trips. */
    const asyncOf = (reader: NodeReader, batched: boolean) => {
      const calls = { get: 0, getMany: 0 };
      const r: AsyncNodeReader = {
        get: async (l, i) => {
          calls.get++;
          return reader.get(l, i);
        },
        ...(batched
          ? {
              getMany: async (ids: readonly NodeId[]) => {
                calls.getMany++;
                return ids.map((id) => reader.get(id.level, id.index));
              },
            }
          : {}),
      };
      return { r, calls };
    };

    it("give the same roots and proofs as the sync ones, in one getMany round trip when the store has it", async () => {
      const { r, calls } = asyncOf(store, true);
      for (const [a, b] of [[0, 1], [3, 7], [12, 70], [33, 64], [69, 70]]) {
        expect(toHex(await rootAtAsync(b, r))).to.equal(toHex(rootAt(b, store)));
        expect(hexes(await inclusionProofAsync(a, b, r))).to.deep.equal(hexes(inclusionProof(a, b, store)));
        expect(hexes(await consistencyProofAsync(a, b, r))).to.deep.equal(hexes(consistencyProof(a, b, store)));
      }
      expect(calls.get).to.equal(0);
      expect(calls.getMany).to.equal(15);
      const plain = asyncOf(store, false);
      expect(hexes(await inclusionProofAsync(12, 70, plain.r))).to.deep.equal(hexes(inclusionProof(12, 70, store)));
      expect(plain.calls.get).to.be.greaterThan(0);
    });

    it("appendLeafAsync writes the same nodes as appendLeaf", async () => {
      const syncStore = new MemoryNodeStore();
      const asyncStore = new MemoryNodeStore();
      const { r } = asyncOf(asyncStore, true);
      for (let i = 0; i < 40; i++) {
        const a = appendLeaf(i, ref.leaves[i], syncStore);
        const b = await appendLeafAsync(i, ref.leaves[i], r);
        expect(b.newNodes.map((n) => [n.level, n.index, toHex(n.hash)])).to.deep.equal(a.newNodes.map((n) => [n.level, n.index, toHex(n.hash)]));
        syncStore.put(a.newNodes);
        asyncStore.put(b.newNodes);
      }
      expect(toHex(rootAt(40, asyncStore))).to.equal(toHex(ref.root(40)));
    });

    it("rootFromLeavesAsync streams an async iterable", async () => {
      async function* gen() {
        for (const l of ref.leaves) yield l;
      }
      const { root, size } = await rootFromLeavesAsync(gen());
      expect(size).to.equal(SMALL);
      expect(toHex(root)).to.equal(toHex(ref.root(SMALL)));
    });
  });

  describe("a store that is behind or corrupt, and bad arguments", () => {
    it("throws MissingNodeError naming the node when a needed node is absent", () => {
      const holey: NodeReader = { get: (l, i) => (l === 2 && i === 1 ? undefined : store.get(l, i)) };
      expect(() => consistencyProof(4, 8, holey)).to.throw(MissingNodeError).with.property("code", "LOG_NODE_MISSING");
      expect(toHex(rootAt(12, holey))).to.equal(toHex(ref.root(12))); // needs (3,0) and (2,2) only
      try {
        inclusionProof(0, 8, holey);
        expect.fail("must throw");
      } catch (e) {
        expect(e).to.be.instanceOf(MissingNodeError);
        expect((e as MissingNodeError).details).to.deep.equal({ level: 2, index: 1 });
      }
      expect(() => appendLeaf(7, ref.leaves[7], { get: () => undefined })).to.throw(MissingNodeError);
      expect(() => rootAt(71, store)).to.throw(MissingNodeError); // the store holds 70 leaves
    });

    it("throws CorruptNodeError when the store returns something that is not a 32-byte hash", () => {
      const bad: NodeReader = { get: (l, i) => (l === 0 && i === 4 ? new Uint8Array(31) : store.get(l, i)) };
      expect(() => rootAt(5, bad)).to.throw(CorruptNodeError).with.property("code", "LOG_NODE_CORRUPT");
    });

    it("throws TreeArgumentError for index ≥ size, m > n, negative or fractional sizes and bad leaf hashes", () => {
      expect(() => inclusionProof(5, 5, store)).to.throw(TreeArgumentError);
      expect(() => inclusionProof(0, 0, store)).to.throw(TreeArgumentError);
      expect(() => inclusionProof(-1, 5, store)).to.throw(TreeArgumentError);
      expect(() => consistencyProof(6, 5, store)).to.throw(TreeArgumentError);
      expect(() => rootAt(1.5, store)).to.throw(TreeArgumentError);
      expect(() => appendLeaf(0, new Uint8Array(31), new MemoryNodeStore())).to.throw(TreeArgumentError);
      expect(() => appendLeaf(-1, defaultHasher.emptyRoot, new MemoryNodeStore())).to.throw(TreeArgumentError);
    });
  });

  it("index arithmetic holds beyond 2^32 leaves (no 32-bit bitwise operators): proof lengths of a 2^40 + 3 tree", () => {
    const size = 2 ** 40 + 3;
    expect(inclusionProofLength(0, size)).to.equal(41);
    expect(inclusionProofLength(size - 1, size)).to.equal(2); // [MTH(D[2^40 : 2^40+2]), MTH(D[0 : 2^40])]
    expect(consistencyProofLength(2 ** 40, size)).to.equal(1); // [MTH(D[2^40 : 2^40+3])]
    expect(consistencyProofLength(2 ** 33 + 1, size)).to.be.greaterThan(0);
  });

  it("proves and appends at the right edge of a 2^40 + 3 leaf tree (a synthetic store)", () => {
    // Any node values make a consistent tree as long as no node is used together with its children:
    // true for the right edge of this tree.
    const synthetic: NodeReader = { get: (l, i) => defaultHasher.hashLeaf(new TextEncoder().encode(`${l}/${i}`)) };
    const size = 2 ** 40 + 3;
    const root = rootAt(size, synthetic);
    const last = synthetic.get(0, size - 1)!;
    const proof = inclusionProof(size - 1, size, synthetic);
    expect(hexes(proof)).to.deep.equal(hexes([synthetic.get(1, 2 ** 39)!, synthetic.get(40, 0)!]));
    expect(verifyInclusion(last, size - 1, size, proof, root).ok).to.equal(true);
    expect(verifyInclusion(last, size - 2, size, proof, root).ok).to.equal(false);
    const cons = consistencyProof(2 ** 40, size, synthetic);
    expect(verifyConsistency(2 ** 40, size, synthetic.get(40, 0)!, root, cons).ok).to.equal(true);
    const { newNodes } = appendLeaf(size, defaultHasher.emptyRoot, synthetic);
    expect(newNodes.map((n) => [n.level, n.index])).to.deep.equal([
      [0, 2 ** 40 + 3],
      [1, 2 ** 39 + 1],
      [2, 2 ** 38],
    ]);
  });
});
