import { indexedCustody } from "../indexer/provenance";
import {
  integrityChecks,
  readCollection,
  readCustody,
  type CollectionOnChain,
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
 * GET /v1/tokens/:id/provenance: the chain of custody, each party's DID and level at that time and whether
 * it was verified on arrival, plus an integrity verdict computed by the same checks as the auditor's CLI
 * (metadata re-fetched by CID hashes to that CID, media hashes to the on-chain contentHash, every holder
 * verified on arrival unless the regulator forced the transfer, the complianceRef is in the sandbox log),
 * each passed, failed or unverifiable now.
 *
 * `source: "index"` (default) reads the custody from the event index, in milliseconds and on any node;
 * it waits up to 2 s for the index to reach the chain's head, else answers from the chain.
 * `source: "chain"` reads the token's events and historical state from the node (needs an archive node).
 *
 * @example
 * const { entries, integrity } = await getProvenance(services, "18446744073709551617", "index");
 */
export async function getProvenance(services: Pick<Services, "chain" | "config" | "ipfs" | "store" | "indexer">, id: string, source: "index" | "chain" = "index") {
  const { chain } = services;
  const { tokenId, serial, collectionId } = parseTokenId(id);
  let from: "index" | "chain" = source;
  let entries: CustodyEntry[] = [];
  let collection: CollectionOnChain | undefined;
  if (source === "index" && (await indexCaughtUp(services))) {
    const row = (await services.store.db.query(`SELECT min_level FROM ix_collections WHERE collection_id = $1`, [Number(collectionId)]))[0];
    if (row) {
      entries = await indexedCustody(services.store.db, { didMethod: services.config.DID_METHOD, chainId: chain.chainId }, tokenId, Number(row.min_level));
      collection = await chain.read(() => readCollection(chain, collectionId));
    }
  } else {
    from = "chain";
  }
  if (from === "chain") {
    const custody = await chain.read(() => readCustody(chain, tokenId, { didMethod: services.config.DID_METHOD }));
    entries = custody.entries;
    collection = custody.collection;
  }
  if (entries.length === 0 || !collection) throw new AppError("TOKEN_NOT_FOUND", { tokenId: id });
  return {
    tokenId: tokenId.toString(),
    collectionId: collectionId.toString(),
    edition: serial.toString(),
    contentHash: collection.contentHash,
    metadataCID: collection.metadataCID,
    complianceRef: collection.complianceRef,
    source: from,
    entries,
    integrity: await integrityOf(services, collection.metadataCID, collection.contentHash, collection.complianceRef, { entries, minLevel: collection.minLevel }),
  };
}

/** Whether the index reaches the chain's head (waits up to 2 s for it). */
async function indexCaughtUp(services: Pick<Services, "chain" | "indexer" | "config">): Promise<boolean> {
  let head: number;
  try {
    head = await services.chain.provider.getBlockNumber();
  } catch {
    return (await services.indexer.indexedBlock()) !== null;
  }
  const target = head - services.config.CONFIRMATIONS;
  if (((await services.indexer.indexedBlock()) ?? -1) >= target) return true;
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    services.indexer.waitFor(target).then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), 2_000);
    }),
  ]);
  clearTimeout(timer);
  return ok;
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
