/**
 * Error texts for people, in Chinese and English, for every code the API answers with: the gateway's own
 * codes (./catalogue.ts) and the codes the contracts' custom errors map to (../contract-errors.ts).
 * The server formats its `message` with these; the console formats the same code and params in the
 * language the user chose.
 *
 * Browser-safe: imports nothing of server/, scripts/ or ui/, and no Node built-ins.
 */
import { z } from "zod";
import { CONTRACT_ERRORS } from "../contract-errors";
import { levelLabel, modeLabel, personalDataLabel, ruleLabel, statusLabel } from "../domain";
import { GATEWAY_ERRORS, type ErrorSpec, type GatewayErrorCode } from "./catalogue";
import { COMPLIANCE_REASONS, isComplianceReasonCode } from "./compliance-reasons";

export { GATEWAY_ERRORS, type ErrorSpec, type GatewayErrorCode } from "./catalogue";
export {
  COMPLIANCE_REASONS,
  isComplianceReasonCode,
  type ComplianceReason,
  type ComplianceReasonCode,
  type ReasonParams,
} from "./compliance-reasons";

export type Lang = "zh" | "en";
export const LANGS: readonly Lang[] = ["zh", "en"];

/** Every code of the API: the gateway's and the contracts'. */
export const ERRORS: Readonly<Record<string, ErrorSpec>> = Object.freeze({
  ...Object.fromEntries(Object.values(CONTRACT_ERRORS).map((c) => [c.code, { status: c.status, en: c.en, zh: c.zh }])),
  ...GATEWAY_ERRORS,
});

export type ErrorCode = GatewayErrorCode | (typeof CONTRACT_ERRORS)[keyof typeof CONTRACT_ERRORS]["code"];

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

export type ErrorParams = Readonly<Record<string, unknown>>;

/** Whether `code` is in the catalogue. */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === "string" && Object.hasOwn(ERRORS, code);

/** The HTTP status of a code; unknown codes are 500 (and a test makes sure none is ever thrown). */
export function errorStatus(code: string): number {
  return isErrorCode(code) ? ERRORS[code].status : 500;
}

/** Formatters a template may name after a colon: `{requiredLevel:level}`. */
const FORMATTERS: Record<string, (v: unknown, lang: Lang) => string> = {
  level: (v, lang) => (lang === "zh" ? `${String(v)} 级（${levelLabel(Number(v), lang)}）` : `${String(v)} (${levelLabel(Number(v), lang)})`),
  time: (v) => {
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 && n < 253402300800 ? new Date(n * 1000).toISOString() : String(v);
  },
  status: (v, lang) => statusLabel(v as number, lang),
  mode: (v, lang) => modeLabel(v as number, lang),
  modes: (v, lang) => (Array.isArray(v) ? v : [v]).map((m) => modeLabel(m as string, lang)).join(lang === "zh" ? "、" : ", "),
  pii: (v, lang) => personalDataLabel(String(v), lang),
  rules: (v, lang) => (Array.isArray(v) ? v : [v]).map((r) => ruleLabel(String(r), lang)).join(lang === "zh" ? "、" : ", "),
};

const text = (v: unknown): string => {
  if (v === undefined || v === null || v === "") return "…";
  if (Array.isArray(v)) return v.map(text).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

/** `{name}` and `{name:formatter}` placeholders of a template. */
export const PLACEHOLDER = /\{([A-Za-z0-9_]+)(?::([a-z]+))?\}/g;

/** `template` with its placeholders filled from `params` in `lang`; a missing parameter renders as "…". */
function fill(template: string, params: ErrorParams, lang: Lang): string {
  return template.replace(PLACEHOLDER, (_, name: string, fmt?: string) => {
    const v = params[name];
    if (v === undefined || v === null || v === "") return "…";
    const f = fmt ? FORMATTERS[fmt] : undefined;
    return f ? f(v, lang) : text(v);
  });
}

/**
 * The message of `code` in `lang`, with `{name}` placeholders filled from `params`.
 *
 * @example
 * formatError("TOO_MANY_RECIPIENTS", { max: 1000, given: 1200 }, "zh") // "每次请求最多 1000 个接收方（收到 1200 个）。"
 */
export function formatError(code: string, params: ErrorParams = {}, lang: Lang = "en"): string {
  const spec = isErrorCode(code) ? ERRORS[code] : ERRORS.INTERNAL;
  return fill(spec[lang], params, lang);
}

/**
 * A compliance finding in `lang`, or undefined when its code is not in {@link COMPLIANCE_REASONS} (a newer
 * gateway's: show the result's English `reason` instead).
 *
 * @example
 * formatReason({ code: "BANNED_TERM", params: { term: "赌博", field: "name" } }, "zh") // "name 含违禁词“赌博”"
 */
export function formatReason(r: { code: string; params?: ErrorParams }, lang: Lang = "en"): string | undefined {
  return isComplianceReasonCode(r.code) ? fill(COMPLIANCE_REASONS[r.code][lang], r.params ?? {}, lang) : undefined;
}

/** A rule's findings as one text (the English one is a result's `reason`). */
export const formatReasons = (reasons: ReadonlyArray<{ code: string; params?: ErrorParams }>, lang: Lang = "en"): string =>
  reasons.map((r) => formatReason(r, lang) ?? r.code).join(lang === "zh" ? "；" : "; ");

/** The API's error body: `{ error: { code, message, params, details } }`. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    /** In the request's language (Accept-Language), English by default. */
    message: z.string(),
    /** The template parameters, so a client can render the message in another language. */
    params: z.record(z.string(), z.unknown()),
    details: z.unknown(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
