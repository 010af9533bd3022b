import { z } from "zod";
import { CollectionRequest } from "../../shared/schemas";
import { defineRoute } from "../http/route";
import { assertIssuerOwnsCollection, enqueueMint, MintBody } from "../mint/enqueue-mint";
import { getJob } from "../mint/get-job";
import { checkCollection } from "./check-collection";
import { createCollection } from "./create-collection";
import { getCollection } from "./get-collection";

const FILES = {
  files: [
    { name: "media", required: true, description: "the work's media file (its sha256 is the content hash)" },
    { name: "copyrightEvidence", required: true, description: "copyright evidence (its sha256 must be recorded in the EvidenceRegistry)" },
  ],
};
const CheckFiles = { files: FILES.files.map((f) => ({ ...f, required: false })) };
const IdParams = z.strictObject({ id: z.string().regex(/^[0-9]{1,20}$/, "must be a decimal collection id") });

export const collectionRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/collections",
    tag: "collections",
    summary: "Create a collection: compliance first, then pin media + metadata, then create it on chain",
    roles: ["issuer"],
    body: CollectionRequest,
    multipart: FILES,
    status: 201,
    handler: ({ services, body, files, auth }) =>
      createCollection(services, { request: body, media: files.media, copyrightEvidence: files.copyrightEvidence, key: auth! }),
  }),
  defineRoute({
    method: "post",
    path: "/v1/collections/check",
    tag: "collections",
    summary: "Run every compliance check on a collection request without writing anything",
    roles: ["issuer"],
    body: CollectionRequest,
    multipart: CheckFiles,
    handler: ({ services, body, files, auth }) =>
      checkCollection(services, { request: body, media: files.media, copyrightEvidence: files.copyrightEvidence, key: auth! }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/collections/:id",
    tag: "collections",
    summary: "A collection as recorded on chain",
    roles: ["issuer", "auditor", "regulator", "admin", "attestor"],
    params: IdParams,
    handler: ({ services, params }) => getCollection(services, params.id),
  }),
  defineRoute({
    method: "post",
    path: "/v1/collections/:id/mint",
    tag: "mint",
    summary: "Accept a mint job (≤ MAX_RECIPIENTS recipients) under an Idempotency-Key; 202 with the job id",
    roles: ["issuer"],
    params: IdParams,
    body: MintBody,
    headers: [{ name: "Idempotency-Key", required: true, description: "same key + same body = same job; other body = 409" }],
    status: 202,
    handler: async ({ services, params, body, auth, req }) => {
      await assertIssuerOwnsCollection(services, params.id, auth!);
      return enqueueMint(services, {
        collectionId: params.id,
        recipients: body.recipients,
        idempotencyKey: req.get("idempotency-key"),
        key: auth!,
      });
    },
  }),
  defineRoute({
    method: "get",
    path: "/v1/jobs/:id",
    tag: "mint",
    summary: "Progress of a mint job: counts, and a state and reason per recipient",
    roles: ["issuer", "auditor", "regulator", "admin"],
    params: z.strictObject({ id: z.uuid() }),
    handler: ({ services, params, auth }) => getJob(services, params.id, auth!),
  }),
];
