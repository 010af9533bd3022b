import { expect } from "chai";
import {
  findPersonalData,
  isResidentId,
  luhnValid,
  privacy,
  type PersonalDataFinding,
} from "../../../../server/compliance/rules/privacy";
import type { CollectionRequest } from "../../../../shared/api";
import { collectionInput, defaultPolicy, offlineContext, validRequest } from "../helpers";

const WALLET = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

/** GB 11643 example numbers (valid check characters). */
const ID_X = "11010519491231002X";
const ID_DIGIT = "310115200002294567"; // born 29 Feb 2000
/** The same numbers with a wrong check character (chosen so they do not pass Luhn either). */
const ID_BAD_CHECK = "110105194912310021";
const ID_BAD_DATE = "110105199913320011"; // month 13, right check character for its digits
const CARD = "6222021001123456789"; // 19-digit UnionPay-style, Luhn-valid
const CARD_BAD = "6222021001123456780";

describe("server/compliance/rules/privacy (数据分级)", function () {
  const policy = defaultPolicy();
  const run = (patch: Partial<CollectionRequest>) =>
    privacy.check(collectionInput(WALLET, { request: validRequest(patch) }), offlineContext(), policy);
  const findingsOf = (details: unknown) => (details as { findings: PersonalDataFinding[] }).findings;

  it("applies to collections and metadata changes", function () {
    expect(privacy.appliesTo).to.deep.equal(["collection", "metadata"]);
  });

  it("passes metadata without personal data (numbers like editions and years are fine)", async function () {
    const r = await run({ description: "限量 1000 份，2026 年发行，编号 0001-1000。Edition of 1,000; 320 Cave." });
    expect(r.rule).to.equal("privacy");
    expect(r.passed, r.reason).to.equal(true);
    expect(findingsOf(r.details)).to.deep.equal([]);
  });

  describe("resident id numbers (居民身份证号)", function () {
    it("validates the MOD 11-2 check character, the birth date and the region", function () {
      expect(isResidentId(ID_X)).to.equal(true);
      expect(isResidentId(ID_X.toLowerCase())).to.equal(true);
      expect(isResidentId(ID_DIGIT)).to.equal(true);
      expect(isResidentId(ID_BAD_CHECK)).to.equal(false);
      expect(isResidentId(ID_BAD_DATE)).to.equal(false);
      expect(isResidentId("990105199003071232")).to.equal(false); // region 99 does not exist
      // Born 1 Jan 2030, check character right: valid from that day on only.
      expect(isResidentId("11010520300101001X", new Date("2026-01-01"))).to.equal(false);
      expect(isResidentId("11010520300101001X", new Date("2031-01-01"))).to.equal(true);
    });

    it("finds a valid id in the description, masked", async function () {
      const r = await run({ description: `作者身份证号：${ID_X}，请联系。` });
      expect(r.passed).to.equal(false);
      const [f] = findingsOf(r.details);
      expect(f).to.deep.equal({ field: "description", kind: "resident-id", excerpt: "110*************2X" });
      expect(JSON.stringify(r)).not.to.include(ID_X);
      expect(JSON.stringify(r)).not.to.include("19491231");
      expect(r.reasons).to.deep.equal([{ code: "PERSONAL_DATA", params: { kind: "resident-id", field: "description" } }]);
      expect(r.reason).to.equal("personal data in the public metadata: resident id number in description");
    });

    it("finds ids written in full-width digits or in groups, in attributes", async function () {
      const fullWidth = ID_DIGIT.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      const r = await run({
        attributes: [
          { trait_type: "身份证", value: fullWidth },
          { trait_type: "owner", value: "110105 19491231 002x" },
        ],
      });
      expect(findingsOf(r.details)).to.deep.equal([
        { field: "attributes[0].value", kind: "resident-id", excerpt: "310*************67" },
        { field: "attributes[1].value", kind: "resident-id", excerpt: "110*************2X" },
      ]);
    });

    it("ignores 18-digit numbers whose check character or birth date is wrong", async function () {
      expect(findPersonalData(`编号 ${ID_BAD_CHECK}`)).to.deep.equal([]);
      const r = await run({ description: `序列号 ${ID_BAD_CHECK} 与 ${ID_BAD_DATE}` });
      expect(r.passed, r.reason).to.equal(true);
    });
  });

  describe("mainland mobile numbers (手机号)", function () {
    const numbers = ["13812345678", "+86 138 1234 5678", "+86-139-0000-1111", "8615912345678", "0086 177 0000 2222", "(+86)18600001111"];
    for (const n of numbers) {
      it(`finds ${n}`, async function () {
        const r = await run({ description: `联系电话：${n}。` });
        expect(r.passed).to.equal(false);
        const [f] = findingsOf(r.details);
        expect(f.kind).to.equal("mobile");
        expect(f.field).to.equal("description");
        expect(f.excerpt).to.match(/^1[3-9]\d\*{4}\d{4}$/);
        expect(JSON.stringify(r.details)).not.to.include(n.replace(/\D/g, "").slice(-11));
      });
    }

    it("ignores numbers that are not mobile numbers", async function () {
      expect(findPersonalData("12812345678")).to.deep.equal([]); // 12x is not a mobile prefix
      expect(findPersonalData("1381234567")).to.deep.equal([]); // 10 digits
      expect(findPersonalData("电话 010-6512 3456")).to.deep.equal([]); // landline
    });
  });

  describe("e-mail addresses", function () {
    it("finds an address (also with a full-width ＠) and masks the local part", async function () {
      const r = await run({
        name: "作品",
        licence: { text: "授权咨询：zhang.san@example.com.cn 或 li＠example.org", rights: ["display"] },
      });
      expect(r.passed).to.equal(false);
      expect(findingsOf(r.details)).to.deep.equal([
        { field: "licence.text", kind: "email", excerpt: "z***@example.com.cn" },
        { field: "licence.text", kind: "email", excerpt: "l***@example.org" },
      ]);
    });

    it("reports a mobile number used as a mailbox once, as an e-mail", function () {
      expect(findPersonalData("13812345678@163.com")).to.deep.equal([{ kind: "email", excerpt: "1***@163.com" }]);
    });

    it("ignores handles and text with @ but no domain", function () {
      expect(findPersonalData("@敦煌研究院 @studio_mogao")).to.deep.equal([]);
    });
  });

  describe("bank card numbers (银行卡号)", function () {
    it("finds Luhn-valid numbers with spaces or dashes and shows only the last four digits", async function () {
      expect(luhnValid(CARD)).to.equal(true);
      expect(luhnValid("4111111111111111")).to.equal(true);
      const r = await run({
        attributes: [
          { trait_type: "收款账户", value: "6222 0210 0112 3456 789" },
          { trait_type: "Card", value: "4111-1111-1111-1111" },
        ],
      });
      expect(r.passed).to.equal(false);
      expect(findingsOf(r.details)).to.deep.equal([
        { field: "attributes[0].value", kind: "bank-card", excerpt: "***************6789" },
        { field: "attributes[1].value", kind: "bank-card", excerpt: "************1111" },
      ]);
      expect(JSON.stringify(r.details)).not.to.include(CARD).and.not.to.include("4111111111111111");
    });

    it("ignores numbers that fail Luhn or have the wrong length", function () {
      expect(luhnValid(CARD_BAD)).to.equal(false);
      expect(findPersonalData(`卡号 ${CARD_BAD}`)).to.deep.equal([]);
      expect(findPersonalData("1234567890")).to.deep.equal([]);
      expect(findPersonalData("4111 1111 1111 1111 1111 1111")).to.deep.equal([]); // 24 digits
    });
  });

  it("checks name, description, attribute trait_types and values and the licence text, and lists every finding", async function () {
    const r = await run({
      name: "藏品 13812345678",
      description: `联系 a@b.cn`,
      attributes: [{ trait_type: `证件 ${ID_X}`, value: "x" }],
      licence: { text: `收款卡号 ${CARD}`, rights: ["display"] },
    });
    expect(r.passed).to.equal(false);
    expect(findingsOf(r.details).map((f) => `${f.field}:${f.kind}`)).to.deep.equal([
      "name:mobile",
      "description:email",
      "attributes[0].trait_type:resident-id",
      "licence.text:bank-card",
    ]);
  });
});
