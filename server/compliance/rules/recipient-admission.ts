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
      return ruleResult(RECIPIENT_ADMISSION, false, "the collection's minimum level is missing or invalid", { minLevel: minLevel ?? null });
    }
    if (recipients.length === 0) {
      return ruleResult(RECIPIENT_ADMISSION, false, "no recipients", { minLevel, recipients: 0, failures: [] });
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
      return ruleResult(RECIPIENT_ADMISSION, true, `all ${unique.length} recipient(s) verified at level ${minLevel}`, details);
    }
    const summary = failures
      .slice(0, 5)
      .map((f) => `${f.address} (${f.reason})`)
      .join(", ");
    return ruleResult(
      RECIPIENT_ADMISSION,
      false,
      `${failures.length} of ${unique.length} recipient(s) not verified at level ${minLevel}: ${summary}${failures.length > 5 ? ", …" : ""}`,
      details,
    );
  },
};
