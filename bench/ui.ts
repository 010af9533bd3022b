/**
 * The console's benchmark, on the local stack in one process (in-process Hardhat chain, the gateway with
 * embedded IPFS, SQLite and the event index, serving the built console), measured in Debian's Chromium:
 *
 *  (a) first-load JavaScript, gzipped (bytes on the wire: the gateway sends the build's .gz files), of each
 *      role's landing page, a fresh browser cache each time, until the page shows its content; ≤ 350 KB;
 *  (b) time until the provenance page of a token with BENCH_UI_TRANSFERS transfers is usable (integrity
 *      verdict and the first timeline rows on screen), from navigation start; ≤ 1 s;
 *  (c) time until the sandbox-log page shows its first page, with BENCH_UI_LOG_ENTRIES entries in the
 *      log, from navigation start; ≤ 1 s.
 *
 * (b) and (c) are the median of BENCH_UI_RUNS runs, each in a fresh browser context (cold HTTP cache), after
 * one warm-up run. Writes bench/results/ui.json.  Run: npm run bench:ui
 * Knobs (env): BENCH_UI_TRANSFERS=1000 BENCH_UI_LOG_ENTRIES=100000 BENCH_UI_RUNS=5
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { ethers, network } from "hardhat";
import pino from "pino";
import type { Browser } from "playwright-core";
import { ensureConsoleBuilt } from "../scripts/lib/console-build";
import { launchChromium, newPage } from "../test/e2e/support/browser";
import { LEVEL } from "../test/contracts/fixtures";
import { gatewayChainFixture, startTestGateway } from "../test/server/support/gateway";
import { collectionRequest, issuerSetup, waitForJob } from "../test/server/support/issuer";
import { intEnv, log } from "./support";

const TRANSFERS = intEnv("BENCH_UI_TRANSFERS", 1000);
const LOG_ENTRIES = intEnv("BENCH_UI_LOG_ENTRIES", 100_000);
const RUNS = intEnv("BENCH_UI_RUNS", 5);
const TARGET = { firstLoadKB: 350, provenanceMs: 1000, sandboxLogMs: 1000 } as const;
/** Each role's landing page (ui/src/app/nav.ts HOME) and what it shows once it has loaded. */
const LANDINGS = [
  { role: "issuer", path: "/issuer", ready: '[data-testid="collections-table"] tbody tr' },
  { role: "attestor", path: "/attestor", ready: "#identity_wallet" },
  { role: "auditor", path: "/explorer", ready: "#search-q" },
  { role: "regulator", path: "/regulator", ready: '[data-testid="log-table"] tbody tr[data-row-key]' },
] as const;

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Opens `path` with the key already entered (session storage), as a returning user in a new tab. */
async function openAs(browser: Browser, base: string, key: string, path: string) {
  const { context, page } = await newPage(browser);
  await context.addInitScript(
    ([origin, k]) => {
      // Runs in the page (globalThis is the window; the bench's tsconfig has no DOM types).
      const w = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (w.location.origin === origin) w.sessionStorage.setItem("dareg.apiKey", k);
    },
    [base, key] as const,
  );
  const scripts: Array<{ url: string; wire: number; gzip9: number }> = [];
  page.on("requestfinished", async (req) => {
    if (req.resourceType() !== "script") return;
    const res = await req.response();
    const sizes = await req.sizes();
    const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
    scripts.push({ url: new URL(req.url()).pathname, wire: sizes.responseBodySize, gzip9: gzipSync(body, { level: 9 }).length });
  });
  await page.goto(`${base}${path}`, { waitUntil: "commit" });
  return { context, page, scripts };
}

/**
 * Milliseconds from navigation start until every selector matches an element, recorded inside the page by
 * a MutationObserver installed before the console's scripts run (no polling delay from the test side).
 */
