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

/** Why an issuer is not admitted; `code` is stable, `message` is for people. */
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
    if (!isAddressLike(wallet)) {
      const failures: AdmissionFailure[] = [{ code: "INVALID_WALLET", message: "the issuer wallet is not an address" }];
      return ruleResult(ISSUER_ADMISSION, false, `issuer not admitted: ${failures[0].message}`, { wallet, failures });
    }
    const [identity, verified, hasRole] = await Promise.all([
      ctx.identityOf(wallet),
      ctx.isVerified(wallet, LICENSED_ISSUER_LEVEL),
      ctx.hasIssuerRole(wallet),
    ]);
    const failures: AdmissionFailure[] = [];
    const nowSeconds = Math.floor(ctx.now().getTime() / 1000);

    if (!identity || identity.status === STATUS.None) {
      failures.push({ code: "NO_IDENTITY", message: "no identity is linked to the issuer wallet" });
    } else {
      const before = failures.length;
      if (identity.status === STATUS.Suspended) {
        failures.push({ code: "SUSPENDED", message: "the issuer's identity is suspended" });
      } else if (identity.status === STATUS.Revoked) {
        failures.push({ code: "REVOKED", message: "the issuer's identity is revoked" });
      } else if (identity.status !== STATUS.Active) {
        failures.push({ code: "NOT_ACTIVE", message: `the issuer's identity is not active (status ${identity.status})` });
      }
      if (identity.level < LICENSED_ISSUER_LEVEL) {
        failures.push({
          code: "LEVEL_TOO_LOW",
          message: `the issuer's identity is level ${identity.level}; a licensed issuer (level ${LICENSED_ISSUER_LEVEL}) is required`,
        });
      }
      if (identity.expiresAt <= nowSeconds) {
        failures.push({ code: "EXPIRED", message: `the issuer's identity expired at ${isoFromSeconds(identity.expiresAt)}` });
      }
      if (!verified && failures.length === before) {
        // Active, level 4, unexpired by our clock, yet not verified: the chain's clock says it expired.
        failures.push({
          code: "EXPIRED",
          message: `the issuer's identity is not verified on chain: it expired at ${isoFromSeconds(identity.expiresAt)} by block time`,
        });
      }
      if (!identity.evidenceHash || identity.evidenceHash.toLowerCase() === ZERO_HASH) {
        failures.push({ code: "NO_LICENCE_EVIDENCE", message: "the issuer's identity carries no business-licence evidence hash" });
      } else if (!(await ctx.evidenceRecorded(identity.evidenceHash))) {
        failures.push({
          code: "LICENCE_EVIDENCE_NOT_RECORDED",
          message: `the business-licence evidence ${identity.evidenceHash} is not recorded in the EvidenceRegistry`,
        });
      }
    }
    if (!hasRole) failures.push({ code: "MISSING_ISSUER_ROLE", message: "the issuer wallet lacks ISSUER_ROLE on CollectibleRights" });

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
      ? ruleResult(ISSUER_ADMISSION, true, "issuer admitted: licensed issuer, active, licence evidence on record", details)
      : ruleResult(ISSUER_ADMISSION, false, `issuer not admitted: ${failures.map((f) => f.message).join("; ")}`, details);
  },
};
