import { ed25519 } from "@noble/curves/ed25519";
import { fromBase64, toBase64, utf8 } from "./bytes";
import { NoteFormatError, NoteKeyError } from "./errors";
import { nobleSha256 } from "./hasher";

/**
 * C2SP signed notes (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note) with Ed25519 keys
 * (signature type 0x01):
 *
 *   <text, ending in "\n">
 *   <blank line>
 *   — <key name> <base64(4-byte big-endian key id ‖ 64-byte Ed25519 signature over the text)>
 *
 * key id = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4]
 * verifier key = <name>+<8 hex key id>+<base64(0x01 ‖ public key)>
 * signer key   = PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte seed)>
 *
 * Ed25519 verification is RFC 8032 strict (non-canonical encodings rejected), so a signature cannot be
 * re-encoded into a second valid one.
 */

const ALG_ED25519 = 0x01;
/** The most signatures a note may carry (sumdb/note's limit; the spec asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100;

/** A key that signs notes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** A key that verifies note signatures. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** base64 of key id ‖ signature, as written in the note. */
  base64: string;
}

/**
 * Whether `name` may name a key: non-empty, well-formed, without Unicode white space or "+".
 *
 * @example
 * isValidKeyName("registry.example/sandbox-log") // true
 * isValidKeyName("two words")                     // false
 */
export function isValidKeyName(name: string): boolean {
  return typeof name === "string" && name !== "" && name.isWellFormed() && !/[\p{White_Space}+]/u.test(name);
}

/**
 * The key id of an Ed25519 key: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key).
 *
 * @example
 * noteKeyId("PeterNeumann", publicKey).toString(16) // "c74f20a3"
 */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const n = utf8(name);
  const buf = new Uint8Array(n.length + 2 + publicKey.length);
  buf.set(n, 0);
  buf[n.length] = 0x0a;
  buf[n.length + 1] = ALG_ED25519;
  buf.set(publicKey, n.length + 2);
  const h = nobleSha256(buf);
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
}

const hex8 = (id: number) => id.toString(16).padStart(8, "0");

function prefixed(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + key.length);
  out[0] = ALG_ED25519;
  out.set(key, 1);
  return out;
}

/**
 * The verifier key string of an Ed25519 public key.
 *
 * @example
 * ed25519VerifierKey("registry.example/log", publicKey) // "registry.example/log+1a2b3c4d+AT…"
 */
export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new NoteKeyError("an Ed25519 public key is 32 bytes");
  return `${name}+${hex8(noteKeyId(name, publicKey))}+${toBase64(prefixed(publicKey))}`;
}

/**
 * A new Ed25519 key pair for signing notes, as signer and verifier key strings. `seed` (32 bytes) makes
 * it deterministic (tests); by default it comes from the platform's CSPRNG (crypto.getRandomValues).
 * Keep the signer key secret; publish the verifier key.
 *
 * @example
 * const { signerKey, verifierKey } = generateNoteKey("registry.example/sandbox-log");
 */
export function generateNoteKey(name: string, seed?: Uint8Array): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  const secret = seed ?? ed25519.utils.randomSecretKey();
  if (!(secret instanceof Uint8Array) || secret.length !== 32) throw new NoteKeyError("an Ed25519 seed is 32 bytes");
  const publicKey = ed25519.getPublicKey(secret);
  const id = hex8(noteKeyId(name, publicKey));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${toBase64(prefixed(secret))}`,
    verifierKey: `${name}+${id}+${toBase64(prefixed(publicKey))}`,
  };
}

/** Splits `<name>+<hex id>+<base64 key>` and checks the name, id syntax and algorithm byte. */
function splitKey(rest: string, what: string): { name: string; keyId: number; key: Uint8Array } {
  const parts = rest.split("+");
  // The base64 alphabet contains "+": only the first two separators count.
  if (parts.length < 3) throw new NoteKeyError(`malformed ${what} key`);
  const name = parts[0];
  const id = parts[1];
  const b64 = parts.slice(2).join("+");
  if (!isValidKeyName(name)) throw new NoteKeyError(`malformed ${what} key: invalid name`);
  if (!/^[0-9a-fA-F]{8}$/.test(id)) throw new NoteKeyError(`malformed ${what} key: the key id is not 8 hex digits`);
  const raw = fromBase64(b64);
  if (!raw || raw.length === 0) throw new NoteKeyError(`malformed ${what} key: the key is not base64`);
  if (raw[0] !== ALG_ED25519) throw new NoteKeyError(`unsupported ${what} key algorithm ${raw[0]} (only Ed25519, 1)`);
  if (raw.length !== 33) throw new NoteKeyError(`malformed ${what} key: an Ed25519 key is 32 bytes`);
  return { name, keyId: parseInt(id, 16) >>> 0, key: raw.subarray(1) };
}

/**
 * Parses a verifier key string `<name>+<hex id>+<base64(0x01 ‖ public key)>` and checks that the id is
 * the key's. Throws {@link NoteKeyError} on a malformed key.
 *
 * @example
 * const v = parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
 */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  if (typeof verifierKey !== "string") throw new NoteKeyError("a verifier key is a string");
  const { name, keyId, key } = splitKey(verifierKey, "verifier");
  if (noteKeyId(name, key) !== keyId) throw new NoteKeyError("verifier key id does not match the key");
  const publicKey = key.slice();
  return {
    name,
    keyId,
    publicKey,
    verify(message, signature) {
      if (signature.length !== 64) return false;
      try {
        return ed25519.verify(signature, message, publicKey, { zip215: false });
      } catch {
        return false;
      }
    },
  };
}

/**
 * Parses a signer key string `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>` and checks that the id
 * is the derived public key's. Throws {@link NoteKeyError} on a malformed key.
 *
 * @example
 * const s = parseSignerKey(process.env.LOG_SIGNER_KEY!);
 */
export function parseSignerKey(signerKey: string): NoteSigner {
  if (typeof signerKey !== "string" || !signerKey.startsWith("PRIVATE+KEY+")) throw new NoteKeyError("a signer key starts with PRIVATE+KEY+");
  const { name, keyId, key } = splitKey(signerKey.slice("PRIVATE+KEY+".length), "signer");
  const seed = key.slice();
  const publicKey = ed25519.getPublicKey(seed);
  if (noteKeyId(name, publicKey) !== keyId) throw new NoteKeyError("signer key id does not match the key");
  return { name, keyId, publicKey, sign: (message) => ed25519.sign(message, seed) };
}

/** Why a note text is not acceptable, or undefined when it is. */
function textProblem(text: string): string | undefined {
  if (!text.isWellFormed()) return "is not well-formed Unicode";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return "contains a control character other than newline";
  return undefined;
}

/**
 * Signs a note text (which must end in "\n" and hold no control character but newline) with one or
 * more signers, and returns the signed note. Throws {@link NoteFormatError} on a bad text.
 *
 * @example
 * signNote("hello\n", parseSignerKey(skey)) // "hello\n\n— name base64…\n"
 */
export function signNote(text: string, ...signers: NoteSigner[]): string {
  if (typeof text !== "string" || !text.endsWith("\n")) throw new NoteFormatError("a note text must end in a newline");
  const problem = textProblem(text);
  if (problem) throw new NoteFormatError(`the note text ${problem}`);
  if (signers.length === 0) throw new NoteFormatError("a note needs at least one signer");
  const message = utf8(text);
  let out = `${text}\n`;
  for (const s of signers) {
    if (!isValidKeyName(s.name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(s.name)}`);
    const sig = s.sign(message);
    const raw = new Uint8Array(4 + sig.length);
    new DataView(raw.buffer).setUint32(0, s.keyId >>> 0);
    raw.set(sig, 4);
    out += `— ${s.name} ${toBase64(raw)}\n`;
  }
  return out;
}

