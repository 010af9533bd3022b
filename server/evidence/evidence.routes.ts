import { z } from "zod";
import { Bytes32 } from "../../shared/schemas";
import { defineRoute } from "../http/route";
import { RecordEvidenceBody, findEvidence, recordEvidence } from "./record-evidence";

export const evidenceRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/evidence",
    tag: "evidence",
    summary: "Record a document's sha256 in the EvidenceRegistry (存证), e.g. a copyright certificate",
    roles: ["issuer", "attestor", "admin"],
    body: RecordEvidenceBody,
    multipart: { files: [{ name: "file", required: true, description: "the document; only its sha256 is kept" }] },
    status: 201,
    handler: ({ services, body, files, auth }) => recordEvidence(services, { ...body, bytes: files.file!.bytes, actor: auth!.id }),
  }),
  defineRoute({
    method: "get",
    path: "/v1/evidence/:hash",
    tag: "evidence",
    summary: "The evidence that recorded a hash",
    roles: ["issuer", "attestor", "auditor", "regulator", "admin"],
    params: z.strictObject({ hash: Bytes32 }),
    handler: ({ services, params }) => findEvidence(services, params.hash),
  }),
];
