import { createHash, randomUUID } from "node:crypto";
import type { TransactionReceipt } from "ethers";
import type { Operation, Pending } from "../../shared/api/operations";
import { canonicalJson } from "../../shared/log/canonical";
import { describeWrite, recordOutcome, submitWrite, type ChainWrite, type StoredWrite, type WriteDeps } from "../audit/chain-write";
import { txOutcome, waitForOutcome, type TxOutcome } from "../chain/tx-outcome";
import { AppError } from "../errors";
import type { OperationRecord, Store } from "../store/store";

/** How an operation of one kind turns its mined transactions into the route's result, or cleans up. */
export interface OperationKind {
  /** All writes mined: the route's success body (may log domain entries, settle reservations…). */
  settle(context: OperationContext, receipts: TransactionReceipt[]): Promise<unknown>;
  /** The operation failed for good (refused, reverted, dropped): undo reservations, unpin… */
  onFailure?(context: OperationContext, error: AppError): Promise<void>;
}

/** What an operation keeps in the store: its writes, how far it got, and its kind's own data. */
export interface OperationContext {
  writes: StoredWrite[];
  /** Hashes of the writes sent so far, in order. */
  txHashes: string[];
  data: Record<string, unknown>;
}

export interface OperationSpec {
  kind: string;
  actor: string;
  idempotencyKey?: string;
  /** The request as the client sent it (hashed: the same key with another request is a 409). */
  request: unknown;
  /**
   * Everything before the chain: checks, pinning, dry-runs. Returns the writes, sent in order, each mined
   * before the next, and the kind's data for settling. Throwing fails the operation with that error.
   */
  prepare(): Promise<{ writes: ChainWrite[]; data: Record<string, unknown> }>;
}

export type RunResult = { state: "succeeded"; result: unknown; created: boolean } | { state: "pending"; pending: Pending };

export interface OperationDeps extends WriteDeps {
  store: Store;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** How long a request waits for its transactions before answering 202 (ms). */
  budgetMs: number;
  /** How often pending operations are looked at again (ms). */
  pollMs?: number;
  /** This gateway's name in leases, and how long a lease lasts (ms). */
  owner: string;
  leaseMs: number;
}

const hashRequest = (kind: string, request: unknown) => createHash("sha256").update(canonicalJson({ kind, request })).digest("hex");

const errorJson = (e: AppError) => ({ code: e.code, message: e.message, params: e.params, details: e.details ?? null });
const errorFrom = (stored: unknown): AppError => {
  const s = stored as { code?: string; params?: Record<string, unknown>; details?: unknown } | null;
  return new AppError((s?.code ?? "INTERNAL") as never, s?.params ?? {}, { details: s?.details ?? null });
};

/**
 * Runs the writes of requests truthfully. A request answers with its result when the chain decides within
 * the time budget, else 202 with an operation to poll, which this runner keeps watching (also after a
 * restart) until the chain says mined, reverted or dropped. With an Idempotency-Key, a retry returns the
 * same outcome (the result, or the refusal), and nothing is sent twice; an attempt that failed without
 * deciding anything (a dependency down, nothing on chain) is run again by the retry. Every write goes
 * through the audited path (submitWrite).
 */
