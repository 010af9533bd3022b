import type { ComplianceResult } from "../../shared/api";
import { formatReasons, type ComplianceReason } from "../../shared/errors";

/**
 * A rule's result: its findings as codes, and their English text as `reason`, written once in the
 * catalogue. `details` must be plain JSON (it is hashed into the decision).
 */
export function ruleResult(rule: string, passed: boolean, reasons: readonly ComplianceReason[], details: unknown): ComplianceResult {
  return { rule, passed, reason: formatReasons(reasons, "en"), reasons: reasons.map((r) => ({ code: r.code, params: { ...r.params } })), details };
}

/** Identity status names, by on-chain enum value. */
export const STATUS_NAMES = ["None", "Active", "Suspended", "Revoked"] as const;
export const STATUS = { None: 0, Active: 1, Suspended: 2, Revoked: 3 } as const;
export const LICENSED_ISSUER_LEVEL = 4;

export const isAddressLike = (a: unknown): a is string => typeof a === "string" && /^0x[0-9a-fA-F]{40}$/.test(a);
export const isBytes32 = (h: unknown): h is string => typeof h === "string" && /^0x[0-9a-fA-F]{64}$/.test(h);
export const ZERO_HASH = `0x${"0".repeat(64)}`;

/** Unix seconds as an ISO date, for details. */
export const isoFromSeconds = (s: number) => new Date(s * 1000).toISOString();

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
