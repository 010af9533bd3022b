import { Interface, solidityPackedKeccak256, type Log } from "ethers";
import type { Logger } from "pino";
import { recordOutcome, submitWrite, type ChainWrite } from "../audit/chain-write";
import type { Chain } from "../chain/chain";
import { txOutcome } from "../chain/tx-outcome";
import type { ComplianceEngine } from "../compliance/engine";
import { runCompliance } from "../compliance/run-compliance";
import { AppError, ChainRevertError, isNetworkError } from "../errors";
import type { Metrics } from "../http/metrics";
import type { SandboxLog } from "../sandbox/sandbox-log";
import type { JobItem, JobRecord, Store } from "../store/store";

/** Steps of a batch's life after which a test can make the worker die as a crash would (nothing after it runs). */
export type CrashStep = "after-assign" | "after-submit" | "after-receipt";
/**
 * Where a test makes the worker die: the first time a step is reached ("after-submit"), or the n-th time
 * ("after-submit#3": with batches pipelined, two are then in flight already).
 */
export type CrashPoint = CrashStep | `${CrashStep}#${number}`;

export interface MintWorkerOptions {
  batchSize: number;
  /** Batches sent and not yet settled, per job (nonce pipelining: the chain's blocks are filled). */
  maxInFlight?: number;
  /** Jobs worked on side by side (default 8): a job of one batch still leaves the next block room for others. */
  jobsAtOnce?: number;
  /** How often unsettled batches are looked at (ms). */
  pollMs?: number;
  crashAt?: CrashPoint;
  /** Tests: called when a crash point is reached. */
  onCrash?: (at: CrashPoint) => void;
  /** This gateway's name in job leases, and how long a lease lasts (ms). */
  owner: string;
  leaseMs: number;
}

export interface WorkerDeps {
  chain: Chain;
  store: Store;
  sandbox: SandboxLog;
  compliance: ComplianceEngine;
  metrics: Pick<Metrics, "chainErrors">;
  logger: Pick<Logger, "warn" | "error" | "info">;
}

class LeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`lease on job ${jobId} lost`);
  }
}

class Crash extends Error {
  constructor(readonly at: CrashPoint) {
    super(`simulated crash at ${at}`);
  }
}

/** Reverts that concern one recipient of a batch: that recipient fails, the others are sent again. */
const PER_RECIPIENT = new Set(["RecipientNotVerified", "RecipientFrozen"]);
/** Reverts that will pass by themselves: the batch waits and is sent again unchanged. */
const TRANSIENT = new Set(["RegistryIsPaused"]);

const EDITIONS_MINTED = new Interface([
  "event EditionsMinted(uint64 indexed collectionId, uint256 indexed requestNonce, address indexed issuer, address operator, uint256 firstTokenId, uint32 count, bytes32 recipientsHash)",
]);

/** The hash the contract records of a batch's recipients: keccak256(abi.encodePacked(address[])), each padded to 32 bytes. */
export const recipientsHash = (recipients: readonly string[]) => solidityPackedKeccak256(["address[]"], [recipients]);

interface MintRecord {
  collectionId: bigint;
  firstTokenId: bigint;
  count: number;
  recipientsHash: string;
  txHash: string;
}

const now = () => new Date().toISOString();

/** The longest wait between two attempts at a job whose dependency is down. */
const MAX_BACKOFF_MS = 60_000;

/** What an error thrown while a job was processed says about it: a node that cannot be reached is not an internal error. */
function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError(isNetworkError(e) ? "CHAIN_UNAVAILABLE" : "INTERNAL", {}, { cause: e });
}

