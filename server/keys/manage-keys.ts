import { randomUUID } from "node:crypto";
import { PRIVILEGED_ROLES, type ApiRole } from "../../shared/domain";
import { createApiKey, hashApiKey, newApiKeyToken } from "../auth/api-keys";
import { keyConfirmationRequired } from "../config";
import { AppError } from "../errors";
import type { Services } from "../services";
import type { ApiKeyRecord } from "../store/store";

type Deps = Pick<Services, "store" | "sandbox" | "config" | "chain">;

export interface CreateKeyParams {
  role: ApiRole;
  label: string;
  wallet?: string;
  identityId?: string;
  by: ApiKeyRecord;
}

/** How long a privileged key request waits for its second administrator. */
const REQUEST_TTL_MS = 24 * 3_600_000;

const view = (r: ApiKeyRecord) => ({ ...r });

/**
 * POST /v1/keys: creates an API key (the secret is shown once). A regulator, attestor or admin key acts
 * with powers a stolen admin key must not grant by itself: outside a local chain (or with
 * KEY_CONFIRMATION=required) it is only requested here, and created when another administrator confirms.
 * Every creation, request and refusal is on the sandbox log.
 *
 * @example
 * const created = await createKey(services, { role: "issuer", label: "pilot A", wallet, by: adminKey });
 */
export async function createKey(services: Deps, p: CreateKeyParams) {
  const privileged = PRIVILEGED_ROLES.includes(p.role);
  if (privileged && keyConfirmationRequired(services.config, services.chain.chainId)) {
    const at = new Date();
    const request = {
      id: randomUUID(),
      role: p.role,
      label: p.label,
      wallet: p.wallet ?? null,
      identityId: p.identityId ?? null,
      requestedBy: p.by.id,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + REQUEST_TTL_MS).toISOString(),
      keyId: null,
    };
    await services.store.apiKeys.addRequest(request);
    await services.sandbox.append({
      actor: p.by.id,
      action: "key.created",
      decision: "pending",
      ref: request.id,
      payload: { requestId: request.id, role: p.role, label: p.label, awaiting: "a second administrator" },
    });
    return {
      status: 202 as const,
      body: {
        requestId: request.id,
        state: "awaiting-confirmation" as const,
        role: p.role,
        label: p.label,
        requestedBy: p.by.id,
        expiresAt: request.expiresAt,
        confirmUrl: `/v1/keys/requests/${request.id}/confirm`,
      },
    };
  }
  const { record, token } = await createApiKey(services.store, { role: p.role, label: p.label, wallet: p.wallet, identityId: p.identityId });
  await services.sandbox.append({
    actor: p.by.id,
    action: "key.created",
    decision: "created",
    ref: record.id,
    payload: { keyId: record.id, role: record.role, label: record.label, wallet: record.wallet },
  });
  return { status: 201 as const, body: { ...view(record), token } };
}

/** POST /v1/keys/requests/:id/confirm: another administrator confirms a privileged key request. */
export async function confirmKey(services: Deps, requestId: string, by: ApiKeyRecord) {
  const request = await services.store.apiKeys.getRequest(requestId);
  const refuse = async (why: string) => {
    await services.sandbox.append({ actor: by.id, action: "key.refused", decision: "refused", ref: requestId, payload: { requestId, why } });
    return new AppError("KEY_CONFIRMATION_INVALID", {}, { details: { why } });
  };
  if (!request) throw await refuse("no such request");
  if (request.requestedBy === by.id) throw await refuse("the requester cannot confirm its own request");
  if (request.keyId) throw await refuse("already confirmed");
  if (Date.parse(request.expiresAt) < Date.now()) throw await refuse("expired");
  const token = newApiKeyToken(request.role);
  const record: ApiKeyRecord = {
    id: randomUUID(),
    role: request.role,
    label: request.label,
    wallet: request.wallet,
    identityId: request.identityId,
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  if (!(await services.store.apiKeys.confirmRequest(requestId, record, hashApiKey(token)))) throw await refuse("already confirmed");
  await services.sandbox.append({
    actor: by.id,
    action: "key.created",
    decision: "created",
    ref: record.id,
    payload: { keyId: record.id, role: record.role, label: record.label, requestId, requestedBy: request.requestedBy, confirmedBy: by.id },
  });
  return { ...view(record), token };
}

/** POST /v1/keys/:id/revoke. */
export async function revokeKey(services: Deps, keyId: string, by: ApiKeyRecord) {
  if (!(await services.store.apiKeys.revoke(keyId, new Date().toISOString()))) throw new AppError("KEY_NOT_FOUND", { keyId });
  await services.sandbox.append({ actor: by.id, action: "key.revoked", decision: "done", ref: keyId, payload: { keyId } });
  return { id: keyId, revoked: true as const };
}
