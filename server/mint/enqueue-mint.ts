import { randomUUID, createHash } from "node:crypto";
import { AppError } from "../errors";
import type { Services } from "../services";
import type { ApiKeyRecord, JobRecord } from "../store/store";

export interface EnqueueMintParams {
  collectionId: string;
  recipients: string[];
  idempotencyKey: string | undefined;
  key: ApiKeyRecord;
}

export interface EnqueuedMint {
  jobId: string;
  state: JobRecord["state"];
  collectionId: string;
  recipients: number;
  /** false when the Idempotency-Key had been seen with the same body. */
  created: boolean;
  statusUrl: string;
}


/**
 * POST /v1/collections/:id/mint: stores the job durably, then answers 202; the worker mints it.
 * The same Idempotency-Key with the same body returns the same job; with another body, 409.
 *
 * @example
 * const { jobId } = await enqueueMint(services, { collectionId: "1", recipients, idempotencyKey: "order-42", key });
 */
export async function enqueueMint(services: Pick<Services, "store" | "sandbox" | "worker" | "config">, p: EnqueueMintParams): Promise<EnqueuedMint> {
  if (!p.idempotencyKey) throw new AppError("IDEMPOTENCY_KEY_REQUIRED");
  if (p.key.role !== "issuer" || !p.key.wallet) throw new AppError("ISSUER_KEY_REQUIRED");
  const max = services.config.MAX_RECIPIENTS;
  if (p.recipients.length > max) {
    throw new AppError("TOO_MANY_RECIPIENTS", { max, given: p.recipients.length }, {
      details: { max, given: p.recipients.length },
    });
  }
  const bodyHash = createHash("sha256")
    .update(JSON.stringify({ collectionId: p.collectionId, recipients: p.recipients.map((r) => r.toLowerCase()) }))
    .digest("hex");

  const existing = await services.store.jobs.create(
    {
      id: randomUUID(),
      apiKeyId: p.key.id,
      idempotencyKey: p.idempotencyKey,
      bodyHash,
      collectionId: p.collectionId,
      issuer: p.key.wallet,
      recipients: p.recipients,
    },
    new Date().toISOString(),
  );
  if (!existing.created && existing.job.bodyHash !== bodyHash) {
    throw new AppError("IDEMPOTENCY_CONFLICT", {}, {
      details: { jobId: existing.job.id },
    });
  }
  if (existing.created) {
    await services.sandbox.append({
      actor: p.key.id,
      action: "mint.accepted",
      decision: "queued",
      collectionId: p.collectionId,
      ref: existing.job.id,
      payload: { jobId: existing.job.id, issuer: p.key.wallet, recipients: p.recipients.length, idempotencyKey: p.idempotencyKey },
    });
    services.worker.wake();
  }
  return {
    jobId: existing.job.id,
    state: existing.job.state,
    collectionId: p.collectionId,
    recipients: p.recipients.length,
    created: existing.created,
    statusUrl: `/v1/jobs/${existing.job.id}`,
  };
}
