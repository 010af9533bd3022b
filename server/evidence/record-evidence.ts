import { keccak256, sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { Text } from "../../shared/schemas";
import { loggedWrite } from "../chain/logged-write";
import { ConflictError, NotFoundError } from "../errors";
import type { Services } from "../http/services";

export const EVIDENCE_KINDS = ["copyright", "business-licence", "kyc-dossier", "other"] as const;
export const RecordEvidenceBody = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  description: Text(500).default(""),
});

/**
 * POST /v1/evidence (存证): records a document's sha256 in the EvidenceRegistry. The document itself is
 * hashed in memory and not kept.
 *
 * @example
 * const { hash, txHash } = await recordEvidence(services, { kind: "copyright", description: "", bytes, actor });
 */
export async function recordEvidence(
  services: Services,
  p: z.infer<typeof RecordEvidenceBody> & { bytes: Uint8Array; actor: string },
) {
  const { chain } = services;
  const hash = sha256(p.bytes);
  const existing = await chain.read(() => chain.evidence.existsByHash(hash));
  if (existing) {
    const e = await chain.read(() => chain.evidence.findByHash(hash));
    throw new ConflictError("EVIDENCE_HASH_RECORDED", `This document is already recorded as evidence ${e.id}.`, {
      details: { evidenceId: e.id, hash, recordedAt: new Date(Number(e.timestamp) * 1000).toISOString() },
    });
  }
  const evidenceId = keccak256(toUtf8Bytes(`${p.kind}:${hash}`));
  const receipt = await loggedWrite(services, {
    role: "operator",
    contract: "evidence",
    method: "record",
    args: [evidenceId, hash, JSON.stringify({ kind: p.kind, description: p.description, by: p.actor })],
    actor: p.actor,
  });
  return { evidenceId, hash, kind: p.kind, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}

/**
 * GET /v1/evidence/:hash: the evidence that recorded this hash.
 *
 * @example
 * const e = await findEvidence(services, "0x…");
 */
export async function findEvidence(services: Services, hash: string) {
  const { chain } = services;
  if (!(await chain.read(() => chain.evidence.existsByHash(hash)))) {
    throw new NotFoundError("EVIDENCE_HASH_NOT_FOUND", `No evidence has hash ${hash}.`);
  }
  const e = await chain.read(() => chain.evidence.findByHash(hash));
  return {
    evidenceId: e.id,
    hash: e.hash,
    writer: e.writer,
    version: Number(e.version),
    recordedAt: new Date(Number(e.timestamp) * 1000).toISOString(),
    blockNumber: Number(e.blockNumber),
    metadata: e.metadata,
  };
}
