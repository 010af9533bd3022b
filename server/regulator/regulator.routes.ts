import { API } from "../../shared/api";
import { implement } from "../http/route";
import { regulatorAction } from "./regulator-action";

export const regulatorRoutes = [
  ...(["freeze", "unfreeze"] as const).flatMap((verb) => [
    implement(API[`${verb}Wallet`], ({ services, params, body, auth, headers }) =>
      regulatorAction(services, { action: `${verb}Wallet`, wallet: params.address, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
    ),
    implement(API[`${verb}Token`], ({ services, params, body, auth, headers }) =>
      regulatorAction(services, { action: `${verb}Token`, tokenId: params.id, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
    ),
  ]),
  ...(["pause", "unpause"] as const).map((action) =>
    implement(API[action], ({ services, body, auth, headers }) =>
      regulatorAction(services, { action, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
    ),
  ),
  implement(API.forcedTransfer, ({ services, params, body, auth, headers }) =>
    regulatorAction(services, { action: "forcedTransfer", tokenId: params.id, ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
  ),
  implement(API.takedown, ({ services, body, auth, headers }) =>
    regulatorAction(services, { action: "takedown", ...body, actor: auth!.id, idempotencyKey: headers["idempotency-key"] }),
  ),
];
