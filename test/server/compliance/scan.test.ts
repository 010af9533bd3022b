import { expect } from "chai";
import fc from "fast-check";
import { scanCurrency, scanEmails } from "../../../server/compliance/scan";

/** The regular expressions the scanners replace (quadratic on adversarial input, fine on short text). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const NOT_YUAN = "(?!旦|宇宙|素|年|月|宵|代|论|化|首|老|气|帅|复|器件|件)";
const CODES = "rmb|cny|usd|usdt|usdc|hkd|eur|gbp|jpy|eth|btc";
const NUMBER = "\\d(?:[\\d,.]*\\d)?";
const CURRENCY = [
  new RegExp(`[¥$€£₿]\\s*${NUMBER}`, "u"),
  new RegExp(`(?<![a-z])(?:${CODES})\\s*${NUMBER}`, "iu"),
  new RegExp(`${NUMBER}\\s*(?:元|块钱|人民币|美元|美金|港币|港元|欧元|英镑|日元)${NOT_YUAN}`, "u"),
  new RegExp(`${NUMBER}\\s*(?:${CODES}|yuan|dollars?|euros?)(?![a-z])`, "iu"),
  new RegExp(`[零一二三四五六七八九十百千万亿两]+\\s*(?:元|块钱|美元|人民币)${NOT_YUAN}`, "u"),
];
const referenceCurrency = (t: string) => {
  for (const p of CURRENCY) {
    const m = p.exec(t);
    if (m) return m[0];
  }
  return undefined;
};

/** Text built from the pieces that matter to the patterns, so matches and near-misses are frequent. */
const pieces = ["a", "Z", "9", "0", "1", ".", ",", "-", "_", "+", "%", "@", " ", "\t", "x.cn", "com", "¥", "$", "€", "RMB", "usd", "usdt", "USDT", "dollars", "dollar", "euro", "yuan", "元", "元旦", "元宇宙", "美元", "块钱", "人民币", "一", "百", "两", "万", "件", "a@b.co", "@", "..", "é", "名"];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(""));

describe("server/compliance/scan: linear scanners", () => {
  it("find exactly the e-mail addresses the regular expression finds", () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = Array.from(t.matchAll(EMAIL), (m) => ({ index: m.index, text: m[0] }));
        expect(scanEmails(t)).to.deep.equal(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("find exactly the amount of money the regular expressions find", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(scanCurrency(t)).to.equal(referenceCurrency(t));
      }),
      { numRuns: 3000 },
    );
  });

  it("answer known cases", () => {
    expect(scanEmails("write to zhang.san@example.com.cn now")).to.deep.equal([{ index: 9, text: "zhang.san@example.com.cn" }]);
    expect(scanEmails("a@b.c and @x.com and a@@b.com")).to.deep.equal([]);
    expect(scanCurrency("售价 100 元")).to.equal("100 元");
    expect(scanCurrency("元旦快乐 2026")).to.equal(undefined);
    expect(scanCurrency("only 5 dollarsx")).to.equal(undefined);
    expect(scanCurrency("一百两元")).to.equal("一百两元");
  });

  it("read adversarial text in linear time (1 MB of one character class scans in well under a second)", () => {
    for (const c of ["a", "1", "1,", "a@", "一", "$ ", "a.b"]) {
      const t = c.repeat(Math.ceil(1_000_000 / c.length));
      const started = process.hrtime.bigint();
      scanEmails(t);
      scanCurrency(t);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // A quadratic scan of 1 MB takes minutes; a linear one, tens of milliseconds (generous bound for a busy machine).
      expect(ms, `${JSON.stringify(c)} × 1 MB took ${ms} ms`).to.be.below(5000);
    }
  });
});
