import { z } from "zod";
import { Address, Bytes32, Text } from "../../shared/schemas";
import { createApiKey } from "../auth/api-keys";
import { NotFoundError } from "../errors";
import { defineRoute } from "../http/route";
import { API_ROLES } from "../store/store";

const CreateKeyBody = z
  .strictObject({
    role: z.enum(API_ROLES),
    label: Text(100, 1),
    wallet: Address.optional(),
    identityId: Bytes32.optional(),
  })
  .refine((b) => b.role !== "issuer" || b.wallet, { message: "an issuer key needs the issuer's wallet", path: ["wallet"] });

export const keyRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/keys",
    tag: "keys",
    summary: "Create an API key with one role (the secret is shown once)",
    roles: ["admin"],
    body: CreateKeyBody,
    status: 201,
    handler: async ({ services, body }) => {
      const { record, token } = await createApiKey(services.store, body);
      return { ...record, token };
    },
  }),
  defineRoute({
    method: "get",
    path: "/v1/keys",
    tag: "keys",
    summary: "List API keys (never their secrets)",
    roles: ["admin"],
    handler: async ({ services }) => ({ keys: await services.store.apiKeys.list() }),
  }),
  defineRoute({
    method: "post",
    path: "/v1/keys/:id/revoke",
    tag: "keys",
    summary: "Revoke an API key",
    roles: ["admin"],
    params: z.strictObject({ id: z.uuid() }),
    handler: async ({ services, params }) => {
      if (!(await services.store.apiKeys.revoke(params.id, new Date().toISOString()))) {
        throw new NotFoundError("KEY_NOT_FOUND", `No active key ${params.id}.`);
      }
      return { id: params.id, revoked: true };
    },
  }),
];
