import { createHash } from "node:crypto";
import { keccak256, toUtf8Bytes } from "ethers";
import { ComplianceDecision, ComplianceResult } from "../../shared/api";
import type { ComplianceReason } from "../../shared/errors";
import { AppError } from "../errors";
import { canonicalJson } from "./canonical";
import { fileSummary } from "./media";
import { ruleResult } from "./result";
import type { Policy } from "./policy";
import { ALL_RULES } from "./rules";
import { inlineTextRunner, type TextRunner } from "./text-pool";
import type { ComplianceContext, ComplianceInput, ComplianceKind, Rule } from "./types";

export { ALL_RULES } from "./rules";

export interface ComplianceEngine {
  readonly policy: Policy;
  readonly rules: readonly Rule[];
  /** Stops the text-check threads. */
  close(): Promise<void>;
  /**
   * Runs every rule that applies to `kind` (all of them, concurrently, no short-circuit) and returns the
   * decision. A rule that throws is reported as failed with reason "rule error: …", except when a
   * dependency failed (any 5xx AppError: node down, wrong chain, IPFS down): then nothing is decided and the error
   * propagates. A decision with no applicable rule fails (fail closed).
   */
  evaluate(kind: ComplianceKind, input: ComplianceInput, ctx: ComplianceContext): Promise<ComplianceDecision>;
}

/**
 * The input as it is hashed: files replaced by their sha256 and size (and their name and declared type),
 * so no raw bytes are hashed or logged, yet the hash binds the exact files.
 */
export function hashableInput(input: ComplianceInput): Record<string, unknown> {
  const { media, copyrightEvidence } = input;
  return {
    issuer: input.issuer,
    request: input.request,
    media: media && { ...fileSummary(media.bytes), filename: media.filename, declaredType: media.declaredType },
    copyrightEvidence: copyrightEvidence && { ...fileSummary(copyrightEvidence.bytes), filename: copyrightEvidence.filename },
    recipients: input.recipients,
    minLevel: input.minLevel,
  };
}

/**
 * sha256 of the canonical JSON of {@link hashableInput} (node:crypto: a request's text is hashed in
 * milliseconds on the request thread; JavaScript keccak took half a second per MiB).
 */
export function computeInputHash(input: ComplianceInput): string {
  return `0x${createHash("sha256").update(canonicalJson(hashableInput(input)), "utf8").digest("hex")}`;
}

/** keccak256 of the canonical JSON of { policyVersion, inputHash, results, decidedAt }: the on-chain complianceRef. */
export function computeDecisionRef(d: Pick<ComplianceDecision, "policyVersion" | "inputHash" | "results" | "decidedAt">): string {
  return keccak256(
    toUtf8Bytes(canonicalJson({ policyVersion: d.policyVersion, inputHash: d.inputHash, results: d.results, decidedAt: d.decidedAt })),
  );
}

/**
 * A dependency failed (node down or frozen, wrong chain, IPFS down…): nothing was decided. Any 5xx
 * AppError counts: a node's error is never turned into a compliance decision.
 */
const isDependencyFailure = (e: unknown) => e instanceof AppError && e.httpStatus >= 500;

const errorText = (e: unknown) => (e instanceof AppError ? e.shortMessage : e instanceof Error ? e.message : String(e)).slice(0, 300);

/** A rule that failed to give a result. */
const ruleError = (rule: Rule, reason: ComplianceReason): ComplianceResult => ruleResult(rule.id, false, [reason], null);

/** A rule's result made safe to hash: its own id, a boolean verdict, plain-JSON reasons and details. */
function sanitise(rule: Rule, raw: unknown): ComplianceResult {
  const parsed = ComplianceResult.safeParse(raw);
  if (!parsed.success) return ruleError(rule, { code: "RULE_MALFORMED_RESULT", params: {} });
  const { passed, reason, reasons } = parsed.data;
  const details = parsed.data.details === undefined ? null : parsed.data.details;
  try {
    // Normalises to plain JSON (bigint → string) and rejects raw bytes, cycles, functions.
    const plain = JSON.parse(canonicalJson({ reasons: reasons ?? null, details })) as { reasons: ComplianceResult["reasons"] | null; details: unknown };
    return { rule: rule.id, passed, reason, ...(plain.reasons ? { reasons: plain.reasons } : {}), details: plain.details };
  } catch (e) {
    return ruleError(rule, { code: "RULE_DETAILS_NOT_JSON", params: { message: errorText(e) } });
  }
}

/**
 * @example
 * const engine = createComplianceEngine(loadPolicy("policy/default.yaml"));
 * const decision = await engine.evaluate("collection", input, chainComplianceContext(chain, issuance));
 * if (!decision.passed) rejectIfFailed(decision); // 422 COMPLIANCE_REJECTED
 */
export interface EngineOptions {
  /** Where the rules' text checks run (default: inline on the calling thread). */
  text?: TextRunner;
  /** Time budget of one evaluation's text checks (ms). */
  budgetMs?: number;
}

export function createComplianceEngine(policy: Policy, rules: readonly Rule[] = ALL_RULES, options: EngineOptions = {}): ComplianceEngine {
  const text = options.text ?? inlineTextRunner();
  const budgetMs = options.budgetMs ?? 5_000;
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new Error(`createComplianceEngine: duplicate rule id "${r.id}"`);
    ids.add(r.id);
  }
  const frozenRules = Object.freeze([...rules]);
  return {
    policy,
    rules: frozenRules,
    close: () => text.close(),
    async evaluate(kind, input, ctx) {
      const applicable = frozenRules.filter((r) => r.appliesTo.includes(kind));
      const inputHash = computeInputHash(input);
      const withKind = { ...input, kind };
      const deadline = Date.now() + budgetMs;
      const offloading: ComplianceContext = { ...ctx, offload: (check, args) => text.run({ check, args }, deadline) };
      const settled = await Promise.allSettled(applicable.map(async (r) => r.check(withKind, offloading, policy)));
      const down = settled.find((s): s is PromiseRejectedResult => s.status === "rejected" && isDependencyFailure(s.reason));
      if (down) throw down.reason;
      const results = settled.map((s, i): ComplianceResult =>
        s.status === "fulfilled"
          ? sanitise(applicable[i], s.value)
          : ruleError(applicable[i], { code: "RULE_ERROR", params: { message: errorText(s.reason) } }),
      );
      const decidedAt = ctx.now().toISOString();
      const policyVersion = policy.version;
      const decision = {
        policyVersion,
        passed: results.length > 0 && results.every((r) => r.passed),
        inputHash,
        results,
        decisionRef: computeDecisionRef({ policyVersion, inputHash, results, decidedAt }),
        decidedAt,
      };
      return ComplianceDecision.parse(decision);
    },
  };
}
