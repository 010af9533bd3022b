import { z } from "zod";
import { Address } from "../../shared/schemas";
import { defineRoute } from "../http/route";
import { TokenIdParam } from "../tokens/token-id";
import { ForceBody, RegulatorBody, TakedownBody, regulatorAction } from "./regulator-action";

const R = ["regulator"] as const;
const WalletParam = z.strictObject({ address: Address });

export const regulatorRoutes = [
  ...(["freeze", "unfreeze"] as const).flatMap((verb) => [
    defineRoute({
      method: "post",
      path: `/v1/regulator/wallets/:address/${verb}`,
      tag: "regulator",
      summary: `${verb === "freeze" ? "Freeze" : "Unfreeze"} a wallet, with a reason and evidence`,
      roles: R,
      params: WalletParam,
      body: RegulatorBody,
      handler: ({ services, params, body, auth }) =>
        regulatorAction(services, { action: `${verb}Wallet`, wallet: params.address, ...body, actor: auth!.id }),
    }),
    defineRoute({
      method: "post",
      path: `/v1/regulator/tokens/:id/${verb}`,
      tag: "regulator",
      summary: `${verb === "freeze" ? "Freeze" : "Unfreeze"} a token, with a reason and evidence`,
      roles: R,
      params: TokenIdParam,
      body: RegulatorBody,
      handler: ({ services, params, body, auth }) =>
        regulatorAction(services, { action: `${verb}Token`, tokenId: params.id, ...body, actor: auth!.id }),
    }),
  ]),
  ...(["pause", "unpause"] as const).map((action) =>
    defineRoute({
      method: "post",
      path: `/v1/regulator/${action}`,
      tag: "regulator",
      summary: `${action === "pause" ? "Pause" : "Resume"} all movement of tokens`,
      roles: R,
      body: RegulatorBody,
      handler: ({ services, body, auth }) => regulatorAction(services, { action, ...body, actor: auth!.id }),
    }),
  ),
  defineRoute({
    method: "post",
    path: "/v1/regulator/tokens/:id/force-transfer",
    tag: "regulator",
    summary: "Forced transfer (e.g. lost-wallet recovery); the recipient must still be verified",
    roles: R,
    params: TokenIdParam,
    body: ForceBody,
    handler: ({ services, params, body, auth }) =>
      regulatorAction(services, { action: "forcedTransfer", tokenId: params.id, ...body, actor: auth!.id }),
  }),
  defineRoute({
    method: "post",
    path: "/v1/regulator/takedown",
    tag: "regulator",
    summary: "Burn tokens of an infringing work (维权)",
    roles: R,
    body: TakedownBody,
    handler: ({ services, body, auth }) => regulatorAction(services, { action: "takedown", ...body, actor: auth!.id }),
  }),
];
