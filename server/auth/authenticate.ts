import type { Request } from "express";
import { AppError } from "../errors";
import type { ApiKeyRecord, ApiRole, Store } from "../store/store";
import { hashApiKey } from "./api-keys";

/** The token of an `Authorization: Bearer <token>` header. Throws 401 AUTH_MISSING or AUTH_MALFORMED. */
export function bearerToken(header: string | undefined): string {
  if (!header) throw new AppError("AUTH_MISSING");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("AUTH_MALFORMED");
  return match[1];
}

/** The active API key of a bearer token. Throws 401 AUTH_INVALID or AUTH_REVOKED. */
export async function activeKey(store: Store, token: string): Promise<ApiKeyRecord> {
  const key = await store.apiKeys.findByHash(hashApiKey(token));
  if (!key) throw new AppError("AUTH_INVALID");
  if (key.revokedAt) throw new AppError("AUTH_REVOKED", {}, { details: { keyId: key.id } });
  return key;
}

/**
 * Resolves the bearer API key of a request and checks its role.
 * Throws 401 AUTH_MISSING / AUTH_MALFORMED / AUTH_INVALID / AUTH_REVOKED, or 403 ROLE_FORBIDDEN.
 */
export async function authenticate(store: Store, req: Request, roles: readonly ApiRole[]): Promise<ApiKeyRecord> {
  const key = await activeKey(store, bearerToken(req.get("authorization")));
  if (!roles.includes(key.role)) {
    throw new AppError("ROLE_FORBIDDEN", { required: roles }, {
      details: { keyId: key.id, role: key.role, required: roles },
    });
  }
  return key;
}
