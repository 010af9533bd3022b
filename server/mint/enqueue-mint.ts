import { randomUUID, createHash } from "node:crypto";
import { z } from "zod";
import { Address } from "../../shared/schemas";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../errors";
import type { Services } from "../http/services";
import type { ApiKeyRecord, JobRecord } from "../store/store";

export const MintBody = z.strictObject({
  recipients: z.array(Address).min(1),
});

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

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * POST /v1/collections/:id/mint: stores the job durably, then answers 202; the worker mints it.
 * The same Idempotency-Key with the same body returns the same job; with another body, 409.
 *
 * @example
 * const { jobId } = await enqueueMint(services, { collectionId: "1", recipients, idempotencyKey: "order-42", key });
 */
export async function enqueueMint(services: Services, p: EnqueueMintParams): Promise<EnqueuedMint> {
  if (!p.idempotencyKey) throw new BadRequestError("IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header.");
  if (!IDEMPOTENCY_KEY.test(p.idempotencyKey)) {
    throw new BadRequestError("INVALID_IDEMPOTENCY_KEY", "The Idempotency-Key must be 1–200 characters of A–Z a–z 0–9 . _ : -");
  }
  if (p.key.role !== "issuer" || !p.key.wallet) throw new ForbiddenError("ISSUER_KEY_REQUIRED", "Minting needs an issuer's API key.");
  const max = services.config.MAX_RECIPIENTS;
  if (p.recipients.length > max) {
    throw new BadRequestError("TOO_MANY_RECIPIENTS", `At most ${max} recipients per request.`, {
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
    throw new ConflictError("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was used with a different request.", {
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

/** Checks the collection exists and belongs to the key's issuer (before accepting a job). */
export async function assertIssuerOwnsCollection(services: Services, collectionId: string, key: ApiKeyRecord): Promise<void> {
  const { chain } = services;
  const count = await chain.read(() => chain.rights.collectionCount());
  if (BigInt(collectionId) < 1n || BigInt(collectionId) > count) {
    throw new NotFoundError("COLLECTION_NOT_FOUND", `Collection ${collectionId} does not exist.`);
  }
  const c = await chain.read(() => chain.rights.getCollection(collectionId));
  if (c.issuer.toLowerCase() !== key.wallet?.toLowerCase()) {
    throw new ForbiddenError("ISSUER_MISMATCH", `Collection ${collectionId} belongs to another issuer.`);
  }
}
