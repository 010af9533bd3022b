import { API } from "../../shared/api";
import { resolveDid } from "../dids/resolve-did";
import { implement } from "../http/route";
import { getIdentityOfWallet } from "./get-identity";
import { registerIdentity } from "./register-identity";
import { updateIdentity } from "./update-identity";

export const identityRoutes = [
  implement(API.registerIdentity, ({ services, body, files, auth, headers }) =>
    registerIdentity(services, { ...body, kycEvidence: files.kycEvidence?.bytes, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
  ),
  implement(API.getIdentityOfWallet, ({ services, params }) => getIdentityOfWallet(services, params.address)),
  implement(API.renewIdentity, ({ services, params, body, auth, headers }) =>
    updateIdentity(services, { action: "renew", identityId: params.identityId, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
  ),
  implement(API.linkWallet, ({ services, params, body, auth, headers }) =>
    updateIdentity(services, { action: "link", identityId: params.identityId, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
  ),
  implement(API.unlinkWallet, ({ services, body, auth, headers }) =>
    updateIdentity(services, {
      action: "unlink",
      ...body,
      by: auth!.role === "regulator" ? "regulator" : "attestor",
      actor: auth!.id,
      idempotencyKey: headers["idempotency-key"],
    }),
  ),
  ...(["suspend", "reinstate", "revoke"] as const).map((action) =>
    implement(API[`${action}Identity`], ({ services, params, body, auth, headers }) =>
      updateIdentity(services, { action, identityId: params.identityId, reason: body.reason, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
    ),
  ),
  implement(API.resolveDid, ({ services, params }) => resolveDid(services, params.did)),
];
