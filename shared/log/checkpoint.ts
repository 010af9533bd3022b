import { fromBase64, toBase64 } from "./bytes";
import { NoteFormatError, NoteKeyError } from "./errors";
import { HASH_SIZE } from "./hasher";
import { openNote, parseSignerKey, parseVerifierKey, signNote, type NoteSignature, type NoteSigner, type NoteVerifier } from "./note";

/**
 * Checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is
 *
 *   <origin>\n<tree size, decimal, no leading zeros>\n<base64 RFC 9162 root>\n[<extension line>\n]*
 */
export interface Checkpoint {
  /** The log's identity; recommended: a schema-less URL such as "registry.example/sandbox-log". */
  origin: string;
  size: number;
  /** The 32-byte RFC 9162 root of the first `size` leaves. */
  root: Uint8Array;
  /** Opaque, non-empty extra lines (not recommended by the spec: monitors cannot audit them). */
  extensions?: string[];
}

const SIZE_RE = /^(0|[1-9][0-9]*)$/;

/**
 * The note text of a checkpoint. Throws {@link NoteFormatError} on an empty origin or extension line, a
 * newline inside one, a size that is not a safe non-negative integer or a root that is not 32 bytes.
 *
 * @example
 * formatCheckpoint({ origin: "registry.example/log", size: 8, root }) // "registry.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
 */
export function formatCheckpoint(cp: Checkpoint): string {
  const lines = [cp.origin, ...(cp.extensions ?? [])];
  for (const l of lines) if (typeof l !== "string" || l === "" || l.includes("\n")) throw new NoteFormatError("checkpoint lines must be non-empty and hold no newline");
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new NoteFormatError(`tree size ${cp.size} is not a safe non-negative integer`);
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== HASH_SIZE) throw new NoteFormatError("the root must be 32 bytes");
  return [cp.origin, String(cp.size), toBase64(cp.root), ...(cp.extensions ?? [])].map((l) => `${l}\n`).join("");
}

export type CheckpointParseResult = { ok: true; checkpoint: Checkpoint } | { ok: false; message: string };

/**
 * Parses a checkpoint note text (the signed part, ending in "\n"). Never throws.
 *
 * @example
 * const r = parseCheckpoint("registry.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
 * r.ok && r.checkpoint.size // 8
 */
export function parseCheckpoint(text: string): CheckpointParseResult {
  if (typeof text !== "string" || !text.endsWith("\n")) return { ok: false, message: "a checkpoint text ends in a newline" };
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) return { ok: false, message: "a checkpoint has at least three lines" };
  if (lines.some((l) => l === "")) return { ok: false, message: "checkpoint lines must be non-empty" };
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!SIZE_RE.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return { ok: false, message: `tree size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal number` };
  const root = fromBase64(rootText);
  if (!root || root.length !== HASH_SIZE) return { ok: false, message: "the root is not the base64 of 32 bytes" };
  return { ok: true, checkpoint: { origin, size: Number(sizeText), root, ...(extensions.length ? { extensions } : {}) } };
}

/**
 * Signs a checkpoint: its note text followed by the signature line of `signer` (a NoteSigner or a
 * signer key string). Throws NoteFormatError / NoteKeyError on bad input.
 *
 * @example
 * const note = signCheckpoint({ origin: "registry.example/log", size, root: rootAt(size, store) }, signerKey);
 */
export function signCheckpoint(cp: Checkpoint, signer: NoteSigner | string): string {
  const s = typeof signer === "string" ? parseSignerKey(signer) : signer;
  return signNote(formatCheckpoint(cp), s);
}

export type CheckpointFailure =
  /** The verifier key string is malformed. */
  | "bad-verifier-key"
  /** Not a signed note. */
  | "malformed-note"
  /** Not signed by the verifier's key (signatures by other keys are ignored). */
  | "unknown-key"
  /** The verifier's signature does not verify (tampered text or signature). */
  | "bad-signature"
  /** The signed text is not a checkpoint (size or root not parseable, empty line…). */
  | "malformed-checkpoint"
  /** The checkpoint's origin is not the expected one. */
  | "origin-mismatch";

export type CheckpointResult =
  | { ok: true; checkpoint: Checkpoint; signatures: NoteSignature[] }
  | { ok: false; reason: CheckpointFailure; message: string };

export interface VerifyCheckpointOptions {
  /** The origin the checkpoint must name. Default: the verifier key's name (C2SP: the key name SHOULD be the origin). */
  origin?: string;
}

/**
 * Opens a signed checkpoint with the log's verifier key (a key string or a parsed NoteVerifier) and
 * parses it: the key's signature must be present and valid, the text a checkpoint, the origin the
 * expected one. Never throws.
 *
 * @example
 * const r = verifyCheckpoint(noteText, "registry.example/log+1a2b3c4d+AT…");
 * if (r.ok) verifyInclusion(leafHash, index, r.checkpoint.size, proof, r.checkpoint.root);
 */
export function verifyCheckpoint(note: string | Uint8Array, verifier: NoteVerifier | string, opts: VerifyCheckpointOptions = {}): CheckpointResult {
  let v: NoteVerifier;
  try {
    v = typeof verifier === "string" ? parseVerifierKey(verifier) : verifier;
  } catch (e) {
    return { ok: false, reason: "bad-verifier-key", message: e instanceof NoteKeyError ? e.shortMessage : String(e) };
  }
  const opened = openNote(note, [v]);
  if (!opened.ok) {
    const reason = opened.reason === "malformed" ? "malformed-note" : opened.reason === "ambiguous-key" ? "bad-verifier-key" : opened.reason;
    return { ok: false, reason, message: opened.message };
  }
  const parsed = parseCheckpoint(opened.text);
  if (!parsed.ok) return { ok: false, reason: "malformed-checkpoint", message: parsed.message };
  const origin = opts.origin ?? v.name;
  if (parsed.checkpoint.origin !== origin) {
    return { ok: false, reason: "origin-mismatch", message: `checkpoint origin ${JSON.stringify(parsed.checkpoint.origin)} is not ${JSON.stringify(origin)}` };
  }
  return { ok: true, checkpoint: parsed.checkpoint, signatures: opened.signatures };
}
