import { z } from "zod";
import { LogEntrySchema } from "../api/log-entry";
import { canonicalJson } from "./canonical";
import { HASHED_FIELDS, type LogEntry } from "./entry";
import type { AnchorInfo } from "./legacy";

/**
 * The sandbox log export: ONE `.jsonl` file (the offline bundle) an auditor checks with only a JSON-RPC
 * endpoint (`npm run verify -- log <bundle>`). Every line is a JSON object with a `type`:
 *
 * - `header` (first): origin, log id, the checkpoint verifier key, chain id and EvidenceRegistry address;
 * - `entry` (seq order): a LogEntry;
 * - `checkpoint`: a signed checkpoint (C2SP signed note) of the tree at `size`, with its on-chain anchor
 *   (EvidenceRegistry.checkpointAt(logId, index)) when anchored; a bundle ends with one of its whole size
 *   (signed when exported, not anchored unless it happens to be the last anchored one);
 * - `consistency`: an RFC 9162 consistency proof between two successive checkpoints;
 * - `anchor`: an anchor of the first scheme (keccak root of a range), kept as history.
 *
 * A filtered export holds only some entries (no tree can be recomputed from it): use receipts instead.
 */
export const EXPORT_FORMAT = "sandbox-log";
export const EXPORT_VERSION = 2;
export const TREE_SCHEME = "rfc9162-sha256";

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");

export const ExportHeaderSchema = z.object({
  type: z.literal("header"),
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  generatedAt: z.string(),
  chainId: z.number().int().positive().nullable(),
  evidenceRegistry: z.string().nullable(),
  origin: z.string(),
  /** bytes32 id of the log in the EvidenceRegistry's checkpoint record. */
  logId: Hash32,
  /** The checkpoint signer's public key (note verifier key: name+id+base64). */
  verifierKey: z.string(),
  /** First seq whose `hash` is its RFC 9162 leaf hash (earlier entries predate the tree). */
  leafHashFrom: z.number().int().positive(),
  tree: z.literal(TREE_SCHEME),
  /** Total entries when exported (an unfiltered export holds them all). */
  size: z.number().int().nonnegative(),
  filter: z.record(z.string(), z.unknown()),
});

export const ExportEntrySchema = LogEntrySchema.extend({ type: z.literal("entry") });

export const CheckpointAnchorSchema = z.object({
  index: z.number().int().nonnegative(),
  txHash: Hash32,
  blockNumber: z.number().int().nonnegative(),
});

export const ExportCheckpointSchema = z.object({
  type: z.literal("checkpoint"),
  size: z.number().int().positive(),
  root: Hash32,
  /** The signed note text. */
  note: z.string(),
  anchor: CheckpointAnchorSchema.nullable(),
});

export const ExportConsistencySchema = z.object({
  type: z.literal("consistency"),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  proof: z.array(Hash32),
});

export const ExportAnchorSchema = z.object({
  type: z.literal("anchor"),
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  root: Hash32,
  evidenceId: Hash32,
  txHash: Hash32,
  blockNumber: z.number().int().nonnegative(),
  createdAt: z.string(),
});

export const ExportLineSchema = z.discriminatedUnion("type", [ExportHeaderSchema, ExportEntrySchema, ExportCheckpointSchema, ExportConsistencySchema, ExportAnchorSchema]);

export type ExportHeader = z.infer<typeof ExportHeaderSchema>;
export type ExportCheckpoint = z.infer<typeof ExportCheckpointSchema>;
export type ExportConsistency = z.infer<typeof ExportConsistencySchema>;
export type ExportLine =
  | ExportHeader
  | (LogEntry & { type: "entry" })
  | ExportCheckpoint
  | ExportConsistency
  | (AnchorInfo & { type: "anchor" });

/** One export line (without the newline). */
export function exportLine(line: ExportLine): string {
  return canonicalJson(line);
}

export interface ParsedExport {
  header: ExportHeader | undefined;
  entries: LogEntry[];
  checkpoints: ExportCheckpoint[];
  consistency: ExportConsistency[];
  anchors: AnchorInfo[];
}

/** Parses an export; throws naming the first bad line (1-based). Blank lines are ignored. */
export function parseExport(text: string): ParsedExport {
  const out: ParsedExport = { header: undefined, entries: [], checkpoints: [], consistency: [], anchors: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new SyntaxError(`line ${i + 1}: not JSON`);
    }
    const parsed = ExportLineSchema.safeParse(json);
    if (!parsed.success) {
      throw new SyntaxError(`line ${i + 1}: ${parsed.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`).join("; ")}`);
    }
    const line = parsed.data;
    if (line.type === "header") out.header = line;
    else if (line.type === "entry") {
      const { type: _t, ...entry } = line;
      out.entries.push(entry as LogEntry);
    } else if (line.type === "checkpoint") out.checkpoints.push(line);
    else if (line.type === "consistency") out.consistency.push(line);
    else {
      const { type: _t, ...anchor } = line;
      out.anchors.push(anchor);
    }
  });
  return out;
}

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [...HASHED_FIELDS, "hash"] as const;

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; `null` is an empty unquoted field. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return s === "" || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV record of an entry (no line break); `payload` is its canonical JSON. */
export function csvRow(entry: LogEntry): string {
  return CSV_COLUMNS.map((c) => csvField(c === "payload" ? canonicalJson(entry.payload ?? null) : entry[c])).join(",");
}
