import { bytesEqual } from "./bytes";
import { defaultHasher, HASH_SIZE, type MerkleHasher } from "./hasher";
import { consistencyProofLength, isCount } from "./tree-math";

export type ConsistencyFailure =
  /** m or n is not a safe non-negative integer, or an argument is not bytes / an array. */
  | "bad-argument"
  /** m > n: a log cannot shrink. */
  | "size-order"
  /** A root or a proof element is not 32 bytes. */
  | "bad-hash-length"
  /** The proof does not have the length PROOF(m, D[n]) has (non-empty for m = 0 or m = n). */
  | "proof-length"
  /** The proof does not lead to the old root (m = 0: the old root is not the empty tree's; m = n: the roots differ). */
  | "old-root-mismatch"
  /** The proof does not lead to the new root. */
  | "new-root-mismatch";

export type ConsistencyResult = { ok: true } | { ok: false; reason: ConsistencyFailure; message: string };

const fail = (reason: ConsistencyFailure, message: string): ConsistencyResult => ({ ok: false, reason, message });
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;

/**
 * Verifies an RFC 9162 §2.1.4.2 consistency proof: that the tree of size n with root `rootN` extends
 * the tree of size m with root `rootM` (its first m leaves are the same). Never throws.
 *
 * Edge cases the RFC leaves to the caller (it defines proofs for 0 < m < n): m = n holds iff the proof
 * is empty and the roots are equal; m = 0 holds iff the proof is empty and `rootM` is the empty tree's
 * root SHA-256() (every tree extends the empty one, but a size-0 checkpoint has that root).
 *
 * @example
 * const r = verifyConsistency(6, 8, root6, root8, proof);
 * if (!r.ok) console.log(r.reason); // e.g. "old-root-mismatch": history was rewritten
 */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Uint8Array,
  rootN: Uint8Array,
  proof: readonly Uint8Array[],
  hasher: MerkleHasher = defaultHasher,
): ConsistencyResult {
  try {
    if (!isCount(m) || !isCount(n) || !Array.isArray(proof)) return fail("bad-argument", "sizes must be safe non-negative integers and proof an array");
    if (m > n) return fail("size-order", `old size ${m} is larger than new size ${n}`);
    if (!isHash(rootM) || !isHash(rootN)) return fail("bad-hash-length", "roots must be 32 bytes");
    for (const p of proof) if (!isHash(p)) return fail("bad-hash-length", "every proof element must be 32 bytes");
    const expected = consistencyProofLength(m, n);
    if (proof.length !== expected) return fail("proof-length", `proof has ${proof.length} hashes, ${m} → ${n} needs ${expected}`);
    if (m === n && !bytesEqual(rootM, rootN)) return fail("old-root-mismatch", "equal sizes with different roots");
    if (m === 0 && !bytesEqual(rootM, hasher.emptyRoot)) return fail("old-root-mismatch", "the root of size 0 must be SHA-256()");
    if (m === 0 || m === n) return { ok: true };

    // RFC 9162 §2.1.4.2, step by step (fn, sn, fr, sr as in the RFC).
    // 2. If first is an exact power of 2, prepend first_hash to the path.
    const path = isPowerOfTwo(m) ? [rootM, ...proof] : proof;
    // 3.–4. fn = first − 1, sn = second − 1; shift both right while LSB(fn) is set.
    let fn = m - 1;
    let sn = n - 1;
    while (fn % 2 === 1) {
      fn = (fn - 1) / 2;
      sn = Math.floor(sn / 2);
    }
    // 5. fr = sr = the first value of the path.
    let fr = path[0];
    let sr = path[0];
    // 6. Each subsequent value c.
    for (let i = 1; i < path.length; i++) {
      const c = path[i];
      if (sn === 0) return fail("proof-length", "proof is longer than the path to the new root");
      if (fn % 2 === 1 || fn === sn) {
        fr = hasher.hashChildren(c, fr);
        sr = hasher.hashChildren(c, sr);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn /= 2;
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        sr = hasher.hashChildren(sr, c);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    // 7. fr = first_hash, sr = second_hash and sn = 0.
    if (sn !== 0) return fail("proof-length", "proof is shorter than the path to the new root");
    if (!bytesEqual(fr, rootM)) return fail("old-root-mismatch", "the proof does not lead to the old root");
    if (!bytesEqual(sr, rootN)) return fail("new-root-mismatch", "the proof does not lead to the new root");
    return { ok: true };
  } catch (e) {
    return fail("bad-argument", `verification failed on malformed input: ${(e as Error)?.message ?? String(e)}`);
  }
}

function isPowerOfTwo(x: number): boolean {
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}
