import type { CollectionRequest } from "../../../shared/api";
import { collectionRequestOf, type Rule } from "../types";
import type { ComplianceReason } from "../../../shared/errors";
import { ruleResult } from "../result";
import { sniffMediaType } from "../media";
import { normaliseForMatch, publicTextFields } from "../text";

export const CONTENT_REVIEW = "content-review";

export interface TermMatch {
  field: string;
  term: string;
}

/**
 * 内容监管 — text and media review.
 *
 * Text: name, description and every attribute's trait_type and value are normalised (see
 * {@link normaliseForMatch}) and searched for each banned term of the policy, itself normalised; each
 * (field, term) match is reported. The licence text is not searched: licences legitimately say what the
 * work may not be used for ("不得用于赌博").
 *
 * Media: required; its type is decided by magic bytes alone and must be allow-listed; its size must not
 * exceed media.maxBytes. The declared type and file name are reported but never trusted.
 */
/** Each (field, banned term) match in the public text of a request, on normalised text (pure: run off the request thread). */
export function bannedTermMatches(request: CollectionRequest, bannedTerms: readonly string[]): TermMatch[] {
  const terms = [...new Set(bannedTerms)].map((term) => ({ term, norm: normaliseForMatch(term) }));
  const matches: TermMatch[] = [];
  for (const field of publicTextFields(request)) {
    const text = normaliseForMatch(field.text);
    for (const { term, norm } of terms) {
      if (norm && text.includes(norm)) matches.push({ field: field.path, term });
    }
  }
  return matches;
}

export const contentReview: Rule = {
  id: CONTENT_REVIEW,
  appliesTo: ["collection", "metadata"],
  async check(input, ctx, policy) {
    const problems: ComplianceReason[] = [];

    const request = collectionRequestOf(input);
    const matches = (ctx.offload
      ? await ctx.offload(CONTENT_REVIEW, [request, policy.bannedTerms])
      : bannedTermMatches(request, policy.bannedTerms)) as TermMatch[];
    for (const m of matches) problems.push({ code: "BANNED_TERM", params: { term: m.term, field: m.field } });

    const media = input.media;
    let mediaDetails: Record<string, unknown> = { present: false };
    if (input.kind === "metadata") {
      // A metadata change keeps the registered media: only the new text is reviewed.
      mediaDetails = { unchanged: true };
    } else if (!media || !media.bytes || media.bytes.length === 0) {
      problems.push({ code: media ? "MEDIA_EMPTY" : "MEDIA_MISSING", params: {} });
      if (media) mediaDetails = { present: true, size: 0 };
    } else {
      const detectedType = sniffMediaType(media.bytes) ?? null;
      const size = media.bytes.length;
      const allowed = detectedType !== null && (policy.media.allowedTypes as readonly string[]).includes(detectedType);
      if (detectedType === null) {
        problems.push({ code: "MEDIA_TYPE_UNKNOWN", params: {} });
      } else if (!allowed) {
        problems.push({ code: "MEDIA_TYPE_NOT_ALLOWED", params: { type: detectedType } });
      }
      if (size > policy.media.maxBytes) {
        problems.push({ code: "MEDIA_TOO_LARGE", params: { size, limit: policy.media.maxBytes } });
      }
      mediaDetails = {
        present: true,
        detectedType,
        declaredType: media.declaredType ?? null,
        declaredTypeMatches: media.declaredType === undefined ? null : media.declaredType.toLowerCase() === detectedType,
        filename: media.filename ?? null,
        size,
        maxBytes: policy.media.maxBytes,
        typeAllowed: allowed,
      };
    }

    const details = { matches, media: mediaDetails };
    return problems.length === 0
      ? ruleResult(CONTENT_REVIEW, true, [{ code: input.kind === "metadata" ? "METADATA_CONTENT_ALLOWED" : "CONTENT_ALLOWED", params: {} }], details)
      : ruleResult(CONTENT_REVIEW, false, problems, details);
  },
};
