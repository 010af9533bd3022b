/**
 * shared/log must run in a browser: outside shared/log/node/ it imports only its own files,
 * @noble/hashes, @noble/curves and zod, and uses no Node globals. A static check of the sources.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = join(__dirname, "../../../shared/log");
const ALLOWED = [/^\.\.?\//, /^@noble\/hashes\//, /^@noble\/curves\//, /^zod$/];

describe("shared/log is browser-safe", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ts"));

  it("has sources to check, index.ts among them", () => {
    expect(files).to.include("index.ts");
    expect(files.length).to.be.greaterThan(10);
  });

  for (const f of files) {
    it(`${f} imports nothing Node-only and uses no Node globals`, () => {
      const src = readFileSync(join(DIR, f), "utf8");
      // Comments hold examples that mention ./node/: check the code only.
      const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      const specs = [...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
      for (const s of specs) {
        expect(ALLOWED.some((re) => re.test(s)), `${f} imports ${s}`).to.equal(true);
        expect(s.startsWith("./node/") || s === "./node", `${f} imports ${s}`).to.equal(false);
      }
      for (const g of [/\bBuffer\b/, /\bprocess\./, /\brequire\(/, /\b__dirname\b/, /\bsetImmediate\b/]) expect(g.test(code), `${f} uses ${g}`).to.equal(false);
      // Not defined in a page that is not cross-origin isolated: reading it throws a ReferenceError there.
      expect(/(?<!\[object )\bSharedArrayBuffer\b(?!\]")/.test(code), `${f} names the global SharedArrayBuffer`).to.equal(false);
    });
  }
});
