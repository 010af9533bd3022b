/**
 * Serves the web console (ui/dist, built by `npm run build:ui`) at "/": hashed assets with immutable
 * caching (and their precompressed .gz when the client takes gzip), and index.html for any other GET that
 * a browser navigates to (the console's client-side routes). It never answers under /v1, /healthz,
 * /metrics or /ipfs, and never for a request that does not accept HTML, so API clients keep getting the
 * API's JSON 404.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Request, type Response, type Router } from "express";

/** Where `npm run build:ui` writes the console. */
export const CONSOLE_DIST = join(__dirname, "..", "..", "ui", "dist");

const RESERVED = /^\/(v1|healthz|metrics|ipfs)(\/|$)/;
const ASSET = /^\/assets\/[A-Za-z0-9_.-]+\.[a-z0-9]+$/;
const IMMUTABLE = "public, max-age=31536000, immutable";

const acceptsGzip = (req: Request) => /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));

/** Sends `file`, or its .gz beside it when there is one and the client takes gzip. */
function send(req: Request, res: Response, file: string, cacheControl: string, next: (e?: unknown) => void): void {
  const gz = `${file}.gz`;
  res.setHeader("Cache-Control", cacheControl);
  res.setHeader("Vary", "Accept-Encoding");
  if (acceptsGzip(req) && existsSync(gz)) {
    res.type(file.slice(file.lastIndexOf(".")));
    res.setHeader("Content-Encoding", "gzip");
    res.sendFile(gz, { dotfiles: "deny", lastModified: true }, (e) => e && next(e));
    return;
  }
  res.sendFile(file, { dotfiles: "deny", lastModified: true }, (e) => e && next(e));
}

/**
 * The console's routes; mount after the API's routes and before the not-found handler.
 *
 * @example
 * app.use(serveConsole());
 */
export function serveConsole(dist: string = CONSOLE_DIST): Router {
  const router = express.Router();
  const index = join(dist, "index.html");
  let built = false;
  const isBuilt = () => (built ||= existsSync(index));

  router.get(ASSET, (req, res, next) => {
    const file = join(dist, req.path);
    if (!isBuilt() || !existsSync(file)) return next();
    send(req, res, file, IMMUTABLE, next);
  });
  // favicon and other unhashed files at the top of dist
  router.get(/^\/[A-Za-z0-9_-]+\.(svg|ico|png|txt|webmanifest)$/, (req, res, next) => {
    const file = join(dist, req.path);
    if (!isBuilt() || !existsSync(file)) return next();
    send(req, res, file, "public, max-age=3600", next);
  });
  // Client-side routes: the one page, never cached, so a new build is picked up at once.
  router.get(/.*/, (req, res, next) => {
    if (RESERVED.test(req.path) || req.accepts(["json", "html"]) !== "html" || /\.[a-z0-9]+$/i.test(req.path)) return next();
    if (!isBuilt()) {
      res.status(404).type("text/plain").send("The web console is not built yet: run `npm run build:ui` (npm start builds it).\n");
      return;
    }
    send(req, res, index, "no-cache", next);
  });
  return router;
}
