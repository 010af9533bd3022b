/**
 * The smoke test's look at the console after `npm start -- --demo`: each demo key, typed into the console's
 * sign-in page as a user would, opens its role's pages with the demo's content in Debian's Chromium (the
 * issuer's collections, the attestor's renewal queue with the collector who expires soon, the auditor's
 * frozen token with its custody, the regulator's sandbox log). Any console error, uncaught error, failed
 * request or error response fails it. Exit 0 when every role passes, 1 otherwise.
 *
 *   node -r ts-node/register/transpile-only test/smoke/demo-console.ts <gateway URL> <DATA_DIR/demo-keys.json> <screenshot dir>
 */
import { readFileSync } from "node:fs";
import { launchChromium, newPage, PageWatch } from "../e2e/support/browser";

interface DemoKeys {
  keys: Record<string, { token: string }>;
  frozen?: { tokenId: string };
}

async function main(): Promise<number> {
  const [base, keysFile, artifacts] = process.argv.slice(2);
  if (!base || !keysFile || !artifacts) throw new Error("usage: demo-console.ts <gateway URL> <demo-keys.json> <screenshot dir>");
  const demo = JSON.parse(readFileSync(keysFile, "utf8")) as DemoKeys;
  const visits = [
    { role: "issuer", path: "/issuer", content: '[data-testid="collections-table"] tbody tr[data-row-key]' },
    { role: "attestor", path: "/attestor/renewals", content: "tbody tr[data-row-key]" },
    { role: "auditor", path: `/explorer/tokens/${demo.frozen?.tokenId}`, content: '[data-testid="timeline-row"]' },
    { role: "regulator", path: "/regulator", content: '[data-testid="log-table"] tbody tr[data-row-key]' },
  ];
  const watch = new PageWatch(artifacts);
  const browser = await launchChromium();
  let failed = 0;
  try {
    for (const v of visits) {
      const { context, page } = await newPage(browser);
      watch.attach(page, v.role);
      const t = Date.now();
      try {
        await page.goto(base);
        await page.getByLabel("API 密钥").fill(demo.keys[v.role].token);
        await page.getByRole("button", { name: "打开控制台" }).click();
        await page.getByTestId("current-role").waitFor({ timeout: 30_000 });
        await page.goto(`${base}${v.path}`);
        await page.locator(v.content).first().waitFor({ timeout: 30_000 });
        const rows = await page.locator(v.content).count();
        console.log(`   ${v.role.padEnd(10)} ${v.path}: ${rows} item(s) shown in ${Date.now() - t} ms`);
      } catch (e) {
        failed++;
        console.log(`   ${v.role.padEnd(10)} ${v.path}: no content (${(e as Error).message.split("\n")[0]})`);
      }
      await watch.screenshot(page, `demo-${v.role}`).catch(() => undefined);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  for (const p of watch.problems) console.log(`   problem: ${p}`);
  return failed === 0 && watch.problems.length === 0 ? 0 : 1;
}

// Run by newcomer.sh, never by `hardhat test` (which loads every file under test/, this one too).
if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`demo-console: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
