import type { z } from "zod";
import type { Provenance, TokenView } from "../../../../../shared/api/tokens";
import { download } from "../../../lib/files";

/** A provenance report: the verdict, the hashes and the whole timeline, as the gateway answered them. */
export function provenanceReport(token: z.infer<typeof TokenView> | undefined, provenance: Provenance) {
  return {
    report: "provenance",
    generatedAt: new Date().toISOString(),
    gateway: window.location.origin,
    tokenId: provenance.tokenId,
    collectionId: provenance.collectionId,
    edition: provenance.edition,
    owner: token?.owner ?? null,
    frozen: token?.frozen ?? null,
    verdict: provenance.integrity.verdict,
    checks: provenance.integrity.checks,
    hashes: { contentHash: provenance.contentHash, metadataCID: provenance.metadataCID, complianceRef: provenance.complianceRef },
    source: provenance.source,
    timeline: provenance.entries,
  };
}

export function downloadReport(token: z.infer<typeof TokenView> | undefined, provenance: Provenance) {
  const body = JSON.stringify(provenanceReport(token, provenance), null, 2);
  download(new Blob([body], { type: "application/json" }), `provenance-token-${provenance.tokenId}.json`);
}
