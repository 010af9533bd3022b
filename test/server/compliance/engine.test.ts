import { expect } from "chai";
import { ethers } from "hardhat";
import { ComplianceDecision } from "../../../shared/api";
import { canonicalJson } from "../../../server/compliance/canonical";
import { chainComplianceContext } from "../../../server/compliance/chain-context";
import {
  ALL_RULES,
  computeDecisionRef,
  computeInputHash,
  createComplianceEngine,
  hashableInput,
} from "../../../server/compliance/engine";
import type { ComplianceInput, Rule } from "../../../server/compliance/types";
import { AppError, ChainRevertError } from "../../../server/errors";
import {
  certificate,
  collectionInput,
  deadChain,
  defaultPolicy,
  loadRegistry,
  memoryIssuance,
  offlineContext,
  png,
  policyWith,
  realContext,
  recordEvidence,
  recordIssuerLicence,
  validRequest,
} from "./helpers";

const WALLET = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const NOW = new Date("2026-11-02T04:00:00.000Z");

/** A rule with a fixed outcome that records its calls. */
function fakeRule(id: string, outcome: () => boolean | Promise<boolean>, appliesTo: Rule["appliesTo"] = ["collection", "mint"]) {
  const calls: ComplianceInput[] = [];
  const rule: Rule = {
    id,
    appliesTo,
    async check(input) {
      calls.push(input);
      const passed = await outcome();
      return { rule: id, passed, reason: passed ? `${id} ok` : `${id} failed`, details: { id, passed } };
    },
  };
  return { rule, calls };
}

/** The same value with every object's keys in reverse order. */
function reorder<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reorder) as T;
  if (v instanceof Uint8Array || v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v as object).reverse().map(([k, x]) => [k, reorder(x)])) as T;
}

