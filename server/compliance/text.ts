import type { CollectionRequest } from "../../shared/api";

/**
 * Text normalisation shared by the rules.
 *
 * `normaliseForMatch` is what banned terms and forbidden keys are compared on: NFKC (full-width →
 * half-width, compatibility forms folded), lower case, then every separator, punctuation mark, symbol
 * and invisible/control character removed, so "赌 博", "赌-博", "赌\u200b博", "ＧＡＭＢＬＩＮＧ" and
 * "g.a.m.b.l.i.n.g" all become "赌博" / "gambling". Matching is by substring on the result, which is
 * how Chinese text (no word spaces) must be matched; it also means English terms can match across
 * word boundaries, so the policy should not list very short English words.
 */
export function normaliseForMatch(text: string): string {
  return text.normalize("NFKC").toLowerCase().normalize("NFKC").replace(STRIP, "");
}

/** Separators, punctuation, symbols, control/format/private-use characters. */
const STRIP = /[\p{Z}\p{P}\p{S}\p{C}\s]/gu;

/** NFKC only (full-width digits and symbols → ASCII): what the pattern detectors run on. */
export function nfkc(text: string): string {
  return text.normalize("NFKC");
}

/**
 * The words of a key or value, for matching ASCII terms by whole word: camelCase and letter/digit/Han
 * boundaries split, lower-cased ("listPrice" → ["list", "price"], "售价USD" → ["售价", "usd"]).
 */
export function words(text: string): string[] {
  const t = nfkc(text).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return t.match(/\p{Script=Han}+|\p{L}+|\p{N}+/gu) ?? [];
}

/** A public text field of the metadata: its path (as in the request JSON) and its text. */
export interface TextField {
  path: string;
  text: string;
}

/**
 * The public metadata fields of a collection request: name, description, each attribute's trait_type
 * and value, and (when `licence` is set) the licence text.
 */
export function publicTextFields(request: CollectionRequest, options: { licence?: boolean } = {}): TextField[] {
  const fields: TextField[] = [];
  const push = (path: string, v: unknown) => {
    if (typeof v === "string" || typeof v === "number") fields.push({ path, text: String(v) });
  };
  push("name", request?.name);
  push("description", request?.description);
  (request?.attributes ?? []).forEach((a, i) => {
    push(`attributes[${i}].trait_type`, a?.trait_type);
    push(`attributes[${i}].value`, a?.value);
  });
  if (options.licence) push("licence.text", request?.licence?.text);
  return fields;
}
