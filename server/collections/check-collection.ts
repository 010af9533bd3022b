import type { CollectionRequest, ComplianceDecision } from "../../shared/schemas";
import { ForbiddenError } from "../errors";
import type { Services } from "../http/services";
import type { ApiKeyRecord } from "../store/store";
import { runCompliance } from "./run-compliance";

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
export async function checkCollection(services: Services, p: CheckCollectionParams): Promise<ComplianceDecision> {
  if (p.key.role !== "issuer" || !p.key.wallet) {
    throw new ForbiddenError("ISSUER_KEY_REQUIRED", "Collections are checked and created with an issuer's API key.");
  }
  return runCompliance(
    services,
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
