import { formatReason, type ComplianceReason } from "../../../shared/errors";
import type { Rule } from "../types";
import {
  LICENSED_ISSUER_LEVEL,
  STATUS,
  STATUS_NAMES,
  ZERO_HASH,
  isAddressLike,
  isoFromSeconds,
  ruleResult,
} from "../result";

export const ISSUER_ADMISSION = "issuer-admission";

/** Why an issuer is not admitted; `code` is stable, `message` is the English text of the result's reason. */
export interface AdmissionFailure {
  code:
    | "INVALID_WALLET"
    | "NO_IDENTITY"
    | "SUSPENDED"
    | "REVOKED"
    | "NOT_ACTIVE"
    | "LEVEL_TOO_LOW"
    | "EXPIRED"
    | "NOT_VERIFIED"
    | "NO_LICENCE_EVIDENCE"
    | "LICENCE_EVIDENCE_NOT_RECORDED"
    | "MISSING_ISSUER_ROLE";
  message: string;
}

/**
 * 用户准入 — the issuer must be a licensed issuer right now: an identity at level 4 that is Active (a
 * suspended or revoked one is reported as such) and unexpired, verified on chain at level 4, holding
 * ISSUER_ROLE on CollectibleRights, and whose business-licence dossier is on record: the identity's
 * evidenceHash is non-zero and recorded in the EvidenceRegistry. Every check runs; all failures are listed.
 */
export const issuerAdmission: Rule = {
  id: ISSUER_ADMISSION,
  appliesTo: ["collection", "mint", "metadata"],
  async check(input, ctx) {
    const wallet = input.issuer?.wallet;
    const reasons: ComplianceReason[] = [];
    const failures: AdmissionFailure[] = [];
    const fail = (code: AdmissionFailure["code"], reason: ComplianceReason) => {
      reasons.push(reason);
      failures.push({ code, message: formatReason(reason, "en")! });
    };
    if (!isAddressLike(wallet)) {
      fail("INVALID_WALLET", { code: "ISSUER_INVALID_WALLET", params: {} });
      return ruleResult(ISSUER_ADMISSION, false, reasons, { wallet, failures });
    }
    const [identity, verified, hasRole] = await Promise.all([
      ctx.identityOf(wallet),
      ctx.isVerified(wallet, LICENSED_ISSUER_LEVEL),
      ctx.hasIssuerRole(wallet),
    ]);
    const nowSeconds = Math.floor(ctx.now().getTime() / 1000);

    if (!identity || identity.status === STATUS.None) {
      fail("NO_IDENTITY", { code: "ISSUER_NO_IDENTITY", params: {} });
    } else {
      const before = failures.length;
      if (identity.status === STATUS.Suspended) {
        fail("SUSPENDED", { code: "ISSUER_SUSPENDED", params: {} });
      } else if (identity.status === STATUS.Revoked) {
        fail("REVOKED", { code: "ISSUER_REVOKED", params: {} });
      } else if (identity.status !== STATUS.Active) {
        fail("NOT_ACTIVE", { code: "ISSUER_NOT_ACTIVE", params: { status: identity.status } });
      }
      if (identity.level < LICENSED_ISSUER_LEVEL) {
        fail("LEVEL_TOO_LOW", { code: "ISSUER_LEVEL_TOO_LOW", params: { level: identity.level, required: LICENSED_ISSUER_LEVEL } });
      }
      const expiresAt = isoFromSeconds(identity.expiresAt);
      if (identity.expiresAt <= nowSeconds) {
        fail("EXPIRED", { code: "ISSUER_EXPIRED", params: { expiresAt } });
      }
      if (!verified && failures.length === before) {
        // Active, level 4, unexpired by our clock, yet not verified: the chain's clock says it expired.
        fail("EXPIRED", { code: "ISSUER_EXPIRED_BY_BLOCK_TIME", params: { expiresAt } });
      }
      if (!identity.evidenceHash || identity.evidenceHash.toLowerCase() === ZERO_HASH) {
        fail("NO_LICENCE_EVIDENCE", { code: "ISSUER_NO_LICENCE_EVIDENCE", params: {} });
      } else if (!(await ctx.evidenceRecorded(identity.evidenceHash))) {
        fail("LICENCE_EVIDENCE_NOT_RECORDED", { code: "ISSUER_LICENCE_EVIDENCE_NOT_RECORDED", params: { evidenceHash: identity.evidenceHash } });
      }
    }
    if (!hasRole) fail("MISSING_ISSUER_ROLE", { code: "ISSUER_ROLE_MISSING", params: {} });

    const details = {
      wallet,
      identityId: identity?.identityId ?? null,
      level: identity?.level ?? null,
      status: identity ? (STATUS_NAMES[identity.status] ?? String(identity.status)) : null,
      expiresAt: identity ? isoFromSeconds(identity.expiresAt) : null,
      evidenceHash: identity?.evidenceHash ?? null,
      verifiedOnChain: verified,
      issuerRole: hasRole,
      failures,
    };
    return failures.length === 0
      ? ruleResult(ISSUER_ADMISSION, true, [{ code: "ISSUER_ADMITTED", params: {} }], details)
      : ruleResult(ISSUER_ADMISSION, false, reasons, details);
  },
};