async function timeUntil(browser: Browser, base: string, key: string, path: string, selectors: readonly string[]): Promise<number> {
  const { context } = await newPage(browser);
  await context.addInitScript(
    ([origin, k, sels]) => {
      const w = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (w.location.origin !== origin) return;
      w.sessionStorage.setItem("dareg.apiKey", k);
      const check = () => {
        if (w.__readyAt === undefined && sels.every((s: string) => w.document.querySelector(s) !== null)) w.__readyAt = w.performance.now();
      };
      new w.MutationObserver(check).observe(w.document, { childList: true, subtree: true, attributes: true });
    },
    [base, key, selectors] as const,
  );
  const page = context.pages()[0];
  await page.goto(`${base}${path}`, { waitUntil: "commit" });
  await page.waitForFunction(() => (globalThis as { __readyAt?: number }).__readyAt !== undefined, undefined, { timeout: 60_000, polling: 50 });
  const ms = await page.evaluate(() => (globalThis as unknown as { __readyAt: number }).__readyAt);
  await context.close();
  return ms;
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => round(x, 2));
  await ensureConsoleBuilt();

  // ─── Setup (not timed) ────────────────────────────────────────────────────────────────────
  const fx = await gatewayChainFixture();
  const { rights } = fx.contracts;
  const { alice, bob } = fx.accounts;
  // The pilot policy with a 0-day minimum holding period, so the token can be gifted back and forth.
  const policyFile = join(mkdtempSync(join(tmpdir(), "bench-ui-policy-")), "policy.yaml");
  const policyText = readFileSync(join(__dirname, "..", "policy", "default.yaml"), "utf8")
    .replace(/^version: .*$/m, 'version: "bench-ui-holding-0"')
    .replace(/minHoldingPeriodDays: *\d+/, "minHoldingPeriodDays: 0");
  if (!policyText.includes("minHoldingPeriodDays: 0")) throw new Error("could not derive the bench policy");
  writeFileSync(policyFile, policyText);
  const gw = await startTestGateway(fx.deployment, {
    // No anchoring during the bench (the interval stays below setInterval's 2^31 ms limit: above it Node
    // fires every millisecond).
    env: { POLICY_FILE: policyFile, ANCHOR_EVERY_ENTRIES: "10000000", ANCHOR_EVERY_MINUTES: "10000", SQLITE_SYNCHRONOUS: "NORMAL" },
    logger: pino({ level: "warn" }, pino.destination(2)),
  });
  let browser: Browser | undefined;
  try {
    const setup = await issuerSetup(gw, fx);
    const keys = { issuer: setup.token, attestor: await gw.key("attestor"), auditor: await gw.key("auditor"), regulator: await gw.key("regulator") };

    const { form } = await setup.form("bench-ui", collectionRequest({ editionSize: 10, transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 0, minLevel: LEVEL.REAL_NAME } }));
    const created = await gw.call("POST", "/v1/collections", { token: keys.issuer, form });
    if (created.status !== 201) throw new Error(`create collection: ${created.status} ${JSON.stringify(created.body)}`);
    const collectionId = created.body.collectionId as string;
    const enq = await gw.call("POST", `/v1/collections/${collectionId}/mint`, { token: keys.issuer, json: { recipients: [alice.address] }, headers: { "idempotency-key": "bench-ui-mint" } });
    const job = await waitForJob(gw, keys.issuer, enq.body.jobId);
    const tokenId = BigInt(job.items[0].tokenId);
    log(`token ${tokenId}: ${TRANSFERS} transfers alice ⇄ bob…`);
    const holders = [alice, bob];
    for (let i = 0; i < TRANSFERS; i++) {
      const from = holders[i % 2];
      const to = holders[(i + 1) % 2];
      await (await rights.connect(from).transferFrom(from.address, to.address, tokenId)).wait();
      if ((i + 1) % 250 === 0) log(`${i + 1}/${TRANSFERS} transfers`);
    }
    // The provenance comes from the index: wait until it has every transfer.
    for (const started = Date.now(); ; ) {
      const r = await gw.call("GET", `/v1/tokens/${tokenId}/provenance`, { token: keys.auditor });
      if (r.status === 200 && r.body.entries.length >= TRANSFERS + 1) break;
      if (Date.now() - started > 300_000) throw new Error(`the index did not catch up: ${r.status} ${r.body?.entries?.length ?? JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 500));
    }

    const have = (await gw.services.sandbox.append({ actor: "bench", action: "request.refused", decision: "refused", payload: { bench: true } })).seq;
    log(`sandbox log: ${have} entries; appending up to ${LOG_ENTRIES}…`);
    // Seeding only: with the anchorer stopped, no append makes it count the unanchored entries (a count
    // over the whole unanchored log per batch, which made 100,000 appends take tens of minutes).
    await gw.services.sandbox.stop();
    const actions = ["compliance.decision", "compliance.rule", "mint.accepted", "chain.rights.mintBatch", "auth.failure"];
    const decisions = ["passed", "failed", "queued", "sent", "denied"];
    for (let i = have; i < LOG_ENTRIES; i++) {
      await gw.services.sandbox.append({
        actor: `bench-${i % 17}`,
        action: actions[i % actions.length],
        decision: decisions[i % decisions.length],
        rule: i % 5 === 1 ? "content-review" : undefined,
        collectionId: collectionId,
        payload: { i, note: "bench:ui filler" },
      });
      if ((i + 1) % 20_000 === 0) log(`${i + 1}/${LOG_ENTRIES} log entries`);
    }
    gw.services.sandbox.start();

    // ─── Measures ─────────────────────────────────────────────────────────────────────────────
    browser = await launchChromium();
    const base = gw.url;

    log("(a) first-load JavaScript of each role's landing page…");
    const firstLoad: Record<string, { gzippedKB: number; gzip9KB: number; files: number; scripts: Array<{ file: string; wireBytes: number }> }> = {};
    for (const l of LANDINGS) {
      const { context, page, scripts } = await openAs(browser, base, keys[l.role], l.path);
      await page.locator(l.ready).first().waitFor({ state: "visible", timeout: 60_000 });
      await page.waitForLoadState("networkidle");
      const wire = scripts.reduce((a, s) => a + s.wire, 0);
      const g9 = scripts.reduce((a, s) => a + s.gzip9, 0);
      firstLoad[l.role] = {
        gzippedKB: round(wire / 1024),
        gzip9KB: round(g9 / 1024),
        files: scripts.length,
        scripts: scripts.map((s) => ({ file: s.url, wireBytes: s.wire })).sort((a, b) => b.wireBytes - a.wireBytes),
      };
      log(`  ${l.role.padEnd(10)} ${l.path.padEnd(11)} ${firstLoad[l.role].gzippedKB} KB gzipped in ${scripts.length} files`);
      await context.close();
    }

    const timed = async (label: string, key: string, path: string, selectors: readonly string[]) => {
      await timeUntil(browser!, base, key, path, selectors); // warm-up: the gateway's caches, not the browser's
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await timeUntil(browser!, base, key, path, selectors));
      log(`  ${label}: median ${median(samples).toFixed(0)} ms (${samples.map((s) => s.toFixed(0)).join(", ")})`);
      return { medianMs: round(median(samples), 0), samplesMs: samples.map((s) => round(s, 0)) };
    };
    log(`(b) provenance page of token ${tokenId} (${TRANSFERS + 1} entries)…`);
    const provenance = await timed("provenance usable", keys.auditor, `/explorer/tokens/${tokenId}`, ['[data-testid="overall-verdict"]', '[data-testid="timeline-row"]', "#transfer-check_to"]);
    log(`(c) sandbox log with ${LOG_ENTRIES} entries…`);
    const sandbox = await timed("sandbox log first page", keys.regulator, "/regulator", ['[data-testid="log-table"] tbody tr[data-row-key]']);

    // For reference: the API calls behind (b) and (c) alone, timed from this process.
    const apiMs = async (path: string, token: string) => {
      const samples: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const t0 = performance.now();
        const r = await gw.call("GET", path, { token }).catch(() => gw.call("GET", path, { token }));
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        if (i > 0) samples.push(performance.now() - t0);
      }
      return round(median(samples), 0);
    };
    const provenanceApiMs = await apiMs(`/v1/tokens/${tokenId}/provenance`, keys.auditor);
    const logApiMs = await apiMs("/v1/sandbox/logs?limit=100", keys.regulator);
    log(`  API alone: provenance ${provenanceApiMs} ms, sandbox log page ${logApiMs} ms`);

    // ─── Report ───────────────────────────────────────────────────────────────────────────────
    const meets = {
      firstLoad: Object.values(firstLoad).every((f) => f.gzippedKB <= TARGET.firstLoadKB),
      provenance: provenance.medianMs <= TARGET.provenanceMs,
      sandboxLog: sandbox.medianMs <= TARGET.sandboxLogMs,
    };
    const yes = (b: boolean) => (b ? "yes" : "NO");
    console.log(`\nConsole — ${network.name}, Chromium ${browser.version()}\n`);
    console.log(`${"measure".padEnd(56)}${"value".padStart(10)}${"target".padStart(10)}  ok`);
    for (const l of LANDINGS) {
      const kb = firstLoad[l.role].gzippedKB;
      console.log(`${`(a) first-load JS, ${l.role} (${l.path}), KB gzipped`.padEnd(56)}${String(kb).padStart(10)}${`≤${TARGET.firstLoadKB}`.padStart(10)}  ${yes(kb <= TARGET.firstLoadKB)}`);
    }
    console.log(`${`(b) provenance usable, ${TRANSFERS} transfers, ms`.padEnd(56)}${String(provenance.medianMs).padStart(10)}${`≤${TARGET.provenanceMs}`.padStart(10)}  ${yes(meets.provenance)}`);
    console.log(`${`(c) sandbox log first page, ${LOG_ENTRIES} entries, ms`.padEnd(56)}${String(sandbox.medianMs).padStart(10)}${`≤${TARGET.sandboxLogMs}`.padStart(10)}  ${yes(meets.sandboxLog)}`);

    const finishedAt = new Date().toISOString();
    mkdirSync(join(__dirname, "results"), { recursive: true });
    const out = join(__dirname, "results", "ui.json");
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          measuredAt: finishedAt,
          startedAt,
          finishedAt,
          network: network.name,
          browser: `Chromium ${browser.version()} (/usr/bin/chromium, headless)`,
          machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((x) => round(x, 2)) },
          params: { transfers: TRANSFERS, logEntries: LOG_ENTRIES, runs: RUNS, viewport: "1440×900" },
          targets: TARGET,
          meets,
          firstLoad: {
            measured: "JavaScript bytes received (gzip, as the gateway sends ui/dist's .gz files) until the landing page shows its content and the network is idle; fresh browser cache",
            byRole: firstLoad,
          },
          provenance: { tokenId: tokenId.toString(), entries: TRANSFERS + 1, measured: "navigation start → integrity verdict, the first timeline rows and the pre-flight form visible", ...provenance, apiMedianMs: provenanceApiMs },
          sandboxLog: { entries: LOG_ENTRIES, measured: "navigation start → the first page of entries visible", ...sandbox, apiMedianMs: logApiMs },
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${out}`);
    void ethers;
  } finally {
    await browser?.close();
    await gw.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
