import { keccak256, sha256, toUtf8Bytes } from "ethers";
import type { z } from "zod";
import type { RecordedEvidence, RecordEvidenceBody } from "../../shared/api";
import type { ApiRole } from "../../shared/domain";
import { AppError } from "../errors";
import type { OperationKind } from "../operations/operation-runner";
import { runOwnWrite } from "../operations/run-write";
import type { Services } from "../services";

export const RECORD_EVIDENCE = "evidence.record";

/**
 * POST /v1/evidence (存证): records a document's sha256 in the EvidenceRegistry. The document itself is
 * hashed in memory and not kept. The record names who asked for it (key id and role), so that copyright
 * evidence counts only when someone other than the issuer recorded it.
 *
 * @example
 * const { hash, txHash } = await recordEvidence(services, { kind: "copyright", description: "", bytes, actor, role: "attestor" });
 */
export async function recordEvidence(
  services: Pick<Services, "chain" | "operations">,
  p: z.infer<typeof RecordEvidenceBody> & { bytes: Uint8Array; actor: string; role: ApiRole; idempotencyKey?: string },
) {
  const { chain } = services;
  const hash = sha256(p.bytes);
  return runOwnWrite<z.infer<typeof RecordedEvidence>>(services, {
    kind: RECORD_EVIDENCE,
    actor: p.actor,
    idempotencyKey: p.idempotencyKey,
    request: { kind: p.kind, description: p.description, hash },
    async prepare() {
      if (await chain.read(() => chain.evidence.existsByHash(hash))) {
        const e = await chain.read(() => chain.evidence.findByHash(hash));
        throw new AppError("EVIDENCE_HASH_RECORDED", { evidenceId: e.id }, {
          details: { evidenceId: e.id, hash, recordedAt: new Date(Number(e.timestamp) * 1000).toISOString() },
        });
      }
      const evidenceId = keccak256(toUtf8Bytes(`${p.kind}:${hash}`));
      const metadata = JSON.stringify({ kind: p.kind, description: p.description, by: p.actor, byRole: p.role });
      return {
        writes: [{ role: "operator", contract: "evidence", method: "record", args: [evidenceId, hash, metadata], actor: p.actor, purpose: "" }],
        data: { evidenceId, hash, kind: p.kind },
      };
    },
  });
}

export const recordEvidenceKind: OperationKind = {
  async settle(ctx, receipts) {
    const r = receipts[receipts.length - 1];
    return { ...ctx.data, txHash: r.hash, blockNumber: r.blockNumber };
  },
};

/**
 * GET /v1/evidence/:hash: the evidence that recorded this hash.
 *
 * @example
 * const e = await findEvidence(services, "0x…");
 */
export async function findEvidence(services: Pick<Services, "chain">, hash: string) {
  const { chain } = services;
  if (!(await chain.read(() => chain.evidence.existsByHash(hash)))) throw new AppError("EVIDENCE_HASH_NOT_FOUND", { hash });
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
