import type { AnchorInfo, ChainedEntry } from "../../shared/log-chain";

/**
 * The gateway's durable state, behind a small interface so another database (PostgreSQL) can be added
 * without touching use cases. Every method is async for that reason, even where SQLite is synchronous.
 */

export const API_ROLES = ["issuer", "attestor", "auditor", "regulator", "admin"] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKeyRecord {
  id: string;
  role: ApiRole;
  label: string;
  /** Issuer keys only: the issuer's wallet and identity. */
  wallet: string | null;
  identityId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export type JobState = "queued" | "running" | "done" | "failed";
export type ItemState = "pending" | "submitted" | "minted" | "failed";

export interface JobRecord {
  id: string;
  apiKeyId: string;
  idempotencyKey: string;
  bodyHash: string;
  collectionId: string;
  issuer: string;
  state: JobState;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobItem {
  jobId: string;
  idx: number;
  recipient: string;
  state: ItemState;
  /** On-chain requestId of the batch this item was sent in (set before sending). */
  requestId: string | null;
  tokenId: string | null;
  txHash: string | null;
  reason: string | null;
}

export interface NewJob {
  id: string;
  apiKeyId: string;
  idempotencyKey: string;
  bodyHash: string;
  collectionId: string;
  issuer: string;
  recipients: string[];
}

/** One entry of the regulator's sandbox log (its shape and hashing live in shared/log-chain.ts). */
export type LogEntry = ChainedEntry;

export interface LogFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  rule?: string;
  decision?: string;
  collectionId?: string;
  tokenId?: string;
  afterSeq?: number;
  limit?: number;
}

/** An anchor as stored: what the EvidenceRegistry records (shared/log-chain.ts), plus its row id. */
export interface AnchorRecord extends AnchorInfo {
  id: number;
}

export interface Store {
  readonly kind: string;
  apiKeys: {
    create(record: ApiKeyRecord, keyHash: string): Promise<void>;
    findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
    get(id: string): Promise<ApiKeyRecord | undefined>;
    list(): Promise<ApiKeyRecord[]>;
    revoke(id: string, at: string): Promise<boolean>;
  };
  jobs: {
    /**
     * Creates the job and its items in one transaction, unless (apiKeyId, idempotencyKey) exists: then
     * returns the existing job and `created: false`.
     */
    create(job: NewJob, at: string): Promise<{ job: JobRecord; created: boolean }>;
    get(id: string): Promise<JobRecord | undefined>;
    items(jobId: string): Promise<JobItem[]>;
    /** Jobs that are queued or running, oldest first. */
    unfinished(): Promise<JobRecord[]>;
    setState(id: string, state: JobState, reason: string | null, at: string): Promise<void>;
    /** Records, before sending, which items go in the batch with `requestId`. */
    assign(jobId: string, idxs: number[], requestId: string, at: string): Promise<void>;
    markSubmitted(jobId: string, requestId: string, txHash: string, at: string): Promise<void>;
    markMinted(jobId: string, minted: Array<{ idx: number; tokenId: string }>, txHash: string | null, at: string): Promise<void>;
    markFailed(jobId: string, idxs: number[], reason: string, at: string): Promise<void>;
    /** Puts items of a batch that never reached the chain back to pending. */
    release(jobId: string, requestId: string, at: string): Promise<void>;
    countsByState(): Promise<Record<string, number>>;
  };
  log: {
    /**
     * Appends one entry atomically: `build` receives the last entry (or undefined) and returns the new one.
     */
    append(build: (last: LogEntry | undefined) => LogEntry): Promise<LogEntry>;
    list(filter: LogFilter): Promise<LogEntry[]>;
    /** Entries with seq in [fromSeq, toSeq], in order. */
    range(fromSeq: number, toSeq: number): Promise<LogEntry[]>;
    last(): Promise<LogEntry | undefined>;
    /** Entries with this reference (e.g. the compliance decision stamped on chain as complianceRef). */
    findByRef(ref: string): Promise<LogEntry[]>;
    count(): Promise<number>;
  };
  anchors: {
    add(anchor: Omit<AnchorRecord, "id">): Promise<AnchorRecord>;
    list(): Promise<AnchorRecord[]>;
    last(): Promise<AnchorRecord | undefined>;
  };
  kv: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
  };
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
