import type { LogEntry as ChainedEntry } from "../../shared/log/entry";
import type { AnchorInfo } from "../../shared/log/legacy";
import type { ApiRole } from "../../shared/domain";
import type { Db } from "./db";
import type { AsyncNodeReader, StoredNode } from "../../shared/log/store";

export { API_ROLES, type ApiRole } from "../../shared/domain";

/**
 * The gateway's durable state, behind one interface with two implementations of the same SQL
 * (sql-store.ts over SQLite or PostgreSQL). Every method is async.
 */

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

/** A privileged key waiting for a second administrator. */
export interface KeyRequestRecord {
  id: string;
  role: ApiRole;
  label: string;
  wallet: string | null;
  identityId: string | null;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  /** Set once confirmed: the key it created. */
  keyId: string | null;
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
  /** On-chain request nonce (decimal) of the batch this item was sent in (set before sending). */
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

export type OperationState = "pending" | "succeeded" | "failed";

/** A write the gateway made for a request: its state until the chain decided, then its outcome. */
export interface OperationRecord {
  id: string;
  kind: string;
  actor: string;
  idempotencyKey: string | null;
  requestHash: string;
  state: OperationState;
  reason: string | null;
  txHash: string | null;
  /** JSON: what the kind needs to settle the operation after a restart (never personal data). */
  context: unknown;
  result: unknown;
  error: unknown;
  createdAt: string;
  updatedAt: string;
}

export type TxState = "sent" | "mined" | "reverted" | "dropped";

/**
 * A transaction the gateway signed, recorded BEFORE it is broadcast, so that after a crash its outcome is
 * looked up, never guessed: mined, reverted, or provably dropped (its nonce taken by another transaction).
 */
export interface TxRecord {
  hash: string;
  signer: string;
  nonce: number;
  raw: string;
  /** What it is for: "op:<operationId>", "mint:<jobId>:<requestNonce>", "anchor:<size>". */
  purpose: string;
  state: TxState;
  blockNumber: number | null;
  createdAt: string;
  updatedAt: string;
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

/** A signed checkpoint of the sandbox log's tree. */
export interface CheckpointRecord {
  size: number;
  /** 0x-hex root. */
  root: string;
  /** The signed note. */
  note: string;
  createdAt: string;
  anchor: { index: number; txHash: string; blockNumber: number } | null;
}

/** Issuance reserved against an issuer's quotas before the chain write, released when the write fails. */
export interface QuotaReservation {
  id: string;
  issuer: string;
  collections: number;
  editions: number;
  state: "reserved" | "used" | "released";
  createdAt: string;
}

export interface Store {
  readonly kind: "sqlite" | "postgres";
  /** The database itself, for modules with tables of their own (the event index, server/indexer). */
  readonly db: Db;
  apiKeys: {
    create(record: ApiKeyRecord, keyHash: string): Promise<void>;
    findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
    get(id: string): Promise<ApiKeyRecord | undefined>;
    list(): Promise<ApiKeyRecord[]>;
    revoke(id: string, at: string): Promise<boolean>;
    addRequest(r: KeyRequestRecord): Promise<void>;
    getRequest(id: string): Promise<KeyRequestRecord | undefined>;
    /** Marks a request confirmed and creates its key, atomically; false when already confirmed. */
    confirmRequest(id: string, key: ApiKeyRecord, keyHash: string): Promise<boolean>;
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
    /** A reason shown on items still waiting (e.g. "waiting for the receipt"), without changing their state. */
    noteItems(jobId: string, requestId: string, reason: string | null, at: string): Promise<void>;
    /** Puts items of a batch that never reached the chain back to pending. */
    release(jobId: string, requestId: string, at: string): Promise<void>;
    countsByState(): Promise<Record<string, number>>;
    /**
     * Leases: takes the unfinished jobs this gateway may work on now (its own, unowned ones, and those
     * whose lease expired: their gateway died), renewing or taking their lease until `until`. A takeover
     * increments the job's fence. Returns each job with the fence to present on every later step.
     */
    lease(owner: string, now: string, until: string): Promise<Array<{ job: JobRecord; fence: number }>>;
    /** Renews a job's lease; false when another gateway took it over (then this one must stop touching it). */
    holds(jobId: string, owner: string, fence: number, until: string): Promise<boolean>;
  };
  /** Per-issuer request nonces (the contract's per-issuer bitmap): allocated here, consumed on chain. */
  nonces: {
    /** The next unused request nonce of an issuer (sequential, so they share bitmap words). */
    next(issuer: string): Promise<bigint>;
  };
  operations: {
    /**
     * Creates the operation unless (actor, idempotencyKey) exists: then returns the existing one and
     * `created: false`.
     */
    create(op: OperationRecord): Promise<{ op: OperationRecord; created: boolean }>;
    get(id: string): Promise<OperationRecord | undefined>;
    update(id: string, patch: Partial<Pick<OperationRecord, "state" | "reason" | "txHash" | "context" | "result" | "error">>, at: string): Promise<void>;
    pending(): Promise<OperationRecord[]>;
    /**
     * Makes a failed operation pending again (a retry of one that decided nothing), clearing what the
     * failed attempt left. False when it is no longer failed: another gateway reopened it first.
     */
    reopen(id: string, at: string): Promise<boolean>;
    /** Marks operations as being run by `owner` until `until` (a heartbeat while they run). */
    hold(ids: readonly string[], owner: string, until: string): Promise<void>;
    /** Pending operations no live gateway holds: own ones, unowned ones, and those whose lease expired. Takes them. */
    takeOver(owner: string, now: string, until: string): Promise<OperationRecord[]>;
  };
  txs: {
    /** Records a signed transaction before it is broadcast. */
    add(tx: TxRecord): Promise<void>;
    get(hash: string): Promise<TxRecord | undefined>;
    setState(hash: string, state: TxState, blockNumber: number | null, at: string): Promise<void>;
    /** Transactions not yet known final. */
    open(): Promise<TxRecord[]>;
    byPurpose(purpose: string): Promise<TxRecord[]>;
  };
  log: {
    /**
     * Appends one entry atomically: `build` receives the last entry (or undefined) and returns the new one.
     * Appends are serialised across processes sharing the store.
     */
    append(build: (last: LogEntry | undefined) => LogEntry, tree?: (entry: LogEntry, nodes: AsyncNodeReader) => Promise<StoredNode[]>): Promise<LogEntry>;
    list(filter: LogFilter): Promise<LogEntry[]>;
    /** Entries with seq in [fromSeq, toSeq], in order. */
    range(fromSeq: number, toSeq: number): Promise<LogEntry[]>;
    last(): Promise<LogEntry | undefined>;
    /** Entries with this reference (e.g. the compliance decision stamped on chain as complianceRef). */
    findByRef(ref: string): Promise<LogEntry[]>;
    count(): Promise<number>;
    /** Entries after `afterSeq` whose actor is not `excludeActor` (what counts towards anchoring). */
    countAfter(afterSeq: number, excludeActors: readonly string[]): Promise<number>;
  };
  /** The stored nodes of the log's RFC 9162 tree (perfect subtrees; see shared/log). */
  logTree: {
    reader(): AsyncNodeReader;
    /** Nodes stored, for a migration that builds the tree over entries written before it. */
    count(): Promise<number>;
    put(nodes: readonly StoredNode[]): Promise<void>;
  };
  /** Signed checkpoints of the log's tree, and where they were anchored. */
  checkpoints: {
    add(c: CheckpointRecord): Promise<void>;
    setAnchor(size: number, anchor: { index: number; txHash: string; blockNumber: number }): Promise<void>;
    list(): Promise<CheckpointRecord[]>;
    lastAnchored(): Promise<CheckpointRecord | undefined>;
    get(size: number): Promise<CheckpointRecord | undefined>;
  };
  anchors: {
    add(anchor: Omit<AnchorRecord, "id">): Promise<AnchorRecord>;
    list(): Promise<AnchorRecord[]>;
    last(): Promise<AnchorRecord | undefined>;
  };
  quotas: {
    /**
     * Atomically: sums what `issuer` has reserved or used since `since` (per window), and reserves
     * `request` only if every window stays within its cap. Returns the usage seen and whether it reserved.
     */
    reserve(
      r: { id: string; issuer: string; collections: number; editions: number; at: string; evidence?: { hash: string; maxUses: number } },
      windows: Array<{ name: string; since: string; caps: { collections: number; editions: number } }>,
    ): Promise<{ reserved: boolean; usage: Record<string, { collections: number; editions: number }>; evidenceUses: number }>;
    /** How many works (reserved or created) a copyright evidence hash backs. */
    evidenceUses(hash: string): Promise<number>;
    /** What `issuer` has reserved or used since `since`. */
    usage(issuer: string, since: string): Promise<{ collections: number; editions: number }>;
    settle(id: string, state: "used" | "released", at: string): Promise<void>;
  };
  kv: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
    /** Stores `value` unless the key has one; returns the value kept (the first writer's, whoever wins a race). */
    setIfAbsent(key: string, value: string): Promise<string>;
  };
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
