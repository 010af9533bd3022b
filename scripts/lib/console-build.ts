/**
 * Builds the web console (ui/ → ui/dist) when its sources are newer than the build, and says so in one
 * line; does nothing (and prints nothing) when the build is up to date. `npm start` and the browser tests
 * call it, so nobody serves a stale console.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
export const UI_DIR = join(ROOT, "ui");
export const UI_DIST = join(UI_DIR, "dist");
const BUILT_MARK = join(UI_DIST, "index.html");

/** What the console is built from: its sources and the shared code it imports. */
const SOURCES = [join(UI_DIR, "src"), join(UI_DIR, "public"), join(UI_DIR, "index.html"), join(UI_DIR, "vite.config.ts"), join(UI_DIR, "package.json"), join(ROOT, "shared")];

function newest(path: string): { time: number; file: string } {
  if (!existsSync(path)) return { time: 0, file: path };
  const st = statSync(path);
  if (!st.isDirectory()) return { time: st.mtimeMs, file: path };
  let best = { time: 0, file: path };
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const n = newest(join(path, name));
    if (n.time > best.time) best = n;
  }
  return best;
}

/** Why the console needs a build, or null when ui/dist is up to date. */
export function consoleBuildReason(): string | null {
  if (!existsSync(BUILT_MARK)) return "ui/dist does not exist yet";
  const built = statSync(BUILT_MARK).mtimeMs;
  const src = SOURCES.map(newest).reduce((a, b) => (b.time > a.time ? b : a));
  return src.time > built ? `${relative(ROOT, src.file)} changed since the last build` : null;
}

/** Runs `vite build` for the console; rejects with its output when it fails. */
export function buildConsole(): Promise<void> {
  const vite = join(dirname(require.resolve("vite/package.json", { paths: [UI_DIR, ROOT] })), "bin", "vite.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "build", "--config", join(UI_DIR, "vite.config.ts"), "--logLevel", "warn"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the console build failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}

/**
 * Builds the console if its sources are newer than ui/dist, printing one line that says so. Returns whether
 * it built.
 *
 * @example
 * await ensureConsoleBuilt(); // "Building the web console into ui/dist: ui/src/app/Shell.tsx changed since the last build …"
 */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<boolean> {
  const reason = consoleBuildReason();
  if (!reason) return false;
  log(`Building the web console into ui/dist: ${reason} …`);
  await buildConsole();
  return true;
}
