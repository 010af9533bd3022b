import { keccak256, toUtf8Bytes, type TransactionResponse } from "ethers";
import { AppError, ChainRevertError, decodeChainError } from "../errors";
import { tokenIdOf } from "../../shared/token-id";
import { ALL_ERRORS } from "../chain/chain";
import type { Services } from "../http/services";
import { runCompliance } from "../collections/run-compliance";
import type { JobItem, JobRecord } from "../store/store";

/** Points where a test can make the worker die as a crash would (nothing after it runs). */
export type CrashPoint = "after-assign" | "after-submit" | "after-receipt";

export interface MintWorkerOptions {
  batchSize: number;
  retryDelayMs?: number;
  crashAt?: CrashPoint;
}

class Crash extends Error {
  constructor(readonly at: CrashPoint) {
    super(`simulated crash at ${at}`);
  }
}

/** Reverts that concern one recipient of a batch: that recipient fails, the others are retried. */
const PER_RECIPIENT = new Set(["RecipientNotVerified", "RecipientFrozen"]);
/** Reverts that will pass by themselves: the batch waits and is retried unchanged. */
const TRANSIENT = new Set(["RegistryIsPaused"]);

/**
 * Mints accepted jobs exactly once. Before a batch is sent its items are durably assigned an on-chain
 * requestId derived from the job and the batch's items; the contract refuses a requestId twice. After a
 * crash or restart, every assigned batch is settled first: if the chain recorded its requestId the items
 * are minted (token ids derived from the record), otherwise the same batch is sent again under the same
 * requestId. A batch is only re-composed when its transaction provably never ran (refused at estimation).
 */
