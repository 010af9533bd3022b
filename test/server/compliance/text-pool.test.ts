import { expect } from "chai";
import { AppError } from "../../../server/errors";
import { ALL_RULES, createComplianceEngine } from "../../../server/compliance/engine";
import { runTextCheck, TEXT_CHECKS } from "../../../server/compliance/text-checks";
import { inlineTextRunner, textPool, type TextRunner } from "../../../server/compliance/text-pool";
import { collectionInput, defaultPolicy, offlineContext, validRequest } from "./helpers";

/**
 * server/compliance/text-pool.ts: the rules' text checks run in piscina worker threads, give the same
 * answers as on the calling thread, and a check that overruns the request's budget is aborted with a 503
 * COMPLIANCE_TIMEOUT (nothing decided) while the pool keeps serving.
 */
describe("server/compliance/text-pool: text checks off the request thread", function () {
  this.timeout(120_000);
  let pool: TextRunner;
  const policy = defaultPolicy();
  const NOW = "2026-11-02T04:00:00.000Z";

  before(function () {
    pool = textPool(2, 5_000);
  });
  after(async () => pool?.close());

  const request = validRequest({
    name: "赌 博之夜",
    description: "联系 zhang.san@example.com 或 +86 138 1234 5678",
    attributes: [{ trait_type: "价格", value: "¥99" }],
  });
  const tasks = [
    { check: "content-review", args: [request, policy.bannedTerms] },
    { check: "privacy", args: [request, NOW] },
    { check: "anti-financialization", args: [request, policy.forbiddenMetadataKeys] },
  ];

  it("covers every text check of the rules", function () {
    expect(tasks.map((t) => t.check).sort()).to.deep.equal(Object.keys(TEXT_CHECKS).sort());
  });

  for (const task of tasks) {
    it(`${task.check}: the same answer in a worker thread as inline, and it finds what it must`, async function () {
      const threaded = await pool.run(task, Date.now() + 5_000);
      expect(threaded).to.deep.equal(runTextCheck(task));
      expect(threaded).to.be.an("array").that.is.not.empty;
    });
  }

  it("a check that overruns its budget is aborted: 503 COMPLIANCE_TIMEOUT, and the pool still serves", async function () {
    const huge = { ...request, description: "a@".repeat(2_000_000) };
    const err = await pool.run({ check: "privacy", args: [huge, NOW] }, Date.now()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AppError);
    expect(err).to.include({ code: "COMPLIANCE_TIMEOUT", httpStatus: 503 });
    expect((err as AppError).params).to.deep.equal({ timeoutMs: 5_000 });
    expect(await pool.run(tasks[1], Date.now() + 5_000)).to.deep.equal(runTextCheck(tasks[1]));
  });

  it("the inline runner refuses once the budget is spent, and runs otherwise", async function () {
    const inline = inlineTextRunner();
    const err = await inline.run(tasks[1], Date.now() - 1).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError).and.to.include({ code: "COMPLIANCE_TIMEOUT" });
    expect(await inline.run(tasks[1], Date.now() + 5_000)).to.deep.equal(runTextCheck(tasks[1]));
  });

  it("the engine with the pool decides exactly as inline, and a spent budget decides nothing", async function () {
    const input = collectionInput("0x90F79bf6EB2c4f870365E785982E1f101E93b906", { request });
    const ctx = () => offlineContext(new Date(NOW));
    const rules = ALL_RULES.filter((r) => r.id in TEXT_CHECKS);
    const threaded = await createComplianceEngine(policy, rules, { text: pool, budgetMs: 5_000 }).evaluate("collection", input, ctx());
    const inline = await createComplianceEngine(policy, rules).evaluate("collection", input, ctx());
    expect(threaded.results).to.deep.equal(inline.results);
    expect(threaded.decisionRef).to.equal(inline.decisionRef);
    expect(threaded.results.map((r) => r.passed)).to.deep.equal([false, false, false]);
    const spent = await createComplianceEngine(policy, rules, { text: pool, budgetMs: 1 })
      .evaluate("collection", { ...input, request: { ...request, description: "1,".repeat(1_000_000) } }, ctx())
      .catch((e: unknown) => e);
    expect(spent).to.be.instanceOf(AppError).and.to.include({ code: "COMPLIANCE_TIMEOUT" });
  });
});
