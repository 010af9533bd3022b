import type { ComplianceDecision } from "../../shared/api";
import type { Chain } from "../chain/chain";
import { AppError } from "../errors";
import type { SandboxLog } from "../sandbox/sandbox-log";
import type { Store } from "../store/store";
import { chainComplianceContext } from "./chain-context";
import type { ComplianceEngine } from "./engine";
import type { ComplianceInput, ComplianceKind } from "./types";

export interface ComplianceDeps {
  chain: Chain;
  store: Store;
  sandbox: SandboxLog;
  compliance: ComplianceEngine;
}

/**
 * Evaluates the compliance policy and writes the decision to the sandbox log: one entry per rule and one
 * for the whole decision, whose `ref` is the decisionRef stamped on chain as complianceRef. The rules read
 * the chain, so it is first checked to be the deployment's (chain id, contracts' code): a reset or wrong
 * chain would otherwise answer every look-up with "nothing here" and turn into a decision never made.
 * When a dependency fails (a 5xx: node down, wrong chain…), nothing is decided: the log records that
 * compliance could not run, with the error's code, and the error propagates (503 to the client).
 */
export async function runCompliance(
  deps: ComplianceDeps,
  kind: ComplianceKind,
  input: ComplianceInput,
  scope: { actor: string; collectionId?: string },
): Promise<ComplianceDecision> {
  const ctx = chainComplianceContext(deps.chain, {
    issuance: (wallet, since) => deps.store.quotas.usage(wallet, since.toISOString()),
    evidenceUses: (hash) => deps.store.quotas.evidenceUses(hash),
  });
  let decision: ComplianceDecision;
  try {
    await deps.chain.ping();
    decision = await deps.compliance.evaluate(kind, input, ctx);
  } catch (e) {
    if (e instanceof AppError) {
      await deps.sandbox.append({
        actor: scope.actor,
        action: "compliance.unavailable",
        decision: "unavailable",
        collectionId: scope.collectionId ?? null,
        policyVersion: deps.compliance.policy.version,
        payload: { kind, error: { code: e.code, params: e.params } },
      });
    }
    throw e;
  }
  for (const r of decision.results) {
    await deps.sandbox.append({
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
  await deps.sandbox.append({
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

/** Rejects with 422 COMPLIANCE_REJECTED listing every failed check. */
export function rejectIfFailed(decision: ComplianceDecision): void {
  if (decision.passed) return;
  const failed = decision.results.filter((r) => !r.passed);
  throw new AppError(
    "COMPLIANCE_REJECTED",
    { count: failed.length, rules: failed.map((r) => r.rule) },
    { details: { policyVersion: decision.policyVersion, decisionRef: decision.decisionRef, failed, results: decision.results } },
  );
}
