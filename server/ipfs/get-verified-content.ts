import { cidOf, sameCid } from "../../shared/cid";
import { AppError } from "../errors";
import { requireCid, type IpfsBackend } from "./ipfs";

export interface VerifiedContent {
  bytes: Uint8Array;
  /** The CID asked for, as CIDv1 base32. */
  cid: string;
  verified: true;
}

/**
 * The bytes the IPFS node holds for `cid`, checked against the CID: the CID is recomputed from the bytes
 * (shared/cid.ts, Kubo's defaults with CIDv1) and must name the same content as the one asked for,
 * so a corrupt or lying node is caught. Content imported with other settings (other chunker, trickle
 * layout, CIDv0 without raw leaves…) cannot be verified this way and is refused too.
 *
 * Throws what {@link IpfsBackend.get} throws (INVALID_CID, CONTENT_NOT_FOUND, CONTENT_TOO_LARGE,
 * IPFS_UNAVAILABLE) and `CONTENT_CID_MISMATCH` (502).
 */
export async function getVerifiedContent(
  ipfs: IpfsBackend,
  cid: string,
  opts: { maxBytes: number; timeoutMs?: number },
): Promise<VerifiedContent> {
  const wanted = requireCid(cid).toV1();
  const bytes = await ipfs.get(cid, { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
  const actual = await cidOf(bytes);
  if (!sameCid(actual, wanted)) {
    throw new AppError("CONTENT_CID_MISMATCH", { cid: wanted.toString() }, {
      details: { cid: wanted.toString(), computed: actual, size: bytes.byteLength },
    });
  }
  return { bytes, cid: wanted.toString(), verified: true };
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[offset + i] !== sig[i]) return false;
  return true;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = ascii("%PDF-");
const GIF87 = ascii("GIF87a");
const GIF89 = ascii("GIF89a");
const RIFF = ascii("RIFF");
const WEBP = ascii("WEBP");
const FTYP = ascii("ftyp");
const ID3 = ascii("ID3");

/**
 * The media type of `bytes` guessed from their first bytes, for serving content whose type was not
 * recorded: png, jpeg, gif, webp, mp4, mp3, pdf, json, svg, xml, else `application/octet-stream`.
 * Text types are only recognised when the whole buffer is valid UTF-8 without control characters;
 * other text is `text/plain; charset=utf-8`.
 */
export function sniffContentType(bytes: Uint8Array): string {
  if (startsWith(bytes, PNG)) return "image/png";
  if (startsWith(bytes, JPEG)) return "image/jpeg";
  if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return "image/gif";
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return "image/webp";
  if (startsWith(bytes, PDF)) return "application/pdf";
  if (startsWith(bytes, FTYP, 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (/^(qt {2})$/.test(brand)) return "video/quicktime";
    if (/^M4A /.test(brand)) return "audio/mp4";
    return "video/mp4";
  }
  // MP3: an ID3v2 tag, or an MPEG-1/2 layer III frame sync (11 set bits, layer bits 01)
  if (startsWith(bytes, ID3) || (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe6) === 0xe2)) {
    return "audio/mpeg";
  }
  const text = decodeUtf8(bytes);
  // Valid UTF-8 with control characters (NUL, …) is a binary format that happens to decode, not text.
  // eslint-disable-next-line no-control-regex
  if (text !== null && !/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/.test(text)) {
    const t = text.replace(/^\uFEFF/, "").trimStart();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        JSON.parse(t);
        return "application/json";
      } catch {
        // not JSON: fall through
      }
    }
    if (t.startsWith("<")) {
      const head = t.slice(0, 1024).toLowerCase();
      if (/<svg[\s>]/.test(head)) return "image/svg+xml";
      if (/<!doctype html|<html[\s>]|<script[\s>]|<body[\s>]|<iframe[\s>]/.test(head)) return "text/html";
      if (head.startsWith("<?xml")) return "application/xml";
    }
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

/** Media a browser only displays, never runs: served inline. */
const PASSIVE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "video/mp4", "video/quicktime", "audio/mpeg", "audio/mp4", "application/json", "text/plain; charset=utf-8"]);

/**
 * How content from IPFS is served on the gateway's origin (which also serves the console): known passive
 * media inline under its own type, text as text/plain; anything that could run script in a browser (SVG,
 * HTML, XML) or is unknown only as an attachment. The route adds `nosniff` and a sandboxing CSP.
 */
export function servingPolicy(bytes: Uint8Array): { contentType: string; disposition: "inline" | "attachment" } {
  const type = sniffContentType(bytes);
  if (PASSIVE.has(type)) return { contentType: type, disposition: "inline" };
  return { contentType: type, disposition: "attachment" };
}

function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
