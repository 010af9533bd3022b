import type { CollectionRequest } from "../../../shared/api";
import type { PersonalDataKind } from "../../../shared/domain";
import { collectionRequestOf, type Rule } from "../types";
import { ruleResult } from "../result";
import { scanEmails } from "../scan";
import { nfkc, publicTextFields } from "../text";

export const PRIVACY = "privacy";

export type { PersonalDataKind } from "../../../shared/domain";

export interface PersonalDataFinding {
  field: string;
  kind: PersonalDataKind;
  /** The match with most of it masked: personal data is never echoed back whole. */
  excerpt: string;
}

// ─── Detectors (exported for reuse and tests) ──────────────────────────────────────────────

/** Province-level codes (GB/T 2260) that start a resident id number. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
  63, 64, 65, 71, 81, 82, 83, 91,
]);
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/**
 * Whether `id` (18 characters, no separators) is a valid mainland resident id number (GB 11643-1999):
 * a province code, a real birth date between 1900 and `now`, and the ISO 7064 MOD 11-2 check character.
 */
export function isResidentId(id: string, now: Date = new Date()): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  if (birth.getTime() > now.getTime()) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17].toUpperCase();
}

/** The Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

const mask = (s: string, keepStart: number, keepEnd: number) =>
  s.slice(0, keepStart) + "*".repeat(Math.max(0, s.length - keepStart - keepEnd)) + s.slice(s.length - keepEnd);

interface Detector {
  kind: PersonalDataKind;
  /** The candidate spans, left to right (a linear scanner, or a regular expression with bounded repetition). */
  find(text: string): Iterable<{ index: number; text: string }>;
  /** The masked excerpt when the match is personal data, else undefined. */
  accept(match: string, now: Date): string | undefined;
}

const digitsOf = (s: string) => s.replace(/\D/g, "");

/** The matches of a global regular expression as spans. */
const matches = (re: RegExp) => (text: string) => Array.from(text.matchAll(re), (m) => ({ index: m.index, text: m[0] }));

/**
 * In priority order: a span claimed by one detector is not examined by the next ones (a mobile number
 * with its 86 prefix can pass Luhn, so mobiles are claimed before bank cards). A number never starts or
 * ends next to another digit, even across one space or dash, so parts of longer numbers are not matched.
 */
const DETECTORS: Detector[] = [
  {
    kind: "email",
    find: scanEmails,
    accept: (m) => {
      const at = m.lastIndexOf("@");
      return `${m[0]}***${m.slice(at)}`;
    },
  },
  {
    kind: "resident-id",
    find: matches(/(?<!\d[ -]?)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?![ -]?\d)(?![A-Za-z])/g),
    accept: (m, now) => {
      const id = m.replace(/[ -]/g, "");
      return isResidentId(id, now) ? mask(id.toUpperCase(), 3, 2) : undefined;
    },
  },
  {
    kind: "mobile",
    find: matches(/(?<!\d[ -]?)(?<!\+)(?:\(?(?:\+|00)?86\)?[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![ -]?\d)/g),
    accept: (m) => mask(digitsOf(m).slice(-11), 3, 4),
  },
  {
    kind: "bank-card",
    find: matches(/(?<!\d[ -]?)(?<!\+)\d(?:[ -]?\d){12,18}(?![ -]?\d)/g),
    accept: (m) => {
      const d = digitsOf(m);
      return d.length >= 13 && d.length <= 19 && luhnValid(d) ? mask(d, 0, 4) : undefined;
    },
  },
];

/**
 * Personal data in a text: e-mail addresses, resident id numbers (valid check digit and birth date),
 * bank card numbers (13–19 digits, spaces or dashes allowed, Luhn-valid) and mainland mobile numbers
 * (1[3-9] + 9 digits, optional +86/0086/86 prefix, spaces or dashes allowed). Runs on the NFKC form,
 * so full-width digits and ＠ are found too.
 */
export function findPersonalData(text: string, now: Date = new Date()): Array<{ kind: PersonalDataKind; excerpt: string }> {
  const t = nfkc(text);
  // One flag per character: a detector's spans never overlap each other, so checking and claiming
  // stay linear in the text however many candidates there are.
  const claimed = new Uint8Array(t.length);
  const overlaps = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (claimed[i]) return true;
    return false;
  };
  const found: Array<{ kind: PersonalDataKind; excerpt: string; at: number }> = [];
  for (const det of DETECTORS) {
    for (const m of det.find(t)) {
      const start = m.index;
      const end = start + m.text.length;
      if (overlaps(start, end)) continue;
      const excerpt = det.accept(m.text, now);
      if (excerpt === undefined) continue;
      claimed.fill(1, start, end);
      found.push({ kind: det.kind, excerpt, at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, excerpt }) => ({ kind, excerpt }));
}

/** Every finding of personal data in the public text of a request (pure: run off the request thread). */
export function personalDataFindings(request: CollectionRequest, nowIso: string): PersonalDataFinding[] {
  const now = new Date(nowIso);
  const findings: PersonalDataFinding[] = [];
  for (const field of publicTextFields(request, { licence: true })) {
    for (const f of findPersonalData(field.text, now)) findings.push({ field: field.path, ...f });
  }
  return findings;
}

/**
 * 数据分级 — public metadata (name, description, attributes, licence text) goes to IPFS and stays
 * public forever, so it must hold no personal data. Each finding is reported with its field, its kind and
 * a masked excerpt.
 */
export const privacy: Rule = {
  id: PRIVACY,
  appliesTo: ["collection", "metadata"],
  async check(input, ctx) {
    const request = collectionRequestOf(input);
    const now = ctx.now().toISOString();
    const findings = (ctx.offload ? await ctx.offload(PRIVACY, [request, now]) : personalDataFindings(request, now)) as PersonalDataFinding[];
    if (findings.length === 0) return ruleResult(PRIVACY, true, [{ code: "NO_PERSONAL_DATA", params: {} }], { findings });
    return ruleResult(
      PRIVACY,
      false,
      findings.map((f) => ({ code: "PERSONAL_DATA", params: { kind: f.kind, field: f.field } })),
      { findings },
    );
  },
};
