import type { CollectionRequest, ComplianceResult } from "../../shared/schemas";
import type { Policy } from "./policy";

export type { Policy } from "./policy";
export type { ComplianceResult } from "../../shared/schemas";

/** What a collection request (or a mint request) is checked on. */
export interface ComplianceInput {
  issuer: { wallet: string; apiKeyId: string };
  /** The parsed JSON fields of a collection request (shared/schemas.ts); absent for mint-time checks. */
  request?: CollectionRequest;
  media?: { bytes: Uint8Array; filename?: string; declaredType?: string };
  copyrightEvidence?: { bytes: Uint8Array; filename?: string };
  /** For the mint-time recipient rule. */
  recipients?: string[];
  /** The collection's minimum holder level (mint-time); defaults to request.transferPolicy.minLevel. */
  minLevel?: number;
}

/** An identity as the rules see it (numbers, not bigints; `status` 0 None, 1 Active, 2 Suspended, 3 Revoked). */
export interface IdentityView {
  identityId: string;
  level: number;
  status: number;
  /** Unix seconds. */
  expiresAt: number;
  evidenceHash: string;
}

/** Everything rules may look up; implemented over the chain and the gateway's store (see chain-context.ts). */
export interface ComplianceContext {
  now(): Date;
  identityOf(wallet: string): Promise<IdentityView | undefined>;
  isVerified(wallet: string, minLevel: number): Promise<boolean>;
  /** isVerified for many wallets in one look-up (a mint batch's recipients); invalid addresses are false. */
  areVerified(wallets: string[], minLevel: number): Promise<boolean[]>;
  hasIssuerRole(wallet: string): Promise<boolean>;
  /** EvidenceRegistry.existsByHash. */
  evidenceRecorded(hash: string): Promise<boolean>;
  /** The id (decimal string) of the collection that registered this content hash, if any. */
  contentRegistered(contentHash: string): Promise<string | undefined>;
  /**
   * What `wallet` issued since `since`, for quotas: `collections` created and `editions` = the sum of
   * their editionSize (declared supply, not editions minted so far).
   */
  issuance(wallet: string, since: Date): Promise<{ collections: number; editions: number }>;
}

export type ComplianceKind = "collection" | "mint";

/** One compliance rule. `check` never short-circuits the engine: it returns a result, pass or fail. */
export interface Rule {
  id: string;
  appliesTo: Array<ComplianceKind>;
  check(input: ComplianceInput, ctx: ComplianceContext, policy: Policy): Promise<ComplianceResult>;
}

/** The collection request of a collection-time check (rules that apply to "collection" only). */
export function collectionRequestOf(input: ComplianceInput): CollectionRequest {
  if (!input.request) throw new Error("this rule checks a collection request and none was given");
  return input.request;
}
