/**
 * "Verified in your browser": the shared verification code (shared/log, shared/verify/log.ts), bundled for
 * the browser by Rolldown (Vite's bundler), runs in Debian's Chromium driven by playwright-core, against
 * receipts and a bundle served by the real gateway on the in-process chain. The page is served from its
 * own origin, which forwards /v1/ to the gateway as the console's server would; one path in between
 * tampers with what the gateway sent, as a man in the middle would.
 *
 * Needs Chromium: `apt-get install -y chromium` (.ci/run installs it), or CHROMIUM_PATH. Without it this
 * test fails, it is never skipped.
 *   npx hardhat test test/e2e/log-receipt.test.ts
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chromium, type Browser, type Page } from "playwright-core";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../server/support/gateway";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const ORIGIN = "http://console.test";

// Rolldown is an ES module; ts-node compiles import() to require() under CommonJS, so import it for real.
const dynImport = new Function("s", "return import(s)") as (s: string) => Promise<typeof import("rolldown")>;

/** The browser bundle of test/e2e/browser-verifier.ts: an IIFE that defines `window.Verifier`. */
async function bundleVerifier(): Promise<{ code: string; warnings: string[] }> {
  const { build } = await dynImport("rolldown");
  const warnings: string[] = [];
  const out = await build({
    input: join(__dirname, "browser-verifier.ts"),
    platform: "browser",
    write: false,
    logLevel: "warn",
    onLog: (level, log) => {
      warnings.push(`${level}: ${log.message}`);
    },
    output: { format: "iife", name: "Verifier" },
  });
  return { code: out.output[0].code, warnings };
}

/** What the page sees: the bundle's global, and the browser's own objects (the tests compile without the DOM types). */
type PageGlobal = { Verifier: typeof import("./browser-verifier"); navigator: { userAgent: string }; process?: unknown; Buffer?: unknown };
type Receipt = { entry: { seq: number; decision: string } & Record<string, unknown>; latest: unknown; anchored: { receipt: unknown; anchor: { index: number; logId: string } } | null };

interface Outcome {
  ok: boolean;
  reason?: string;
  [k: string]: unknown;
}

