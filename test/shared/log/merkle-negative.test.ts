/**
 * Proofs an attacker (or a broken gateway) could present, each of which must fail verification. The
 * immudb client once accepted a forged proof (GHSA-672p-m5jq-mrh8); this list is what keeps that from
 * happening here. Each case asserts the failure and, where it is unambiguous, its reason.
 */
import { expect } from "chai";
import {
  appendLeaf,
  consistencyProof,
  defaultHasher,
  generateNoteKey,
  inclusionProof,
  MemoryNodeStore,
  rootAt,
  signCheckpoint,
  toInclusionReceipt,
  utf8,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyReceipt,
} from "../../../shared/log";
import { makeEntries } from "./rfc9162-reference";

function treeOf(entries: readonly Uint8Array[]) {
  const store = new MemoryNodeStore();
  const leaves = entries.map((e) => defaultHasher.hashLeaf(e));
  leaves.forEach((l, i) => store.put(appendLeaf(i, l, store).newNodes));
  return { store, leaves };
}

const concat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);

describe("shared/log rejects forged and mismatched proofs", () => {
  const entries = makeEntries(50, 3);
  const { store, leaves } = treeOf(entries);
  const size = 50;
  const root = rootAt(size, store);
  const index = 21;
  const proof = inclusionProof(index, size, store);

  it("the genuine proof verifies (baseline for the cases below)", () => {
    expect(verifyInclusion(leaves[index], index, size, proof, root)).to.deep.equal({ ok: true });
  });

  it("a forged proof: random hashes of the right length", () => {
    const forged = proof.map(() => defaultHasher.hashLeaf(utf8(String(Math.random()))));
    expect(verifyInclusion(leaves[index], index, size, forged, root)).to.include({ ok: false, reason: "root-mismatch" });
  });

  it("a forged proof: an inner node presented as an entry (second preimage; stopped by the 0x00/0x01 prefixes)", () => {
    // Node (1, 10) = H(0x01 ‖ leaf20 ‖ leaf21); present leaf20 ‖ leaf21 as the bytes of an entry at
    // level-1 position 10, with the level-1 path of that node.
    const fakeEntry = concat(leaves[20], leaves[21]);
    const levelOnePath = proof.slice(1);
    for (const [i, n] of [[10, 25], [20, 50], [10, 50]]) {
      expect(verifyInclusion(defaultHasher.hashLeaf(fakeEntry), i, n, levelOnePath, root).ok).to.equal(false);
    }
    // At the hash level the inner node IS at position 10 of the level-1 tree, which is why a receipt is
    // checked from the entry's bytes (hashLeaf adds 0x00), never from a leaf hash the prover supplies.
    expect(verifyInclusion(store.get(1, 10)!, 10, 25, levelOnePath, root).ok).to.equal(true);
    const receipt = toInclusionReceipt({ index: 10, treeSize: 25, leafHash: store.get(1, 10)!, proof: levelOnePath, root });
    expect(verifyReceipt(receipt, fakeEntry)).to.include({ ok: false, reason: "leaf-mismatch" });
  });

  it("a forged proof: the root presented as a one-leaf tree is only as good as the size is authenticated", () => {
    // Mathematically valid for size 1 (leaf = root); a receipt must therefore be bound to the signed size.
    expect(verifyInclusion(root, 0, 1, [], root).ok).to.equal(true);
    const keys = generateNoteKey("registry.example/log", new Uint8Array(32).fill(1));
    const checkpoint = signCheckpoint({ origin: "registry.example/log", size, root }, keys.signerKey);
    const forged = { scheme: "rfc9162-sha256-v1", index: 0, treeSize: 1, leafHash: `0x${Buffer.from(root).toString("hex")}`, proof: [], root: `0x${Buffer.from(root).toString("hex")}`, checkpoint };
    const r = verifyReceipt(forged, utf8("anything"), keys.verifierKey);
    expect(r.ok).to.equal(false);
  });

  it("a wrong tree size: fails wherever the size changes the path; where it does not, the signed size catches it", () => {
    // For leaf 21 every size in 33..64 has the same path shape (…, MTH(D[0:32]) on the left, the rest
    // on the right), so RFC 9162 computes the same root: an inclusion proof does not authenticate the
    // size on its own. The checkpoint binds size and root together, and verifyReceipt requires both.
    for (let n = 1; n <= 200; n++) {
      if (n === size) continue;
      const sameShape = n > 32 && n <= 64;
      expect(verifyInclusion(leaves[index], index, n, proof, root).ok, `size ${n}`).to.equal(sameShape);
    }
    const keys = generateNoteKey("registry.example/log", new Uint8Array(32).fill(2));
    const checkpoint = signCheckpoint({ origin: "registry.example/log", size, root }, keys.signerKey);
    const wrongSize = toInclusionReceipt({ index, treeSize: 40, leafHash: leaves[index], proof, root, checkpoint });
    expect(verifyReceipt(wrongSize, entries[index], keys.verifierKey)).to.include({ ok: false, reason: "checkpoint-mismatch" });
  });

  it("a swapped sibling (two proof elements exchanged)", () => {
    for (let i = 0; i + 1 < proof.length; i++) {
      const swapped = proof.slice();
      [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
      expect(verifyInclusion(leaves[index], index, size, swapped, root)).to.include({ ok: false, reason: "root-mismatch" });
    }
  });

  it("a sibling put on the wrong side (the index of the neighbour leaf with the same path)", () => {
    expect(verifyInclusion(leaves[index], index ^ 1, size, proof, root).ok).to.equal(false);
  });

  it("a truncated path", () => {
    for (let cut = 0; cut < proof.length; cut++) {
      expect(verifyInclusion(leaves[index], index, size, proof.slice(0, cut), root)).to.include({ ok: false, reason: "proof-length" });
    }
  });

  it("an extended path (a hash appended or prepended)", () => {
    expect(verifyInclusion(leaves[index], index, size, [...proof, root], root)).to.include({ ok: false, reason: "proof-length" });
    expect(verifyInclusion(leaves[index], index, size, [leaves[index], ...proof], root)).to.include({ ok: false, reason: "proof-length" });
  });

  it("a proof for another leaf", () => {
    for (let other = 0; other < size; other++) {
      if (other === index) continue;
      expect(verifyInclusion(leaves[other], index, size, proof, root).ok, `leaf ${other} with ${index}'s proof`).to.equal(false);
      expect(verifyInclusion(leaves[index], other, size, proof, root).ok, `leaf ${index} claimed at ${other}`).to.equal(false);
    }
  });

  it("an index ≥ size, negative, fractional or unsafe", () => {
    expect(verifyInclusion(leaves[index], size, size, proof, root)).to.include({ ok: false, reason: "index-out-of-range" });
    expect(verifyInclusion(leaves[index], size + 21, size, proof, root)).to.include({ ok: false, reason: "index-out-of-range" });
    expect(verifyInclusion(leaves[index], -1, size, proof, root)).to.include({ ok: false, reason: "bad-argument" });
    expect(verifyInclusion(leaves[index], 2.5, size, proof, root)).to.include({ ok: false, reason: "bad-argument" });
    expect(verifyInclusion(leaves[index], index, 2 ** 53, proof, root)).to.include({ ok: false, reason: "bad-argument" });
    expect(verifyInclusion(leaves[index], index, size, "proof" as unknown as Uint8Array[], root)).to.include({ ok: false, reason: "bad-argument" });
    expect(verifyInclusion(leaves[index], index, size, [null] as unknown as Uint8Array[], root)).to.include({ ok: false, reason: "bad-hash-length" });
  });

  it("a consistency proof for a history rewrite: B shares the first k leaves with A, then differs", () => {
    let checked = 0;
    for (let nA = 1; nA <= 20; nA++) {
      for (let k = 0; k < nA; k++) {
        // B = A's first k entries, then different ones; as long as A or longer.
        const bEntries = [...entries.slice(0, k), ...makeEntries(30, 1000 + nA * 31 + k)];
        const A = treeOf(entries.slice(0, nA));
        const B = treeOf(bEntries);
        const rootA = rootAt(nA, A.store);
        for (const nB of [nA, nA + 1, nA + 7, 30]) {
          const rootB = rootAt(nB, B.store);
          // The proof the rewritten log would serve, and the honest proof of the original log.
          expect(verifyConsistency(nA, nB, rootA, rootB, consistencyProof(nA, nB, B.store)).ok, `A(${nA}) → B(${nB}), shared ${k}`).to.equal(false);
          if (nB <= 50) expect(verifyConsistency(nA, nB, rootA, rootB, consistencyProof(nA, nB, treeOf(entries).store)).ok).to.equal(false);
          checked++;
        }
      }
    }
    expect(checked).to.equal(4 * 210);
  });

  it("a consistency proof with a wrong size, a swapped element, truncated or extended", () => {
    const m = 13;
    const p = consistencyProof(m, size, store);
    const rootM = rootAt(m, store);
    expect(verifyConsistency(m, size, rootM, root, p).ok).to.equal(true);
    expect(verifyConsistency(m + 1, size, rootM, root, p).ok).to.equal(false);
    expect(verifyConsistency(m, size * 2, rootM, root, p).ok).to.equal(false);
    expect(verifyConsistency(m, 20, rootM, root, p).ok).to.equal(false);
    expect(verifyConsistency(m, size, rootM, root, [p[1], p[0], ...p.slice(2)]).ok).to.equal(false);
    expect(verifyConsistency(m, size, rootM, root, p.slice(0, -1))).to.include({ ok: false, reason: "proof-length" });
    expect(verifyConsistency(m, size, rootM, root, [...p, root])).to.include({ ok: false, reason: "proof-length" });
    expect(verifyConsistency(size, m, root, rootM, p)).to.include({ ok: false, reason: "size-order" });
  });

  describe("checkpoints and receipts", () => {
    const keys = generateNoteKey("registry.example/sandbox-log", new Uint8Array(32).fill(11));
    const mallory = generateNoteKey("registry.example/sandbox-log", new Uint8Array(32).fill(12));
    const checkpoint = signCheckpoint({ origin: "registry.example/sandbox-log", size, root }, keys.signerKey);
    const receipt = toInclusionReceipt({ index, treeSize: size, leafHash: leaves[index], proof, root, checkpoint });

    it("a checkpoint signed by another key (same name)", () => {
      const forged = signCheckpoint({ origin: "registry.example/sandbox-log", size, root }, mallory.signerKey);
      expect(verifyCheckpoint(forged, keys.verifierKey)).to.include({ ok: false, reason: "unknown-key" });
    });

    it("a tampered checkpoint body (size, root or origin changed after signing)", () => {
      const [origin, sizeLine, rootLine] = checkpoint.split("\n");
      const other = Buffer.from(rootAt(size - 1, store)).toString("base64");
      for (const t of [
        checkpoint.replace(`\n${sizeLine}\n`, `\n${size - 1}\n`),
        checkpoint.replace(rootLine, other),
        checkpoint.replace(origin, `${origin}2`),
      ]) {
        expect(verifyCheckpoint(t, keys.verifierKey, { origin: "registry.example/sandbox-log" }).ok).to.equal(false);
      }
    });

    it("an edited entry (with or without the receipt's leaf hash updated to match)", () => {
      const edited = entries[index].slice();
      edited[0] ^= 1;
      expect(verifyReceipt(receipt, edited, keys.verifierKey)).to.include({ ok: false, reason: "leaf-mismatch" });
      const updated = { ...receipt, leafHash: `0x${Buffer.from(defaultHasher.hashLeaf(edited)).toString("hex")}` };
      expect(verifyReceipt(updated, edited, keys.verifierKey)).to.include({ ok: false, reason: "root-mismatch" });
      expect(verifyReceipt(receipt, entries[index], keys.verifierKey).ok).to.equal(true);
    });

    it("a receipt whose tree was rewritten: valid proof and root of tree B, checkpoint of tree A", () => {
      const B = treeOf([...entries.slice(0, 30), ...makeEntries(20, 77)]);
      const rootB = rootAt(size, B.store);
      const forged = toInclusionReceipt({ index, treeSize: size, leafHash: leaves[index], proof: inclusionProof(index, size, B.store), root: rootB, checkpoint });
      expect(verifyReceipt(forged, entries[index], keys.verifierKey)).to.include({ ok: false, reason: "checkpoint-mismatch" });
    });
  });
});
