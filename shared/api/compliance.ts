import { z } from "zod";
import { Bytes32 } from "./common";

export const ComplianceResult = z.object({
  rule: z.string(),
  passed: z.boolean(),
  reason: z.string(),
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