/**
 * Mints accepted jobs exactly once, and never reports an outcome the chain did not give.
 *
 * - Before a batch is sent, its items are durably assigned the issuer's next request nonce; the contract
 *   refuses a nonce twice per issuer. The signed transaction is recorded before it is broadcast.
 * - A batch is settled only from the chain: a mined transaction's EditionsMinted event (collection, first
 *   token id, count and recipients hash must all match the batch), or, when the nonce is found used, that
 *   event found by its topics. `RequestAlreadyUsed` for the batch's own nonce means "it ran": the batch is
 *   settled from the record, never marked failed.
 * - A receipt that is slow is "unknown, still watching": items stay `submitted` with a reason until the
 *   chain says mined, reverted or dropped. A transaction the node lost (its nonce still unused) is broadcast
 *   again, the same bytes; one whose nonce was taken by a replacement that ran the request is followed to
 *   that replacement; one whose nonce was taken while the request stayed unused is provably dropped, and
 *   the batch is sent again, once, under the same request nonce.
 * - Several batches are in flight at once (maxInFlight), so blocks fill up.
 * - A dependency that is down backs off (1 s doubling to 60 s), and the job says so in its reason.
 */
export class MintWorker {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly backoff = new Map<string, { until: number; delayMs: number }>();
  /** How many times each crash step was reached (a crash point may name the n-th time). */
  private readonly reached = new Map<CrashStep, number>();
  /** The lease (fencing token) of each job being processed: checked before each of its batches is sent or settled. */
  private readonly fences = new Map<string, number>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly opts: MintWorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run().catch((e) => {
      if (!(e instanceof Crash)) this.deps.logger.error({ err: e }, "mint worker stopped on an error");
      this.stopped = true;
    });
  }

  /** Asks the worker to look for work now. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the current step. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves when no job is queued or running (tests, benchmarks). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  private async run(): Promise<void> {
    let storeDelayMs = 0;
    while (!this.stopped) {
      let jobs: Array<{ job: JobRecord; fence: number }>;
      try {
        const now = Date.now();
        jobs = await this.deps.store.jobs.lease(this.opts.owner, new Date(now).toISOString(), new Date(now + this.opts.leaseMs).toISOString());
        storeDelayMs = 0;
      } catch (e) {
        // Back off (1 s doubling to 60 s), with one warning per step rather than one a second.
        const next = Math.min(MAX_BACKOFF_MS, Math.max(1000, storeDelayMs * 2));
        if (next !== storeDelayMs) this.deps.logger.warn({ err: e, retryInMs: next }, "mint worker: the store cannot be read; waiting");
        storeDelayMs = next;
        await this.sleep(storeDelayMs);
        continue;
      }
      if (jobs.length === 0) {
        if ((await this.deps.store.jobs.unfinished().catch(() => [])).length === 0) for (const w of this.idleWaiters.splice(0)) w();
        // Jobs of another live gateway are its own; look again within a lease, in case it dies.
        await this.sleep(this.opts.leaseMs);
        continue;
      }
      let next = Number.POSITIVE_INFINITY;
      const queue = [...jobs];
      const lane = async () => {
        for (let item = queue.shift(); item && !this.stopped; item = queue.shift()) {
          this.fences.set(item.job.id, item.fence);
          const wait = await this.process(item.job);
          if (wait === undefined) this.fences.delete(item.job.id);
          else next = Math.min(next, wait);
        }
      };
      // Jobs side by side: each lane sends and settles one job's batches at a time (the sender keeps one
      // nonce sequence per key), so jobs of a single batch fill the chain's blocks together.
      await Promise.all(Array.from({ length: Math.min(this.opts.jobsAtOnce ?? 8, jobs.length) }, lane));
      if (this.stopped) return;
      if (next === Number.POSITIVE_INFINITY) continue;
      await this.sleep(next);
    }
  }

  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.wakeUp = undefined;
        if (this.timer) clearTimeout(this.timer);
        resolve();
      };
      if (ms !== undefined) {
        this.timer = setTimeout(() => this.wakeUp?.(), ms);
        this.timer.unref();
      }
    });
  }

  /** Takes one job as far as it goes now; returns when to look at it again (ms), or undefined when done. */
  private async process(job: JobRecord): Promise<number | undefined> {
    const { store, logger } = this.deps;
    const b = this.backoff.get(job.id);
    if (b && Date.now() < b.until) return b.until - Date.now();
    if (job.state === "queued") await store.jobs.setState(job.id, "running", null, now());
    try {
      // 1. Settle every batch sent or assigned before (in this run or before a crash).
      let inFlight = 0;
      for (const [requestId, batch] of this.assignedBatches(await store.jobs.items(job.id))) {
        if (this.stopped) return undefined;
        const settled = await this.settle(job, requestId, batch);
        if (!settled) inFlight += 1;
      }
      // 2. New batches, while fewer than maxInFlight are unsettled.
      const max = this.opts.maxInFlight ?? 4;
      let fresh = (await store.jobs.items(job.id)).filter((i) => i.state === "pending" && !i.requestId);
      while (fresh.length > 0 && inFlight < max) {
        if (this.stopped) return undefined;
        const batch = await this.admit(job, fresh.slice(0, this.opts.batchSize));
        if (batch.length > 0) {
          const nonce = (await store.nonces.next(job.issuer)).toString();
          await store.jobs.assign(job.id, batch.map((i) => i.idx), nonce, now());
          this.crashPoint("after-assign");
          if (!(await this.send(job, nonce, batch))) inFlight += 1;
        }
        fresh = (await store.jobs.items(job.id)).filter((i) => i.state === "pending" && !i.requestId);
      }
      this.backoff.delete(job.id);
      const items = await store.jobs.items(job.id);
      const waiting = items.filter((i) => i.state === "pending" || i.state === "submitted");
      if (waiting.length > 0) {
        const batches = new Set(waiting.map((i) => i.requestId)).size;
        await store.jobs.setState(job.id, "running", `${waiting.length} recipient(s) in ${batches} batch(es) waiting for the chain`, now());
        return this.opts.pollMs ?? 250;
      }
      const failed = items.filter((i) => i.state === "failed").length;
      await store.jobs.setState(job.id, "done", failed ? `${failed} of ${items.length} recipient(s) failed` : null, now());
      return undefined;
    } catch (e) {
      if (e instanceof Crash) throw e;
      if (e instanceof LeaseLost) {
        this.deps.logger.warn({ jobId: job.id }, "mint job taken over by another gateway; leaving it");
        return undefined;
      }
      const err = asAppError(e);
      const prev = this.backoff.get(job.id)?.delayMs ?? 500;
      const delayMs = Math.min(MAX_BACKOFF_MS, prev * 2);
      this.backoff.set(job.id, { until: Date.now() + delayMs, delayMs });
      if (delayMs !== prev) logger.warn({ err, jobId: job.id, retryInMs: delayMs }, "mint job waits for a dependency");
      const what = err.isUnavailable ? "waiting for a dependency" : "waiting after an error";
      await store.jobs
        .setState(job.id, "running", `${what} (${err.code}): ${err.message} Next attempt in ${Math.round(delayMs / 1000)} s.`, now())
        .catch(() => undefined);
      return delayMs;
    }
  }

  /** Items grouped by their batch's request nonce, for batches not yet settled. */
  private assignedBatches(items: JobItem[]): Map<string, JobItem[]> {
    const batches = new Map<string, JobItem[]>();
    for (const i of items) {
      if (i.requestId && (i.state === "pending" || i.state === "submitted")) batches.set(i.requestId, [...(batches.get(i.requestId) ?? []), i]);
    }
    for (const list of batches.values()) list.sort((a, b) => a.idx - b.idx);
    return batches;
  }

  /** Recipient admission at mint time; a failure that names no recipient fails the whole batch. */
  private async admit(job: JobRecord, batch: JobItem[]): Promise<JobItem[]> {
    const { chain, store } = this.deps;
    const collection = await chain.read(() => chain.rights.getCollection(job.collectionId));
    const decision = await runCompliance(
      this.deps,
      "mint",
      { issuer: { wallet: job.issuer, apiKeyId: job.apiKeyId }, recipients: batch.map((i) => i.recipient), minLevel: Number(collection.minLevel) },
      { actor: job.apiKeyId, collectionId: job.collectionId },
    );
    const refused = new Map<string, string>();
    for (const r of decision.results.filter((x) => !x.passed)) {
      const failures = (r.details as { failures?: Array<{ address?: unknown; reason?: string; message?: string }> } | undefined)?.failures ?? [];
      const named = failures.filter((f) => typeof f.address === "string" && /^0x[0-9a-fA-F]{40}$/.test(f.address));
      if (r.rule === "recipient-admission" && named.length > 0 && named.length === failures.length) {
        for (const f of named) refused.set(String(f.address).toLowerCase(), `${r.rule}: ${f.reason ?? r.reason}`);
      } else {
        // A failure about the issuer or the whole batch: nobody in it is minted.
        for (const i of batch) refused.set(i.recipient.toLowerCase(), `${r.rule}: ${r.reason}`);
      }
    }
    const bad = batch.filter((i) => refused.has(i.recipient.toLowerCase()));
    const byReason = new Map<string, number[]>();
    for (const i of bad) {
      const reason = refused.get(i.recipient.toLowerCase())!;
      byReason.set(reason, [...(byReason.get(reason) ?? []), i.idx]);
    }
    for (const [reason, idxs] of byReason) await store.jobs.markFailed(job.id, idxs, reason, now());
    return batch.filter((i) => !refused.has(i.recipient.toLowerCase()));
  }

  private writeOf(job: JobRecord, requestId: string, batch: JobItem[]): ChainWrite {
    return {
      role: "operator",
      contract: "rights",
      method: "mintBatch",
      args: [job.issuer, job.collectionId, batch.map((i) => i.recipient), requestId],
      actor: job.apiKeyId,
      collectionId: job.collectionId,
      purpose: `mint:${job.id}:${requestId}`,
      note: { jobId: job.id, requestNonce: requestId, recipients: batch.length },
    };
  }

  /** Throws LeaseLost when another gateway took the job over: this one must not send or settle its batches. */
  private async assertLease(job: JobRecord): Promise<void> {
    const fence = this.fences.get(job.id);
    if (fence === undefined) return;
    if (!(await this.deps.store.jobs.holds(job.id, this.opts.owner, fence, new Date(Date.now() + this.opts.leaseMs).toISOString()))) throw new LeaseLost(job.id);
  }

  /** Sends a batch. Returns true when it is settled already (minted, or its recipients refused). */
  private async send(job: JobRecord, requestId: string, batch: JobItem[]): Promise<boolean> {
    const { store } = this.deps;
    await this.assertLease(job);
    let sent;
    try {
      sent = await submitWrite(this.deps, this.writeOf(job, requestId, batch));
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError("INTERNAL", {}, { cause: e });
      if (err instanceof ChainRevertError) return this.refused(job, requestId, batch, err);
      throw err;
    }
    await store.jobs.markSubmitted(job.id, requestId, sent.hash, now());
    this.crashPoint("after-submit");
    return false;
  }

  /**
   * Settles a batch from the chain. Returns true when settled (minted, failed or released for another
   * batch), false when it is still waiting (pending transaction, or sent again).
   */
  private async settle(job: JobRecord, requestId: string, batch: JobItem[]): Promise<boolean> {
    const { chain, store } = this.deps;
    await this.assertLease(job);
    let txHash = batch.find((i) => i.txHash)?.txHash ?? null;
    if (!txHash) {
      // Assigned, maybe signed just before a crash: a transaction recorded under this purpose is ours, and
      // is looked up (and broadcast again if the node never got it) before any new one takes a nonce.
      const recorded = (await store.txs.byPurpose(this.writeOf(job, requestId, batch).purpose)).filter((t) => t.state !== "dropped");
      if (recorded.length > 0) {
        txHash = recorded[recorded.length - 1].hash;
        await store.jobs.markSubmitted(job.id, requestId, txHash, now());
      } else {
        const record = await this.findRecord(job, requestId);
        if (record) return this.minted(job, batch, record);
        return this.send(job, requestId, batch);
      }
    }
    const tx = await store.txs.get(txHash);
    if (!tx) throw new AppError("INTERNAL", {}, { details: { reason: `transaction ${txHash} is not recorded` } });
    const outcome = await chain.read(() => txOutcome(chain.provider, tx));
    if (outcome.state === "pending") {
      await store.jobs.noteItems(job.id, requestId, `waiting for transaction ${txHash} to be mined: ${outcome.reason}`, now());
      return false;
    }
    await store.txs.setState(txHash, outcome.state, "receipt" in outcome ? outcome.receipt.blockNumber : null, now());
    const write = this.writeOf(job, requestId, batch);
    if (outcome.state === "mined") {
      this.crashPoint("after-receipt");
      const record = this.recordFromLogs(outcome.receipt.logs, job, requestId);
      if (record && this.matches(record, job, batch)) {
        await recordOutcome(this.deps, write, txHash, outcome);
        return this.minted(job, batch, record);
      }
      throw new AppError("INTERNAL", {}, { details: { reason: `transaction ${txHash} was mined without the expected EditionsMinted record` } });
    }
    if (outcome.state === "reverted") {
      const err = await chain.revertReason("rights", chain.encode("rights", "mintBatch", write.args), tx.signer, outcome.receipt);
      await recordOutcome(this.deps, write, txHash, outcome, err);
      if (err instanceof ChainRevertError) return this.refused(job, requestId, batch, err);
      throw err;
    }
    // Its nonce went to another transaction: a replacement of ours that ran the request (followed: the
    // chain's record settles the batch), or one that did not (the request is unused: sent again, once).
    const record = await this.findRecord(job, requestId);
    if (record && this.matches(record, job, batch)) {
      await this.recordFollowed(write, txHash, record);
      return this.minted(job, batch, record);
    }
    await recordOutcome(this.deps, write, txHash, outcome, new AppError("TX_DROPPED", { txHash }));
    if (record) return this.refused(job, requestId, batch, new ChainRevertError("RequestAlreadyUsed", { issuer: job.issuer, requestNonce: requestId }));
    this.deps.chain.signer("operator")?.resync();
    return this.send(job, requestId, batch);
  }

  /** A refusal decoded from the contract: decide, from the chain, what it means for the batch. */
  private async refused(job: JobRecord, requestId: string, batch: JobItem[], err: ChainRevertError): Promise<boolean> {
    const { store } = this.deps;
    if (err.errorName === "RequestAlreadyUsed" && String(err.args.requestNonce) === requestId) {
      // Our own request nonce is used: the request ran. The chain's record says with which token ids.
      const record = await this.findRecord(job, requestId);
      if (record && this.matches(record, job, batch)) {
        await this.recordFollowed(this.writeOf(job, requestId, batch), null, record);
        return this.minted(job, batch, record);
      }
      // Used by a request that is not this batch (the issuer's own, or a job of a store this one replaced):
      // pass over the nonces the chain has used, so that the batch's next nonce is a fresh one.
      await this.skipUsedNonces(job);
      await store.jobs.release(job.id, requestId, now());
      return true;
    }
    if (TRANSIENT.has(err.errorName)) {
      await store.jobs.noteItems(job.id, requestId, `waiting: ${err.message}`, now());
      await store.jobs.release(job.id, requestId, now());
      throw err;
    }
    if (PER_RECIPIENT.has(err.errorName)) {
      const who = String(err.args.recipient ?? err.args.arg0 ?? "").toLowerCase();
      const hit = batch.filter((i) => i.recipient.toLowerCase() === who);
      if (hit.length > 0) {
        await store.jobs.markFailed(job.id, hit.map((i) => i.idx), err.message, now());
        await store.jobs.release(job.id, requestId, now());
        return true;
      }
    }
    await store.jobs.markFailed(job.id, batch.map((i) => i.idx), err.message, now());
    return true;
  }

  /** Settles a batch from the chain's record: the i-th recipient holds firstTokenId + i. */
  private async minted(job: JobRecord, batch: JobItem[], record: MintRecord): Promise<boolean> {
    const minted = batch.map((item, i) => ({ idx: item.idx, tokenId: (record.firstTokenId + BigInt(i)).toString() }));
    await this.deps.store.jobs.markMinted(job.id, minted, record.txHash, now());
    return true;
  }

  /**
   * Logs the outcome of a batch that ran in a transaction other than the one this worker watched (a
   * replacement, or one sent before the store lost track of it): the log says which transaction ran it.
   */
  private async recordFollowed(write: ChainWrite, watched: string | null, record: MintRecord): Promise<void> {
    const { chain } = this.deps;
    const receipt = await chain.read(() => chain.provider.getTransactionReceipt(record.txHash));
    if (!receipt) return;
    // Under the watched transaction's hash when there is one, so that the outcome pairs with its "pending" entry.
    const note = { ...write.note, ranIn: record.txHash };
    await recordOutcome(this.deps, { ...write, note }, watched ?? record.txHash, { state: "mined", receipt });
  }

  private matches(record: MintRecord, job: JobRecord, batch: JobItem[]): boolean {
    return (
      record.collectionId === BigInt(job.collectionId) &&
      record.count === batch.length &&
      record.recipientsHash.toLowerCase() === recipientsHash(batch.map((i) => i.recipient)).toLowerCase()
    );
  }

  private recordFromLogs(logs: readonly Log[], job: JobRecord, requestId: string): MintRecord | undefined {
    const rights = this.deps.chain.addressOf("rights").toLowerCase();
    for (const log of logs) {
      if (log.address.toLowerCase() !== rights) continue;
      let parsed;
      try {
        parsed = EDITIONS_MINTED.parseLog(log);
      } catch {
        continue;
      }
      if (!parsed) continue;
      if ((parsed.args.requestNonce as bigint).toString() !== requestId) continue;
      if ((parsed.args.issuer as string).toLowerCase() !== job.issuer.toLowerCase()) continue;
      return {
        collectionId: parsed.args.collectionId as bigint,
        firstTokenId: parsed.args.firstTokenId as bigint,
        count: Number(parsed.args.count),
        recipientsHash: parsed.args.recipientsHash as string,
        txHash: log.transactionHash,
      };
    }
    return undefined;
  }

  /**
   * Takes the issuer's request nonces from the store until one is unused on chain (at most `limit` per
   * call): a store that is newer than the chain's history would otherwise meet each used nonce once, with
   * a refused send for each.
   */
  private async skipUsedNonces(job: JobRecord, limit = 1000): Promise<void> {
    const { chain, store } = this.deps;
    for (let i = 0; i < limit; i++) {
      const nonce = await store.nonces.next(job.issuer);
      if (!(await chain.read(() => chain.rights.isRequestUsed(job.issuer, nonce)))) return;
    }
  }

  /** The chain's record of a request nonce of the job's issuer, when it was used. */
  private async findRecord(job: JobRecord, requestId: string): Promise<MintRecord | undefined> {
    const { chain } = this.deps;
    const used = await chain.read(() => chain.rights.isRequestUsed(job.issuer, requestId));
    if (!used) return undefined;
    const topics = [EDITIONS_MINTED.getEvent("EditionsMinted")!.topicHash, null, `0x${BigInt(requestId).toString(16).padStart(64, "0")}`, `0x${job.issuer.slice(2).toLowerCase().padStart(64, "0")}`];
    const logs = await chain.read(() =>
      chain.provider.getLogs({ address: chain.addressOf("rights"), topics, fromBlock: chain.deployment.contracts.collectibleRights.blockNumber, toBlock: "latest" }),
    );
    return this.recordFromLogs(logs, job, requestId);
  }

  private crashPoint(step: CrashStep): void {
    const n = (this.reached.get(step) ?? 0) + 1;
    this.reached.set(step, n);
    const at = this.opts.crashAt;
    if (at === step || at === `${step}#${n}`) {
      this.opts.onCrash?.(at);
      this.stopped = true;
      throw new Crash(at);
    }
  }
}
