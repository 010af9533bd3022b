import type { ComplianceReason } from "../../../shared/errors";
import type { Rule } from "../types";
import { STATUS, isAddressLike, isoFromSeconds, mapLimit, ruleResult } from "../result";

export const RECIPIENT_ADMISSION = "recipient-admission";

export type RecipientFailureReason =
  | "invalid address"
  | "no identity"
  | "suspended"
  | "revoked"
  | "expired"
  | "level too low"
  | "not verified";

export interface RecipientFailure {
  address: string;
  reason: RecipientFailureReason;
  level?: number;
  requiredLevel: number;
  expiresAt?: string;
}

/** Failures named one by one in the result's reasons; the rest are counted (every one is in the details). */
const NAMED = 5;

function failureReason(f: RecipientFailure): ComplianceReason {
  const { address } = f;
  switch (f.reason) {
    case "invalid address":
      return { code: "RECIPIENT_INVALID_ADDRESS", params: { address } };
    case "no identity":
      return { code: "RECIPIENT_NO_IDENTITY", params: { address } };
    case "suspended":
      return { code: "RECIPIENT_SUSPENDED", params: { address } };
    case "revoked":
      return { code: "RECIPIENT_REVOKED", params: { address } };
    case "expired":
      return { code: "RECIPIENT_EXPIRED", params: { address } };
    case "level too low":
      return { code: "RECIPIENT_LEVEL_TOO_LOW", params: { address, level: f.level, required: f.requiredLevel } };
    case "not verified":
      return { code: "RECIPIENT_NOT_VERIFIED", params: { address } };
  }
}

/** Chain look-ups in flight at once. */
const CONCURRENCY = 8;

/**
 * Mint-time: every recipient must be verified at the collection's minimum level now (input.minLevel,
 * else the request's transferPolicy.minLevel). Each failing address is listed once with the first reason
 * that applies: invalid address, no identity, revoked, suspended, expired, level too low, not verified.
 */
export const recipientAdmission: Rule = {
  id: RECIPIENT_ADMISSION,
  appliesTo: ["mint"],
  async check(input, ctx) {
    const minLevel = input.minLevel ?? (input.request as { transferPolicy?: { minLevel?: number } } | undefined)?.transferPolicy?.minLevel;
    const recipients = input.recipients ?? [];
    if (typeof minLevel !== "number" || !Number.isInteger(minLevel) || minLevel < 0 || minLevel > 255) {
      return ruleResult(RECIPIENT_ADMISSION, false, [{ code: "RECIPIENTS_MIN_LEVEL_INVALID", params: {} }], { minLevel: minLevel ?? null });
    }
    if (recipients.length === 0) {
      return ruleResult(RECIPIENT_ADMISSION, false, [{ code: "RECIPIENTS_NONE", params: {} }], { minLevel, recipients: 0, failures: [] });
    }
    // One look-up per distinct address (case-insensitive), reported under its first spelling.
    const unique = [...new Map(recipients.map((r) => [String(r).toLowerCase(), String(r)])).values()];
    const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
    // One call answers for everyone; only the refused are looked up in detail, for their reasons.
    const verifiedNow = await ctx.areVerified(unique.filter(isAddressLike), minLevel);
    const passed = new Set(unique.filter(isAddressLike).filter((_, i) => verifiedNow[i]));
    const checked = await mapLimit(unique, CONCURRENCY, async (address): Promise<RecipientFailure | undefined> => {
      if (!isAddressLike(address)) return { address, reason: "invalid address", requiredLevel: minLevel };
      if (passed.has(address)) return undefined;
      const [identity, verified] = await Promise.all([ctx.identityOf(address), ctx.isVerified(address, minLevel)]);
      const base = { address, requiredLevel: minLevel };
      if (!identity || identity.status === STATUS.None) return { ...base, reason: "no identity" };
      const info = { ...base, level: identity.level, expiresAt: isoFromSeconds(identity.expiresAt) };
      if (identity.status === STATUS.Revoked) return { ...info, reason: "revoked" };
      if (identity.status === STATUS.Suspended) return { ...info, reason: "suspended" };
      if (identity.status !== STATUS.Active) return { ...info, reason: "not verified" };
      if (identity.expiresAt <= nowSeconds) return { ...info, reason: "expired" };
      if (identity.level < minLevel) return { ...info, reason: "level too low" };
      // Active, level high enough, unexpired by our clock but not verified: expired by block time.
      if (!verified) return { ...info, reason: "expired" };
      return undefined;
    });
    const failures = checked.filter((f): f is RecipientFailure => f !== undefined);
    const details = { minLevel, recipients: unique.length, failures };
    if (failures.length === 0) {
      return ruleResult(RECIPIENT_ADMISSION, true, [{ code: "RECIPIENTS_VERIFIED", params: { count: unique.length, level: minLevel } }], details);
    }
    const reasons: ComplianceReason[] = [
      { code: "RECIPIENTS_NOT_VERIFIED", params: { failed: failures.length, total: unique.length, level: minLevel } },
      ...failures.slice(0, NAMED).map(failureReason),
    ];
    if (failures.length > NAMED) reasons.push({ code: "RECIPIENTS_MORE", params: { count: failures.length - NAMED } });
    return ruleResult(RECIPIENT_ADMISSION, false, reasons, details);
  },
};
