import { sha256 as nobleSha256Impl } from "@noble/hashes/sha2";
import { sha256Children } from "./sha256-children";

/**
 * SHA-256 of one byte string. The default is @noble/hashes (browser-safe); a Node process can pass the
 * faster node:crypto one from shared/log/node/sha256.ts. An implementation must not keep a reference
 * to its input (the Merkle hasher reuses its scratch buffers for leaves and inner nodes).
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Length of every hash in the tree. */
export const HASH_SIZE = 32;

/** Entries up to this size (−1) are hashed from a reused buffer. */
const MAX_LEAF_SCRATCH = 64 * 1024;

/** The RFC 9162 §2.1.1 hashing of a Merkle tree over SHA-256. */
export interface MerkleHasher {
  /** MTH({}) = SHA-256() : the root of the empty tree. */
  readonly emptyRoot: Uint8Array;
  /** MTH({d}) = SHA-256(0x00 ‖ d): the leaf hash of entry bytes `d`. */
  hashLeaf(entry: Uint8Array): Uint8Array;
  /** SHA-256(0x01 ‖ left ‖ right): an inner node. */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
}

/** SHA-256 by @noble/hashes: pure JavaScript, runs in any browser. */
export const nobleSha256: Sha256 = (data) => nobleSha256Impl(data);

export interface MerkleHasherOptions {
  /**
   * Computes SHA-256(0x01 ‖ left ‖ right) directly, instead of through `sha256` on a 65-byte buffer —
   * e.g. {@link sha256Children}, the fixed two-block SHA-256 that makes proof verification fastest.
   */
  hashChildren?: (left: Uint8Array, right: Uint8Array) => Uint8Array;
}

/**
 * The RFC 9162 Merkle hasher over a given SHA-256 (default @noble/hashes).
 *
 * @example
 * import { nodeSha256 } from "./node/sha256"; // Node only
 * const hasher = createMerkleHasher(nodeSha256);
 * hasher.hashLeaf(new TextEncoder().encode('{"seq":1}'));
 */
export function createMerkleHasher(sha256: Sha256 = nobleSha256, options: MerkleHasherOptions = {}): MerkleHasher {
  const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
  scratch[0] = 0x01;
  let leafScratch = new Uint8Array(1024);
  const direct = options.hashChildren;
  return {
    emptyRoot: sha256(new Uint8Array(0)),
    hashLeaf(entry) {
      // 0x00 ‖ entry in a reused buffer: a fresh small Uint8Array per leaf costs an allocation, and in
      // Node an extra copy when native code first touches it. Large entries get their own buffer.
      const n = entry.length + 1;
      if (n > MAX_LEAF_SCRATCH) {
        const buf = new Uint8Array(n);
        buf.set(entry, 1);
        return sha256(buf);
      }
      if (n > leafScratch.length) leafScratch = new Uint8Array(Math.min(MAX_LEAF_SCRATCH, 2 ** Math.ceil(Math.log2(n))));
      leafScratch[0] = 0x00;
      leafScratch.set(entry, 1);
      return sha256(leafScratch.subarray(0, n));
    },
    hashChildren(left, right) {
      // A shorter input would silently hash stale scratch bytes: refuse it.
      if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
        throw new TypeError(`hashChildren: children must be ${HASH_SIZE}-byte hashes`);
      }
      if (direct) return direct(left, right);
      scratch.set(left, 1);
      scratch.set(right, 1 + HASH_SIZE);
      return sha256(scratch);
    },
  };
}

/** The default hasher (@noble/hashes throughout), used wherever a function's `hasher` argument is omitted. */
export const defaultHasher: MerkleHasher = createMerkleHasher();

/**
 * @noble/hashes for leaves and {@link sha256Children} for inner nodes: browser-safe, same results as
 * {@link defaultHasher}, about 3× faster at verifying proofs. Pass it as the `hasher` argument.
 *
 * @example
 * verifyInclusion(leafHash, index, size, proof, root, fastHasher);
 */
export const fastHasher: MerkleHasher = createMerkleHasher(nobleSha256, { hashChildren: sha256Children });