export type NoteFailure =
  /** Not a signed note: no blank line before the signatures, a bad signature line, control characters, too many signatures. */
  | "malformed"
  /** No signature by any of the given keys (signatures by other keys are ignored). */
  | "unknown-key"
  /** A signature by a given key does not verify: the whole note is rejected. */
  | "bad-signature"
  /** Two of the given verifiers share a name and key id. */
  | "ambiguous-key";

export type NoteResult =
  | { ok: true; text: string; signatures: NoteSignature[]; unverified: NoteSignature[] }
  | { ok: false; reason: NoteFailure; message: string };

const fail = (reason: NoteFailure, message: string): NoteResult => ({ ok: false, reason, message });

/**
 * Parses a signed note and verifies its signatures against the known verifiers (c2sp.org/signed-note):
 * a signature whose (name, key id) matches a known key must verify, or the note is rejected; signatures
 * by unknown keys are ignored (listed as `unverified`); at least one known signature is required.
 * Never throws. A byte input must be valid UTF-8.
 *
 * @example
 * const r = openNote(noteText, [parseVerifierKey(vkey)]);
 * if (r.ok) r.text; // the signed text
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): NoteResult {
  let text: string;
  try {
    text = typeof note === "string" ? note : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    return fail("malformed", "the note is not valid UTF-8");
  }
  if (typeof text !== "string") return fail("malformed", "the note is not text");
  const problem = textProblem(text);
  if (problem) return fail("malformed", `the note ${problem}`);
  const split = text.lastIndexOf("\n\n");
  if (split < 0) return fail("malformed", "no blank line before the signatures");
  const body = text.slice(0, split + 1);
  const sigBlock = text.slice(split + 2);
  if (sigBlock.length === 0 || !sigBlock.endsWith("\n")) return fail("malformed", "the signature block must end in a newline");

  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const k = `${v.name}\n${v.keyId >>> 0}`;
    if (known.has(k)) return fail("ambiguous-key", `two verifiers for ${v.name}+${hex8(v.keyId)}`);
    known.set(k, v);
  }

  const message = utf8(body);
  const signatures: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  const lines = sigBlock.slice(0, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) return fail("malformed", `more than ${MAX_NOTE_SIGNATURES} signatures`);
  for (const line of lines) {
    if (!line.startsWith("— ")) return fail("malformed", "a signature line must start with an em dash and a space");
    const rest = line.slice(2);
    const space = rest.indexOf(" ");
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? "" : rest.slice(space + 1);
    const raw = fromBase64(b64);
    if (!isValidKeyName(name) || b64 === "" || !raw || raw.length < 5) return fail("malformed", "malformed signature line");
    const keyId = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
    const sig: NoteSignature = { name, keyId, base64: b64 };
    const k = `${name}\n${keyId}`;
    const v = known.get(k);
    if (!v) {
      if (!seen.has(line)) unverified.push(sig);
      seen.add(line);
      continue;
    }
    if (seen.has(k)) continue;
    seen.add(k);
    if (!v.verify(message, raw.subarray(4))) return fail("bad-signature", `the signature by ${name}+${hex8(keyId)} does not verify`);
    signatures.push(sig);
  }
  if (signatures.length === 0) return fail("unknown-key", "no signature by a known key");
  return { ok: true, text: body, signatures, unverified };
}
