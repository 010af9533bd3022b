/**
 * Byte helpers without Node's Buffer, so that shared/log runs in a browser: hex, strict RFC 4648 §4
 * base64, constant-time comparison and UTF-8.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Lowercase hex of `bytes`, without a prefix.
 *
 * @example
 * toHex(new Uint8Array([0, 255])) // "00ff"
 */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/**
 * Bytes of a hex string (optionally 0x-prefixed, either case). Throws a TypeError on anything else,
 * including an odd length.
 *
 * @example
 * fromHex("0x00ff") // Uint8Array [0, 255]
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== "string") throw new TypeError("fromHex: not a string");
  const s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new TypeError(`fromHex: not hex: ${hex.slice(0, 80)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/**
 * Standard padded base64 (RFC 4648 §4).
 *
 * @example
 * toBase64(new Uint8Array([1, 2, 3])) // "AQID"
 */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63] + "==";
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + "=";
  }
  return out;
}

/**
 * Decodes standard padded base64 strictly: the RFC 4648 §4 alphabet, padding required, no whitespace,
 * and unused trailing bits zero, so one byte string has exactly one accepted encoding. Returns
 * undefined on anything else.
 *
 * @example
 * fromBase64("AQID") // Uint8Array [1, 2, 3]
 * fromBase64("AQI")  // undefined (no padding)
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (typeof text !== "string" || text.length % 4 !== 0) return undefined;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      if (last && j >= 4 - pad) {
        if (c !== 61 /* = */) return undefined;
        n <<= 6;
        continue;
      }
      const v = c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    if (last && pad === 2 && (n & 0xffff) !== 0) return undefined;
    if (last && pad === 1 && (n & 0xff) !== 0) return undefined;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/**
 * Whether two byte arrays are equal. Runs over the whole length whatever the first difference (the
 * values compared here are public hashes, but there is no reason to leak where they differ).
 *
 * @example
 * bytesEqual(rootAt(size, store), checkpoint.root) // true when the store agrees with the checkpoint
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of a string.
 *
 * @example
 * defaultHasher.hashLeaf(utf8(canonicalJson(entry)))
 */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
