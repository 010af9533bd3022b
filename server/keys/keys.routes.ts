import { API } from "../../shared/api";
import { implement, reply } from "../http/route";
import { confirmKey, createKey, revokeKey } from "./manage-keys";

export const keyRoutes = [
  implement(API.createKey, async ({ services, body, auth }) => {
    const out = await createKey(services, { ...body, by: auth! });
    return out.status === 202 ? reply.json(202, out.body) : out.body;
  }),
  implement(API.confirmKey, ({ services, params, auth }) => confirmKey(services, params.id, auth!)),
  implement(API.listKeys, async ({ services }) => ({ keys: await services.store.apiKeys.list() })),
  implement(API.revokeKey, ({ services, params, auth }) => revokeKey(services, params.id, auth!)),
  implement(API.whoAmI, async ({ auth }) => auth!),
];
