/**
 * A reference RFC 9162 implementation for the tests, written straight from the RFC's recursive
 * definitions over an in-memory list of entries (§2.1.1 MTH, §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF),
 * with SHA-256 from node:crypto: independent of shared/log's hasher, index arithmetic and store.
 * MTH is memoised per (start, end) so large cross-checks stay fast; it changes no result.
 */
import { createHash } from "node:crypto";

export const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

export const leafHashOf = (entry: Uint8Array) => sha256(Uint8Array.of(0x00), entry);
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(0x01), l, r);

/** The largest power of two smaller than n (n > 1). */
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

export class ReferenceTree {
  private readonly memo = new Map<string, Uint8Array>();

  /** `leaves` are the leaf hashes SHA-256(0x00 ‖ d). */
  constructor(readonly leaves: readonly Uint8Array[]) {}

  static fromEntries(entries: readonly Uint8Array[]): ReferenceTree {
    return new ReferenceTree(entries.map(leafHashOf));
  }

  /** MTH(D[start:end]). */
  mth(start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 0) return sha256();
    if (n === 1) return this.leaves[start];
    const key = `${start}:${end}`;
    let h = this.memo.get(key);
    if (!h) {
      const split = k(n);
      h = nodeHash(this.mth(start, start + split), this.mth(start + split, end));
      this.memo.set(key, h);
    }
    return h;
  }

  root(size: number): Uint8Array {
    return this.mth(0, size);
  }

  /** PATH(m, D[start:end]) with m relative to start. */
  path(m: number, start: number, end: number): Uint8Array[] {
    const n = end - start;
    if (n === 1) return [];
    const split = k(n);
    if (m < split) return [...this.path(m, start, start + split), this.mth(start + split, end)];
    return [...this.path(m - split, start + split, end), this.mth(start, start + split)];
  }

  inclusion(index: number, size: number): Uint8Array[] {
    return this.path(index, 0, size);
  }

  /** SUBPROOF(m, D[start:end], b). */
  subproof(m: number, start: number, end: number, b: boolean): Uint8Array[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    const split = k(n);
    if (m <= split) return [...this.subproof(m, start, start + split, b), this.mth(start + split, end)];
    return [...this.subproof(m - split, start + split, end, false), this.mth(start, start + split)];
  }

  /** PROOF(m, D[n]) for 0 < m < n. */
  consistency(m: number, n: number): Uint8Array[] {
    return this.subproof(m, 0, n, true);
  }
}

/** Deterministic pseudo-random entries of varying length (0..40 bytes). */
export function makeEntries(count: number, seed = 1): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  for (let i = 0; i < count; i++) {
    const e = new Uint8Array(next() % 41);
    for (let j = 0; j < e.length; j++) e[j] = next() & 255;
    out.push(e);
  }
  return out;
}
