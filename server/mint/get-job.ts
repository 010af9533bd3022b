import { AppError } from "../errors";
import type { Services } from "../services";
import type { ApiKeyRecord, ItemState, JobRecord } from "../store/store";

export interface JobView extends Omit<JobRecord, "bodyHash" | "apiKeyId"> {
  counts: Record<ItemState | "total", number>;
  items: Array<{ idx: number; recipient: string; state: ItemState; tokenId: string | null; txHash: string | null; reason: string | null }>;
}

/**
 * GET /v1/jobs/:id: progress of a mint job with a state and reason per recipient. Issuers see their own
 * jobs only.
 *
 * @example
 * const job = await getJob(services, jobId, key);
 */
export async function getJob(services: Pick<Services, "store">, jobId: string, key: ApiKeyRecord): Promise<JobView> {
  const job = await services.store.jobs.get(jobId);
  if (!job || (key.role === "issuer" && job.apiKeyId !== key.id && job.issuer.toLowerCase() !== key.wallet?.toLowerCase())) {
    throw new AppError("JOB_NOT_FOUND", { jobId });
  }
  if (!["issuer", "admin", "regulator", "auditor"].includes(key.role)) throw new AppError("ROLE_FORBIDDEN", { required: ["issuer", "admin", "regulator", "auditor"] });
  const items = await services.store.jobs.items(jobId);
  const counts: JobView["counts"] = { total: items.length, pending: 0, submitted: 0, minted: 0, failed: 0 };
  for (const i of items) counts[i.state] += 1;
  const { bodyHash: _b, apiKeyId: _a, ...rest } = job;
  return {
    ...rest,
    counts,
    items: items.map((i) => ({ idx: i.idx, recipient: i.recipient, state: i.state, tokenId: i.tokenId, txHash: i.txHash, reason: i.reason })),
  };
}
