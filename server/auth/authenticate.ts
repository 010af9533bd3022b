import type { Request } from "express";
import { ForbiddenError, UnauthorizedError } from "../errors";
import type { ApiKeyRecord, ApiRole, Store } from "../store/store";
import { hashApiKey } from "./api-keys";

/**
 * Resolves the bearer API key of a request and checks its role.
 * Throws 401 AUTH_MISSING / AUTH_INVALID / AUTH_REVOKED, or 403 ROLE_FORBIDDEN.
 */
export async function authenticate(store: Store, req: Request, roles: readonly ApiRole[]): Promise<ApiKeyRecord> {
  const header = req.get("authorization");
  if (!header) throw new UnauthorizedError("AUTH_MISSING", "Send an API key as 'Authorization: Bearer <key>'.");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError("AUTH_MALFORMED", "The Authorization header must be 'Bearer <key>'.");
  const key = await store.apiKeys.findByHash(hashApiKey(match[1]));
  if (!key) throw new UnauthorizedError("AUTH_INVALID", "The API key is not valid.");
  if (key.revokedAt) throw new UnauthorizedError("AUTH_REVOKED", "The API key was revoked.", { details: { keyId: key.id } });
  if (!roles.includes(key.role)) {
    throw new ForbiddenError("ROLE_FORBIDDEN", `This endpoint needs one of the roles: ${roles.join(", ")}.`, {
      details: { keyId: key.id, role: key.role, required: roles },
    });
  }
  return key;
}
