import type { Rule } from "../types";
import type { ComplianceReason } from "../../../shared/errors";
import { ruleResult } from "../result";

export const SANDBOX_QUOTAS = "sandbox-quotas";

const DAY_MS = 86_400_000;

/** Midnight of `now`'s day on a clock `utcOffsetMinutes` east of UTC (480 = Beijing), as a UTC instant. */
export function startOfDay(now: Date, utcOffsetMinutes: number): Date {
  const offsetMs = utcOffsetMinutes * 60_000;
  return new Date(Math.floor((now.getTime() + offsetMs) / DAY_MS) * DAY_MS - offsetMs);
}

interface Usage {
  used: number;
  requested: number;
  limit: number;
}

/**
 * 监管沙盒 — per-issuer issuance caps: the collections and editions (declared editionSize) the issuer
 * created today (quotas.utcOffsetMinutes defines the day) and since the start, plus this collection,
 * must stay within quotas.perIssuerDaily and quotas.perIssuerTotal. Checked when a collection is created.
 */
export const sandboxQuotas: Rule = {
  id: SANDBOX_QUOTAS,
  appliesTo: ["collection"],
  async check(input, ctx, policy) {
    const wallet = input.issuer.wallet;
    const now = ctx.now();
    const dayStart = startOfDay(now, policy.quotas.utcOffsetMinutes);
    const [daily, total] = await Promise.all([ctx.issuance(wallet, dayStart), ctx.issuance(wallet, new Date(0))]);
    const editions = (input.request as { editionSize?: number } | undefined)?.editionSize ?? 0;
    const usage = (used: { collections: number; editions: number }, cap: { collections: number; editions: number }) => ({
      collections: { used: used.collections, requested: 1, limit: cap.collections } satisfies Usage,
      editions: { used: used.editions, requested: editions, limit: cap.editions } satisfies Usage,
    });
    const windows = {
      daily: usage(daily, policy.quotas.perIssuerDaily),
      total: usage(total, policy.quotas.perIssuerTotal),
    };
    const codes = {
      daily: { collections: "DAILY_COLLECTIONS_QUOTA_EXCEEDED", editions: "DAILY_EDITIONS_QUOTA_EXCEEDED" },
      total: { collections: "TOTAL_COLLECTIONS_QUOTA_EXCEEDED", editions: "TOTAL_EDITIONS_QUOTA_EXCEEDED" },
    } as const;
    const exceeded: ComplianceReason[] = [];
    for (const window of ["daily", "total"] as const) {
      for (const what of ["collections", "editions"] as const) {
        const { used, requested, limit } = windows[window][what];
        if (used + requested > limit) exceeded.push({ code: codes[window][what], params: { used, requested, limit } });
      }
    }
    const details = { wallet, dayStart: dayStart.toISOString(), ...windows };
    return exceeded.length === 0
      ? ruleResult(SANDBOX_QUOTAS, true, [{ code: "WITHIN_QUOTAS", params: {} }], details)
      : ruleResult(SANDBOX_QUOTAS, false, exceeded, details);
  },
};
