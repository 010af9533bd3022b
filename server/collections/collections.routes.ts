import { API } from "../../shared/api";
import { implement } from "../http/route";
import { changeMetadata } from "./change-metadata";
import { checkCollection } from "./check-collection";
import { createCollection } from "./create-collection";
import { getCollection } from "./get-collection";

export const collectionRoutes = [
  implement(API.createCollection, ({ services, body, files, auth, headers }) =>
    createCollection(services, {
      request: body,
      media: files.media,
      copyrightEvidence: files.copyrightEvidence,
      key: auth!,
      idempotencyKey: headers["idempotency-key"],
    }),
  ),
  implement(API.checkCollection, ({ services, body, files, auth }) =>
    checkCollection(services, { request: body, media: files.media, copyrightEvidence: files.copyrightEvidence, key: auth! }),
  ),
  implement(API.getCollection, ({ services, params }) => getCollection(services, params.id)),
  implement(API.changeMetadata, ({ services, params, body, auth, headers }) =>
    changeMetadata(services, { collectionId: params.id, request: body, key: auth!, idempotencyKey: headers["idempotency-key"] }),
  ),
];
