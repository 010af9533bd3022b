import type { CollectionRequest, ComplianceResult, MetadataChangeRequest } from "../../shared/api";
import type { Policy } from "./policy";

export type { Policy } from "./policy";
export type { ComplianceResult } from "../../shared/api";

/** What a collection request (or a mint request) is checked on. */
export interface ComplianceInput {
  /** What is decided; set by the engine. Rules that apply to several kinds check only what each kind changes. */
  kind?: ComplianceKind;
  issuer: { wallet: string; apiKeyId: string };
  /** The parsed JSON fields of a collection request, or of a metadata change; absent for mint-time checks. */
  request?: CollectionRequest | MetadataChangeRequest;
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
  /** Who recorded evidence `hash` (its first version), or undefined when it is not recorded. */
  evidenceRecord(hash: string): Promise<EvidenceRecordView | undefined>;
  /** How many works (being created or created) this copyright evidence already backs. */
  evidenceUses(hash: string): Promise<number>;
  /** The id (decimal string) of the collection that registered this content hash, if any. */
  contentRegistered(contentHash: string): Promise<string | undefined>;
  /**
   * What `wallet` issued since `since`, for quotas: `collections` created and `editions` = the sum of
   * their editionSize (declared supply, not editions minted so far).
   */
  issuance(wallet: string, since: Date): Promise<{ collections: number; editions: number }>;
  /**
   * Runs a rule's pure text check (named by the rule's id) off the request thread, within the request's
   * compliance time budget; the engine provides it. Without it, rules run their text check inline.
   */
  offload?(check: string, args: unknown[]): Promise<unknown>;
}

export type ComplianceKind = "collection" | "mint" | "metadata";

/** A recorded piece of evidence as the rights rule sees it. */
export interface EvidenceRecordView {
  /** The account that signed the record on chain. */
  writer: string;
  /** True when the gateway's operator key wrote it for an API key (then `byRole` says whose). */
  viaGateway: boolean;
  /** The role of the API key that asked the gateway to record it, when the gateway did. */
  byRole: string | null;
  recordedAt: string;
}

/** One compliance rule. `check` never short-circuits the engine: it returns a result, pass or fail. */
export interface Rule {
  id: string;
  appliesTo: Array<ComplianceKind>;
  check(input: ComplianceInput, ctx: ComplianceContext, policy: Policy): Promise<ComplianceResult>;
}

/** The collection request of a collection-time check (rules that apply to "collection" only). */
export function collectionRequestOf(input: ComplianceInput): CollectionRequest {
  if (!input.request) throw new Error("this rule checks a collection request and none was given");
  return input.request as CollectionRequest;
}
