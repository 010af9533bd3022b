import type { Request } from "express";
import { AppError } from "../errors";
import type { ApiKeyRecord, ApiRole, Store } from "../store/store";
import { hashApiKey } from "./api-keys";

/**
 * Resolves the bearer API key of a request and checks its role.
 * Throws 401 AUTH_MISSING / AUTH_INVALID / AUTH_REVOKED, or 403 ROLE_FORBIDDEN.
 */
export async function authenticate(store: Store, req: Request, roles: readonly ApiRole[]): Promise<ApiKeyRecord> {
  const header = req.get("authorization");
  if (!header) throw new AppError("AUTH_MISSING");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AppError("AUTH_MALFORMED");
  const key = await store.apiKeys.findByHash(hashApiKey(match[1]));
  if (!key) throw new AppError("AUTH_INVALID");
  if (key.revokedAt) throw new AppError("AUTH_REVOKED", {}, { details: { keyId: key.id } });
  if (!roles.includes(key.role)) {
    throw new AppError("ROLE_FORBIDDEN", { required: roles }, {
      details: { keyId: key.id, role: key.role, required: roles },
    });
  }
  return key;
}
