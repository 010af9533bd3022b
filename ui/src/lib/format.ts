import type { Lang } from "../../../shared/domain";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date and time for people, in the console's language and the browser's time zone. */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = lang === "zh" ? "zh-CN" : "en-GB";
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
    formatters.set(locale, f);
  }
  return f.format(d);
}

/** 0x1234…abcd */
export const shortHex = (hex: string | null | undefined, keep = 6): string =>
  !hex ? "—" : hex.length <= keep * 2 + 3 ? hex : `${hex.slice(0, keep + 2)}…${hex.slice(-keep)}`;

export const formatNumber = (n: number, lang: Lang) => n.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB");
