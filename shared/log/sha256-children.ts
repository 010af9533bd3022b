/**
 * SHA-256(0x01 ‖ left ‖ right) for two 32-byte hashes — the RFC 9162 inner node — as a fixed two-block
 * SHA-256 in plain JavaScript (browser-safe).
 *
 * Why: verifying a proof is ~20 of these 65-byte hashes, and at that size the per-call overhead of a
 * general hasher dominates (@noble/hashes: class instance, buffering, padding; node:crypto: the native
 * call and a Buffer). With the padding known in advance and no allocation but the output, this is about
 * 1.5× node:crypto and 3–5× @noble/hashes per node hash on the benchmark machine (bench/log.ts).
 * It is checked against node:crypto on random and edge inputs in test/shared/log/sha256-children.test.ts.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Message schedule and chaining state, reused (JavaScript runs one call at a time). */
const W = new Int32Array(64);
const H = new Int32Array(8);

/** One SHA-256 compression of the block in W[0..15] into H (FIPS 180-4 §6.2.2). */
function compress(): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (s1 + W[i - 7] + s0 + W[i - 16]) | 0;
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  // Four rounds per iteration with the variables' roles rotated instead of shifted, then renamed back.
  // Ch(x,y,z) = z ^ (x & (y ^ z)); Maj(x,y,z) = (x & y) | (z & (x | y)).
  for (let i = 0; i < 64; i += 4) {
    let t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i] + W[i]) | 0;
    d = (d + t) | 0;
    h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
    t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + K[i + 1] + W[i + 1]) | 0;
    c = (c + t) | 0;
    g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
    t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + K[i + 2] + W[i + 2]) | 0;
    b = (b + t) | 0;
    f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
    t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + K[i + 3] + W[i + 3]) | 0;
    a = (a + t) | 0;
    e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
    // After four rounds the working variables a..h are held by e, f, g, h, a, b, c, d.
    t = a; a = e; e = t;
    t = b; b = f; f = t;
    t = c; c = g; g = t;
    t = d; d = h; h = t;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/**
 * SHA-256(0x01 ‖ left ‖ right) of two 32-byte hashes. Throws a TypeError on other lengths.
 *
 * @example
 * sha256Children(leafHashA, leafHashB) // the RFC 9162 parent of two nodes
 */
export function sha256Children(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== 32 || right.length !== 32) throw new TypeError("sha256Children: children must be 32-byte hashes");
  H.set(IV);
  // Block 1: 0x01, left[0..31], right[0..30] as 16 big-endian words.
  W[0] = (0x01 << 24) | (left[0] << 16) | (left[1] << 8) | left[2];
  for (let i = 1, j = 3; i < 8; i++, j += 4) W[i] = (left[j] << 24) | (left[j + 1] << 16) | (left[j + 2] << 8) | left[j + 3];
  W[8] = (left[31] << 24) | (right[0] << 16) | (right[1] << 8) | right[2];
  for (let i = 9, j = 3; i < 16; i++, j += 4) W[i] = (right[j] << 24) | (right[j + 1] << 16) | (right[j + 2] << 8) | right[j + 3];
  compress();
  // Block 2: right[31], the 0x80 pad byte, zeros, and the message length 65 × 8 = 520 bits.
  W[0] = (right[31] << 24) | 0x800000;
  for (let i = 1; i < 15; i++) W[i] = 0;
  W[15] = 520;
  compress();
  const out = new Uint8Array(32);
  for (let i = 0, o = 0; i < 8; i++, o += 4) {
    const v = H[i];
    out[o] = v >>> 24;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 8;
    out[o + 3] = v;
  }
  return out;
}
