import type { ComplianceDecision } from "../../shared/schemas";
import type { ComplianceInput } from "../compliance/types";
import { chainComplianceContext } from "../compliance/chain-context";
import type { Services } from "../http/services";

/**
 * Evaluates the compliance policy and writes the decision to the sandbox log: one entry per rule and one
 * for the whole decision, whose `ref` is the decisionRef stamped on chain as complianceRef.
 */
export async function runCompliance(
  services: Services,
  kind: "collection" | "mint",
  input: ComplianceInput,
  scope: { actor: string; collectionId?: string },
): Promise<ComplianceDecision> {
  const ctx = chainComplianceContext(services.chain, (wallet, since) => issuanceOf(services, wallet, since));
  const decision = await services.compliance.evaluate(kind, input, ctx);
  for (const r of decision.results) {
    await services.sandbox.append({
      actor: scope.actor,
      action: "compliance.rule",
      rule: r.rule,
      decision: r.passed ? "passed" : "failed",
      collectionId: scope.collectionId ?? null,
      policyVersion: decision.policyVersion,
      inputHash: decision.inputHash,
      ref: decision.decisionRef,
      payload: { kind, reason: r.reason, details: r.details ?? null },
    });
  }
  await services.sandbox.append({
    actor: scope.actor,
    action: "compliance.decision",
    decision: decision.passed ? "passed" : "failed",
    collectionId: scope.collectionId ?? null,
    policyVersion: decision.policyVersion,
    inputHash: decision.inputHash,
    ref: decision.decisionRef,
    payload: { kind, decision },
  });
  return decision;
}

/** Collections and editions the gateway created for an issuer since a time (for sandbox quotas). */
export async function issuanceOf(services: Services, wallet: string, since: Date) {
  const created = await services.store.log.list({ action: "collection.created", from: since.toISOString() });
  let collections = 0;
  let editions = 0;
  for (const e of created) {
    const p = e.payload as { issuer?: string; editionSize?: number };
    if (p.issuer?.toLowerCase() === wallet.toLowerCase()) {
      collections += 1;
      editions += p.editionSize ?? 0;
    }
  }
  return { collections, editions };
}
