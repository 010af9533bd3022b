import { z } from "zod";
import { API_ROLES } from "../domain";
import { route } from "./contract";
import { Address, Bytes32, Label, Uuid } from "./common";

export const ApiKeyView = z.object({
  id: Uuid,
  role: z.enum(API_ROLES),
  label: z.string(),
  wallet: Address.nullable(),
  identityId: Bytes32.nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const CreateKeyBody = z
  .strictObject({
    role: z.enum(API_ROLES),
    label: Label(100, 1),
    wallet: Address.optional(),
    identityId: Bytes32.optional(),
  })
  .refine((b) => b.role !== "issuer" || b.wallet, { message: "an issuer key needs the issuer's wallet", path: ["wallet"] });

/** The key, with its secret: shown once. */
export const CreatedKey = ApiKeyView.extend({ token: z.string() });

/** A privileged key waiting for a second administrator. */
export const KeyRequest = z.object({
  requestId: Uuid,
  state: z.literal("awaiting-confirmation"),
  role: z.enum(API_ROLES),
  label: z.string(),
  requestedBy: Uuid,
  expiresAt: z.string(),
  confirmUrl: z.string(),
});

export const keyRoutes = {
  createKey: route({
    method: "post",
    path: "/v1/keys",
    tag: "keys",
    summary: "Create an API key with one role (the secret is shown once); regulator, attestor and admin keys need a second administrator",
    roles: ["admin"],
    body: CreateKeyBody,
    status: 201,
    alternatives: { 202: KeyRequest },
    response: CreatedKey,
  }),
  confirmKey: route({
    method: "post",
    path: "/v1/keys/requests/:id/confirm",
    tag: "keys",
    summary: "A second administrator confirms a privileged key request; the secret is shown once",
    roles: ["admin"],
    params: z.strictObject({ id: Uuid }),
    status: 201,
    response: CreatedKey,
  }),
  listKeys: route({
    method: "get",
    path: "/v1/keys",
    tag: "keys",
    summary: "List API keys (never their secrets)",
    roles: ["admin"],
    response: z.object({ keys: z.array(ApiKeyView) }),
  }),
  revokeKey: route({
    method: "post",
    path: "/v1/keys/:id/revoke",
    tag: "keys",
    summary: "Revoke an API key",
    roles: ["admin"],
    params: z.strictObject({ id: Uuid }),
    response: z.object({ id: Uuid, revoked: z.literal(true) }),
  }),
  whoAmI: route({
    method: "get",
    path: "/v1/keys/me",
    tag: "keys",
    summary: "The key this request is made with: its role, label and wallet (the console shows it)",
    roles: ["issuer", "attestor", "auditor", "regulator", "admin"],
    response: ApiKeyView,
  }),
};
