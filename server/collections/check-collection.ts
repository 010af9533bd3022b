import type { CollectionRequest, ComplianceDecision } from "../../shared/api";
import { AppError } from "../errors";
import { runCompliance, type ComplianceDeps } from "../compliance/run-compliance";
import type { ApiKeyRecord } from "../store/store";

export interface CheckCollectionParams {
  request: CollectionRequest;
  media?: { bytes: Uint8Array; filename?: string; mimetype?: string };
  copyrightEvidence?: { bytes: Uint8Array; filename?: string };
  key: ApiKeyRecord;
}

/**
 * POST /v1/collections/check: runs every compliance check on a collection request without writing
 * anything but the decision to the sandbox log, so an issuer can fix a request before submitting it.
 *
 * @example
 * const decision = await checkCollection(services, { request, media, copyrightEvidence, key });
 */
export async function checkCollection(deps: ComplianceDeps, p: CheckCollectionParams): Promise<ComplianceDecision> {
  if (p.key.role !== "issuer" || !p.key.wallet) throw new AppError("ISSUER_KEY_REQUIRED");
  return runCompliance(
    deps,
    "collection",
    {
      issuer: { wallet: p.key.wallet, apiKeyId: p.key.id },
      request: p.request,
      media: p.media && { bytes: p.media.bytes, filename: p.media.filename, declaredType: p.media.mimetype },
      copyrightEvidence: p.copyrightEvidence,
    },
    { actor: p.key.id },
  );
}
