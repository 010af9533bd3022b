import { sha256 as nobleSha256Impl } from "@noble/hashes/sha2";

/**
 * SHA-256 of one byte string. The default is @noble/hashes (browser-safe); a Node process can pass the
 * faster node:crypto one from shared/log/node/sha256.ts. An implementation must not keep a reference
 * to its input (the Merkle hasher reuses one scratch buffer for node hashes).
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Length of every hash in the tree. */
export const HASH_SIZE = 32;

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

/**
 * The RFC 9162 Merkle hasher over a given SHA-256 (default @noble/hashes).
 *
 * @example
 * import { nodeSha256 } from "./node/sha256"; // Node only
 * const hasher = createMerkleHasher(nodeSha256);
 * hasher.hashLeaf(new TextEncoder().encode('{"seq":1}'));
 */
export function createMerkleHasher(sha256: Sha256 = nobleSha256): MerkleHasher {
  const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
  scratch[0] = 0x01;
  return {
    emptyRoot: sha256(new Uint8Array(0)),
    hashLeaf(entry) {
      const buf = new Uint8Array(entry.length + 1);
      buf.set(entry, 1); // buf[0] = 0x00
      return sha256(buf);
    },
    hashChildren(left, right) {
      // A shorter input would silently hash stale scratch bytes: refuse it.
      if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
        throw new TypeError(`hashChildren: children must be ${HASH_SIZE}-byte hashes`);
      }
      scratch.set(left, 1);
      scratch.set(right, 1 + HASH_SIZE);
      return sha256(scratch);
    },
  };
}

/** The default hasher (@noble/hashes), used wherever a function's `hasher` argument is omitted. */
export const defaultHasher: MerkleHasher = createMerkleHasher();
