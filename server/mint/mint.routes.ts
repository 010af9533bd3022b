import { API } from "../../shared/api";
import { assertIssuerOwnsCollection } from "../collections/ownership";
import { implement } from "../http/route";
import { enqueueMint } from "./enqueue-mint";
import { getJob } from "./get-job";

export const mintRoutes = [
  implement(API.enqueueMint, async ({ services, params, body, auth, headers }) => {
    await assertIssuerOwnsCollection(services, params.id, auth!);
    return enqueueMint(services, { collectionId: params.id, recipients: body.recipients, idempotencyKey: headers["idempotency-key"], key: auth! });
  }),
  implement(API.getJob, ({ services, params, auth }) => getJob(services, params.id, auth!)),
];
