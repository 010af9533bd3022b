/**
 * The console's texts, in Chinese (default) and English. Every string lives in ../i18n/zh-CN.json and
 * ../i18n/en.json (the same keys; a test checks it). Domain labels (levels, statuses, roles, rights, log
 * actions) and error messages come from shared/, never from here.
 */
import type { Locale } from "antd/es/locale";
import zhCN from "antd/es/locale/zh_CN";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Lang } from "../../../shared/domain";
import zh from "../i18n/zh-CN.json";

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type TextKey = Leaves<typeof zh>;
export type Params = Record<string, string | number | null | undefined>;

/** Chinese, the default, comes with the page; English is fetched when first chosen. */
const RESOURCES: Partial<Record<Lang, unknown>> = { zh };
const ANTD_LOCALES: Partial<Record<Lang, Locale>> = { zh: zhCN };
async function load(lang: Lang): Promise<void> {
  if (RESOURCES[lang]) return;
  const [texts, antd] = await Promise.all([import("../i18n/en.json"), import("antd/es/locale/en_US")]);
  RESOURCES[lang] = texts.default;
  ANTD_LOCALES[lang] = antd.default;
}
const STORAGE_KEY = "dareg.lang";

function lookup(lang: Lang, key: string): string {
  let node: unknown = RESOURCES[lang] ?? RESOURCES.zh;
  for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string" ? node : key;
}

/** The text of `key` in `lang`, with `{name}` placeholders filled. */
export function translate(lang: Lang, key: TextKey, params: Params = {}): string {
  return lookup(lang, key).replace(/\{([A-Za-z0-9_]+)\}/g, (_, n: string) => {
    const v = params[n];
    return v === undefined || v === null ? "…" : String(v);
  });
}

/** The text of a key built at run time (a rule, event or check name), or `fallback` when there is none. */
export function translateOptional(lang: Lang, key: string, fallback: string): string {
  const v = lookup(lang, key);
  return v === key ? fallback : v;
}

export const htmlLang = (lang: Lang) => (lang === "zh" ? "zh-CN" : "en");

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "zh" || saved === "en") return saved;
  } catch {
    // storage blocked: fall back to the default
  }
  return "zh";
}

interface I18n {
  lang: Lang;
  /** Ant Design's locale for the language. */
  antdLocale: Locale;
  setLang(lang: Lang): void;
  t(key: TextKey, params?: Params): string;
  /** For keys built at run time: the text, or `fallback`. */
  tx(key: string, fallback: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [ready, setReady] = useState(() => RESOURCES[lang] !== undefined);
  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);
  useEffect(() => {
    if (!ready) void load(lang).then(() => setReady(true), () => setLangState("zh"));
  }, [lang, ready]);
  const setLang = useCallback((l: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // not remembered, still switched
    }
    void load(l).then(() => setLangState(l));
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      antdLocale: ANTD_LOCALES[lang] ?? zhCN,
      setLang,
      t: (key, params) => translate(lang, key, params),
      tx: (key, fallback) => translateOptional(lang, key, fallback),
    }),
    [lang, setLang, ready],
  );
  return <I18nContext.Provider value={value}>{ready ? children : null}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}
