import { z } from "zod";
import { Address, Bytes32 } from "../../shared/schemas";
import { defineRoute } from "../http/route";
import { resolveDid } from "../dids/resolve-did";
import { getIdentityOfWallet } from "./get-identity";
import { RegisterIdentityBody, registerIdentity } from "./register-identity";
import { ReasonBody, RenewBody, WalletBody, updateIdentity } from "./update-identity";

const IdParams = z.strictObject({ identityId: Bytes32 });
const READERS = ["attestor", "auditor", "regulator", "admin", "issuer"] as const;

export const identityRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/identities",
    tag: "identities",
    summary: "Register a wallet's identity (level, jurisdiction, expiry) with its KYC dossier or the dossier's hash",
    roles: ["attestor"],
    body: RegisterIdentityBody,
    multipart: { files: [{ name: "kycEvidence", required: false, description: "KYC dossier; only its sha256 is kept" }] },
    status: 201,
    handler: ({ services, body, files, auth }) =>
      registerIdentity(services, { ...body, kycEvidence: files.kycEvidence?.bytes, actor: auth!.id }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/identities/:address",
    tag: "identities",
    summary: "The identity a wallet belongs to, with its DID, level, status and linked wallets",
    roles: READERS,
    params: z.strictObject({ address: Address }),
    handler: ({ services, params }) => getIdentityOfWallet(services, params.address),
  }),
  defineRoute({
    method: "post",
    path: "/v1/identities/:identityId/renew",
    tag: "identities",
    summary: "Renew an identity until a new expiry",
    roles: ["attestor"],
    params: IdParams,
    body: RenewBody,
    handler: ({ services, params, body, auth }) =>
      updateIdentity(services, { action: "renew", identityId: params.identityId, ...body, actor: auth!.id }),
  }),
  defineRoute({
    method: "post",
    path: "/v1/identities/:identityId/wallets",
    tag: "identities",
    summary: "Link another wallet to an identity",
    roles: ["attestor"],
    params: IdParams,
    body: WalletBody,
    handler: ({ services, params, body, auth }) =>
      updateIdentity(services, { action: "link", identityId: params.identityId, ...body, actor: auth!.id }),
  }),
  defineRoute({
    method: "post",
    path: "/v1/identities/wallets/unlink",
    tag: "identities",
    summary: "Unlink a wallet from its identity",
    roles: ["attestor"],
    body: WalletBody,
    handler: ({ services, body, auth }) => updateIdentity(services, { action: "unlink", ...body, actor: auth!.id }),
  }),
  ...(["suspend", "reinstate", "revoke"] as const).map((action) =>
    defineRoute({
      method: "post",
      path: `/v1/identities/:identityId/${action}`,
      tag: "identities",
      summary: `${action[0].toUpperCase()}${action.slice(1)} an identity (regulator), with a reason`,
      roles: ["regulator"],
      params: IdParams,
      body: ReasonBody,
      handler: ({ services, params, body, auth }) =>
        updateIdentity(services, { action, identityId: params.identityId, reason: body.reason, actor: auth!.id }),
    }),
  ),
  defineRoute({
    method: "get",
    path: "/v1/dids/:did",
    tag: "identities",
    summary: "Resolve a DID (did:<method>:<chainId>:<identityId>) to a W3C DID document",
    roles: READERS,
    params: z.strictObject({ did: z.string().min(1).max(200) }),
    handler: ({ services, params }) => resolveDid(services, params.did),
  }),
];
