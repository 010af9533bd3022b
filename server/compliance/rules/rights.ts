import type { Rule } from "../types";
import type { ComplianceReason } from "../../../shared/errors";
import { ruleResult } from "../result";
import { fileSummary } from "../media";

export const RIGHTS = "rights";

/**
 * 确权 — the issuer must hold the rights to the work:
 * - a copyright evidence file (registration certificate, licence contract…) is attached, within
 *   evidence.maxBytes, and its sha256 is recorded in the EvidenceRegistry (存证 done beforehand) by a
 *   party other than the issuer: an attestor (or another non-issuer key) through the gateway, or an
 *   evidence writer whose account is not the issuer's. An issuer's own upload proves nothing;
 * - the evidence backs fewer than evidence.maxWorksPerEvidence works (default 1: one certificate, one work);
 * - the media's sha256 (the on-chain contentHash) is not registered by any collection yet (first
 *   registration wins); if it is, the holding collection is reported.
 */
export const rights: Rule = {
  id: RIGHTS,
  appliesTo: ["collection"],
  async check(input, ctx, policy) {
    const problems: ComplianceReason[] = [];
    const ev = input.copyrightEvidence;
    let evidence: Record<string, unknown> = { present: false };
    if (!ev || !ev.bytes || ev.bytes.length === 0) {
      problems.push({ code: ev ? "EVIDENCE_EMPTY" : "EVIDENCE_MISSING", params: {} });
    } else {
      const { sha256, size } = fileSummary(ev.bytes);
      const tooLarge = size > policy.evidence.maxBytes;
      if (tooLarge) problems.push({ code: "EVIDENCE_TOO_LARGE", params: { size, limit: policy.evidence.maxBytes } });
      const record = await ctx.evidenceRecord(sha256);
      const recorded = record !== undefined;
      const issuer = input.issuer.wallet.toLowerCase();
      const byIssuer = record !== undefined && (record.writer.toLowerCase() === issuer || (record.viaGateway && record.byRole !== "attestor" && record.byRole !== "admin" && record.byRole !== "regulator"));
      const uses = recorded ? await ctx.evidenceUses(sha256) : 0;
      const maxUses = policy.evidence.maxWorksPerEvidence;
      if (!recorded) problems.push({ code: "EVIDENCE_NOT_RECORDED", params: { hash: sha256 } });
      else if (byIssuer) problems.push({ code: "EVIDENCE_BY_ISSUER", params: { hash: sha256 } });
      if (recorded && uses >= maxUses) problems.push({ code: "EVIDENCE_OVERUSED", params: { hash: sha256, uses, max: maxUses } });
      evidence = {
        present: true,
        filename: ev.filename ?? null,
        sha256,
        size,
        maxBytes: policy.evidence.maxBytes,
        recorded,
        recordedBy: record ? { writer: record.writer, viaGateway: record.viaGateway, role: record.byRole } : null,
        independent: recorded && !byIssuer,
        uses,
        maxUses,
      };
    }

    const media = input.media;
    let content: Record<string, unknown> = { present: false };
    if (!media || !media.bytes || media.bytes.length === 0) {
      problems.push({ code: "CONTENT_HASH_UNCHECKED", params: {} });
    } else {
      const contentHash = fileSummary(media.bytes).sha256;
      const registeredIn = (await ctx.contentRegistered(contentHash)) ?? null;
      if (registeredIn !== null) problems.push({ code: "WORK_REGISTERED", params: { contentHash, collectionId: registeredIn } });
      content = { present: true, contentHash, registeredIn };
    }

    const details = { evidence, content };
    return problems.length === 0
      ? ruleResult(RIGHTS, true, [{ code: "RIGHTS_CLEAR", params: {} }], details)
      : ruleResult(RIGHTS, false, problems, details);
  },
};
