import { z } from "zod";
import { route } from "./contract";
import { Address, Bytes32, Cid, DecimalId, OptionalIdempotency, RightName, Text, TransferMode, TxHash, Label } from "./common";
import { ComplianceDecision } from "./compliance";
import { Pending } from "./operations";

export const Attribute = z.strictObject({
  trait_type: Label(64, 1),
  value: z.union([Text(256), z.number()]),
});

/** The JSON part of POST /v1/collections (multipart field `data`) and of /v1/collections/check. */
export const CollectionRequest = z.strictObject({
  name: Label(128, 1),
  description: Text(4000).default(""),
  attributes: z.array(Attribute).max(50).default([]),
  editionSize: z.number().int().positive().max(16_777_215),
  royalty: z
    .strictObject({ receiver: Address, bps: z.number().int().min(0).max(10_000) })
    .default({ receiver: "0x0000000000000000000000000000000000000000", bps: 0 }),
  licence: z.strictObject({
    /** Licence text, pinned to IPFS by the gateway. */
    text: Text(20_000, 1),
    rights: z.array(RightName).min(1).max(4),
  }),
  transferPolicy: z.strictObject({
    mode: TransferMode,
    holdingPeriodDays: z.number().int().min(0).max(36_500),
    minLevel: z.number().int().min(1).max(4),
  }),
});
export type CollectionRequest = z.infer<typeof CollectionRequest>;

/** The JSON part of POST /v1/collections/:id/metadata: the new public metadata, reviewed like a new collection's. */
export const MetadataChangeRequest = z.strictObject({
  name: Label(128, 1),
  description: Text(4000).default(""),
  attributes: z.array(Attribute).max(50).default([]),
});
export type MetadataChangeRequest = z.infer<typeof MetadataChangeRequest>;

export const CreatedCollection = z.object({
  collectionId: DecimalId,
  issuer: Address,
  contentHash: Bytes32,
  mediaCID: Cid,
  metadataCID: Cid,
  licenceCID: Cid,
  complianceRef: Bytes32,
  txHash: TxHash,
  tokenURI: z.string(),
});
export type CreatedCollection = z.infer<typeof CreatedCollection>;

export const MetadataChanged = z.object({
  collectionId: DecimalId,
  metadataCID: Cid,
  complianceRef: Bytes32,
  txHash: TxHash,
});

export const CollectionView = z.object({
  collectionId: DecimalId,
  issuer: Address,
  issuerDid: z.string(),
  contentHash: Bytes32,
  metadataCID: Cid,
  tokenURI: z.string(),
  licenceCID: Cid,
  rights: z.array(RightName),
  maxSupply: z.number().int(),
  minted: z.number().int(),
  burned: z.number().int(),
  totalSupply: z.number().int(),
  royalty: z.object({ receiver: Address, bps: z.number().int() }),
  transferPolicy: z.object({ mode: TransferMode, holdingPeriodSeconds: z.number().int(), minLevel: z.number().int() }),
  complianceRef: Bytes32,
  metadataComplianceRef: Bytes32.nullable(),
  createdAt: z.string(),
});
export type CollectionView = z.infer<typeof CollectionView>;

const FILES = [
  { name: "media", required: true, description: "the work's media file (its sha256 is the content hash)" },
  { name: "copyrightEvidence", required: true, description: "copyright evidence (its sha256 must be recorded in the EvidenceRegistry by someone other than the issuer)" },
] as const;
const IdParams = z.strictObject({ id: DecimalId });

export const collectionRoutes = {
  createCollection: route({
    method: "post",
    path: "/v1/collections",
    tag: "collections",
    summary: "Create a collection: compliance first, then pin media + metadata, then create it on chain with a signed approval",
    roles: ["issuer"],
    body: CollectionRequest,
    headers: OptionalIdempotency,
    multipart: { files: FILES },
    status: 201,
    alternatives: { 202: Pending },
    response: CreatedCollection,
  }),
  checkCollection: route({
    method: "post",
    path: "/v1/collections/check",
    tag: "collections",
    summary: "Run every compliance check on a collection request without writing anything but the decision",
    roles: ["issuer"],
    body: CollectionRequest,
    multipart: { files: FILES.map((f) => ({ ...f, required: false })) },
    response: ComplianceDecision,
  }),
  getCollection: route({
    method: "get",
    path: "/v1/collections/:id",
    tag: "collections",
    summary: "A collection as recorded on chain",
    roles: ["issuer", "auditor", "regulator", "admin", "attestor"],
    params: IdParams,
    response: CollectionView,
  }),
  changeMetadata: route({
    method: "post",
    path: "/v1/collections/:id/metadata",
    tag: "collections",
    summary: "Re-point a collection at new metadata: content review of the new metadata, then a signed approval on chain",
    roles: ["issuer"],
    params: IdParams,
    body: MetadataChangeRequest,
    headers: OptionalIdempotency,
    alternatives: { 202: Pending },
    response: MetadataChanged,
  }),
};
