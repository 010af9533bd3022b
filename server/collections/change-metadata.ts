import { toUtf8Bytes } from "ethers";
import type { z } from "zod";
import type { MetadataChangeRequest, MetadataChanged } from "../../shared/api";
import { cidOf } from "../../shared/cid";
import { AppError } from "../errors";
import { getVerifiedContent } from "../ipfs/get-verified-content";
import { rejectIfFailed, runCompliance } from "../compliance/run-compliance";
import type { OperationKind } from "../operations/operation-runner";
import { runOwnWrite } from "../operations/run-write";
import type { Services } from "../services";
import type { ApiKeyRecord } from "../store/store";
import { pinAll, unpinQuietly } from "./pinning";
import { assertIssuerOwnsCollection } from "./ownership";
import { approvalDeadline } from "../compliance/approval";

export const CHANGE_METADATA = "collection.metadata";

type Deps = Pick<Services, "chain" | "store" | "sandbox" | "compliance" | "ipfs" | "config" | "operations" | "approvals" | "metrics" | "logger">;

/**
 * POST /v1/collections/:id/metadata: re-points a collection at new public metadata (name, description,
 * attributes; the media, licence and transfer policy stay as registered). The new text goes through
 * content review, privacy and anti-financialization first; only then is the change approved (EIP-712, by
 * the compliance signer), pinned and sent. The chain records the change's own complianceRef.
 *
 * @example
 * await changeMetadata(services, { collectionId: "1", request: { name, description, attributes }, key });
 */
export async function changeMetadata(services: Deps, p: { collectionId: string; request: MetadataChangeRequest; key: ApiKeyRecord; idempotencyKey?: string }) {
  if (p.key.role !== "issuer" || !p.key.wallet) throw new AppError("ISSUER_KEY_REQUIRED");
  const { chain } = services;
  const issuer = p.key.wallet;
  return runOwnWrite<z.infer<typeof MetadataChanged>>(services, {
    kind: CHANGE_METADATA,
    actor: p.key.id,
    idempotencyKey: p.idempotencyKey,
    request: { collectionId: p.collectionId, request: p.request },
    async prepare() {
      await assertIssuerOwnsCollection(services, p.collectionId, p.key);
      const decision = await runCompliance(services, "metadata", { issuer: { wallet: issuer, apiKeyId: p.key.id }, request: p.request }, { actor: p.key.id, collectionId: p.collectionId });
      rejectIfFailed(decision);

      const collection = await chain.read(() => chain.rights.getCollection(p.collectionId));
      const { bytes: currentBytes } = await getVerifiedContent(services.ipfs, collection.metadataCID, { maxBytes: services.config.MAX_BODY_BYTES });
      let current: { image?: unknown; properties?: Record<string, unknown> };
      try {
        current = JSON.parse(new TextDecoder().decode(currentBytes));
      } catch {
        throw new AppError("CONTENT_CID_MISMATCH", { cid: collection.metadataCID });
      }
      const metadata = {
        name: p.request.name,
        description: p.request.description,
        image: current.image,
        attributes: p.request.attributes,
        properties: { ...(current.properties ?? {}), complianceRef: decision.decisionRef, policyVersion: decision.policyVersion, previousMetadataCID: collection.metadataCID },
      };
      const bytes = toUtf8Bytes(JSON.stringify(metadata));
      const metadataCID = await cidOf(bytes);
      const deadline = await approvalDeadline(services.chain);
      const approval = await services.approvals.approveMetadata(BigInt(p.collectionId), issuer, metadataCID, decision.decisionRef, deadline);
      const args = [p.collectionId, metadataCID, decision.decisionRef, approval];
      await chain.dryRun("operator", "rights", "setMetadataCID", args);
      const pinned = await pinAll(services, [bytes], [metadataCID]);
      return {
        writes: [{ role: "operator", contract: "rights", method: "setMetadataCID", args, actor: p.key.id, collectionId: p.collectionId, purpose: "", note: { complianceRef: decision.decisionRef } }],
        data: { collectionId: p.collectionId, metadataCID, complianceRef: decision.decisionRef, policyVersion: decision.policyVersion, previous: collection.metadataCID, pinned },
      };
    },
  });
}

export function changeMetadataKind(services: Pick<Deps, "sandbox" | "ipfs" | "logger">): OperationKind {
  return {
    async settle(ctx, receipts) {
      const d = ctx.data as Record<string, string>;
      const receipt = receipts[receipts.length - 1];
      await services.sandbox.append({
        actor: ctx.writes[0].actor,
        action: "collection.metadata",
        decision: "done",
        collectionId: d.collectionId,
        policyVersion: d.policyVersion,
        ref: d.complianceRef,
        payload: { metadataCID: d.metadataCID, previousMetadataCID: d.previous, txHash: receipt.hash },
      });
      return { collectionId: d.collectionId, metadataCID: d.metadataCID, complianceRef: d.complianceRef, txHash: receipt.hash };
    },
    async onFailure(ctx) {
      unpinQuietly(services, (ctx.data as { pinned?: string[] }).pinned ?? []);
    },
  };
}
