import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ComplianceResult } from "../../../shared/api";
import {
  COMPLIANCE_REASONS,
  PLACEHOLDER,
  formatError,
  formatReason,
  formatReasons,
  isComplianceReasonCode,
  type ComplianceReasonCode,
  type Lang,
} from "../../../shared/errors";
import { createComplianceEngine } from "../../../server/compliance/engine";
import {
  antiFinancialization,
  contentReview,
  issuerAdmission,
  privacy,
  recipientAdmission,
  rights,
  sandboxQuotas,
} from "../../../server/compliance/rules";
import type { Rule } from "../../../server/compliance/types";
import { CHINA, DAY, LEVEL, code, collectionParams, createApproved } from "../../contracts/fixtures";
import {
  certificate,
  collectionInput,
  defaultPolicy,
  exe,
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

/**
 * The compliance reasons (shared/errors/compliance-reasons.ts): every code has a Chinese and an English
 * template naming the same parameters, and every code the rules emit — driven with failing inputs on the
 * Hardhat chain, as the rules' own tests do — is in the catalogue with every parameter its templates name,
 * and the result's English `reason` is exactly those templates filled.
 */
describe("shared/errors compliance reasons, emitted by the rules", function () {
  const policy = defaultPolicy();
  const NOW = new Date("2026-11-02T04:00:00Z");
  const LANGS: Lang[] = ["en", "zh"];
  const names = (template: string) => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();
  const emitted = new Set<string>();

  /** Asserts a result's reasons are complete, records their codes, and returns the codes. */
  function codes(r: ComplianceResult): string[] {
    expect(r.reasons, `${r.rule}: reasons`).to.be.an("array").that.is.not.empty;
    for (const x of r.reasons!) {
      expect(isComplianceReasonCode(x.code), `${x.code} is in the catalogue`).to.equal(true);
      const spec = COMPLIANCE_REASONS[x.code as ComplianceReasonCode];
      for (const lang of LANGS) {
        for (const p of names(spec[lang])) {
          expect(x.params[p], `${x.code}: {${p}} in the ${lang} template`).to.not.be.oneOf([undefined, null, ""]);
        }
      }
      emitted.add(x.code);
    }
    expect(r.reason).to.equal(formatReasons(r.reasons!, "en"));
    expect(formatReasons(r.reasons!, "zh")).to.match(/[\u4e00-\u9fff]/);
    return r.reasons!.map((x) => x.code);
  }

  it("has a Chinese and an English template for every code, naming the same parameters", function () {
    for (const [c, spec] of Object.entries(COMPLIANCE_REASONS)) {
      expect(spec.en.trim(), `${c}.en`).to.not.equal("");
      expect(spec.zh, `${c}.zh is Chinese`).to.match(/[\u4e00-\u9fff]/);
      expect(names(spec.zh), `${c}: the same parameters in zh and en`).to.deep.equal(names(spec.en));
    }
  });

  it("renders a code in either language, and nothing for a code it does not know", function () {
    const banned = { code: "BANNED_TERM", params: { term: "赌博", field: "name" } };
    expect(formatReason(banned, "en")).to.equal('banned term "赌博" in name');
    expect(formatReason(banned, "zh")).to.equal("name 含违禁词“赌博”");
    const low = { code: "ISSUER_LEVEL_TOO_LOW", params: { level: 3, required: 4 } };
    expect(formatReason(low, "zh")).to.equal("发行方身份为 3 级（实名认证企业），须为持牌发行方（4 级（持牌发行方））");
    expect(formatReason({ code: "FROM_A_NEWER_GATEWAY", params: {} }, "zh")).to.equal(undefined);
    // The refusal names the rules by their labels in Chinese (shared/domain RULES).
    expect(formatError("COMPLIANCE_REJECTED", { count: 2, rules: ["privacy", "rights"] }, "zh")).to.equal("未通过 2 项合规检查：个人信息保护、确权。");
  });

  it("issuer-admission: every finding, on the chain", async function () {
    const f = await loadRegistry();
    const { issuer, dave, outsider, regulator, attestor, admin, rest } = f.accounts;
    const run = async (wallet: string) => codes(await issuerAdmission.check(collectionInput(wallet), await realContext(f.chain), policy));

    expect(await run(issuer.address)).to.deep.equal(["ISSUER_LICENCE_EVIDENCE_NOT_RECORDED"]);
    await recordIssuerLicence(f);
    expect(await run(issuer.address)).to.deep.equal(["ISSUER_ADMITTED"]);
    expect(await run("0xnot-a-wallet")).to.deep.equal(["ISSUER_INVALID_WALLET"]);
    expect(await run(outsider.address)).to.deep.equal(["ISSUER_NO_IDENTITY", "ISSUER_ROLE_MISSING"]);
    expect(await run(dave.address)).to.include.members(["ISSUER_LEVEL_TOO_LOW", "ISSUER_ROLE_MISSING"]);

    const [noDossier] = rest;
    await (
      await f.contracts.identity
        .connect(attestor)
        .registerIdentity(ethers.id("identity:no-dossier"), noDossier.address, LEVEL.LICENSED_ISSUER, CHINA, (await time.latest()) + 365 * DAY, ethers.ZeroHash)
    ).wait();
    await (await f.contracts.rights.connect(admin).grantRole(await f.contracts.rights.ISSUER_ROLE(), noDossier.address)).wait();
    expect(await run(noDossier.address)).to.deep.equal(["ISSUER_NO_LICENCE_EVIDENCE"]);

    await (await f.contracts.identity.connect(regulator).suspendIdentity(f.ids.issuer, code("investigation"))).wait();
    expect(await run(issuer.address)).to.deep.equal(["ISSUER_SUSPENDED"]);
    await (await f.contracts.identity.connect(regulator).revokeIdentity(f.ids.issuer, code("licence-withdrawn"))).wait();
    expect(await run(issuer.address)).to.deep.equal(["ISSUER_REVOKED"]);
  });

  it("issuer-admission: expired, by the server's clock and by block time", async function () {
    const f = await loadRegistry();
    await recordIssuerLicence(f);
    await time.increaseTo(f.expiresAt + 1n);
    const ctx = await realContext(f.chain);
    const input = collectionInput(f.accounts.issuer.address);
    expect(codes(await issuerAdmission.check(input, ctx, policy))).to.deep.equal(["ISSUER_EXPIRED"]);
    const lagging = { ...ctx, now: () => new Date((Number(f.expiresAt) - 60) * 1000) };
    expect(codes(await issuerAdmission.check(input, lagging, policy))).to.deep.equal(["ISSUER_EXPIRED_BY_BLOCK_TIME"]);
  });

  it("recipient-admission: every finding, on the chain", async function () {
    const f = await loadRegistry();
    const { alice, bob, carol, outsider, regulator, attestor, issuer, rest } = f.accounts;
    const run = async (recipients: string[], minLevel: number) =>
      codes(await recipientAdmission.check({ ...collectionInput(issuer.address), recipients, minLevel }, await realContext(f.chain), policy));

    expect(await run([alice.address], LEVEL.REAL_NAME)).to.deep.equal(["RECIPIENTS_VERIFIED"]);
    expect(await run([alice.address], 999)).to.deep.equal(["RECIPIENTS_MIN_LEVEL_INVALID"]);
    expect(await run([], LEVEL.REAL_NAME)).to.deep.equal(["RECIPIENTS_NONE"]);

    await (await f.contracts.identity.connect(regulator).suspendIdentity(f.ids.carol, code("fraud-report"))).wait();
    await (await f.contracts.identity.connect(regulator).revokeIdentity(f.ids.bob, code("deceased"))).wait();
    const [shortLived] = rest;
    await (
      await f.contracts.identity
        .connect(attestor)
        .registerIdentity(ethers.id("identity:short"), shortLived.address, LEVEL.ENTERPRISE, CHINA, (await time.latest()) + 100, ethers.id("kyc:short"))
    ).wait();
    await time.increase(200);
    expect(await run([alice.address, bob.address, carol.address, outsider.address, shortLived.address, "0xnope"], LEVEL.ENTERPRISE)).to.deep.equal([
      "RECIPIENTS_NOT_VERIFIED",
      "RECIPIENT_LEVEL_TOO_LOW",
      "RECIPIENT_REVOKED",
      "RECIPIENT_SUSPENDED",
      "RECIPIENT_NO_IDENTITY",
      "RECIPIENT_EXPIRED",
      "RECIPIENTS_MORE",
    ]);
    expect(await run(["0xnope"], LEVEL.ENTERPRISE)).to.deep.equal(["RECIPIENTS_NOT_VERIFIED", "RECIPIENT_INVALID_ADDRESS"]);
  });

  it("content-review: every finding", async function () {
    const run = async (input: Parameters<Rule["check"]>[0], p = policy) => codes(await contentReview.check(input, offlineContext(NOW), p));
    const wallet = ethers.Wallet.createRandom().address;
    expect(await run(collectionInput(wallet))).to.deep.equal(["CONTENT_ALLOWED"]);
    expect(await run({ ...collectionInput(wallet), kind: "metadata" })).to.deep.equal(["METADATA_CONTENT_ALLOWED"]);
    expect(await run(collectionInput(wallet, { request: validRequest({ name: "网络赌博" }), media: undefined }))).to.deep.equal(["BANNED_TERM", "MEDIA_MISSING"]);
    expect(await run(collectionInput(wallet, { media: { bytes: new Uint8Array() } }))).to.deep.equal(["MEDIA_EMPTY"]);
    expect(await run(collectionInput(wallet, { media: { bytes: exe(), filename: "x.png", declaredType: "image/png" } }))).to.deep.equal(["MEDIA_TYPE_UNKNOWN"]);
    const strict = policyWith((p) => {
      p.media.allowedTypes = ["image/jpeg"] as typeof p.media.allowedTypes;
      p.media.maxBytes = 10;
    });
    expect(await run(collectionInput(wallet), strict)).to.deep.equal(["MEDIA_TYPE_NOT_ALLOWED", "MEDIA_TOO_LARGE"]);
  });

  it("privacy: every finding", async function () {
    const wallet = ethers.Wallet.createRandom().address;
    expect(codes(await privacy.check(collectionInput(wallet), offlineContext(NOW), policy))).to.deep.equal(["NO_PERSONAL_DATA"]);
    const r = await privacy.check(collectionInput(wallet, { request: validRequest({ description: "联系 13812345678" }) }), offlineContext(NOW), policy);
    expect(codes(r)).to.deep.equal(["PERSONAL_DATA"]);
    expect(formatReason(r.reasons![0], "zh")).to.equal("公开元数据的 description 含个人信息（手机号码）");
  });

  it("rights: every finding, on the chain", async function () {
    const f = await loadRegistry();
    const { issuer } = f.accounts;
    const run = async (input: Parameters<Rule["check"]>[0], p = policy, store = memoryIssuance()) =>
      codes(await rights.check(input, await realContext(f.chain, store), p));

    expect(await run(collectionInput(issuer.address, { copyrightEvidence: undefined, media: undefined }))).to.deep.equal([
      "EVIDENCE_MISSING",
      "CONTENT_HASH_UNCHECKED",
    ]);
    expect(await run(collectionInput(issuer.address, { copyrightEvidence: { bytes: new Uint8Array() } }))).to.deep.equal(["EVIDENCE_EMPTY"]);
    const small = policyWith((p) => {
      p.evidence.maxBytes = 10;
    });
    expect(await run(collectionInput(issuer.address), small)).to.deep.equal(["EVIDENCE_TOO_LARGE", "EVIDENCE_NOT_RECORDED"]);

    await recordEvidence(f, ethers.sha256(certificate()), "copyright-1");
    expect(await run(collectionInput(issuer.address))).to.deep.equal(["RIGHTS_CLEAR"]);
    const used = memoryIssuance([], { [ethers.sha256(certificate()).toLowerCase()]: policy.evidence.maxWorksPerEvidence });
    expect(await run(collectionInput(issuer.address), policy, used)).to.deep.equal(["EVIDENCE_OVERUSED"]);

    const media = png(7);
    await (await createApproved(f.contracts.rights, issuer, issuer.address, collectionParams({ contentHash: ethers.sha256(media) }))).wait();
    expect(await run(collectionInput(issuer.address, { media: { bytes: media } }))).to.deep.equal(["WORK_REGISTERED"]);

    const { evidence } = f.contracts;
    await (await evidence.connect(f.accounts.admin).grantRole(await evidence.EVIDENCE_WRITER_ROLE(), issuer.address)).wait();
    const own = certificate("the issuer's own upload");
    await (await evidence.connect(issuer).record(ethers.id("ev:own"), ethers.sha256(own), "{}")).wait();
    expect(await run(collectionInput(issuer.address, { copyrightEvidence: { bytes: own } }))).to.deep.equal(["EVIDENCE_BY_ISSUER"]);
  });

  it("anti-financialization: every finding", async function () {
    const wallet = ethers.Wallet.createRandom().address;
    const run = async (request: unknown) =>
      codes(await antiFinancialization.check(collectionInput(wallet, { request: request as never }), offlineContext(NOW), policy));
    expect(await run(validRequest())).to.deep.equal(["FINANCIALIZATION_CLEAR"]);
    const r = await run({
      ...validRequest({ description: "首发价 ¥99" }),
      editionSize: policy.editions.maxPerCollection + 1,
      transferPolicy: { mode: "FreeTrade", holdingPeriodDays: 0, minLevel: 0 },
      attributes: [{ trait_type: "price", value: "1" }],
      pricing: "1",
    });
    expect(r).to.include.members([
      "EDITION_CAP",
      "TRANSFER_MODE_NOT_ALLOWED",
      "HOLDING_PERIOD_TOO_SHORT",
      "HOLDER_LEVEL_TOO_LOW",
      "PRICE_KEY",
      "PRICE_ATTRIBUTE",
      "CURRENCY",
    ]);
  });

  it("sandbox-quotas: every finding", async function () {
    const wallet = ethers.Wallet.createRandom().address;
    const tight = policyWith((p) => {
      p.quotas.perIssuerDaily = { collections: 1, editions: 10 };
      p.quotas.perIssuerTotal = { collections: 1, editions: 10 };
    });
    const run = async (records: Array<{ wallet: string; at: Date; editions: number }>, editionSize: number) =>
      codes(
        await sandboxQuotas.check(
          collectionInput(wallet, { request: validRequest({ editionSize }) }),
          offlineContext(NOW, memoryIssuance(records).issuance),
          tight,
        ),
      );
    expect(await run([], 5)).to.deep.equal(["WITHIN_QUOTAS"]);
    expect(await run([{ wallet, at: NOW, editions: 10 }], 5)).to.deep.equal([
      "DAILY_COLLECTIONS_QUOTA_EXCEEDED",
      "DAILY_EDITIONS_QUOTA_EXCEEDED",
      "TOTAL_COLLECTIONS_QUOTA_EXCEEDED",
      "TOTAL_EDITIONS_QUOTA_EXCEEDED",
    ]);
  });

  it("the engine: a rule that throws, returns a malformed result or details that are not JSON", async function () {
    const rule = (id: string, check: Rule["check"]): Rule => ({ id, appliesTo: ["collection"], check });
    const engine = createComplianceEngine(policy, [
      rule("throws", async () => {
        throw new Error("boom");
      }),
      rule("malformed", async () => ({ verdict: "yes" }) as never),
      rule("not-json", async () => ({ rule: "not-json", passed: true, reason: "fine", details: { bytes: new Uint8Array(2) } })),
    ]);
    const d = await engine.evaluate("collection", collectionInput(ethers.Wallet.createRandom().address), offlineContext(NOW));
    expect(d.results.map(codes)).to.deep.equal([["RULE_ERROR"], ["RULE_MALFORMED_RESULT"], ["RULE_DETAILS_NOT_JSON"]]);
  });

  it("emits every code of the catalogue but two defensive ones no chain state reaches", function () {
    // An identity's status is one of None, Active, Suspended, Revoked on chain (an enum): the "not active"
    // branches exist for a status the contract might add later.
    const unreachable = ["ISSUER_NOT_ACTIVE", "RECIPIENT_NOT_VERIFIED"];
    expect(Object.keys(COMPLIANCE_REASONS).filter((c) => !emitted.has(c)).sort()).to.deep.equal(unreachable.sort());
  });
});
