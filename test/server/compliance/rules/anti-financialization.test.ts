import { expect } from "chai";
import {
  antiFinancialization,
  findCurrency,
  type FinancializationFailure,
} from "../../../../server/compliance/rules/anti-financialization";
import type { CollectionRequest } from "../../../../shared/api";
import { collectionInput, defaultPolicy, offlineContext, policyWith, validRequest } from "../helpers";

const WALLET = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("server/compliance/rules/anti-financialization (防金融化)", function () {
  const policy = defaultPolicy();
  const runRequest = (request: CollectionRequest, p = policy) =>
    antiFinancialization.check(collectionInput(WALLET, { request }), offlineContext(), p);
  const run = (patch: Partial<CollectionRequest>, p = policy) => runRequest(validRequest(patch), p);
  const failuresOf = (details: unknown) => (details as { failures: FinancializationFailure[] }).failures;
  const codesOf = (details: unknown) => failuresOf(details).map((f) => f.code);

  it("applies to collections and metadata changes", function () {
    expect(antiFinancialization.appliesTo).to.deep.equal(["collection", "metadata"]);
  });

  it("passes a collection within the caps whose metadata has no price", async function () {
    const r = await run({});
    expect(r.rule).to.equal("anti-financialization");
    expect(r.passed, r.reason).to.equal(true);
    expect(failuresOf(r.details)).to.deep.equal([]);
  });

  describe("edition cap and transfer policy", function () {
    it("accepts exactly the cap and refuses one more", async function () {
      expect((await run({ editionSize: 10_000 })).passed).to.equal(true);
      const r = await run({ editionSize: 10_001 });
      expect(r.passed).to.equal(false);
      expect(codesOf(r.details)).to.deep.equal(["EDITION_CAP"]);
      expect(r.reason).to.include("editionSize 10001 is above the cap of 10000");
    });

    it("refuses a mode outside the allow-list (the policy may narrow it, and no free-trading mode exists)", async function () {
      const lockedOnly = policyWith((p) => {
        p.transfer.allowedModes = ["Locked"];
      });
      const gift = await run({ transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 } }, lockedOnly);
      expect(codesOf(gift.details)).to.deep.equal(["TRANSFER_MODE"]);
      const locked = await run({ transferPolicy: { mode: "Locked", holdingPeriodDays: 180, minLevel: 2 } }, lockedOnly);
      expect(locked.passed, locked.reason).to.equal(true);

      const freeTrading = validRequest();
      (freeTrading.transferPolicy as { mode: string }).mode = "FreeTrading";
      const r = await runRequest(freeTrading);
      expect(r.passed).to.equal(false);
      expect(codesOf(r.details)).to.deep.equal(["TRANSFER_MODE"]);
      expect(r.reason).to.include("FreeTrading is not allowed");
    });

    it("refuses a holding period below the minimum (180 days) and a holder level below 2", async function () {
      const r = await run({ transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 30, minLevel: 1 } });
      expect(r.passed).to.equal(false);
      expect(codesOf(r.details)).to.deep.equal(["HOLDING_PERIOD", "MIN_LEVEL"]);
      expect(r.reason).to.include("holding period 30 days is below the minimum of 180");
      expect((await run({ transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 } })).passed).to.equal(true);
    });
  });

  describe("price and currency data in the metadata", function () {
    const badTraitTypes = ["price", "Price", "listPrice", "p-r-i-c-e", "ＰＲＩＣＥ", "价格", "售 价", "币种", "Currency", "USD", "发行价格"];
    for (const traitType of badTraitTypes) {
      it(`refuses the attribute trait_type "${traitType}"`, async function () {
        const r = await run({ attributes: [{ trait_type: traitType, value: "见官网" }] });
        expect(r.passed).to.equal(false);
        const [f] = failuresOf(r.details);
        expect(f.code).to.equal("FORBIDDEN_KEY");
        expect(f.field).to.equal("attributes[0].trait_type");
      });
    }

    it("refuses forbidden words in attribute values", async function () {
      const r = await run({ attributes: [{ trait_type: "备注", value: "售价另议" }, { trait_type: "Pay with", value: "ETH" }] });
      expect(failuresOf(r.details).map((f) => [f.field, f.term])).to.deep.equal([
        ["attributes[0].value", "售价"],
        ["attributes[1].value", "eth"],
      ]);
    });

    it("refuses a price key smuggled into the request object", async function () {
      const req = { ...validRequest(), price: 99, royalty: { receiver: "0x0000000000000000000000000000000000000000", bps: 0, currency: "CNY" } };
      const r = await runRequest(req as unknown as CollectionRequest);
      expect(r.passed).to.equal(false);
      expect(failuresOf(r.details).filter((f) => f.code === "FORBIDDEN_KEY").map((f) => f.field)).to.have.members([
        "price",
        "royalty.currency",
      ]);
    });

    const amounts: Array<[string, string]> = [
      ["¥100", "¥100"],
      ["￥１００", "¥100"],
      ["100 元", "100 元"],
      ["首发 99元 包邮", "99元"],
      ["一百元", "一百元"],
      ["$5", "$5"],
      ["100 USDT", "100 USDT"],
      ["RMB 100", "RMB 100"],
      ["0.05 ETH", "0.05 ETH"],
      ["1,000 美元", "1,000 美元"],
    ];
    for (const [value, match] of amounts) {
      it(`refuses the amount "${value}" in an attribute value`, async function () {
        const r = await run({ attributes: [{ trait_type: "备注", value }] });
        expect(r.passed).to.equal(false);
        expect(failuresOf(r.details)).to.deep.include({
          code: "CURRENCY",
          field: "attributes[0].value",
          match,
          message: `attributes[0].value holds an amount of money ("${match}")`,
        });
      });
    }

    it("refuses an amount in the description too", async function () {
      const r = await run({ description: "限量发行，每份仅售 ¥ 99！" });
      expect(codesOf(r.details)).to.deep.equal(["CURRENCY"]);
      expect(failuresOf(r.details)[0].field).to.equal("description");
    });

    it("does not flag ordinary words and numbers", async function () {
      for (const text of ["2026元旦纪念", "元宇宙系列 第3季", "多元化 2 种风格", "3块石头", "Ethereal Cat", "Priceless", "Costume 2", "限量 1000 份", "Amountain"]) {
        expect(findCurrency(text), text).to.equal(undefined);
      }
      const r = await run({
        name: "元宇宙 · 2026元旦纪念",
        attributes: [
          { trait_type: "Mood", value: "Ethereal" },
          { trait_type: "Costume", value: "Priceless silk" },
          { trait_type: "数量", value: 3 },
        ],
      });
      expect(r.passed, r.reason).to.equal(true);
    });
  });

  it("lists every failure at once", async function () {
    const r = await run({
      editionSize: 50_000,
      transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 0, minLevel: 1 },
      attributes: [{ trait_type: "价格", value: "¥9.9" }],
    });
    expect(codesOf(r.details)).to.deep.equal(["EDITION_CAP", "HOLDING_PERIOD", "MIN_LEVEL", "FORBIDDEN_KEY", "CURRENCY"]);
  });
});
