import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * Issue 7, "loose text validation" and "refused actions leave no trace": a reason or a key label with a NUL,
 * a control or bidi-override character, or only blanks is refused with a 400 that names the field; and
 * every refused write of an authenticated caller (a 400, a 409) is on the sandbox log.
 */
describe("request validation: text people type, and refusals on the record", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let regulator: string;
  let admin: string;

  before(async function () {
    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false });
    regulator = await gw.key("regulator");
    admin = await gw.key("admin");
  });
  after(async () => gw?.close());

  const evidence = { text: "court order 12" };
  const cases: Array<[string, string, string]> = [
    ["a NUL", "\u0000", "must not contain control characters or bidi overrides"],
    ["a control character", "AML\u0007 review", "must not contain control characters or bidi overrides"],
    ["a bidi override", "\u202Eweiver LMA", "must not contain control characters or bidi overrides"],
    ["only blanks (ideographic space too)", "   \u3000 ", "must not be blank"],
    ["a lone surrogate", "AML \ud800", "must be valid Unicode (no lone surrogates)"],
  ];

  for (const [what, reason, message] of cases) {
    it(`a regulator's reason with ${what} is 400, naming the field; nothing is sent`, async function () {
      const res = await gw.call("POST", "/v1/regulator/pause", { token: regulator, json: { reason, evidence } });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal("VALIDATION_FAILED");
      expect(res.body.error.params).to.deep.equal({ where: "body", summary: `reason: ${message}` });
      expect(res.body.error.details).to.deep.include({ in: "body", path: "reason", message, code: "custom" });
      expect(await gw.services.chain.rights.paused()).to.equal(false);
    });

    it(`an API key label with ${what} is 400, naming the field; no key is created`, async function () {
      const res = await gw.call("POST", "/v1/keys", { token: admin, json: { role: "auditor", label: reason } });
      expect(res.status).to.equal(400);
      expect(res.body.error.params.summary).to.equal(`label: ${message}`);
      const labels = (await gw.call("GET", "/v1/keys", { token: admin })).body.keys.map((k: { label: string }) => k.label);
      expect(labels).to.not.include(reason);
    });
  }

  it("a key label on two lines is 400 'must be one line'; Chinese and full-width text are fine", async function () {
    const twoLines = await gw.call("POST", "/v1/keys", { token: admin, json: { role: "auditor", label: "first\nsecond" } });
    expect(twoLines.body.error.params.summary).to.equal("label: must be one line");
    const fine = await gw.call("POST", "/v1/keys", { token: admin, json: { role: "auditor", label: "审计 Ａ组 audit team" } });
    expect(fine.status).to.equal(201);
    expect(fine.body.label).to.equal("审计 Ａ组 audit team");
  });

  it("an address field holding a short mixed-case string is a 400 naming the field, never a 500", async function () {
    // Found by the fuzzer: the EIP-55 refinement read past the end of any string the regex had refused.
    for (const wallet of ["h`dz#m6R7", "0xAbC", "ABCDEFabcdef"]) {
      const bad = await gw.call("POST", "/v1/identities/wallets/unlink", { token: regulator, json: { wallet, reason: "AML review" } });
      expect(bad.status, wallet).to.equal(400);
      expect(bad.body.error.params).to.deep.equal({ where: "body", summary: "wallet: must be a 0x-prefixed 20-byte hex address" });
    }
  });

  it("refused writes are on the record: a 400 and a 409, with the route, status and code", async function () {
    const from = (await gw.services.store.log.last())?.seq ?? 0;
    const bad = await gw.call("POST", "/v1/regulator/pause", { token: regulator, json: { reason: "\u0000", evidence } });
    expect(bad.status).to.equal(400);
    const form = () => {
      const f = new FormData();
      f.set("data", JSON.stringify({ kind: "other", description: "recorded twice" }));
      f.set("file", new Blob([Buffer.from("the same document, twice")]), "doc.txt");
      return f;
    };
    expect((await gw.call("POST", "/v1/evidence", { token: admin, form: form() })).status).to.equal(201);
    const again = await gw.call("POST", "/v1/evidence", { token: admin, form: form() });
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal("EVIDENCE_HASH_RECORDED");
    // Written in the background by the error handler.
    let refused: Awaited<ReturnType<typeof gw.services.store.log.list>> = [];
    for (let i = 0; i < 50 && refused.length < 2; i++) {
      refused = await gw.services.store.log.list({ afterSeq: from, action: "request.refused" });
      if (refused.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused.map((e) => [e.decision, (e.payload as { route: string; status: number; code: string }).route, (e.payload as { status: number }).status, (e.payload as { code: string }).code])).to.deep.equal([
      ["refused", "/v1/regulator/pause", 400, "VALIDATION_FAILED"],
      ["refused", "/v1/evidence", 409, "EVIDENCE_HASH_RECORDED"],
    ]);
  });
});
