/**
 * Linear-time scanners for the text rules. Regular expressions with an unbounded repetition before a
 * required suffix (`[a-z.]+@…`, `\d[\d,.]*\s*元`) backtrack quadratically on adversarial input (100 KB of
 * digits take seconds); these scanners read each character a bounded number of times instead. Their
 * results equal the regular expressions they replace (a property test checks that on random text).
 */

const isLetter = (c: string) => (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");
const isDigit = (c: string) => c >= "0" && c <= "9";
const isDomainChar = (c: string) => isLetter(c) || isDigit(c) || c === "-";
const isLocalChar = (c: string) => isDomainChar(c) || c === "." || c === "_" || c === "%" || c === "+";

/**
 * E-mail addresses, as `/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g` finds them,
 * in O(n).
 */
export function scanEmails(t: string): Array<{ index: number; text: string }> {
  const out: Array<{ index: number; text: string }> = [];
  let from = 0;
  for (let at = t.indexOf("@", from); at !== -1; at = t.indexOf("@", from)) {
    let start = at;
    while (start > from && isLocalChar(t[start - 1])) start--;
    const end = start < at ? domainEnd(t, at + 1) : -1;
    if (end === -1) {
      from = at + 1;
      continue;
    }
    out.push({ index: start, text: t.slice(start, end) });
    from = end;
  }
  return out;
}

/** Where `[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` starting at `i` ends (greedy), or -1. */
function domainEnd(t: string, i: number): number {
  let best = -1;
  let label = 0;
  let j = i;
  for (; j < t.length; j++) {
    const c = t[j];
    if (c === ".") {
      if (label === 0) break; // an empty label ends the domain
      let k = j + 1;
      while (k < t.length && isLetter(t[k])) k++;
      if (k - (j + 1) >= 2) best = k;
      label = 0;
    } else if (isDomainChar(c)) {
      label++;
    } else {
      break;
    }
  }
  return best;
}

const CURRENCY_SYMBOLS = new Set(["¥", "$", "€", "£", "₿"]);
const ASCII_CODES = ["rmb", "cny", "usd", "usdt", "usdc", "hkd", "eur", "gbp", "jpy", "eth", "btc"];
const CJK_UNITS = ["元", "块钱", "人民币", "美元", "美金", "港币", "港元", "欧元", "英镑", "日元"];
const CJK_NUMERAL_UNITS = ["元", "块钱", "美元", "人民币"];
const CODE_STARTS = new Set(ASCII_CODES.flatMap((c) => [c[0], c[0].toUpperCase()]));
const LATIN_UNITS = [...ASCII_CODES, "yuan", "dollars", "dollar", "euros", "euro"];
const CJK_NUMERALS = new Set([..."零一二三四五六七八九十百千万亿两"]);
/** Words after 元 that make it not a currency (元旦 New Year's Day, 元宇宙 metaverse, 多元化…). */
const NOT_YUAN = ["旦", "宇宙", "素", "年", "月", "宵", "代", "论", "化", "首", "老", "气", "帅", "复", "器件", "件"];

const SPACE = /\s/u;
const isSpace = (c: string | undefined) => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(c);
};

/** `\d(?:[\d,.]*\d)?` from `i` (which holds a digit): its end, greedy. */
function numberEnd(t: string, i: number): number {
  let j = i;
  let lastDigit = i;
  while (j < t.length && (isDigit(t[j]) || t[j] === "," || t[j] === ".")) {
    if (isDigit(t[j])) lastDigit = j;
    j++;
  }
  return lastDigit + 1;
}

const skipSpaces = (t: string, i: number) => {
  while (i < t.length && isSpace(t[i])) i++;
  return i;
};

const startsWithAt = (t: string, i: number, word: string, caseless = false) =>
  caseless ? t.slice(i, i + word.length).toLowerCase() === word : t.startsWith(word, i);

/** A CJK unit at `i` that is a currency (not 元旦, 元宇宙, …): its end, or -1. */
function cjkUnitEnd(t: string, i: number, units: readonly string[]): number {
  for (const u of units) {
    if (!t.startsWith(u, i)) continue;
    const end = i + u.length;
    if (NOT_YUAN.some((w) => t.startsWith(w, end))) continue;
    return end;
  }
  return -1;
}

/**
 * The first amount of money, with the priority of the patterns it replaces: a currency symbol and a
 * number (¥100, $5); an ASCII code and a number (RMB 100); a number and a Chinese unit (100 元); a number
 * and an ASCII unit (100 USDT, 5 dollars); Chinese numerals and a unit (一百元). O(n) per pattern.
 */
export function scanCurrency(t: string): string | undefined {
  // ¥100, $ 5
  for (let i = 0; i < t.length; i++) {
    if (!CURRENCY_SYMBOLS.has(t[i])) continue;
    const d = skipSpaces(t, i + 1);
    if (d < t.length && isDigit(t[d])) return t.slice(i, numberEnd(t, d));
  }
  // RMB 100 (not after a letter)
  for (let i = 0; i < t.length; i++) {
    if (!CODE_STARTS.has(t[i]) || (i > 0 && isLetter(t[i - 1]))) continue;
    for (const code of ASCII_CODES) {
      if (!startsWithAt(t, i, code, true)) continue;
      const d = skipSpaces(t, i + code.length);
      if (d < t.length && isDigit(t[d])) return t.slice(i, numberEnd(t, d));
    }
  }
  // Numbers followed by a unit: each maximal number run is looked at once.
  const numbers: Array<[number, number]> = [];
  for (let i = 0; i < t.length; ) {
    if (!isDigit(t[i])) {
      i++;
      continue;
    }
    const end = numberEnd(t, i);
    numbers.push([i, end]);
    let j = end;
    while (j < t.length && (isDigit(t[j]) || t[j] === "," || t[j] === ".")) j++;
    i = j;
  }
  for (const [start, end] of numbers) {
    const u = skipSpaces(t, end);
    const e = cjkUnitEnd(t, u, CJK_UNITS);
    if (e !== -1) return t.slice(start, e);
  }
  for (const [start, end] of numbers) {
    const u = skipSpaces(t, end);
    for (const unit of LATIN_UNITS) {
      if (!startsWithAt(t, u, unit, true)) continue;
      const after = t[u + unit.length];
      if (after !== undefined && isLetter(after)) continue;
      return t.slice(start, u + unit.length);
    }
  }
  // 一百元
  for (let i = 0; i < t.length; ) {
    if (!CJK_NUMERALS.has(t[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < t.length && CJK_NUMERALS.has(t[j])) j++;
    const e = cjkUnitEnd(t, skipSpaces(t, j), CJK_NUMERAL_UNITS);
    if (e !== -1) return t.slice(i, e);
    i = j;
  }
  return undefined;
}
