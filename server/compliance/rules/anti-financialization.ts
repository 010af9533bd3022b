import type { CollectionRequest } from "../../../shared/api";
import { formatReason, type ComplianceReason } from "../../../shared/errors";
import { collectionRequestOf, type Policy, type Rule } from "../types";
import { ruleResult } from "../result";
import { scanCurrency } from "../scan";
import { nfkc, normaliseForMatch, publicTextFields, words } from "../text";

export const ANTI_FINANCIALIZATION = "anti-financialization";

export interface FinancializationFailure {
  code: "EDITION_CAP" | "TRANSFER_MODE" | "HOLDING_PERIOD" | "MIN_LEVEL" | "FORBIDDEN_KEY" | "CURRENCY";
  /** The English text of `reason`. */
  message: string;
  field?: string;
  term?: string;
  match?: string;
}

/** A failure with its finding as a code; the code goes to the result's reasons, the rest to its details. */
type Found = FinancializationFailure & { reason: ComplianceReason };

const found = (failure: Omit<FinancializationFailure, "message">, reason: ComplianceReason): Found => ({
  ...failure,
  message: formatReason(reason, "en")!,
  reason,
});

/** The first amount of money in `text` ("¥100", "$5", "RMB 100", "100 元", "100 USDT", "一百元"), on its NFKC form. */
export function findCurrency(text: string): string | undefined {
  return scanCurrency(nfkc(text));
}

/**
 * The forbidden term `text` contains, if any: ASCII terms match a whole word of the text or the whole
 * normalised text ("listPrice", "p.r.i.c.e"), Chinese terms match anywhere in the normalised text.
 */
export function findForbiddenTerm(text: string, terms: readonly string[]): string | undefined {
  const norm = normaliseForMatch(text);
  const ws = new Set(words(text));
  for (const term of terms) {
    const t = normaliseForMatch(term);
    if (!t) continue;
    if (/^[a-z0-9]+$/.test(t) ? ws.has(t) || norm === t : norm.includes(t)) return term;
  }
  return undefined;
}

/** Every key of a JSON value, with its path. */
function keysOf(value: unknown, path = ""): Array<{ path: string; key: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysOf(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    return [{ path: p, key: k }, ...keysOf(v, p)];
  });
}

/** Price and currency data in a request's keys, attributes and text (pure: run off the request thread). */
export function financialTextFailures(req: CollectionRequest, forbidden: readonly string[]): Found[] {
  const failures: Found[] = [];
  const flagTerm = (field: string, text: string, code: "PRICE_KEY" | "PRICE_ATTRIBUTE") => {
    const term = findForbiddenTerm(text, forbidden);
    if (term !== undefined) failures.push(found({ code: "FORBIDDEN_KEY", field, term }, { code, params: { field, term } }));
  };
  for (const { path, key } of keysOf(req)) flagTerm(path, key, "PRICE_KEY");
  (req?.attributes ?? []).forEach((a, i) => {
    flagTerm(`attributes[${i}].trait_type`, String(a?.trait_type ?? ""), "PRICE_ATTRIBUTE");
    flagTerm(`attributes[${i}].value`, String(a?.value ?? ""), "PRICE_ATTRIBUTE");
  });
  for (const field of publicTextFields(req)) {
    if (field.path.endsWith(".trait_type")) continue;
    const match = findCurrency(field.text);
    if (match !== undefined) {
      failures.push(found({ code: "CURRENCY", field: field.path, match }, { code: "CURRENCY", params: { field: field.path, match } }));
    }
  }
  return failures;
}

/** Edition cap, transfer mode, holding period and holder level of a new collection. */
function checkSetup(req: CollectionRequest, tp: CollectionRequest["transferPolicy"] | undefined, policy: Policy, failures: Found[]): void {
  if (!(typeof req?.editionSize === "number" && req.editionSize <= policy.editions.maxPerCollection)) {
    failures.push(
      found(
        { code: "EDITION_CAP", field: "editionSize" },
        { code: "EDITION_CAP", params: { editionSize: String(req?.editionSize), max: policy.editions.maxPerCollection } },
      ),
    );
  }
  if (!(policy.transfer.allowedModes as readonly string[]).includes(String(tp?.mode))) {
    failures.push(
      found(
        { code: "TRANSFER_MODE", field: "transferPolicy.mode" },
        { code: "TRANSFER_MODE_NOT_ALLOWED", params: { mode: String(tp?.mode), allowed: [...policy.transfer.allowedModes] } },
      ),
    );
  }
  if (!(typeof tp?.holdingPeriodDays === "number" && tp.holdingPeriodDays >= policy.transfer.minHoldingPeriodDays)) {
    failures.push(
      found(
        { code: "HOLDING_PERIOD", field: "transferPolicy.holdingPeriodDays" },
        { code: "HOLDING_PERIOD_TOO_SHORT", params: { days: String(tp?.holdingPeriodDays), min: policy.transfer.minHoldingPeriodDays } },
      ),
    );
  }
  if (!(typeof tp?.minLevel === "number" && tp.minLevel >= policy.transfer.minRecipientLevel)) {
    failures.push(
      found(
        { code: "MIN_LEVEL", field: "transferPolicy.minLevel" },
        { code: "HOLDER_LEVEL_TOO_LOW", params: { level: String(tp?.minLevel), min: policy.transfer.minRecipientLevel } },
      ),
    );
  }
}

/**
 * 防金融化 / 防炒作 — the collection may not be set up as a tradable financial product:
 * - editionSize ≤ editions.maxPerCollection;
 * - transferPolicy.mode in transfer.allowedModes (anything else, e.g. a free-trading mode, is refused);
 * - transferPolicy.holdingPeriodDays ≥ transfer.minHoldingPeriodDays;
 * - transferPolicy.minLevel ≥ transfer.minRecipientLevel (holders are real-name verified);
 * - no price or currency data in the metadata: no request key, attribute trait_type or attribute value is
 *   a forbiddenMetadataKeys term (after normalisation), and no attribute value, name or description
 *   holds an amount of money ("¥100", "$5", "100 元", "100 USDT", "一百元").
 */
export const antiFinancialization: Rule = {
  id: ANTI_FINANCIALIZATION,
  appliesTo: ["collection", "metadata"],
  async check(input, ctx, policy) {
    const req = collectionRequestOf(input);
    const failures: Found[] = [];
    const tp = req?.transferPolicy;

    // A metadata change cannot change the edition size or the transfer policy: only its text is checked.
    if (input.kind !== "metadata") checkSetup(req, tp, policy, failures);

    const text = (ctx.offload
      ? await ctx.offload(ANTI_FINANCIALIZATION, [req, policy.forbiddenMetadataKeys])
      : financialTextFailures(req, policy.forbiddenMetadataKeys)) as Found[];
    failures.push(...text);

    const details = { failures: failures.map(({ reason: _, ...f }): FinancializationFailure => f) };
    return failures.length === 0
      ? ruleResult(ANTI_FINANCIALIZATION, true, [{ code: "FINANCIALIZATION_CLEAR", params: {} }], details)
      : ruleResult(ANTI_FINANCIALIZATION, false, failures.map((f) => f.reason), details);
  },
};
