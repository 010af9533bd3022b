import { z } from "zod";
import { route } from "./contract";
import { Address, Bytes32, OptionalIdempotency, Text, TxHash } from "./common";
import { Pending } from "./operations";

export const EVIDENCE_KINDS = ["copyright", "business-licence", "kyc-dossier", "other"] as const;
export const RecordEvidenceBody = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  description: Text(500).default(""),
});

export const RecordedEvidence = z.object({
  evidenceId: Bytes32,
  hash: Bytes32,
  kind: z.enum(EVIDENCE_KINDS),
  txHash: TxHash,
  blockNumber: z.number().int(),
});

export const EvidenceView = z.object({
  evidenceId: Bytes32,
  hash: Bytes32,
  writer: Address,
  version: z.number().int(),
  recordedAt: z.string(),
  blockNumber: z.number().int(),
  metadata: z.string(),
});

export const evidenceRoutes = {
  recordEvidence: route({
    method: "post",
    path: "/v1/evidence",
    tag: "evidence",
    summary: "Record a document's sha256 in the EvidenceRegistry (存证), e.g. a copyright certificate",
    roles: ["issuer", "attestor", "admin"],
    body: RecordEvidenceBody,
    headers: OptionalIdempotency,
    multipart: { files: [{ name: "file", required: true, description: "the document; only its sha256 is kept" }] },
    status: 201,
    alternatives: { 202: Pending },
    response: RecordedEvidence,
  }),
  findEvidence: route({
    method: "get",
    path: "/v1/evidence/:hash",
    tag: "evidence",
    summary: "The evidence that recorded a hash",
    roles: ["issuer", "attestor", "auditor", "regulator", "admin"],
    params: z.strictObject({ hash: Bytes32 }),
    response: EvidenceView,
  }),
};
