import { z } from "zod";
import { Bytes32 } from "./common";

/** One finding of a rule: a code of shared/errors/compliance-reasons.ts and its template's parameters. */
export const ComplianceReasonRef = z.object({
  code: z.string(),
  params: z.record(z.string(), z.unknown()),
});
export type ComplianceReasonRef = z.infer<typeof ComplianceReasonRef>;

export const ComplianceResult = z.object({
  rule: z.string(),
  passed: z.boolean(),
  /** The findings in English, joined (for logs and clients that do not read `reasons`). */
  reason: z.string(),
  /**
   * The same findings as codes with parameters, to render in any language (formatReason). Absent when a
   * rule outside the catalogue wrote only `reason`.
   */
  reasons: z.array(ComplianceReasonRef).optional(),
  details: z.unknown(),
});
export type ComplianceResult = z.infer<typeof ComplianceResult>;

export const ComplianceDecision = z.object({
  policyVersion: z.string(),
  passed: z.boolean(),
  inputHash: Bytes32,
  results: z.array(ComplianceResult),
  /** Hash of the whole decision: the collection's on-chain complianceRef. */
  decisionRef: Bytes32,
  decidedAt: z.string(),
});
export type ComplianceDecision = z.infer<typeof ComplianceDecision>;
