import { bytesEqual } from "./bytes";
import { defaultHasher, HASH_SIZE, type MerkleHasher } from "./hasher";
import { inclusionProofLength, isCount } from "./tree-math";

export type InclusionFailure =
  /** index or size is not a safe non-negative integer, or an argument is not bytes / an array. */
  | "bad-argument"
  /** index ≥ size (every index for size 0). */
  | "index-out-of-range"
  /** The leaf hash, the root or a proof element is not 32 bytes. */
  | "bad-hash-length"
  /** The proof does not have the length PATH(index, D[size]) has. */
  | "proof-length"
  /** The path does not lead to the root. */
  | "root-mismatch";

export type InclusionResult = { ok: true } | { ok: false; reason: InclusionFailure; message: string };

const fail = (reason: InclusionFailure, message: string): InclusionResult => ({ ok: false, reason, message });
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;

/**
 * Verifies an RFC 9162 §2.1.3.2 inclusion proof: that `leafHash` is leaf number `index` of the tree of
 * `size` leaves whose root is `root`. Never throws; on failure names why. The proof must also have
 * exactly the length of PATH(index, D[size]) (the RFC's own loop rejects a wrong length too; checking
 * it first gives a clearer reason and stops a trailing or missing element outright).
 *
 * @example
 * const r = verifyInclusion(leafHash, 5, 8, proof, root);
 * if (!r.ok) console.log(r.reason); // e.g. "root-mismatch"
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  hasher: MerkleHasher = defaultHasher,
): InclusionResult {
  try {
    if (!isCount(index) || !isCount(size) || !Array.isArray(proof)) return fail("bad-argument", "index and size must be safe non-negative integers and proof an array");
    if (index >= size) return fail("index-out-of-range", `leaf index ${index} is not below tree size ${size}`);
    if (!isHash(leafHash) || !isHash(root)) return fail("bad-hash-length", "the leaf hash and the root must be 32 bytes");
    for (const p of proof) if (!isHash(p)) return fail("bad-hash-length", "every proof element must be 32 bytes");
    const expected = inclusionProofLength(index, size);
    if (proof.length !== expected) return fail("proof-length", `proof has ${proof.length} hashes, leaf ${index} of ${size} needs ${expected}`);

    // RFC 9162 §2.1.3.2, step by step (fn, sn, r as in the RFC).
    let fn = index;
    let sn = size - 1;
    let r = leafHash;
    for (const p of proof) {
      if (sn === 0) return fail("proof-length", "proof is longer than the path to the root");
      if (fn % 2 === 1 || fn === sn) {
        r = hasher.hashChildren(p, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn /= 2;
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = hasher.hashChildren(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0) return fail("proof-length", "proof is shorter than the path to the root");
    if (!bytesEqual(r, root)) return fail("root-mismatch", "the proof does not lead to the root");
    return { ok: true };
  } catch (e) {
    return fail("bad-argument", `verification failed on malformed input: ${(e as Error)?.message ?? String(e)}`);
  }
}
