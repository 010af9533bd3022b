import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { ApiKeyRecord, ApiRole, Store } from "../store/store";

/** A new secret for a key of `role` ("dar_<role>_…"). */
export const newApiKeyToken = (role: ApiRole) => `dar_${role}_${randomBytes(24).toString("base64url")}`;

/** sha256 of an API key; only this is stored. */
export const hashApiKey = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export interface CreateApiKeyParams {
  role: ApiRole;
  label: string;
  /** Issuer keys: the issuer's wallet (and identity id), which the gateway acts for. */
  wallet?: string;
  identityId?: string;
}

export interface CreateApiKeyResult {
  record: ApiKeyRecord;
  /** The secret, shown once. */
  token: string;
}

/**
 * Creates an API key with one role. The token is returned once and stored only as a hash.
 *
 * @example
 * const { token } = await createApiKey(store, { role: "issuer", label: "pilot A", wallet: "0x…" });
 */
export async function createApiKey(store: Store, params: CreateApiKeyParams): Promise<CreateApiKeyResult> {
  if (params.role === "issuer" && !params.wallet) throw new Error("an issuer key must be bound to the issuer's wallet");
  const token = newApiKeyToken(params.role);
  const record: ApiKeyRecord = {
    id: randomUUID(),
    role: params.role,
    label: params.label,
    wallet: params.wallet ?? null,
    identityId: params.identityId ?? null,
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  await store.apiKeys.create(record, hashApiKey(token));
  return { record, token };
}
