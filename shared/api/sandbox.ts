import { z } from "zod";
import { LogEntrySchema } from "./log-entry";
import { route } from "./contract";
import { IsoDateTime } from "./common";
import { API_ROLES } from "../domain";
import { Verdict } from "./tokens";

const REGULATORS = ["regulator", "admin"] as const;

export const LogQuery = z.strictObject({
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  rule: z.string().max(100).optional(),
  decision: z.string().max(50).optional(),
  collection: z.string().regex(/^[0-9]{1,20}$/).optional(),
  token: z.string().regex(/^[0-9]{1,78}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
  format: z.enum(["json", "jsonl", "csv"]).default("json"),
});
export type LogQuery = z.infer<typeof LogQuery>;

/** The API key behind an entry's actor, as a regulator may read it: its label and role, never its secret. */
export const LogActor = z.object({ label: z.string(), role: z.enum(API_ROLES) });
export type LogActor = z.infer<typeof LogActor>;
export const LogPage = z.object({
  entries: z.array(LogEntrySchema),
  nextCursor: z.number().int().nullable(),
  /** The keys behind this page's actors, by key id (an actor that is not a key, such as the gateway itself, is absent). */
  actors: z.record(z.string(), LogActor),
});

const Check = z.object({ check: z.string(), verdict: Verdict, passed: z.boolean(), reason: z.string() });
const CheckpointVerdict = z.object({ size: z.number().int(), index: z.number().int().nullable(), ok: z.boolean(), reason: z.string().optional(), message: z.string() });

export const VerifyReport = z.object({
  ok: z.boolean(),
  /** passed, failed, or unverifiable now (e.g. the chain cannot be reached; the offline checks still ran). */
  verdict: Verdict,
  entries: z.number().int(),
  lastSeq: z.number().int().nullable(),
  /** The root of the whole log, recomputed from its entries. */
  root: z.string().nullable(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
  checkpoints: z.array(CheckpointVerdict),
  /** Checkpoints of this log on chain: how many, how many checked, how many anchored after this report's view (not failed). */
  onChain: z.object({ count: z.number().int(), checked: z.number().int(), later: z.number().int().optional(), firstBad: CheckpointVerdict.optional() }),
  legacy: z.object({
    checked: z.number().int(),
    ok: z.number().int(),
    firstBad: z.object({ ok: z.boolean(), reason: z.string().optional(), fromSeq: z.number().int(), toSeq: z.number().int(), evidenceId: z.string(), recomputedRoot: z.string().nullable(), anchorRoot: z.string(), chainRoot: z.string().nullable(), onChain: z.boolean() }).optional(),
  }),
  unanchored: z.number().int(),
  checks: z.array(Check),
});

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
export const CheckpointAnchor = z.object({ index: z.number().int(), txHash: Hash32, blockNumber: z.number().int() });
export const CheckpointView = z.object({
  size: z.number().int(),
  root: Hash32,
  /** The signed note (C2SP checkpoint). */
  note: z.string(),
  createdAt: z.string(),
  anchor: CheckpointAnchor.nullable(),
});

/** An RFC 9162 inclusion receipt (shared/log/receipt.ts InclusionReceiptSchema). */
export const InclusionReceipt = z.object({
  scheme: z.literal("rfc9162-sha256-v1"),
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: Hash32,
  proof: z.array(Hash32),
  root: Hash32,
  checkpoint: z.string().optional(),
});

export const EntryProof = z.object({
  entry: LogEntrySchema,
  origin: z.string(),
  logId: Hash32,
  verifierKey: z.string(),
  chainId: z.number().int().nullable(),
  evidenceRegistry: z.string().nullable(),
  /** Against a checkpoint of the whole log now, signed by the log's key. */
  latest: InclusionReceipt,
  /** Against the latest checkpoint anchored on chain (EvidenceRegistry.checkpointAt(logId, index)); null until anchored. */
  anchored: z.object({ receipt: InclusionReceipt, anchor: CheckpointAnchor.extend({ logId: Hash32 }) }).nullable(),
});

export const LogKey = z.object({
  origin: z.string(),
  logId: Hash32,
  verifierKey: z.string(),
  algorithm: z.literal("ed25519"),
  format: z.string(),
  tree: z.literal("rfc9162-sha256"),
});

export const ConsistencyProof = z.object({
  scheme: z.literal("rfc9162-sha256-v1"),
  from: z.number().int(),
  to: z.number().int(),
  proof: z.array(Hash32),
  rootFrom: Hash32,
  rootTo: Hash32,
});

export const sandboxRoutes = {
  readLog: route({
    method: "get",
    path: "/v1/sandbox/logs",
    tag: "sandbox",
    summary: "Read the sandbox log: filters, cursor pagination, export as JSONL or CSV",
    roles: REGULATORS,
    query: LogQuery,
    response: LogPage,
    produces: ["application/json", "application/x-ndjson", "text/csv"],
  }),
  verifyLog: route({
    method: "get",
    path: "/v1/sandbox/verify",
    tag: "sandbox",
    summary: "Recompute the log and check every anchor against the chain; names the first broken entry",
    roles: REGULATORS,
    response: VerifyReport,
  }),
  anchorLog: route({
    method: "post",
    path: "/v1/sandbox/anchor",
    tag: "sandbox",
    summary: "Anchor a signed checkpoint of the whole log in the EvidenceRegistry now (after checking it extends the last one)",
    roles: REGULATORS,
    response: z.object({ checkpoint: CheckpointView.nullable() }),
  }),
  listCheckpoints: route({
    method: "get",
    path: "/v1/sandbox/checkpoints",
    tag: "sandbox",
    summary: "The log's signed checkpoints and where each is anchored on chain",
    roles: REGULATORS,
    response: z.object({ checkpoints: z.array(CheckpointView), size: z.number().int() }),
  }),
  logProof: route({
    method: "get",
    path: "/v1/sandbox/logs/:seq/proof",
    tag: "sandbox",
    summary: "An entry's receipt: its inclusion proof against a signed checkpoint now and against the last anchored one",
    roles: REGULATORS,
    params: z.strictObject({ seq: z.coerce.number().int().min(1) }),
    response: EntryProof,
  }),
  logConsistency: route({
    method: "get",
    path: "/v1/sandbox/consistency",
    tag: "sandbox",
    summary: "An RFC 9162 consistency proof: the log at size `to` extends the log at size `from`",
    roles: REGULATORS,
    query: z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
    response: ConsistencyProof,
  }),
  logKey: route({
    method: "get",
    path: "/v1/sandbox/log-key",
    tag: "sandbox",
    summary: "The log's origin, on-chain log id and checkpoint verifier key (Ed25519, C2SP signed-note format)",
    roles: "public",
    response: LogKey,
  }),
  exportLog: route({
    method: "get",
    path: "/v1/sandbox/export",
    tag: "sandbox",
    summary: "Export the log: format=bundle (offline bundle: every entry, signed checkpoints, consistency proofs), jsonl or csv",
    roles: REGULATORS,
    query: LogQuery.omit({ limit: true, cursor: true, format: true }).extend({ format: z.enum(["bundle", "jsonl", "csv"]).default("bundle") }),
    produces: ["application/x-ndjson", "text/csv"],
  }),
};
