/**
 * The console's build (`npm run build:ui` → ui/dist, served by the gateway at /) and dev server
 * (`npm run dev:ui`, proxying the API to a running gateway: GATEWAY_URL, default http://127.0.0.1:8080).
 */
import { realpathSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzip } from "node:zlib";
import { promisify } from "node:util";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const UI = import.meta.dirname;
const ROOT = join(UI, "..");
const GATEWAY = process.env.GATEWAY_URL ?? "http://127.0.0.1:8080";

/** Writes a .gz beside each text asset, so the gateway sends compressed files without compressing per request. */
function precompress(): Plugin {
  const zip = promisify(gzip);
  return {
    name: "dareg:precompress",
    apply: "build",
    async writeBundle(options, bundle) {
      const dir = options.dir ?? join(UI, "dist");
      await Promise.all(
        Object.keys(bundle)
          .filter((f) => /\.(js|css|html|svg|json)$/.test(f))
          .map(async (f) => writeFile(join(dir, `${f}.gz`), await zip(await readFile(join(dir, f)), { level: 9 }))),
      );
    },
  };
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export default defineConfig({
  root: UI,
  plugins: [react(), precompress()],
  resolve: {
    // @tanstack/react-query is hoisted to the root node_modules, beside another React: use the console's one.
    dedupe: ["react", "react-dom"],
  },
  build: {
    outDir: join(UI, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: process.env.UI_SOURCEMAP === "1",
    manifest: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // Ant Design's rc-component packages do not declare "sideEffects": their unused parts (a whole
      // rc-form behind Input's form context, for one) would ride along on every page.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]@rc-component[\\/]/.test(id) },
    },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    fs: { allow: [ROOT, real(join(ROOT, "node_modules")), real(join(UI, "node_modules"))] },
    proxy: Object.fromEntries(["/v1", "/healthz", "/ipfs", "/metrics"].map((p) => [p, { target: GATEWAY, changeOrigin: false }])),
  },
  preview: { host: "127.0.0.1" },
});