describe("verified in your browser: the shared log verification runs in Chromium", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  let regulator: string;
  let bundleBytes = 0;
  const pageErrors: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run installs it), or set CHROMIUM_PATH. This test is not skipped without it.`);
    }
    const { code, warnings } = await bundleVerifier();
    expect(warnings, "the verifier bundles for the browser without warnings (no Node built-ins)").to.deep.equal([]);
    bundleBytes = code.length;

    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { env: { ANCHOR_EVERY_ENTRIES: "1000000" } });
    regulator = await gw.key("regulator");
    const attestor = await gw.key("attestor");
    const now = await chainNowMs();
    for (let i = 0; i < 3; i++) {
      const f = new FormData();
      f.set("data", JSON.stringify({ wallet: ethers.Wallet.createRandom().address, level: 2, jurisdiction: 156, expiresAt: new Date(now + 86_400_000 * 30).toISOString(), kycEvidenceHash: ethers.id(`browser dossier ${i}`) }));
      expect((await gw.call("POST", "/v1/identities", { token: attestor, form: f })).status).to.equal(201);
    }
    expect((await gw.call("POST", "/v1/sandbox/anchor", { token: regulator })).status).to.equal(200);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext();
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(m.text());
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === "/") return route.fulfill({ contentType: "text/html; charset=utf-8", body: '<!doctype html><html lang="en"><head><script src="/verifier.js"></script></head><body><main><h1>log</h1></main></body></html>' });
      if (url.pathname === "/verifier.js") return route.fulfill({ contentType: "text/javascript; charset=utf-8", body: code });
      // The man in the middle: the gateway's receipt with one sibling hash of the anchored proof changed.
      const tamper = url.pathname.startsWith("/tampered/");
      const path = tamper ? url.pathname.slice("/tampered".length) : url.pathname;
      if (!path.startsWith("/v1/")) return route.fulfill({ status: 404, body: "not found" });
      const response = await route.fetch({ url: `${gw.url}${path}${url.search}` });
      if (!tamper) return route.fulfill({ response });
      const body = await response.json();
      const proof = body.anchored.receipt.proof as string[];
      proof[0] = `0x${proof[0][2] === "0" ? "1" : "0"}${proof[0].slice(3)}`;
      return route.fulfill({ response, json: body });
    });
    await page.goto(`${ORIGIN}/`);
  });

  after(async () => {
    await browser?.close();
    await gw?.close();
  });

  /** In the page: the receipt at `path` checked against the log's published key, with the bundled shared code. */
  const checkInPage = (path: string, edit: "none" | "entry" | "key" = "none") =>
    page.evaluate(
      async ({ path, token, edit }) => {
        const page = globalThis as unknown as PageGlobal;
        const V = page.Verifier;
        const key = (await (await fetch("/v1/sandbox/log-key")).json()) as { origin: string; verifierKey: string };
        const p = (await (await fetch(path, { headers: { authorization: `Bearer ${token}` } })).json()) as Receipt;
        const entry = edit === "entry" ? { ...p.entry, decision: p.entry.decision === "sent" ? "failed" : "sent" } : p.entry;
        const verifierKey = edit === "key" ? `${key.origin}+00000000+AQ${"A".repeat(42)}=` : key.verifierKey;
        const bytes = V.entryBytes(entry as unknown as Parameters<typeof V.entryBytes>[0]);
        return {
          inBrowser: typeof page.process === "undefined" && typeof page.Buffer === "undefined",
          userAgent: page.navigator.userAgent,
          seq: p.entry.seq,
          latest: V.verifyReceipt(p.latest, bytes, verifierKey, { origin: key.origin }),
          anchored: p.anchored ? V.verifyReceipt(p.anchored.receipt, bytes, verifierKey, { origin: key.origin }) : null,
          anchoredAt: p.anchored ? p.anchored.anchor : null,
        };
      },
      { path, token: regulator, edit },
    ) as Promise<{ inBrowser: boolean; userAgent: string; seq: number; latest: Outcome; anchored: Outcome | null; anchoredAt: { index: number; logId: string } | null }>;

  it("a receipt served by the gateway verifies in Chromium, against the latest and the anchored checkpoint", async () => {
    const r = await checkInPage("/v1/sandbox/logs/2/proof");
    expect(r.inBrowser).to.equal(true);
    expect(r.userAgent).to.match(/HeadlessChrome\/\d+/);
    expect(r.latest).to.deep.include({ ok: true, index: 1, checkpointVerified: true });
    expect(r.anchored).to.deep.include({ ok: true, index: 1, checkpointVerified: true });
    // What the browser accepted is what the chain holds.
    const onChain = await gw.services.chain.evidence.checkpointAt(r.anchoredAt!.logId, r.anchoredAt!.index);
    expect(r.anchored!.root).to.equal(onChain.rootHash.toLowerCase());
    expect(r.anchored!.treeSize).to.equal(Number(onChain.treeSize));
    expect(bundleBytes).to.be.greaterThan(10_000);
    expect(pageErrors).to.deep.equal([]);
  });

  it("a tampered receipt does not: a proof changed on the way, an edited entry, a checkpoint under another key", async () => {
    const mitm = await checkInPage("/tampered/v1/sandbox/logs/2/proof");
    expect(mitm.latest.ok).to.equal(true);
    expect(mitm.anchored).to.deep.include({ ok: false, reason: "root-mismatch" });
    const edited = await checkInPage("/v1/sandbox/logs/2/proof", "entry");
    expect(edited.latest).to.deep.include({ ok: false, reason: "leaf-mismatch" });
    expect(edited.anchored).to.deep.include({ ok: false, reason: "leaf-mismatch" });
    const otherKey = await checkInPage("/v1/sandbox/logs/2/proof", "key");
    expect(otherKey.latest.ok).to.equal(false);
    expect(otherKey.latest.reason).to.be.oneOf(["unknown-key", "bad-verifier-key"]);
    expect(pageErrors).to.deep.equal([]);
  });

  it("the offline bundle verifies in Chromium too, and an edited entry in it is named", async () => {
    const r = await page.evaluate(async (token) => {
      const V = (globalThis as unknown as PageGlobal).Verifier;
      const text = await (await fetch("/v1/sandbox/export?format=bundle", { headers: { authorization: `Bearer ${token}` } })).text();
      const intact = await V.verifyLog(V.bundleSource(text));
      const lines = text.trimEnd().split("\n");
      const i = lines.findIndex((l) => l.includes('"seq":3,'));
      lines[i] = lines[i].replace(/"actor":"[^"]*"/, '"actor":"someone-else"');
      const edited = await V.verifyLog(V.bundleSource(`${lines.join("\n")}\n`));
      return { intact: { ok: intact.ok, entries: intact.entries, checks: intact.checks.map((c) => c.check) }, edited: { ok: edited.ok, firstBad: edited.firstBad } };
    }, regulator);
    expect(r.intact.ok).to.equal(true);
    expect(r.intact.entries).to.equal(await gw.services.sandbox.journal.size());
    expect(r.intact.checks).to.deep.equal(["log-entries", "log-checkpoints"]);
    expect(r.edited).to.deep.equal({ ok: false, firstBad: { seq: 3, reason: "hash-mismatch" } });
    expect(pageErrors).to.deep.equal([]);
  });
});