export class OperationRunner {
  private readonly kinds = new Map<string, OperationKind>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly deps: OperationDeps) {}

  register(kind: string, handler: OperationKind): void {
    this.kinds.set(kind, handler);
  }

  /** Runs (or, for a repeated Idempotency-Key, replays) an operation. Throws its error when it failed. */
  async run(spec: OperationSpec): Promise<RunResult> {
    const { store } = this.deps;
    const now = new Date().toISOString();
    const requestHash = hashRequest(spec.kind, spec.request);
    const { op, created } = await store.operations.create({
      id: randomUUID(),
      kind: spec.kind,
      actor: spec.actor,
      idempotencyKey: spec.idempotencyKey ?? null,
      requestHash,
      state: "pending",
      reason: "checking the request",
      txHash: null,
      context: null,
      result: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    });
    // The earlier attempt failed without deciding anything: this retry runs it again, as the same operation,
    // unless a retry on another gateway reopened it first (then that one's outcome is replayed).
    if (!created && !((await this.decidedNothing(op, requestHash)) && (await store.operations.reopen(op.id, new Date().toISOString())))) {
      return this.replay((await store.operations.get(op.id)) ?? op, requestHash);
    }

    this.inFlight.add(op.id);
    await store.operations.hold([op.id], this.deps.owner, this.leaseUntil());
    try {
      let prepared: Awaited<ReturnType<OperationSpec["prepare"]>>;
      try {
        prepared = await spec.prepare();
      } catch (e) {
        const err = e instanceof AppError ? e : new AppError("INTERNAL", {}, { cause: e });
        await store.operations.update(op.id, { state: "failed", reason: null, error: errorJson(err) }, new Date().toISOString());
        throw err;
      }
      const context: OperationContext = { writes: prepared.writes.map(describeWrite), txHashes: [], data: prepared.data };
      await store.operations.update(op.id, { context, reason: "sending the transaction" }, new Date().toISOString());
      const outcome = await this.advance(op.id, spec.kind, context, prepared.writes, this.deps.budgetMs);
      if (outcome.state === "succeeded") return { state: "succeeded", result: outcome.result, created: true };
      if (outcome.state === "failed") throw outcome.error;
      return { state: "pending", pending: this.pendingOf(op.id, outcome.txHash, outcome.reason) };
    } finally {
      this.inFlight.delete(op.id);
    }
  }

  /** The operation as the API shows it. */
  async get(id: string): Promise<Operation | undefined> {
    const op = await this.deps.store.operations.get(id);
    if (!op) return undefined;
    return {
      operationId: op.id,
      kind: op.kind,
      state: op.state,
      reason: op.reason,
      txHash: op.txHash,
      result: op.result ?? null,
      error: (op.error as Operation["error"]) ?? null,
      createdAt: op.createdAt,
      updatedAt: op.updatedAt,
    };
  }

  /** The actor of an operation (only its actor, an auditor, a regulator or an admin may read it). */
  async actorOf(id: string): Promise<string | undefined> {
    return (await this.deps.store.operations.get(id))?.actor;
  }

  private leaseUntil(): string {
    return new Date(Date.now() + this.deps.leaseMs).toISOString();
  }

  /** Watches pending operations in the background, every pollMs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Heartbeat: operations this gateway is running stay its own while it lives.
    this.heartbeat = setInterval(() => {
      if (this.inFlight.size) void this.deps.store.operations.hold([...this.inFlight], this.deps.owner, this.leaseUntil()).catch(() => undefined);
    }, Math.max(1000, Math.floor(this.deps.leaseMs / 3)));
    this.heartbeat.unref();
    const tick = () => {
      if (this.stopped) return;
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = undefined;
        if (!this.stopped) this.timer = setTimeout(tick, this.deps.pollMs ?? 1000).unref();
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.sweeping;
  }

  /** Looks at every pending operation no live gateway is running (its own, and those of a dead gateway). */
  async sweep(): Promise<void> {
    let pending: OperationRecord[];
    try {
      pending = await this.deps.store.operations.takeOver(this.deps.owner, new Date().toISOString(), this.leaseUntil());
    } catch (e) {
      this.deps.logger?.warn({ err: e }, "operations: cannot read pending operations");
      return;
    }
    for (const op of pending) {
      if (this.stopped) return;
      if (this.inFlight.has(op.id)) continue;
      this.inFlight.add(op.id);
      try {
        await this.resume(op);
      } catch (e) {
        this.deps.logger?.warn({ err: e, operationId: op.id }, "operations: will look again");
      } finally {
        this.inFlight.delete(op.id);
      }
    }
  }

  private async resume(op: OperationRecord): Promise<void> {
    const { store } = this.deps;
    const context = op.context as OperationContext | null;
    if (!context) {
      // Interrupted while checking, before any write was prepared: nothing was sent (a retry under the same key runs it again).
      const err = new AppError("OPERATION_INTERRUPTED", {});
      await store.operations.update(op.id, { state: "failed", reason: null, error: errorJson(err) }, new Date().toISOString());
      return;
    }
    // A write signed and recorded just before a crash is known by its purpose, even if its hash was not saved.
    const step = context.txHashes.length;
    if (step < context.writes.length) {
      const recorded = await store.txs.byPurpose(purposeOf(op.id, step));
      const live = recorded.find((t) => t.state !== "dropped");
      if (live) context.txHashes.push(live.hash);
    }
    await this.advance(op.id, op.kind, context, context.writes, 0);
  }

  /**
   * Sends the writes not sent yet and waits up to `budgetMs` for each outcome. Returns succeeded (with the
   * result), failed (with the error), or pending (still watching).
   */
  private async advance(
    id: string,
    kind: string,
    context: OperationContext,
    writes: ReadonlyArray<ChainWrite | StoredWrite>,
    budgetMs: number,
  ): Promise<{ state: "succeeded"; result: unknown } | { state: "failed"; error: AppError } | { state: "pending"; txHash: string | null; reason: string }> {
    const { store, chain } = this.deps;
    const deadline = Date.now() + budgetMs;
    const receipts: TransactionReceipt[] = [];
    for (let i = 0; i < writes.length; i++) {
      const w = { ...writes[i], purpose: purposeOf(id, i) } as ChainWrite;
      let hash = context.txHashes[i];
      if (!hash) {
        let sent;
        try {
          sent = await submitWrite(this.deps, w);
        } catch (e) {
          const err = e instanceof AppError ? e : new AppError("INTERNAL", {}, { cause: e });
          if (err.isUnavailable && i > 0) {
            // Earlier writes are on chain: keep the operation pending and send the rest when the node is back.
            await store.operations.update(id, { reason: `waiting for the chain: ${err.message}` }, new Date().toISOString());
            return { state: "pending", txHash: context.txHashes[i - 1] ?? null, reason: err.message };
          }
          return this.fail(id, kind, context, err);
        }
        hash = sent.hash;
        context.txHashes.push(hash);
        await store.operations.update(id, { context, txHash: hash, reason: "waiting for the transaction to be mined" }, new Date().toISOString());
      }
      const record = await store.txs.get(hash);
      if (!record) return this.fail(id, kind, context, new AppError("INTERNAL", {}, { details: { reason: `transaction ${hash} is not recorded` } }));
      const left = Math.max(0, deadline - Date.now());
      let outcome: TxOutcome;
      try {
        outcome = left > 0 ? await waitForOutcome(chain.provider, record, left) : await txOutcome(chain.provider, record);
      } catch {
        outcome = { state: "pending", reason: "the blockchain node cannot be reached; the outcome will be looked up again" };
      }
      if (outcome.state === "pending") {
        await store.operations.update(id, { reason: outcome.reason }, new Date().toISOString());
        return { state: "pending", txHash: hash, reason: outcome.reason };
      }
      await store.txs.setState(hash, outcome.state, "receipt" in outcome ? outcome.receipt.blockNumber : null, new Date().toISOString());
      if (outcome.state === "mined") {
        await recordOutcome(this.deps, w, hash, outcome);
        receipts.push(outcome.receipt);
        continue;
      }
      const err =
        outcome.state === "reverted"
          ? await chain.revertReason(w.contract, chain.encode(w.contract, w.method, w.args), record.signer, outcome.receipt)
          : new AppError("TX_DROPPED", { txHash: hash }, { details: { reason: outcome.reason } });
      await recordOutcome(this.deps, w, hash, outcome, err);
      return this.fail(id, kind, context, err);
    }
    // Settling after a restart needs the receipts of earlier writes too.
    const all: TransactionReceipt[] = [];
    for (const h of context.txHashes) {
      const r = receipts.find((x) => x.hash === h) ?? (await chain.read(() => chain.provider.getTransactionReceipt(h)));
      if (r) all.push(r);
    }
    const handler = this.kinds.get(kind);
    const result = handler ? await handler.settle(context, all) : { txHash: context.txHashes.at(-1) };
    await store.operations.update(id, { state: "succeeded", reason: null, result }, new Date().toISOString());
    return { state: "succeeded", result };
  }

  private async fail(id: string, kind: string, context: OperationContext, err: AppError) {
    await this.kinds.get(kind)?.onFailure?.(context, err).catch((e) => this.deps.logger?.error({ err: e, operationId: id }, "operations: cleanup failed"));
    await this.deps.store.operations.update(id, { state: "failed", reason: null, error: errorJson(err) }, new Date().toISOString());
    return { state: "failed" as const, error: err };
  }

  /**
   * Whether a failed operation decided nothing, so that a retry under its Idempotency-Key may run it again:
   * its error is not a refusal (5xx: a dependency was down, a transaction was dropped, the gateway stopped
   * before sending) and none of its transactions can run (none recorded, or each provably dropped). A
   * refusal (4xx) or anything that reached the chain is an outcome, and a retry returns it.
   */
  private async decidedNothing(op: OperationRecord, requestHash: string): Promise<boolean> {
    if (op.state !== "failed" || op.requestHash !== requestHash || this.inFlight.has(op.id)) return false;
    if (errorFrom(op.error).httpStatus < 500) return false;
    const steps = (op.context as OperationContext | null)?.writes.length ?? 0;
    for (let step = 0; step < steps; step++) {
      const txs = await this.deps.store.txs.byPurpose(purposeOf(op.id, step));
      if (txs.some((t) => t.state !== "dropped")) return false;
    }
    return true;
  }

  private async replay(op: OperationRecord, requestHash: string): Promise<RunResult> {
    if (op.requestHash !== requestHash) throw new AppError("IDEMPOTENCY_CONFLICT", {}, { details: { operationId: op.id } });
    if (op.state === "succeeded") return { state: "succeeded", result: op.result, created: false };
    if (op.state === "failed") throw errorFrom(op.error);
    return { state: "pending", pending: this.pendingOf(op.id, op.txHash, op.reason) };
  }

  private pendingOf(id: string, txHash: string | null, reason: string | null): Pending {
    return { operationId: id, state: "pending", txHash, reason, statusUrl: `/v1/operations/${id}` };
  }
}

/** The purpose recorded with the n-th transaction of an operation. */
export const purposeOf = (operationId: string, step: number) => `op:${operationId}:${step}`;
