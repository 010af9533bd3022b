import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CollectionRequest, type ComplianceResult } from "../../../shared/api";
import { antiFinancialization } from "../../../server/compliance/rules/anti-financialization";
import { contentReview } from "../../../server/compliance/rules/content-review";
import { privacy } from "../../../server/compliance/rules/privacy";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup } from "../support/issuer";
import { offlineContext } from "./helpers";

/**
 * Issue 14, finding 7 (ReDoS), through POST /v1/collections/check on a gateway whose rules run in worker
 * threads (COMPLIANCE_THREADS=2): 100 KB and 1 MB of adversarial text are refused by the schema before any
 * rule reads them; the largest texts the schema admits, built from the worst cases of the old patterns,
 * are decided correctly (the same results as the rules give inline) and /healthz keeps answering while
 * eight such checks run at once. Timings are printed, and only generous sanity bounds are asserted.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** The largest admissible requests, each hiding one finding at the very end of worst-case text. */
const ADVERSARIAL: Record<string, { request: Record<string, unknown>; fails: string[] }> = {
  "e-mail scanner worst case": {
    request: collectionRequest({
      description: `${fill("a.", 3_900)} 联系 zhang.san@example.com`,
      licence: { text: fill("a@", 20_000), rights: ["display"] },
      attributes: Array.from({ length: 50 }, (_, i) => ({ trait_type: `t${i}`, value: fill("x.y@", 256) })),
    }),
    fails: ["privacy"],
  },
  "digits and currency worst case": {
    request: collectionRequest({
      description: fill("1,", 4_000),
      licence: { text: fill("9.", 20_000), rights: ["display"] },
      attributes: [...Array.from({ length: 49 }, (_, i) => ({ trait_type: `n${i}`, value: fill("1,", 256) })), { trait_type: "note", value: `${fill("1,", 240)} 仅售¥99` }],
    }),
    fails: ["anti-financialization"],
  },
  "banned term after noise": {
    request: collectionRequest({
      description: `${fill("赌 ", 3_990)}博彩`,
      licence: { text: fill("仅限个人展示。", 20_000), rights: ["display"] },
    }),
    fails: ["content-review"],
  },
  "clean, full length": {
    request: collectionRequest({
      description: fill("长城日出，八达岭的清晨。", 4_000),
      licence: { text: fill("持有者可个人展示本作品，不得用于商业用途。", 20_000), rights: ["display", "personalUse"] },
    }),
    fails: [],
  },
};

describe("adversarial text through /v1/collections/check (rules in worker threads)", function () {
  this.timeout(300_000);
  let fx: Fx;
  let gw: TestGateway;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;
  const timings: string[] = [];

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { env: { COMPLIANCE_THREADS: "2" }, startIndexer: false, startWorker: false });
    issuer = await issuerSetup(gw, fx);
  });
  after(async function () {
    if (timings.length) console.log(`\n  ${timings.join("\n  ")}\n`);
    await gw?.close();
  });

  /** What the text rules decide inline, in this process, on the same request. */
  async function inlineResults(request: Record<string, unknown>): Promise<ComplianceResult[]> {
    const parsed = CollectionRequest.parse(request);
    const input = { kind: "collection" as const, issuer: { wallet: fx.accounts.issuer.address, apiKeyId: "inline" }, request: parsed };
    const ctx = offlineContext();
    return Promise.all([privacy, antiFinancialization].map((rule) => rule.check(input, ctx, gw.services.compliance.policy)));
  }

  for (const size of [100_000, 1_000_000]) {
    it(`${size / 1000} KB of adversarial licence text is refused by the schema, naming the field, before any rule runs`, async function () {
      const { form } = await issuer.form(`oversize-${size}`, collectionRequest({ licence: { text: fill("a@1,", size), rights: ["display"] } }));
      const from = (await gw.services.store.log.last())!.seq;
      const started = Date.now();
      const res = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form });
      timings.push(`${size / 1000} KB refused in ${Date.now() - started} ms`);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal("VALIDATION_FAILED");
      expect(res.body.error.params.summary).to.match(/^licence\.text: /);
      expect((await gw.services.store.log.list({ afterSeq: from, action: "compliance.decision" })).length).to.equal(0);
    });
  }

  for (const [name, { request, fails }] of Object.entries(ADVERSARIAL)) {
    it(`${name}: decided correctly, the same as inline`, async function () {
      const { form } = await issuer.form(`adv-${name}`, request);
      const started = Date.now();
      const res = await gw.call("POST", "/v1/collections/check", { token: issuer.token, form });
      timings.push(`${name}: ${Date.now() - started} ms`);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).to.equal(200);
      const byRule = Object.fromEntries((res.body.results as ComplianceResult[]).map((r) => [r.rule, r]));
      expect(Object.keys(byRule).filter((r) => !byRule[r].passed)).to.deep.equal(fails);
      for (const expected of await inlineResults(request)) expect(byRule[expected.rule], expected.rule).to.deep.equal(expected);
      if (name.startsWith("e-mail")) {
        const { findings } = byRule.privacy.details as { findings: Array<{ field: string; kind: string }> };
        expect(findings.map((f) => [f.field, f.kind])).to.deep.equal([["description", "email"]]);
      }
      if (name.startsWith("banned")) expect(byRule["content-review"].reason).to.include("博彩");
      expect(JSON.stringify(res.body)).not.to.include("zhang.san@example.com");
    });
  }

  it("/healthz keeps answering while eight adversarial checks run at once, and every check is decided correctly", async function () {
    const names = Object.keys(ADVERSARIAL);
    const forms: Array<{ name: string; form: FormData }> = [];
    for (let i = 0; i < 8; i++) forms.push({ name: names[i % names.length], form: (await issuer.form(`adv-parallel-${i}`, ADVERSARIAL[names[i % names.length]].request)).form });
    const started = Date.now();
    let running = true;
    const checks = Promise.all(forms.map(({ form }) => gw.call("POST", "/v1/collections/check", { token: issuer.token, form }))).finally(() => (running = false));
    const health: Array<{ status: number; ms: number; during: boolean }> = [];
    while (running || health.length === 0) {
      const t = Date.now();
      const h = await gw.call("GET", "/healthz");
      health.push({ status: h.status, ms: Date.now() - t, during: running });
    }
    const results = await checks;
    timings.push(`8 checks at once: ${Date.now() - started} ms; /healthz ${health.length}× in ${health.map((h) => h.ms).join(", ")} ms`);
    expect(health.some((h) => h.during), "/healthz answered while the checks ran").to.equal(true);
    expect(health.map((h) => h.status)).to.deep.equal(health.map(() => 200));
    expect(Math.max(...health.map((h) => h.ms)), "a generous sanity bound").to.be.below(10_000);
    results.forEach((res, i) => {
      expect(res.status).to.equal(200);
      const failed = (res.body.results as ComplianceResult[]).filter((r) => !r.passed).map((r) => r.rule);
      expect(failed, forms[i].name).to.deep.equal(ADVERSARIAL[forms[i].name].fails);
    });
  });
});
