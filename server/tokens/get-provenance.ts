import {
  integrityChecks,
  readCustody,
  type CheckResult,
  type ComplianceLookup,
  type ContentSource,
  type CustodyEntry,
  type Holder,
} from "../../shared/verify";
import { AppError } from "../errors";
import type { Services } from "../services";
import type { IpfsBackend } from "../ipfs/ipfs";
import { parseTokenId } from "./token-id";

export type { Holder };
/** One provenance entry: a custody entry of shared/verify (the auditor's CLI reads the very same). */
export type ProvenanceEntry = CustodyEntry;
export type IntegrityCheck = CheckResult;

/** The gateway's IPFS backend as a verifier ContentSource (the checks recompute CIDs; the backend is not trusted). */
export function ipfsContentSource(ipfs: IpfsBackend): ContentSource {
  return { label: `gateway ${ipfs.kind} ipfs`, get: (cid, maxBytes) => ipfs.get(cid, { maxBytes }) };
}

/** The store's sandbox log as the compliance lookup of the checks. */
export function storeComplianceLookup(services: Pick<Services, "store">): ComplianceLookup {
  return (ref) => services.store.log.findByRef(ref);
}

/**
 * GET /v1/tokens/:id/provenance: the chain of custody from the token's own events (shared/verify
 * readCustody: by indexed topic, each party's DID, level and verification read at that block), plus an
 * integrity verdict computed by the same checks as the auditor's CLI (scripts/verify.ts): metadata
 * re-fetched by CID hashes to that CID, media hashes to the on-chain contentHash, every holder was verified
 * on arrival unless the regulator forced the transfer, and the complianceRef is in the sandbox log.
 *
 * @example
 * const { entries, integrity } = await getProvenance(services, "18446744073709551617");
 */
export async function getProvenance(services: Pick<Services, "chain" | "config" | "ipfs" | "store">, id: string) {
  const { chain } = services;
  const { tokenId, serial } = parseTokenId(id);
  const custody = await chain.read(() => readCustody(chain, tokenId, { didMethod: services.config.DID_METHOD }));
  if (custody.entries.length === 0) throw new AppError("TOKEN_NOT_FOUND", { tokenId: id });
  const { collection } = custody;
  return {
    tokenId: tokenId.toString(),
    collectionId: custody.collectionId,
    edition: serial.toString(),
    contentHash: collection.contentHash,
    metadataCID: collection.metadataCID,
    complianceRef: collection.complianceRef,
    source: "chain" as const,
    entries: custody.entries,
    integrity: await integrityOf(services, collection.metadataCID, collection.contentHash, collection.complianceRef, {
      entries: custody.entries,
      minLevel: collection.minLevel,
    }),
  };
}

/** The integrity checks of a collection's content (and of a token's holders when custody is given). */
export async function integrityOf(
  services: Pick<Services, "ipfs" | "store" | "config">,
  metadataCID: string,
  contentHash: string,
  complianceRef: string,
  custody?: { entries: readonly CustodyEntry[]; minLevel: number },
) {
  return integrityChecks({
    source: ipfsContentSource(services.ipfs),
    metadataCID,
    contentHash,
    complianceRef,
    compliance: storeComplianceLookup(services),
    custody,
    maxBytes: services.config.MAX_FILE_BYTES,
  });
}
