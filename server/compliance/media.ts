import { sha256 } from "ethers";

/** Media types recognised by {@link sniffMediaType}; a policy can only allow these. */
export const SNIFFABLE_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/heif",
  "video/mp4",
  "video/quicktime",
  "audio/mp4",
  "audio/mpeg",
  "model/gltf-binary",
] as const;
export type SniffableType = (typeof SNIFFABLE_TYPES)[number];

const ascii = (b: Uint8Array, start: number, end: number) =>
  b.length >= end ? String.fromCharCode(...b.subarray(start, end)) : "";

const startsWith = (b: Uint8Array, sig: readonly number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/**
 * The type of a file from its magic bytes alone (file names and declared types are never trusted),
 * or undefined when it is none of {@link SNIFFABLE_TYPES}.
 *
 * PNG (8-byte signature), JPEG (FF D8 FF), GIF (GIF87a/GIF89a), WEBP (RIFF….WEBP), ISO-BMFF (`ftyp` box
 * at offset 4; the major brand tells MP4 from QuickTime, HEIF, AVIF and M4A), MP3 (ID3v2 tag or an MPEG
 * audio frame header with valid version, layer, bitrate and sample-rate fields), GLB ("glTF" version 2).
 */
export function sniffMediaType(b: Uint8Array): SniffableType | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  const six = ascii(b, 0, 6);
  if (six === "GIF87a" || six === "GIF89a") return "image/gif";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "image/webp";
  if (ascii(b, 4, 8) === "ftyp" && b.length >= 12) return isoBrand(ascii(b, 8, 12));
  if (ascii(b, 0, 4) === "glTF" && b.length >= 12 && b[4] === 2 && b[5] === 0 && b[6] === 0 && b[7] === 0) {
    return "model/gltf-binary";
  }
  if (ascii(b, 0, 3) === "ID3" && b.length >= 10 && b[3] >= 2 && b[3] <= 4) return "audio/mpeg";
  if (isMpegAudioFrame(b)) return "audio/mpeg";
  return undefined;
}

function isoBrand(brand: string): SniffableType {
  switch (brand) {
    case "qt  ":
      return "video/quicktime";
    case "M4A ":
    case "M4B ":
      return "audio/mp4";
    case "avif":
    case "avis":
      return "image/avif";
    case "heic":
    case "heix":
    case "heim":
    case "heis":
    case "mif1":
    case "msf1":
      return "image/heif";
    default:
      return "video/mp4";
  }
}

/** An MPEG-1/2/2.5 audio frame header: 11 sync bits, version ≠ reserved, layer ≠ reserved, valid rates. */
function isMpegAudioFrame(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || (b[1] & 0xe0) !== 0xe0) return false;
  const version = (b[1] >> 3) & 0x03;
  const layer = (b[1] >> 1) & 0x03;
  const bitrate = (b[2] >> 4) & 0x0f;
  const sampleRate = (b[2] >> 2) & 0x03;
  return version !== 0x01 && layer !== 0x00 && bitrate !== 0x0f && bitrate !== 0x00 && sampleRate !== 0x03;
}

/** A file as it goes into hashes and details: its sha256 (0x-hex) and size, never its bytes. */
export function fileSummary(bytes: Uint8Array): { sha256: string; size: number } {
  return { sha256: sha256(bytes), size: bytes.length };
}