describe("server/compliance/engine", function () {
  describe("with every rule on the Hardhat chain", function () {
    async function ready() {
      const f = await loadRegistry();
      await recordIssuerLicence(f);
      await recordEvidence(f, ethers.sha256(certificate()), "copyright");
      return f;
    }

    it("runs every collection rule and passes a compliant collection", async function () {
      const f = await ready();
      const engine = createComplianceEngine(defaultPolicy());
      const d = await engine.evaluate("collection", collectionInput(f.accounts.issuer.address), await realContext(f.chain));
      expect(d.results.map((r) => r.rule)).to.deep.equal([
        "issuer-admission",
        "content-review",
        "privacy",
        "rights",
        "anti-financialization",
        "sandbox-quotas",
      ]);
      expect(d.results.filter((r) => !r.passed), JSON.stringify(d.results)).to.deep.equal([]);
      expect(d.passed).to.equal(true);
      expect(d.policyVersion).to.equal("2026-11-01");
      expect(() => ComplianceDecision.parse(d)).not.to.throw();
    });

    it("runs the mint rules (issuer and recipients) for a mint", async function () {
      const f = await ready();
      const engine = createComplianceEngine(defaultPolicy());
      const input = { ...collectionInput(f.accounts.issuer.address), recipients: [f.accounts.alice.address, f.accounts.outsider.address], minLevel: 2 };
      const d = await engine.evaluate("mint", input, await realContext(f.chain));
      expect(d.results.map((r) => [r.rule, r.passed])).to.deep.equal([
        ["issuer-admission", true],
        ["recipient-admission", false],
      ]);
      expect(d.passed).to.equal(false);
    });

    it("reviews a metadata change on its text only: issuer, content, privacy and anti-financialization", async function () {
      const f = await ready();
      const engine = createComplianceEngine(defaultPolicy());
      const issuer = { wallet: f.accounts.issuer.address, apiKeyId: "key-issuer-1" };
      const clean = await engine.evaluate(
        "metadata",
        { issuer, request: { name: "敦煌飞天 第二版", description: "修订后的作品说明。", attributes: [{ trait_type: "朝代", value: "盛唐" }] } },
        await realContext(f.chain),
      );
      expect(clean.results.map((r) => [r.rule, r.passed])).to.deep.equal([
        ["issuer-admission", true],
        ["content-review", true],
        ["privacy", true],
        ["anti-financialization", true],
      ]);
      expect(clean.results[1].reason).to.equal("no banned terms in the new metadata");
      const dirty = await engine.evaluate(
        "metadata",
        { issuer, request: { name: "赌博之夜", description: "联系 +86 138 1234 5678", attributes: [{ trait_type: "价格", value: "¥99" }] } },
        await realContext(f.chain),
      );
      expect(Object.fromEntries(dirty.results.map((r) => [r.rule, r.passed]))).to.deep.equal({
        "issuer-admission": true,
        "content-review": false,
        privacy: false,
        "anti-financialization": false,
      });
      // Nothing about media, supply or transfer policy: a metadata change cannot touch them.
      expect(dirty.results.map((r) => r.reason).join(" ")).not.to.match(/media file|editionSize|holding/);
      expect(JSON.stringify(dirty)).not.to.include("13812345678");
    });

    it("does not short-circuit: lists every failing rule with its reasons", async function () {
      const f = await loadRegistry(); // licence and copyright evidence not recorded
      const engine = createComplianceEngine(defaultPolicy());
      const input = collectionInput(f.accounts.issuer.address, {
        request: validRequest({
          name: "赌 博之夜",
          description: "联系 +86 138 1234 5678",
          editionSize: 20_000,
          attributes: [{ trait_type: "价格", value: "¥99" }],
        }),
        media: undefined,
      });
      const d = await engine.evaluate("collection", input, await realContext(f.chain));
      expect(d.passed).to.equal(false);
      expect(Object.fromEntries(d.results.map((r) => [r.rule, r.passed]))).to.deep.equal({
        "issuer-admission": false,
        "content-review": false,
        privacy: false,
        rights: false,
        "anti-financialization": false,
        "sandbox-quotas": true,
      });
      const reasons = Object.fromEntries(d.results.map((r) => [r.rule, r.reason]));
      expect(reasons["issuer-admission"]).to.include("not recorded in the EvidenceRegistry");
      expect(reasons["content-review"]).to.include("赌博").and.to.include("media file is missing");
      expect(reasons.privacy).to.include("mobile number in description");
      expect(reasons.rights).to.include("copyright evidence").and.to.include("no media file");
      expect(reasons["anti-financialization"]).to.include("editionSize 20000").and.to.include("¥99");
      expect(JSON.stringify(d)).not.to.include("13812345678");
    });

    it("propagates a 503 CHAIN_UNAVAILABLE when the node is down: nothing is decided", async function () {
      const f = await ready();
      const ctx = chainComplianceContext(await deadChain(f.chain), memoryIssuance());
      const engine = createComplianceEngine(defaultPolicy());
      const err = await engine.evaluate("collection", collectionInput(f.accounts.issuer.address), ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(AppError);
      expect(err).to.include({ code: "CHAIN_UNAVAILABLE", httpStatus: 503 });
    });
  });

  describe("decision stamping and hashing", function () {
    it("stamps the policy version and the context's time", async function () {
      const { rule } = fakeRule("a", () => true);
      const engine = createComplianceEngine(policyWith((p) => (p.version = "pilot-2027-01")), [rule]);
      const d = await engine.evaluate("collection", collectionInput(WALLET), offlineContext(NOW));
      expect(d.policyVersion).to.equal("pilot-2027-01");
      expect(d.decidedAt).to.equal(NOW.toISOString());
      expect(d.inputHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(d.decisionRef).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("hashes files as sha256 and size, never their bytes", function () {
      const input = collectionInput(WALLET);
      const h = hashableInput(input);
      expect(h.media).to.deep.equal({ sha256: ethers.sha256(png()), size: png().length, filename: "apsaras.png", declaredType: "image/png" });
      expect(h.copyrightEvidence).to.deep.equal({ sha256: ethers.sha256(certificate()), size: certificate().length, filename: "certificate.pdf" });
      expect(computeInputHash(input)).to.equal(ethers.sha256(ethers.toUtf8Bytes(canonicalJson(h))));
      expect(() => canonicalJson(input)).to.throw(TypeError, /raw bytes/);
    });

    it("gives the same inputHash whatever the key order", async function () {
      const { rule } = fakeRule("a", () => true);
      const engine = createComplianceEngine(defaultPolicy(), [rule]);
      const input = collectionInput(WALLET);
      const shuffled = reorder(input);
      expect(Object.keys(shuffled.request!)).to.not.deep.equal(Object.keys(input.request!));
      const [d1, d2] = await Promise.all([
        engine.evaluate("collection", input, offlineContext(NOW)),
        engine.evaluate("collection", shuffled, offlineContext(NOW)),
      ]);
      expect(d2.inputHash).to.equal(d1.inputHash);
      expect(d2.decisionRef).to.equal(d1.decisionRef);
    });

    it("gives a different inputHash for a different media or evidence file or request", function () {
      const base = computeInputHash(collectionInput(WALLET));
      const hashes = [
        computeInputHash(collectionInput(WALLET, { media: { bytes: png(1), filename: "apsaras.png", declaredType: "image/png" } })),
        computeInputHash(collectionInput(WALLET, { copyrightEvidence: { bytes: certificate("v2"), filename: "certificate.pdf" } })),
        computeInputHash(collectionInput(WALLET, { media: undefined })),
        computeInputHash(collectionInput(WALLET, { request: validRequest({ editionSize: 999 }) })),
        computeInputHash({ ...collectionInput(WALLET), recipients: [WALLET] }),
      ];
      expect(new Set([base, ...hashes]).size).to.equal(hashes.length + 1);
    });

    it("derives decisionRef from { policyVersion, inputHash, results, decidedAt }, and it changes when a result changes", async function () {
      let ok = true;
      const { rule } = fakeRule("toggle", () => ok);
      const engine = createComplianceEngine(defaultPolicy(), [rule]);
      const input = collectionInput(WALLET);
      const passed = await engine.evaluate("collection", input, offlineContext(NOW));
      const again = await engine.evaluate("collection", input, offlineContext(NOW));
      expect(again.decisionRef).to.equal(passed.decisionRef);
      expect(passed.decisionRef).to.equal(
        ethers.keccak256(
          ethers.toUtf8Bytes(
            canonicalJson({ policyVersion: passed.policyVersion, inputHash: passed.inputHash, results: passed.results, decidedAt: passed.decidedAt }),
          ),
        ),
      );
      expect(computeDecisionRef(passed)).to.equal(passed.decisionRef);

      ok = false;
      const failed = await engine.evaluate("collection", input, offlineContext(NOW));
      expect(failed.inputHash).to.equal(passed.inputHash);
      expect(failed.decisionRef).to.not.equal(passed.decisionRef);
      const later = await engine.evaluate("collection", input, offlineContext(new Date(NOW.getTime() + 1000)));
      expect(later.decisionRef).to.not.equal(failed.decisionRef);
      const otherPolicy = await createComplianceEngine(policyWith((p) => (p.version = "v2")), [rule]).evaluate("collection", input, offlineContext(NOW));
      expect(otherPolicy.decisionRef).to.not.equal(failed.decisionRef);
    });
  });

  describe("rule selection and errors", function () {
    it("runs only the rules that apply to the kind, in order", async function () {
      const c = fakeRule("collection-only", () => true, ["collection"]);
      const m = fakeRule("mint-only", () => true, ["mint"]);
      const both = fakeRule("both", () => true);
      const engine = createComplianceEngine(defaultPolicy(), [c.rule, m.rule, both.rule]);
      const d = await engine.evaluate("mint", collectionInput(WALLET), offlineContext(NOW));
      expect(d.results.map((r) => r.rule)).to.deep.equal(["mint-only", "both"]);
      expect(c.calls).to.have.length(0);
    });

    it("reports a throwing rule as failed with 'rule error: …' and still runs the others", async function () {
      const before = fakeRule("before", () => true);
      const boom: Rule = { id: "boom", appliesTo: ["collection"], check: async () => { throw new Error("boom"); } };
      const revert: Rule = {
        id: "revert",
        appliesTo: ["collection"],
        check: async () => {
          throw new ChainRevertError("IdentityNotFound", { identityId: ethers.ZeroHash });
        },
      };
      const after = fakeRule("after", () => true);
      const engine = createComplianceEngine(defaultPolicy(), [before.rule, boom, revert, after.rule]);
      const d = await engine.evaluate("collection", collectionInput(WALLET), offlineContext(NOW));
      expect(d.passed).to.equal(false);
      expect(d.results.map((r) => [r.rule, r.passed])).to.deep.equal([
        ["before", true],
        ["boom", false],
        ["revert", false],
        ["after", true],
      ]);
      expect(d.results[1]).to.deep.equal({
        rule: "boom",
        passed: false,
        reason: "rule error: boom",
        reasons: [{ code: "RULE_ERROR", params: { message: "boom" } }],
        details: null,
      });
      expect(d.results[2].reason).to.match(/^rule error: /);
      expect(after.calls).to.have.length(1);
    });

    it("propagates a dependency failure (any 5xx) from a rule instead of deciding", async function () {
      const other = fakeRule("other", () => true);
      const down: Rule = {
        id: "down",
        appliesTo: ["collection"],
        check: async () => {
          throw new AppError("CHAIN_UNAVAILABLE");
        },
      };
      const engine = createComplianceEngine(defaultPolicy(), [other.rule, down]);
      const err = await engine.evaluate("collection", collectionInput(WALLET), offlineContext(NOW)).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AppError).and.to.include({ code: "CHAIN_UNAVAILABLE", httpStatus: 503 });

      for (const [code, params] of [
        ["CHAIN_MISMATCH", { nodeChainId: 1, deploymentChainId: 31337 }],
        ["CHAIN_CONTRACTS_MISSING", { missing: "rights" }],
        ["CHAIN_ERROR", {}],
        ["IPFS_UNAVAILABLE", {}],
        ["COMPLIANCE_TIMEOUT", { timeoutMs: 5000 }],
      ] as const) {
        const failing: Rule = { id: "m", appliesTo: ["collection"], check: async () => { throw new AppError(code, params); } };
        const e = await createComplianceEngine(defaultPolicy(), [other.rule, failing]).evaluate("collection", collectionInput(WALLET), offlineContext(NOW)).catch((x: unknown) => x);
        expect(e, code).to.be.instanceOf(AppError).and.to.have.property("code", code);
      }
    });

    it("treats a rule whose details are not plain JSON, or a malformed result, as a rule error", async function () {
      const bytes: Rule = { id: "bytes", appliesTo: ["collection"], check: async () => ({ rule: "bytes", passed: true, reason: "ok", details: { raw: new Uint8Array([1]) } }) };
      const bad: Rule = { id: "bad", appliesTo: ["collection"], check: async () => ({ passed: "yes" }) as never };
      const big: Rule = { id: "big", appliesTo: ["collection"], check: async () => ({ rule: "other-name", passed: true, reason: "ok", details: { n: 10n ** 30n } }) };
      const d = await createComplianceEngine(defaultPolicy(), [bytes, bad, big]).evaluate("collection", collectionInput(WALLET), offlineContext(NOW));
      expect(d.results[0]).to.include({ rule: "bytes", passed: false });
      expect(d.results[0].reason).to.match(/^rule error: details are not plain JSON/);
      expect(d.results[1]).to.include({ rule: "bad", passed: false, reason: "rule error: the rule returned a malformed result" });
      expect(d.results[1].reasons).to.deep.equal([{ code: "RULE_MALFORMED_RESULT", params: {} }]);
      expect(d.results[2]).to.deep.equal({ rule: "big", passed: true, reason: "ok", details: { n: "1000000000000000000000000000000" } });
    });

    it("fails closed when no rule applies, and refuses duplicate rule ids", async function () {
      const c = fakeRule("collection-only", () => true, ["collection"]);
      const d = await createComplianceEngine(defaultPolicy(), [c.rule]).evaluate("mint", collectionInput(WALLET), offlineContext(NOW));
      expect(d.results).to.deep.equal([]);
      expect(d.passed).to.equal(false);
      expect(() => createComplianceEngine(defaultPolicy(), [c.rule, c.rule])).to.throw(/duplicate rule id "collection-only"/);
    });

    it("exports ALL_RULES with unique ids covering both kinds", function () {
      const ids = ALL_RULES.map((r) => r.id);
      expect(ids).to.deep.equal([
        "issuer-admission",
        "recipient-admission",
        "content-review",
        "privacy",
        "rights",
        "anti-financialization",
        "sandbox-quotas",
      ]);
      expect(createComplianceEngine(defaultPolicy()).rules).to.deep.equal(ALL_RULES);
    });
  });
});

