import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * The layers of the code base: ui → shared ← server ← scripts. No import cycles anywhere (madge, type
 * imports included), shared/ imports nothing of server/, scripts/ or ui/, and the browser-safe part of
 * shared/ (everything outside node/ folders) uses no Node built-in.
 */
const ROOT = join(__dirname, "..");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules" || name === "dist") continue;
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

describe("architecture", function () {
  this.timeout(120_000);

  it("has no import cycle in server/, shared/, scripts/ and ui/ (madge, type imports included)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const madge = require("madge") as (paths: string[], config: object) => Promise<{ circular(): string[][] }>;
    const dirs = ["server", "shared", "scripts", "ui/src"].map((d) => join(ROOT, d)).filter((d) => {
      try {
        return statSync(d).isDirectory();
      } catch {
        return false;
      }
    });
    const result = await madge(dirs, {
      fileExtensions: ["ts", "tsx"],
      tsConfig: join(ROOT, "tsconfig.json"),
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    expect(result.circular()).to.deep.equal([]);
  });

  it("keeps shared/ free of server/, scripts/ and ui/ imports", () => {
    const bad = files(join(ROOT, "shared")).flatMap((f) =>
      importsOf(f)
        .filter((i) => /(^|\/)(server|scripts|ui)\//.test(i) && i.startsWith("."))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(bad).to.deep.equal([]);
  });

  it("keeps the browser-safe part of shared/ free of Node built-ins", () => {
    const bad = files(join(ROOT, "shared"))
      .filter((f) => !f.split(/[\\/]/).includes("node"))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith("node:") || ["fs", "path", "os", "crypto", "child_process"].includes(i)).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(bad).to.deep.equal([]);
  });

  it("lets nothing import the console, and the server import no script", () => {
    const bad = [...files(join(ROOT, "server")), ...files(join(ROOT, "shared")), ...files(join(ROOT, "scripts"))].flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith(".") && (/(^|\/)ui\//.test(i) || (relative(ROOT, f).startsWith("server") && /(^|\/)scripts\//.test(i))))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(bad).to.deep.equal([]);
  });
});
