/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and a watch on every page a
 * test opens: console errors, uncaught exceptions, failed requests, error responses that were not
 * expected, and axe-core's serious or critical violations. A test ends with `watch.assertClean()`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei (never npx playwright install)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A new context (axe needs one) as a person in Beijing with a 1440×900 screen would have. */
export async function newPage(browser: Browser, opts: { acceptDownloads?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    acceptDownloads: opts.acceptDownloads ?? true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

export interface ExpectedFailure {
  /** Matches the request's method and URL path. */
  method: string;
  path: RegExp;
  status: number;
}

export class PageWatch {
  readonly problems: string[] = [];
  readonly axeChecked: string[] = [];
  private expected: ExpectedFailure[] = [];

  constructor(readonly artifacts: string) {
    mkdirSync(artifacts, { recursive: true });
  }

  /** Watches a page for console errors, page errors, failed requests and unexpected error responses. */
  attach(page: Page, who: string): void {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      // An expected error response is also logged by Chromium as "Failed to load resource".
      const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
      if (status && this.isExpected("", msg.location().url, Number(status[1]))) return;
      this.problems.push(`[${who}] console error: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (e) => this.problems.push(`[${who}] uncaught: ${e.message}`));
    page.on("requestfailed", (r) => {
      const why = r.failure()?.errorText ?? "";
      // Requests the console itself cancels (a query superseded, a page left) are not failures.
      if (why.includes("ERR_ABORTED")) return;
      this.problems.push(`[${who}] request failed: ${r.method()} ${r.url()} ${why}`);
    });
    page.on("response", (r) => {
      if (r.status() < 400) return;
      if (this.isExpected(r.request().method(), r.url(), r.status())) return;
      this.problems.push(`[${who}] ${r.status()} for ${r.request().method()} ${r.url()}`);
    });
  }

  /** The next error responses matching this are part of the story (e.g. a rejected request). */
  expect(f: ExpectedFailure): void {
    this.expected.push(f);
  }

  private isExpected(method: string, url: string, status: number): boolean {
    const path = new URL(url).pathname;
    return this.expected.some((e) => (method === "" || e.method === method) && e.path.test(path) && e.status === status);
  }

  /** axe-core on the page as it is now; serious and critical violations are problems. */
  async axe(page: Page, where: string): Promise<void> {
    const result = await new AxeBuilder({ page }).analyze();
    this.axeChecked.push(where);
    for (const v of result.violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
      this.problems.push(`[axe ${where}] ${v.impact} ${v.id}: ${v.help} — ${nodes}`);
    }
  }

  async screenshot(page: Page, name: string): Promise<string> {
    const path = join(this.artifacts, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  assertClean(): void {
    if (this.problems.length > 0) throw new Error(`problems on the pages visited:\n  ${this.problems.join("\n  ")}`);
  }
}
