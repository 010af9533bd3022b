import { sha256, toUtf8Bytes } from "ethers";
import { cidOf } from "../../shared/cid";
import { rightsMask, type ComplianceDecision } from "../../shared/schemas";
import { loggedWrite } from "../chain/logged-write";
import { didOf } from "../dids/did";
import { UnprocessableError } from "../errors";
import type { Services } from "../http/services";
import { checkCollection, type CheckCollectionParams } from "./check-collection";

export type CreateCollectionParams = CheckCollectionParams;

export interface CreatedCollection {
  collectionId: string;
  issuer: string;
  contentHash: string;
  mediaCID: string;
  metadataCID: string;
  licenceCID: string;
  complianceRef: string;
  txHash: string;
  tokenURI: string;
}

/** Rejects with 422 COMPLIANCE_REJECTED listing every failed check. */
export function rejectIfFailed(decision: ComplianceDecision): void {
  if (decision.passed) return;
  const failed = decision.results.filter((r) => !r.passed);
  throw new UnprocessableError(
    "COMPLIANCE_REJECTED",
    `Rejected by ${failed.length} compliance check(s): ${failed.map((r) => r.rule).join(", ")}.`,
    { details: { policyVersion: decision.policyVersion, decisionRef: decision.decisionRef, failed, results: decision.results } },
  );
}

/** Everything that will be pinned and sent, computed before anything is written. */
async function prepare(services: Services, p: CreateCollectionParams, decision: ComplianceDecision) {
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
    mode: p.request.transferPolicy.mode === "Locked" ? 0 : 1,
    holdingPeriod: p.request.transferPolicy.holdingPeriodDays * 86_400,
    minLevel: p.request.transferPolicy.minLevel,
    complianceRef: decision.decisionRef,
  };
  return { issuer, media, licenceBytes, metadataBytes, mediaCID, licenceCID, metadataCID, contentHash, params };
}

/**
 * POST /v1/collections: runs the compliance engine; only if every check passes, pins the media, the licence
 * and the ERC-721 metadata and creates the collection on chain for the issuer (operator key).
 * A refusal (422) pins nothing and sends nothing; so does a chain dry-run failure.
 *
 * @example
 * const created = await createCollection(services, { request, media, copyrightEvidence, key });
 */
export async function createCollection(services: Services, p: CreateCollectionParams): Promise<CreatedCollection> {
  const decision = await checkCollection(services, p);
  rejectIfFailed(decision);

  const { chain, ipfs } = services;
  const prep = await prepare(services, p, decision);
  // Dry-run on chain before pinning, so a refusal leaves nothing behind.
  await chain.read(() => chain.rights.createCollection.staticCall(prep.issuer, prep.params, { from: chain.senders.operator.address }));
  try {
    const pinned = await Promise.all([ipfs.add(prep.media), ipfs.add(prep.licenceBytes), ipfs.add(prep.metadataBytes)]);
    if (pinned[0] !== prep.mediaCID || pinned[1] !== prep.licenceCID || pinned[2] !== prep.metadataCID) {
      throw new Error(`IPFS returned unexpected CIDs ${pinned.join(", ")}`);
    }
  } catch (e) {
    services.metrics.ipfsErrors.inc({ code: (e as { code?: string }).code ?? "IPFS_ERROR" });
    throw e;
  }
  const receipt = await loggedWrite(services, {
    role: "operator",
    contract: "rights",
    method: "createCollection",
    args: [prep.issuer, prep.params],
    actor: p.key.id,
  });
  const created = receipt.logs
    .map((l) => {
      try {
        return chain.rights.interface.parseLog(l);
      } catch {
        return null;
      }
    })
    .find((l) => l?.name === "CollectionCreated");
  const collectionId = (created?.args.collectionId as bigint).toString();
  await services.sandbox.append({
    actor: p.key.id,
    action: "collection.created",
    decision: "created",
    collectionId,
    policyVersion: decision.policyVersion,
    ref: decision.decisionRef,
    payload: {
      issuer: prep.issuer,
      editionSize: p.request.editionSize,
      contentHash: prep.contentHash,
      metadataCID: prep.metadataCID,
      mediaCID: prep.mediaCID,
      licenceCID: prep.licenceCID,
      txHash: receipt.hash,
    },
  });
  return {
    collectionId,
    issuer: prep.issuer,
    contentHash: prep.contentHash,
    mediaCID: prep.mediaCID,
    metadataCID: prep.metadataCID,
    licenceCID: prep.licenceCID,
    complianceRef: decision.decisionRef,
    txHash: receipt.hash,
    tokenURI: `ipfs://${prep.metadataCID}`,
  };
}
