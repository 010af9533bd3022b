/**
 * sha256Children, the fixed two-block SHA-256(0x01 ‖ left ‖ right), against node:crypto: random
 * inputs, edge bytes, every single-bit change of the input, and the hashers built on it.
 */
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { defaultHasher, fastHasher, sha256Children, toHex } from "../../../shared/log";
import { nodeCryptoMerkleHasher, nodeMerkleHasher, nodeSha256 } from "../../../shared/log/node/sha256";

const reference = (l: Uint8Array, r: Uint8Array) => toHex(createHash("sha256").update(Uint8Array.of(1)).update(l).update(r).digest());

describe("shared/log sha256Children (fixed two-block SHA-256 of inner nodes)", () => {
  it("equals node:crypto on 20,000 random pairs", () => {
    for (let i = 0; i < 20_000; i++) {
      const l = new Uint8Array(randomBytes(32));
      const r = new Uint8Array(randomBytes(32));
      expect(toHex(sha256Children(l, r))).to.equal(reference(l, r));
    }
  });

  it("equals node:crypto on edge bytes (all 0x00, all 0xff, each byte value in every position)", () => {
    const zero = new Uint8Array(32);
    const ff = new Uint8Array(32).fill(0xff);
    for (const [l, r] of [[zero, zero], [ff, ff], [zero, ff], [ff, zero]]) expect(toHex(sha256Children(l, r))).to.equal(reference(l, r));
    for (let pos = 0; pos < 64; pos++) {
      for (const v of [0x01, 0x7f, 0x80, 0xfe]) {
        const both = new Uint8Array(64);
        both[pos] = v;
        const l = both.subarray(0, 32);
        const r = both.subarray(32);
        expect(toHex(sha256Children(l, r)), `byte ${pos} = ${v}`).to.equal(reference(l, r));
      }
    }
  });

  it("changes with every single input bit (512 flips, all distinct)", () => {
    const l = new Uint8Array(randomBytes(32));
    const r = new Uint8Array(randomBytes(32));
    const seen = new Set([toHex(sha256Children(l, r))]);
    for (let bit = 0; bit < 512; bit++) {
      const both = Uint8Array.from([...l, ...r]);
      both[bit >> 3] ^= 1 << (bit & 7);
      const h = toHex(sha256Children(both.subarray(0, 32), both.subarray(32)));
      expect(h).to.equal(reference(both.subarray(0, 32), both.subarray(32)));
      seen.add(h);
    }
    expect(seen.size).to.equal(513);
  });

  it("refuses inputs that are not 32 bytes", () => {
    expect(() => sha256Children(new Uint8Array(31), new Uint8Array(32))).to.throw(TypeError);
    expect(() => sha256Children(new Uint8Array(32), new Uint8Array(33))).to.throw(TypeError);
  });

  it("the four hashers (noble, noble + sha256Children, node:crypto, node:crypto + sha256Children) agree", () => {
    const entry = new TextEncoder().encode('{"seq":1,"action":"boot"}');
    const hashers = [defaultHasher, fastHasher, nodeCryptoMerkleHasher, nodeMerkleHasher];
    const l = defaultHasher.hashLeaf(entry);
    const r = defaultHasher.hashLeaf(new Uint8Array(0));
    for (const h of hashers) {
      expect(toHex(h.emptyRoot)).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      expect(toHex(h.hashLeaf(entry))).to.equal(toHex(l));
      expect(toHex(h.hashChildren(l, r))).to.equal(reference(l, r));
      expect(() => h.hashChildren(l, new Uint8Array(16))).to.throw(TypeError);
    }
    expect(toHex(nodeSha256(new TextEncoder().encode("abc")))).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("leaf hashes equal SHA-256(0x00 ‖ entry) for every size class (reused buffer, its growth, large entries)", () => {
    const hashers = [defaultHasher, fastHasher, nodeCryptoMerkleHasher, nodeMerkleHasher];
    for (const len of [0, 1, 31, 1023, 1024, 1025, 5000, 65534, 65535, 65536, 70000, 3]) {
      const entry = new Uint8Array(randomBytes(len));
      const want = toHex(createHash("sha256").update(Uint8Array.of(0)).update(entry).digest());
      for (const h of hashers) expect(toHex(h.hashLeaf(entry)), `length ${len}`).to.equal(want);
    }
  });
});
