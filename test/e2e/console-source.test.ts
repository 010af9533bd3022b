import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The console's sources: both resource files have the same keys, every key the code names exists, the
 * console imports nothing Node-only of shared/, and it writes no Chinese text outside the resource files
 * (domain labels come from shared/domain, messages from shared/errors).
 */
const ROOT = join(__dirname, "..", "..");
const SRC = join(ROOT, "ui", "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });
}
function leaves(o: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : leaves(v as Record<string, unknown>, `${prefix}${k}.`)));
}
const resource = (name: string) => JSON.parse(readFileSync(join(SRC, "i18n", name), "utf8")) as Record<string, unknown>;

describe("the console's sources", () => {
  const zh = leaves(resource("zh-CN.json")).sort();
  const en = leaves(resource("en.json")).sort();

  it("has the same keys in zh-CN.json and en.json, none empty", () => {
    expect(zh.filter((k) => !en.includes(k)), "in zh-CN.json only").to.deep.equal([]);
    expect(en.filter((k) => !zh.includes(k)), "in en.json only").to.deep.equal([]);
    const empty = [resource("zh-CN.json"), resource("en.json")].flatMap((r) =>
      leaves(r).filter((k) => (k.split(".").reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], r) as string).trim() === ""),
    );
    expect(empty).to.deep.equal([]);
  });

  it("names only keys that exist", () => {
    const used = files(SRC).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/\bt\("([A-Za-z0-9_.-]+)"/g)].map((m) => m[1]));
    expect([...new Set(used)].filter((k) => !zh.includes(k))).to.deep.equal([]);
  });

  it("imports nothing Node-only of shared/ and no Node built-in", () => {
    const bad = files(SRC).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/from "([^"]+)"|import\("([^"]+)"\)/g)]
        .map((m) => m[1] ?? m[2])
        .filter((i) => /shared\/(node|verify\/node)(\/|$)/.test(i) || i.startsWith("node:") || /(^|\/)(server|scripts)\//.test(i))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(bad).to.deep.equal([]);
  });

  it("writes no Chinese text in code: every string is in the resource files", () => {
    // The language switch names Chinese in Chinese, as language pickers do.
    const allowed = new Set(["中文"]);
    const bad = files(SRC).flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line))
        .flatMap(({ line, i }) => (line.match(/[\u4e00-\u9fff]+/g) ?? []).filter((w) => !allowed.has(w)).map((w) => `${relative(ROOT, f)}:${i + 1} ${w}`)),
    );
    expect(bad).to.deep.equal([]);
  });
});
