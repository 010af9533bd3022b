/**
 * The console's whole story in Chromium, as the four kinds of users would walk it, on the real stack
 * (in-process Hardhat chain, gateway with embedded IPFS, SQLite and the event index, the built console):
 *
 *   1. the attestor registers an issuer and two collectors (one from a CSV) and records the issuer's
 *      copyright certificate as evidence;
 *   2. the issuer's first collection is rejected for a banned term and a phone number, with the reasons
 *      shown; corrected, it is accepted;
 *   3. the issuer mints to both collectors from a CSV and watches the job finish (leaving and coming back
 *      resumes it; sending the same list again mints nothing twice);
 *   4. the auditor searches for the token, opens its provenance (every integrity badge green), verifies
 *      the media file, and opens the printable report (saved as a PDF too);
 *   5. the regulator sees every decision in the log (one entry's receipt verified in the browser), anchors
 *      and verifies the log, and freezes one token;
 *   6. the transfer pre-flight for that token gives the frozen reason in words, in Chinese, then English.
 *
 * Every step saves a screenshot in test-artifacts/e2e/. The test fails on any console error, failed
 * request or unexpected error response, and on any serious or critical axe-core violation.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { drawPng } from "../../scripts/lib/demo/png";
import { launchChromium, newPage, PageWatch } from "./support/browser";
import { startConsoleStack, type ConsoleStack } from "./support/stack";

const ROOT = join(__dirname, "..", "..");
const ARTIFACTS = join(ROOT, "test-artifacts", "e2e");
const sha256Hex = (bytes: Uint8Array) => `0x${require("node:crypto").createHash("sha256").update(bytes).digest("hex")}`;

const MEDIA = Buffer.from(drawPng("e2e-great-wall-sunrise", "dawn", 256));
const COPYRIGHT = Buffer.from("著作权登记证书 国作登字-2026-F-00000001 《长城日出》 摄影作品");
const BUSINESS_LICENCE = Buffer.from("营业执照 统一社会信用代码 91110000MA00000001 长城文创有限公司");
const DOSSIER_A = Buffer.from("实名认证材料 收藏者甲");

describe("the web console, end to end (Chromium)", function () {
  this.timeout(600_000);
  let stack: ConsoleStack;
  let browser: Browser;
  const watch = new PageWatch(ARTIFACTS);
  const started = Date.now();
  let collectionId = "";
  let jobPath = "";
  let tokenId = "";
  let current: Page | undefined;

  /** A fresh browser context for a role: the console asks for the key once and opens the role's page. */
  async function signIn(key: string, who: string, landing: string): Promise<Page> {
    const { page } = await newPage(browser);
    watch.attach(page, who);
    await page.goto(stack.url);
    await page.getByLabel("API 密钥").fill(key);
    await page.getByRole("button", { name: "打开控制台" }).click();
    await page.waitForURL(`**${landing}`);
    await page.getByTestId("current-role").waitFor();
    current = page;
    return page;
  }

  /** "YYYY-MM-DDTHH:mm", years after the chain's clock, as typed into a date-time field. */
  const expiry = (years: number) => `${stack.chainNow.getUTCFullYear() + years}-06-01T12:00`;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startConsoleStack();
    browser = await launchChromium();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== "failed") return;
    if (current) await current.screenshot({ path: join(ARTIFACTS, `FAILED-${this.currentTest.title.slice(0, 2)}.png`), fullPage: true }).catch(() => undefined);
    if (watch.problems.length) console.log(`      problems so far:\n        ${watch.problems.join("\n        ")}`);
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    console.log(`      browser story: ${((Date.now() - started) / 1000).toFixed(1)} s, axe-checked ${watch.axeChecked.length} views`);
  });

  it("1. the attestor registers an issuer and two collectors (one from a CSV) and records the copyright evidence", async () => {
    const page = await signIn(stack.keys.attestor, "attestor", "/attestor");
    await page.getByRole("heading", { level: 1, name: "身份登记" }).waitFor();
    await watch.axe(page, "attestor: register");

    const register = async (wallet: string, level: string, dossier: { name: string; bytes: Buffer }) => {
      await page.getByLabel("钱包地址").fill(wallet);
      await page.locator("#identity_level").click();
      await page.locator(".ant-select-item-option").filter({ hasText: level }).click();
      await page.getByLabel("有效期至").fill(expiry(2));
      await page.locator("#kyc-upload input[type=file]").setInputFiles({ name: dossier.name, mimeType: "application/pdf", buffer: dossier.bytes });
      await page.getByRole("button", { name: "登记", exact: true }).click();
      const did = page.getByTestId("registered-did");
      await did.waitFor();
      return (await did.textContent()) ?? "";
    };
    const issuerDid = await register(stack.wallets.issuer, "4 · 持牌发行方", { name: "营业执照.pdf", bytes: BUSINESS_LICENCE });
    expect(issuerDid).to.match(/^did:/);
    const didA = await (async () => {
      await page.getByLabel("钱包地址").fill(stack.wallets.collectorA);
      await page.locator("#identity_level").click();
      await page.locator(".ant-select-item-option").filter({ hasText: "2 · 实名认证个人" }).click();
      await page.locator("#kyc-upload input[type=file]").setInputFiles({ name: "实名材料.pdf", mimeType: "application/pdf", buffer: DOSSIER_A });
      await page.getByRole("button", { name: "登记", exact: true }).click();
      await page.waitForFunction((prev) => {
        // In the page (the tests' tsconfig has no DOM types).
        const el = (globalThis as any).document.querySelector('[data-testid="registered-did"]'); // eslint-disable-line @typescript-eslint/no-explicit-any
        return el !== null && el.textContent !== prev;
      }, issuerDid);
      return (await page.getByTestId("registered-did").textContent()) ?? "";
    })();
    expect(didA).to.match(/^did:/).and.not.equal(issuerDid);
    await watch.screenshot(page, "01a-attestor-registered");

    // The second collector from a CSV, checked row by row before anything is sent.
    await page.getByText("CSV 批量登记").click();
    const csv = `wallet,level,jurisdiction,expiresAt,kycEvidenceHash\n${stack.wallets.collectorB},2,156,${expiry(2).slice(0, 10)},${sha256Hex(Buffer.from("实名认证材料 收藏者乙"))}\n`;
    await page.locator("input[type=file]").setInputFiles({ name: "collectors.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "登记 1 行" }).click();
    await page.locator('[data-testid="csv-row-1"][data-state="done"]').waitFor();
    await watch.axe(page, "attestor: register from CSV");
    await watch.screenshot(page, "01b-attestor-csv");

    // The issuer's copyright certificate, recorded by the attestor (an issuer's own record does not count).
    await page.getByRole("link", { name: "存证" }).click();
    await page.waitForURL("**/attestor/evidence");
    await page.locator("#evidence-upload input[type=file]").setInputFiles({ name: "著作权登记证书.pdf", mimeType: "application/pdf", buffer: COPYRIGHT });
    await page.getByTestId("evidence-hash").waitFor();
    expect(await page.getByTestId("evidence-hash").textContent()).to.contain(sha256Hex(COPYRIGHT));
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.getByTestId("tx-result").waitFor();
    await watch.axe(page, "attestor: evidence");
    await watch.screenshot(page, "01c-attestor-evidence");

    // The issuer's identity: its DID document and history.
    await page.goto(`${stack.url}/identities?q=${stack.wallets.issuer}`);
    await page.getByTestId("identity-did").waitFor();
    expect(await page.getByTestId("identity-did").textContent()).to.equal(issuerDid);
    await page.locator(".ant-table-row").first().waitFor();
    await watch.axe(page, "attestor: identity");
    await watch.screenshot(page, "01d-attestor-identity");
    watch.assertClean();
  });

  it("2. the issuer's collection is rejected for a banned term and a phone number, then corrected and accepted", async () => {
    const page = await signIn(stack.keys.issuer, "issuer", "/issuer");
    await page.getByRole("heading", { level: 1, name: "我的藏品系列" }).waitFor();
    await watch.axe(page, "issuer: my collections (empty)");
    await page.getByRole("button", { name: "创建藏品系列" }).click();
    await page.waitForURL("**/issuer/new");

    await page.locator("#media-upload input[type=file]").setInputFiles({ name: "长城日出.png", mimeType: "image/png", buffer: MEDIA });
    await page.getByRole("img", { name: /长城日出\.png/ }).waitFor();
    await page.getByLabel("名称").fill("长城日出");
    await page.getByLabel("描述").fill("八达岭长城日出摄影。限量发行，赌博勿扰，购买请致电 13812345678。");
    await page.getByLabel("授权条款").fill("持有人可个人展示与收藏，不得商用。");
    await page.getByLabel("发行上限（份）").fill("10");
    await page.locator("#copyright-upload input[type=file]").setInputFiles({ name: "著作权登记证书.pdf", mimeType: "application/pdf", buffer: COPYRIGHT });

    await page.getByRole("button", { name: "检查" }).click();
    await page.getByTestId("compliance-results").waitFor();
    const review = page.locator('[data-testid="rule-content-review"]');
    const privacy = page.locator('[data-testid="rule-privacy"]');
    expect(await review.getAttribute("data-passed")).to.equal("false");
    expect(await privacy.getAttribute("data-passed")).to.equal("false");
    expect(await page.getByTestId("findings-content-review").textContent()).to.contain("赌博");
    const pii = (await page.getByTestId("findings-privacy").textContent()) ?? "";
    expect(pii).to.contain("138****5678").and.not.contain("13812345678");
    expect(await page.getByRole("button", { name: "提交" }).isDisabled()).to.equal(true);
    await watch.axe(page, "issuer: rejected check");
    await watch.screenshot(page, "02a-issuer-rejected");

    await page.getByLabel("描述").fill("八达岭长城日出摄影，限量发行。");
    await page.getByRole("button", { name: "检查" }).click();
    await page.locator('[data-testid="rule-content-review"][data-passed="true"]').waitFor();
    expect(await page.locator('[data-testid^="rule-"][data-passed="false"]').count()).to.equal(0);
    await page.getByRole("button", { name: "提交" }).click();
    const created = page.getByText(/藏品系列 #\d+ 已上链/);
    await created.waitFor({ timeout: 60_000 });
    collectionId = /#(\d+)/.exec((await created.textContent()) ?? "")![1];
    await watch.axe(page, "issuer: created");
    await watch.screenshot(page, "02b-issuer-accepted");
    watch.assertClean();
  });

  it("3. the issuer mints to both collectors from a CSV and watches the job finish; a retry mints nothing twice", async () => {
    const page = await signIn(stack.keys.issuer, "issuer (mint)", "/issuer");
    await page.getByRole("link", { name: `为藏品系列 ${collectionId} 铸造` }).click();
    await page.waitForURL(`**/issuer/collections/${collectionId}/mint`);
    const csv = Buffer.from(`address\n${stack.wallets.collectorA}\n${stack.wallets.collectorB}\n`);
    const precheck = async () => {
      await page.locator("input[type=file]").setInputFiles({ name: "recipients.csv", mimeType: "text/csv", buffer: csv });
      await page.getByRole("button", { name: "预检" }).click();
      await page.getByTestId("precheck-2").waitFor();
      for (const row of [1, 2]) expect(await page.getByTestId(`precheck-${row}`).textContent()).to.contain("通过").and.not.contain("未通过");
    };
    await precheck();
    await watch.axe(page, "issuer: mint pre-check");
    await watch.screenshot(page, "03a-mint-precheck");
    await page.getByRole("button", { name: "铸造给 2 位接收方" }).click();
    await page.waitForURL("**/issuer/jobs/*");
    jobPath = new URL(page.url()).pathname;
    await page.locator('[data-testid="job-state"][data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).to.equal("100");
    await watch.axe(page, "issuer: job");
    await watch.screenshot(page, "03b-mint-done");
    tokenId = ((await page.locator('a[href^="/explorer/tokens/"]').first().textContent()) ?? "").trim();
    expect(tokenId).to.match(/^\d+$/);

    // Leaving and coming back resumes the job view.
    await page.getByRole("link", { name: "我的藏品系列" }).click();
    await page.getByRole("link", { name: /藏品系列 #\d+ · 2 位接收方/ }).first().click();
    await page.waitForURL(`**${jobPath}`);
    await page.locator('[data-testid="job-state"][data-state="done"]').waitFor();

    // The same list again is the same request (same Idempotency-Key): the same job, nothing minted twice.
    await page.goto(`${stack.url}/issuer/collections/${collectionId}/mint`);
    await precheck();
    await page.getByRole("button", { name: "铸造给 2 位接收方" }).click();
    await page.waitForURL("**/issuer/jobs/*");
    expect(new URL(page.url()).pathname).to.equal(jobPath);
    const collection = await stack.gw.api(stack.keys.issuer).call("getCollection", { params: { id: collectionId } });
    expect(collection.minted).to.equal(2);
    watch.assertClean();
  });

  it("4. the auditor finds the token, sees every integrity badge green, verifies the media file and prints the report", async () => {
    const page = await signIn(stack.keys.auditor, "auditor", "/explorer");
    await watch.axe(page, "auditor: search");
    // The index follows the chain within moments; search again until the token is there, as a person would.
    for (let i = 0; ; i++) {
      await page.getByLabel("关键词").fill(tokenId);
      await page.getByLabel("关键词").press("Enter");
      await page.getByRole("heading", { name: /条结果/ }).waitFor();
      if ((await page.getByTestId("search-hit").count()) > 0) break;
      if (i > 20) throw new Error(`no search hit for token ${tokenId}`);
      await page.waitForTimeout(500);
      await page.goto(`${stack.url}/explorer`);
    }
    await watch.screenshot(page, "04a-auditor-search");
    await page.getByTestId("search-hit").getByRole("link").first().click();
    await page.waitForURL(`**/explorer/tokens/${tokenId}`);
    await page.getByTestId("overall-verdict").waitFor({ timeout: 30_000 });
    const badges = page.locator('[data-testid="integrity"] li');
    expect(await badges.count()).to.be.greaterThanOrEqual(4);
    for (const verdict of await badges.evaluateAll((els) => els.map((e) => `${e.getAttribute("data-testid")}=${e.getAttribute("data-verdict")}`))) {
      expect(verdict).to.match(/=passed$/);
    }
    await page.getByTestId("timeline-row").first().waitFor();
    await watch.axe(page, "auditor: provenance");
    await watch.screenshot(page, "04b-provenance");
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, "console.png") });

    await page.getByRole("link", { name: "文件核验" }).click();
    await page.locator("#verify-upload input[type=file]").setInputFiles({ name: "长城日出.png", mimeType: "image/png", buffer: MEDIA });
    await page.locator('[data-testid="verify-result"][data-registered="true"]').waitFor();
    expect(await page.getByTestId("local-hash").textContent()).to.contain(sha256Hex(MEDIA));
    await watch.axe(page, "auditor: verify file");
    await watch.screenshot(page, "04c-verify-file");

    // A transaction hash found by search opens the events page filtered to what that transaction did.
    const auditorApi = stack.gw.api(stack.keys.auditor);
    const mintTx = (await auditorApi.call("listEvents", { query: { tokenId, type: "transfer", limit: 1 } })).items[0].txHash;
    const ofTx = (await auditorApi.call("listEvents", { query: { txHash: mintTx, limit: 200 } })).items;
    await page.getByRole("link", { name: "搜索" }).click();
    await page.getByLabel("关键词").fill(mintTx);
    await page.getByLabel("关键词").press("Enter");
    await page.getByTestId("search-hit").getByRole("link").first().click();
    await page.waitForURL(`**/explorer/events?txHash=${mintTx}`);
    await page.getByRole("heading", { level: 1, name: "链上事件" }).waitFor();
    await page.locator(".ant-table-row").first().waitFor();
    expect(await page.locator(".ant-table-row").count()).to.equal(Math.min(ofTx.length, 50));
    expect(await page.getByLabel("交易").inputValue()).to.equal(mintTx);
    await watch.axe(page, "auditor: events");
    await watch.screenshot(page, "04d-events");

    await page.goto(`${stack.url}/explorer/tokens/${tokenId}`);
    await page.getByRole("link", { name: "可打印报告" }).click();
    await page.waitForURL(`**/explorer/tokens/${tokenId}/report`);
    await page.getByTestId("report-verdict").waitFor();
    await watch.axe(page, "auditor: printable report");
    await watch.screenshot(page, "04e-report");
    const pdf = join(ARTIFACTS, "04e-report.pdf");
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    if (existsSync("/usr/bin/pdftotext")) {
      const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
      expect(text).to.contain("溯源报告").and.contain(tokenId);
    }
    watch.assertClean();
  });

  it("5. the regulator sees every decision in the log, anchors and verifies it, and freezes a token", async () => {
    const page = await signIn(stack.keys.regulator, "regulator", "/regulator");
    await page.getByTestId("log-table").locator("tbody tr").first().waitFor();
    await page.getByLabel("动作").fill("compliance.decision");
    await page.getByRole("button", { name: "筛选" }).click();
    const table = page.getByTestId("log-table");
    await table.getByText("未通过", { exact: true }).first().waitFor();
    await table.getByText("通过", { exact: true }).first().waitFor();
    // One decision's receipt, checked in the browser against the log's signed checkpoint.
    await table.getByRole("button", { name: "详情" }).first().click();
    await page.getByRole("button", { name: "在浏览器中核验收录证明" }).first().click();
    await page.getByText("证明有效").first().waitFor();
    await watch.axe(page, "regulator: sandbox log");
    await watch.screenshot(page, "05a-sandbox-log");

    await page.getByRole("link", { name: "日志锚定" }).click();
    await page.getByRole("button", { name: "立即锚定" }).click();
    await page.getByTestId("tx-result").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "立即核验" }).click();
    await page.locator('[data-testid="verify-verdict"][data-ok="true"]').waitFor();
    await watch.axe(page, "regulator: anchor");
    await watch.screenshot(page, "05b-anchor");

    await page.goto(`${stack.url}/explorer/tokens/${tokenId}`);
    await page.getByRole("button", { name: "冻结藏品" }).click();
    await page.waitForURL("**/regulator/actions*");
    await page.getByLabel("原因").fill("涉嫌侵犯著作权，依法冻结");
    await page.getByLabel("证据说明（保存其 sha256）").fill("投诉受理编号 2026-0001");
    await page.getByRole("button", { name: "执行" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "确认" }).click();
    await page.getByTestId("tx-result").waitFor({ timeout: 60_000 });
    // The confirmation fades out after it is answered: axe would read its half-transparent text as low contrast.
    await page.locator(".ant-modal-confirm").waitFor({ state: "detached" });
    await watch.axe(page, "regulator: action done");
    await watch.screenshot(page, "05c-frozen");

    await page.getByRole("link", { name: "角色" }).click();
    await page.locator(".ant-table-row").first().waitFor();
    await watch.axe(page, "regulator: roles");
    await page.getByRole("link", { name: "网络状态" }).click();
    await page.getByTestId("health-overall").waitFor();
    await watch.axe(page, "network");
    await watch.screenshot(page, "05d-network");
    watch.assertClean();
  });

  it("6. the transfer pre-flight gives the frozen reason in words, in Chinese and in English", async () => {
    const page = await signIn(stack.keys.auditor, "auditor (pre-flight)", "/explorer");
    await page.goto(`${stack.url}/explorer/tokens/${tokenId}`);
    await page.getByTestId("token-state").getByText("已冻结").waitFor();
    await page.getByLabel("接收地址").fill(stack.wallets.collectorB);
    await page.getByRole("button", { name: "能否转赠？" }).click();
    await page.locator('[data-testid="preflight-result"][data-ok="false"]').waitFor();
    expect(await page.getByTestId("preflight-message").textContent()).to.equal(`藏品 ${tokenId} 已被冻结。`);
    await watch.screenshot(page, "06a-preflight-zh");

    await page.getByTestId("language-switch").click();
    await page.getByRole("heading", { level: 1, name: `Provenance of token ${tokenId}` }).waitFor();
    expect(await page.getByTestId("preflight-message").textContent()).to.equal(`Token ${tokenId} is frozen.`);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).to.equal("en"); // eslint-disable-line @typescript-eslint/no-explicit-any
    await watch.axe(page, "auditor: pre-flight (English)");
    await watch.screenshot(page, "06b-preflight-en");
    // The choice is remembered.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: `Provenance of token ${tokenId}` }).waitFor();
    watch.assertClean();

    if (process.env.UPDATE_DOCS_SCREENSHOT === "1") {
      mkdirSync(join(ROOT, "docs"), { recursive: true });
      copyFileSync(join(ARTIFACTS, "console.png"), join(ROOT, "docs", "console.png"));
    }
    writeFileSync(join(ARTIFACTS, "summary.json"), JSON.stringify({ seconds: (Date.now() - started) / 1000, axeChecked: watch.axeChecked, tokenId, collectionId }, null, 2));
  });
});
