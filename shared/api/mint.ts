import { z } from "zod";
import { route } from "./contract";
import { Address, DecimalId, OptionalIdempotency, TxHash, Uuid } from "./common";

export const MintBody = z.strictObject({ recipients: z.array(Address).min(1) });

export const JOB_STATES = ["queued", "running", "done", "failed"] as const;
export const JobState = z.enum(JOB_STATES);
export const ITEM_STATES = ["pending", "submitted", "minted", "failed"] as const;
export const ItemState = z.enum(ITEM_STATES);

export const EnqueuedMint = z.object({
  jobId: Uuid,
  state: JobState,
  collectionId: DecimalId,
  recipients: z.number().int(),
  /** false when the Idempotency-Key had been seen with the same body. */
  created: z.boolean(),
  statusUrl: z.string(),
});

export const JobView = z.object({
  id: Uuid,
  idempotencyKey: z.string(),
  collectionId: DecimalId,
  issuer: Address,
  state: JobState,
  /** Why the job is where it is (e.g. "waiting for the chain: the node cannot be reached"). */
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.object({ total: z.number(), pending: z.number(), submitted: z.number(), minted: z.number(), failed: z.number() }),
  items: z.array(
    z.object({
      idx: z.number().int(),
      recipient: Address,
      state: ItemState,
      tokenId: z.string().nullable(),
      txHash: TxHash.nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export type JobView = z.infer<typeof JobView>;

export const mintRoutes = {
  enqueueMint: route({
    method: "post",
    path: "/v1/collections/:id/mint",
    tag: "mint",
    summary: "Accept a mint job (≤ MAX_RECIPIENTS recipients) under an Idempotency-Key; 202 with the job id",
    roles: ["issuer"],
    params: z.strictObject({ id: DecimalId }),
    body: MintBody,
    // Required: a missing key is refused with IDEMPOTENCY_KEY_REQUIRED (the schema only checks its form).
    headers: OptionalIdempotency,
    status: 202,
    response: EnqueuedMint,
  }),
  getJob: route({
    method: "get",
    path: "/v1/jobs/:id",
    tag: "mint",
    summary: "Progress of a mint job: counts, and a state and reason per recipient",
    roles: ["issuer", "auditor", "regulator", "admin"],
    params: z.strictObject({ id: Uuid }),
    response: JobView,
  }),
};