export class MintWorker {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly services: () => Services,
    private readonly opts: MintWorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run().catch((e) => {
      if (!(e instanceof Crash)) this.services().logger.error({ err: e }, "mint worker stopped on an error");
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
    while (!this.stopped) {
      const jobs = await this.services().store.jobs.unfinished();
      if (jobs.length === 0) {
        for (const w of this.idleWaiters.splice(0)) w();
        await this.sleep(undefined);
        continue;
      }
      let retryIn: number | undefined;
      for (const job of jobs) {
        if (this.stopped) return;
        const r = await this.process(job);
        if (r !== undefined) retryIn = Math.min(retryIn ?? r, r);
      }
      if (retryIn !== undefined) await this.sleep(retryIn);
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

  /** Processes one job as far as it goes; returns a delay when it must be retried later. */
  private async process(job: JobRecord): Promise<number | undefined> {
    const { store } = this.services();
    const now = () => new Date().toISOString();
    if (job.state === "queued") await store.jobs.setState(job.id, "running", null, now());
    try {
      let items = await store.jobs.items(job.id);
      // 1. Settle batches assigned before (this run or before a crash).
      const assigned = new Map<string, JobItem[]>();
      for (const i of items) {
        if (i.requestId && (i.state === "pending" || i.state === "submitted")) {
          assigned.set(i.requestId, [...(assigned.get(i.requestId) ?? []), i]);
        }
      }
      for (const [requestId, batch] of assigned) {
        if (this.stopped) return undefined;
        await this.send(job, requestId, batch);
      }
      // 2. New batches.
      items = await store.jobs.items(job.id);
      let pending = items.filter((i) => i.state === "pending" && !i.requestId);
      while (pending.length > 0) {
        if (this.stopped) return undefined;
        const batch = await this.admit(job, pending.slice(0, this.opts.batchSize));
        if (batch.length > 0) {
          const requestId = keccak256(toUtf8Bytes(`mint:${job.id}:${batch.map((i) => i.idx).join(",")}`));
          await store.jobs.assign(job.id, batch.map((i) => i.idx), requestId, now());
          this.crashPoint("after-assign");
          await this.send(job, requestId, batch);
        }
        items = await store.jobs.items(job.id);
        pending = items.filter((i) => i.state === "pending" && !i.requestId);
      }
      items = await store.jobs.items(job.id);
      if (items.some((i) => i.state === "pending" || i.state === "submitted")) return this.opts.retryDelayMs ?? 1000;
      const failed = items.filter((i) => i.state === "failed").length;
      await store.jobs.setState(job.id, "done", failed ? `${failed} of ${items.length} recipient(s) failed` : null, now());
      return undefined;
    } catch (e) {
      if (e instanceof Crash) throw e;
      const err = e instanceof AppError ? e : decodeChainError(e, ALL_ERRORS);
      this.services().logger.warn({ err, jobId: job.id }, "mint job will be retried");
      await store.jobs.setState(job.id, "running", `retrying: ${err.shortMessage}`, now());
      return this.opts.retryDelayMs ?? 1000;
    }
  }

  /** Recipient admission at mint time; refused recipients fail with the rule's reason. */
  private async admit(job: JobRecord, batch: JobItem[]): Promise<JobItem[]> {
    const services = this.services();
    const collection = await services.chain.read(() => services.chain.rights.getCollection(job.collectionId));
    const decision = await runCompliance(
      services,
      "mint",
      {
        issuer: { wallet: job.issuer, apiKeyId: job.apiKeyId },
        recipients: batch.map((i) => i.recipient),
        minLevel: Number(collection.minLevel),
      },
      { actor: job.apiKeyId, collectionId: job.collectionId },
    );
    const refused = new Map<string, string>();
    for (const r of decision.results.filter((x) => !x.passed)) {
      const failures = (r.details as { failures?: Array<{ address?: string; wallet?: string; reason?: string }> } | undefined)?.failures;
      if (failures?.length) {
        for (const f of failures) refused.set((f.address ?? f.wallet ?? "").toLowerCase(), `${r.rule}: ${f.reason ?? r.reason}`);
      } else {
        for (const i of batch) refused.set(i.recipient.toLowerCase(), `${r.rule}: ${r.reason}`);
      }
    }
    const bad = batch.filter((i) => refused.has(i.recipient.toLowerCase()));
    for (const i of bad) {
      await services.store.jobs.markFailed(job.id, [i.idx], refused.get(i.recipient.toLowerCase())!, new Date().toISOString());
    }
    return batch.filter((i) => !refused.has(i.recipient.toLowerCase()));
  }

  /** Sends (or re-sends) one assigned batch and records the outcome. */
  private async send(job: JobRecord, requestId: string, batch: JobItem[]): Promise<void> {
    const services = this.services();
    const { chain, store, sandbox } = services;
    const now = () => new Date().toISOString();
    const ordered = [...batch].sort((a, b) => a.idx - b.idx);
    if (await this.recordIfMinted(job, requestId, ordered, null)) return;

    let tx: TransactionResponse;
    try {
      tx = await chain.submit("operator", chain.rights, "mintBatch", [
        job.issuer,
        job.collectionId,
        ordered.map((i) => i.recipient),
        requestId,
      ]);
    } catch (e) {
      const err = e instanceof AppError ? e : decodeChainError(e, ALL_ERRORS);
      if (await this.recordIfMinted(job, requestId, ordered, null)) return;
      services.metrics.chainErrors.inc({ code: err.code });
      if (err instanceof ChainRevertError && !TRANSIENT.has(err.errorName)) {
        // Refused at estimation: the transaction never ran, so the batch may be re-composed.
        await sandbox.append({
          actor: job.apiKeyId,
          action: "chain.rights.mintBatch",
          decision: "failed",
          collectionId: job.collectionId,
          ref: requestId,
          payload: { jobId: job.id, requestId, error: err.toJSON() },
        });
        if (PER_RECIPIENT.has(err.errorName)) {
          const who = String(err.args[0]).toLowerCase();
          const hit = ordered.filter((i) => i.recipient.toLowerCase() === who);
          await store.jobs.markFailed(job.id, hit.map((i) => i.idx), err.shortMessage, now());
          await store.jobs.release(job.id, requestId, now());
        } else {
          await store.jobs.markFailed(job.id, ordered.map((i) => i.idx), err.shortMessage, now());
        }
        return;
      }
      throw err;
    }
    await store.jobs.markSubmitted(job.id, requestId, tx.hash, now());
    this.crashPoint("after-submit");
    try {
      await tx.wait(1, services.config.TX_TIMEOUT_SECONDS * 1000);
    } catch (e) {
      // Reverted on chain (e.g. the same requestId landed first) or timed out: the chain decides.
      if (await this.recordIfMinted(job, requestId, ordered, null)) return;
      throw decodeChainError(e, ALL_ERRORS);
    }
    this.crashPoint("after-receipt");
    await this.recordIfMinted(job, requestId, ordered, tx.hash);
  }

  /** If the chain recorded `requestId`, marks the batch minted with the derived token ids. */
  private async recordIfMinted(job: JobRecord, requestId: string, ordered: JobItem[], txHash: string | null): Promise<boolean> {
    const { chain, store, sandbox } = this.services();
    const record = await chain.read(() => chain.rights.mintRecord(requestId));
    if (record.count === 0n) return false;
    const minted = ordered.map((item, i) => ({
      idx: item.idx,
      tokenId: tokenIdOf(record.collectionId, record.firstSerial + BigInt(i)).toString(),
    }));
    await store.jobs.markMinted(job.id, minted, txHash ?? ordered[0].txHash, new Date().toISOString());
    await sandbox.append({
      actor: job.apiKeyId,
      action: "chain.rights.mintBatch",
      decision: "sent",
      collectionId: job.collectionId,
      ref: txHash ?? ordered[0].txHash ?? requestId,
      payload: {
        jobId: job.id,
        requestId,
        signer: chain.senders.operator.address,
        firstTokenId: minted[0]?.tokenId,
        count: minted.length,
        txHash: txHash ?? ordered[0].txHash,
      },
    });
    return true;
  }

  private crashPoint(at: CrashPoint): void {
    if (this.opts.crashAt === at) {
      this.stopped = true;
      throw new Crash(at);
    }
  }
}
