/**
 * Index arithmetic of the RFC 9162 tree over the stored perfect subtrees. Internal to shared/log, except
 * the two proof-length functions that index.ts exports.
 *
 * Node (level L, index i) is the root of the perfect subtree over leaves [i·2^L, (i+1)·2^L). Every
 * subtree the RFC's recursive definitions name (D[k:n], D[0:k], …) is a range [start, end) whose start
 * is a multiple of the largest power of two ≤ end − start; such a range is the right fold of the
 * perfect subtrees it decomposes into from the left (largest first), which is exactly MTH of the
 * range. So every hash a proof needs is a list of stored nodes to fold.
 *
 * Sizes and indices are JavaScript numbers and may go up to 2^53 − 1: the arithmetic below uses
 * division and remainders, never the 32-bit bitwise operators.
 */

/** A node of the tree: the root of leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** Whether `n` is a tree size or leaf index we accept: a safe non-negative integer. */
export function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up leaves [start, end), left to right (decreasing sizes when start is
 * aligned as described above).
 */
export function decompose(start: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  while (start < end) {
    let level = 0;
    let width = 1;
    while (start % (width * 2) === 0 && start + width * 2 <= end) {
      width *= 2;
      level++;
    }
    out.push({ level, index: start / width });
    start += width;
  }
  return out;
}

/** A [start, end) range of leaves whose MTH a proof needs. */
export type LeafRange = readonly [start: number, end: number];

/**
 * The subtrees of the RFC 9162 §2.1.3.1 inclusion path PATH(m, D[n]), leaf side first, as leaf ranges.
 * Requires 0 ≤ m < n.
 */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = n;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < start + k) {
      siblings.push([start + k, end]); // PATH(m, D[0:k]) : MTH(D[k:n])
      end = start + k;
    } else {
      siblings.push([start, start + k]); // PATH(m − k, D[k:n]) : MTH(D[0:k])
      start += k;
    }
  }
  return siblings.reverse();
}

/**
 * The subtrees of the RFC 9162 §2.1.4.1 consistency proof PROOF(m, D[n]) = SUBPROOF(m, D[n], true),
 * in proof order, as leaf ranges. Requires 0 < m < n.
 */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  const siblings: LeafRange[] = [];
  let start = 0;
  let end = n;
  let b = true;
  while (m !== end) {
    const k = splitPoint(end - start);
    if (m <= start + k) {
      siblings.push([start + k, end]); // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      end = start + k;
    } else {
      siblings.push([start, start + k]); // SUBPROOF(m − k, D[k:n], false) : MTH(D[0:k])
      start += k;
      b = false;
    }
  }
  // m = n: SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
  if (!b) siblings.push([start, end]);
  return siblings.reverse();
}

/**
 * Number of hashes in a valid inclusion proof of leaf `index` in a tree of `size` (0 ≤ index < size).
 *
 * @example
 * inclusionProofLength(41, 1_000_000) // 20
 */
export function inclusionProofLength(index: number, size: number): number {
  let count = 0;
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) end = start + k;
    else start += k;
    count++;
  }
  return count;
}

/**
 * Number of hashes in a valid consistency proof from size m to size n (0 ≤ m ≤ n; 0 when m = 0 or m = n).
 *
 * @example
 * consistencyProofLength(6, 8) // 3
 */
export function consistencyProofLength(m: number, n: number): number {
  if (m === 0 || m === n) return 0;
  let count = 0;
  let start = 0;
  let end = n;
  let b = true;
  while (m !== end) {
    const k = splitPoint(end - start);
    if (m <= start + k) end = start + k;
    else {
      start += k;
      b = false;
    }
    count++;
  }
  return b ? count : count + 1;
}
