import { randomUUID } from "node:crypto";
import { Interface, sha256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import type { CollectionRequest, ComplianceDecision, CreatedCollection } from "../../shared/api";
import { cidOf } from "../../shared/cid";
import { modeValue, rightsMask } from "../../shared/domain";
import { didOf } from "../dids/did";
import { AppError } from "../errors";
import { rejectIfFailed } from "../compliance/run-compliance";
import { startOfDay } from "../compliance/rules/sandbox-quotas";
import type { OperationKind } from "../operations/operation-runner";
import { runOwnWrite } from "../operations/run-write";
import type { Services } from "../services";
import type { ApiKeyRecord } from "../store/store";
import { checkCollection } from "./check-collection";
import { pinAll, unpinQuietly } from "./pinning";
import { approvalDeadline } from "../compliance/approval";

export interface CreateCollectionParams {
  request: CollectionRequest;
  media?: { bytes: Uint8Array; filename?: string; mimetype?: string };
  copyrightEvidence?: { bytes: Uint8Array; filename?: string };
  key: ApiKeyRecord;
  idempotencyKey?: string;
}

export const CREATE_COLLECTION = "collection.create";


type Deps = Pick<Services, "chain" | "store" | "sandbox" | "compliance" | "ipfs" | "config" | "operations" | "approvals" | "metrics" | "logger">;

/** Everything that will be pinned and sent, computed before anything is written. */
async function prepare(services: Deps, p: CreateCollectionParams, decision: ComplianceDecision) {
  const issuer = p.key.wallet!;
  const media = p.media!.bytes;
  const contentHash = sha256(media);
  const licenceBytes = toUtf8Bytes(p.request.licence.text);
  const [mediaCID, licenceCID] = await Promise.all([cidOf(media), cidOf(licenceBytes)]);
  const issuerId = await services.chain.read(() => services.chain.identity.identityOf(issuer));
  const metadata = {
    name: p.request.name,
    description: p.request.description,
    image: `ipfs://${mediaCID}`,
    attributes: p.request.attributes,
    properties: {
      contentHash,
      licence: { cid: licenceCID, uri: `ipfs://${licenceCID}`, rights: p.request.licence.rights },
      issuer: { address: issuer, did: didOf(services.config.DID_METHOD, services.chain.chainId, issuerId) },
      complianceRef: decision.decisionRef,
      policyVersion: decision.policyVersion,
      editionSize: p.request.editionSize,
      transferPolicy: p.request.transferPolicy,
    },
  };
  const metadataBytes = toUtf8Bytes(JSON.stringify(metadata));
  const metadataCID = await cidOf(metadataBytes);
  const params = {
    contentHash,
    metadataCID,
    maxSupply: p.request.editionSize,
    royaltyReceiver: p.request.royalty.receiver,
    royaltyBps: p.request.royalty.bps,
    licenceCID,
    rights: rightsMask(p.request.licence.rights),
    mode: modeValue(p.request.transferPolicy.mode),
    holdingPeriod: p.request.transferPolicy.holdingPeriodDays * 86_400,
    minLevel: p.request.transferPolicy.minLevel,
    complianceRef: decision.decisionRef,
  };
  return { issuer, media, licenceBytes, metadataBytes, mediaCID, licenceCID, metadataCID, contentHash, params };
}

/**
 * POST /v1/collections: runs the compliance engine; only if every check passes, reserves the issuer's
 * quota (atomically, so concurrent requests cannot overrun it), signs the compliance approval, dry-runs
 * the creation, pins the media, the licence and the ERC-721 metadata, and creates the collection on chain
 * with the operator key. A refusal (422) pins nothing and sends nothing. A slow chain answers 202 with an
 * operation to poll; the same Idempotency-Key returns the same outcome.
 *
 * @example
 * const created = await createCollection(services, { request, media, copyrightEvidence, key, idempotencyKey: "order-7" });
 */
export async function createCollection(services: Deps, p: CreateCollectionParams) {
  if (p.key.role !== "issuer" || !p.key.wallet) throw new AppError("ISSUER_KEY_REQUIRED");
  const { chain, store, sandbox, compliance } = services;
  const issuer = p.key.wallet;
  return runOwnWrite<CreatedCollection>(services, {
    kind: CREATE_COLLECTION,
    actor: p.key.id,
    idempotencyKey: p.idempotencyKey,
    request: {
      request: p.request,
      media: p.media ? sha256(p.media.bytes) : null,
      copyrightEvidence: p.copyrightEvidence ? sha256(p.copyrightEvidence.bytes) : null,
    },
    async prepare() {
      const decision = await checkCollection(services, p);
      rejectIfFailed(decision);

      // Reserve the quota and the copyright evidence atomically, before anything is pinned or sent.
      const policy = compliance.policy;
      const now = new Date();
      const reservationId = randomUUID();
      const evidenceHash = sha256(p.copyrightEvidence!.bytes);
      const reservation = await store.quotas.reserve(
        {
          id: reservationId,
          issuer,
          collections: 1,
          editions: p.request.editionSize,
          at: now.toISOString(),
          evidence: { hash: evidenceHash, maxUses: policy.evidence.maxWorksPerEvidence },
        },
        [
          { name: "daily", since: startOfDay(now, policy.quotas.utcOffsetMinutes).toISOString(), caps: policy.quotas.perIssuerDaily },
          { name: "total", since: new Date(0).toISOString(), caps: policy.quotas.perIssuerTotal },
        ],
      );
      if (!reservation.reserved) {
        await sandbox.append({
          actor: p.key.id,
          action: "quota.reserved",
          decision: "refused",
          ref: decision.decisionRef,
          payload: { issuer, editions: p.request.editionSize, usage: reservation.usage, evidenceUses: reservation.evidenceUses },
        });
        throw new AppError(
          "COMPLIANCE_REJECTED",
          { count: 1, rules: ["sandbox-quotas"] },
          { details: { reason: "the quota or the copyright evidence was taken by a concurrent request", usage: reservation.usage, evidenceUses: reservation.evidenceUses } },
        );
      }
      await sandbox.append({
        actor: p.key.id,
        action: "quota.reserved",
        decision: "reserved",
        ref: decision.decisionRef,
        payload: { reservationId, issuer, collections: 1, editions: p.request.editionSize, evidenceHash },
      });

      let pinned: string[] = [];
      try {
        const prep = await prepare(services, p, decision);
        const deadline = await approvalDeadline(services.chain);
        const approval = await services.approvals.approveCollection(prep.issuer, prep.params, deadline);
        const args = [prep.issuer, prep.params, approval];
        // Dry-run on chain before pinning, so a refusal leaves nothing behind.
        await chain.dryRun("operator", "rights", "createCollection", args);
        pinned = await pinAll(services, [prep.media, prep.licenceBytes, prep.metadataBytes], [prep.mediaCID, prep.licenceCID, prep.metadataCID]);
        return {
          writes: [{ role: "operator", contract: "rights", method: "createCollection", args, actor: p.key.id, purpose: "", note: { complianceRef: decision.decisionRef } }],
          data: {
            issuer: prep.issuer,
            contentHash: prep.contentHash,
            mediaCID: prep.mediaCID,
            metadataCID: prep.metadataCID,
            licenceCID: prep.licenceCID,
            complianceRef: decision.decisionRef,
            policyVersion: decision.policyVersion,
            editionSize: p.request.editionSize,
            copyrightEvidence: evidenceHash,
            reservationId,
            pinned,
          },
        };
      } catch (e) {
        await releaseReservation(services, p.key.id, reservationId, e);
        unpinQuietly(services, pinned);
        throw e;
      }
    },
  });
}

async function releaseReservation(services: Pick<Deps, "store" | "sandbox">, actor: string, reservationId: string, cause: unknown) {
  await services.store.quotas.settle(reservationId, "released", new Date().toISOString());
  await services.sandbox.append({
    actor,
    action: "quota.released",
    decision: "released",
    payload: { reservationId, error: cause instanceof AppError ? { code: cause.code, params: cause.params } : { code: "INTERNAL" } },
  });
}

const collectionCreated = new Interface([
  "event CollectionCreated(uint64 indexed collectionId, address indexed issuer, bytes32 indexed contentHash, address operator, string metadataCID, bytes32 complianceRef)",
]);

/** The id of the collection a mined createCollection made. */
export function collectionIdOf(receipt: TransactionReceipt): string {
  for (const log of receipt.logs) {
    try {
      const parsed = collectionCreated.parseLog(log);
      if (parsed?.name === "CollectionCreated") return (parsed.args.collectionId as bigint).toString();
    } catch {
      // another contract's or another event's log
    }
  }
  throw new AppError("INTERNAL", {}, { details: { reason: `no CollectionCreated event in ${receipt.hash}` } });
}

/** Settles a creation once mined: quota used, "collection.created" on the record, the result. */
export function createCollectionKind(services: Pick<Deps, "store" | "sandbox" | "ipfs" | "logger">): OperationKind {
  return {
    async settle(ctx, receipts): Promise<CreatedCollection> {
      const d = ctx.data as Record<string, string | number | string[]>;
      const receipt = receipts[receipts.length - 1];
      const collectionId = collectionIdOf(receipt);
      await services.store.quotas.settle(String(d.reservationId), "used", new Date().toISOString());
      const actor = ctx.writes[0].actor;
      await services.sandbox.append({
        actor,
        action: "collection.created",
        decision: "created",
        collectionId,
        policyVersion: String(d.policyVersion),
        ref: String(d.complianceRef),
        payload: {
          issuer: d.issuer,
          editionSize: d.editionSize,
          contentHash: d.contentHash,
          metadataCID: d.metadataCID,
          mediaCID: d.mediaCID,
          licenceCID: d.licenceCID,
          copyrightEvidence: d.copyrightEvidence,
          txHash: receipt.hash,
        },
      });
      return {
        collectionId,
        issuer: String(d.issuer),
        contentHash: String(d.contentHash),
        mediaCID: String(d.mediaCID),
        metadataCID: String(d.metadataCID),
        licenceCID: String(d.licenceCID),
        complianceRef: String(d.complianceRef),
        txHash: receipt.hash,
        tokenURI: `ipfs://${String(d.metadataCID)}`,
      };
    },
    async onFailure(ctx, error) {
      const d = ctx.data as { reservationId?: string; pinned?: string[] };
      if (d.reservationId) await releaseReservation(services, ctx.writes[0]?.actor ?? "system", d.reservationId, error);
      unpinQuietly(services, d.pinned ?? []);
    },
  };
}
