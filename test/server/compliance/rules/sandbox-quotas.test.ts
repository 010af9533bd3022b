import { expect } from "chai";
import { sandboxQuotas, startOfDay } from "../../../../server/compliance/rules/sandbox-quotas";
import { collectionInput, defaultPolicy, memoryIssuance, offlineContext, policyWith, validRequest } from "../helpers";

const WALLET = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const OTHER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

describe("server/compliance/rules/sandbox-quotas (监管沙盒)", function () {
  // 2026-11-02 12:00 in Beijing.
  const NOW = new Date("2026-11-02T04:00:00Z");
  const BEIJING_MIDNIGHT = new Date("2026-11-01T16:00:00Z");
  const policy = policyWith((p) => {
    p.quotas.perIssuerDaily = { collections: 2, editions: 3_000 };
    p.quotas.perIssuerTotal = { collections: 5, editions: 10_000 };
  });
  const input = (editionSize = 1_000) => collectionInput(WALLET, { request: validRequest({ editionSize }) });
  const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

  it("applies to collections only", function () {
    expect(sandboxQuotas.appliesTo).to.deep.equal(["collection"]);
  });

  it("computes the day in Beijing time by default", function () {
    expect(startOfDay(NOW, 480).toISOString()).to.equal(BEIJING_MIDNIGHT.toISOString());
    // 2026-11-01T17:00Z is already 2 November 01:00 in Beijing.
    expect(startOfDay(new Date("2026-11-01T17:00:00Z"), 480).toISOString()).to.equal(BEIJING_MIDNIGHT.toISOString());
    expect(startOfDay(new Date("2026-11-01T15:59:59Z"), 480).toISOString()).to.equal("2026-10-31T16:00:00.000Z");
    expect(startOfDay(NOW, 0).toISOString()).to.equal("2026-11-02T00:00:00.000Z");
  });

  it("passes within the caps and asks the store for today (Beijing) and all time", async function () {
    const store = memoryIssuance([
      { wallet: WALLET, at: hoursAgo(2), editions: 1_000 },
      { wallet: WALLET, at: hoursAgo(48), editions: 2_000 },
      { wallet: OTHER, at: hoursAgo(1), editions: 5_000 },
    ]);
    const r = await sandboxQuotas.check(input(1_000), offlineContext(NOW, store.issuance), policy);
    expect(r.rule).to.equal("sandbox-quotas");
    expect(r.passed, r.reason).to.equal(true);
    expect(store.queries.map((q) => q.since.toISOString())).to.have.members([BEIJING_MIDNIGHT.toISOString(), new Date(0).toISOString()]);
    expect(store.queries.every((q) => q.wallet === WALLET)).to.equal(true);
    expect(r.details).to.deep.include({
      daily: { collections: { used: 1, requested: 1, limit: 2 }, editions: { used: 1_000, requested: 1_000, limit: 3_000 } },
      total: { collections: { used: 2, requested: 1, limit: 5 }, editions: { used: 3_000, requested: 1_000, limit: 10_000 } },
    });
  });

  it("refuses a third collection the same day, but not one counted yesterday (Beijing)", async function () {
    const today = memoryIssuance([
      { wallet: WALLET, at: hoursAgo(1), editions: 10 },
      { wallet: WALLET, at: hoursAgo(11), editions: 10 }, // 01:00 Beijing today
    ]);
    const r = await sandboxQuotas.check(input(10), offlineContext(NOW, today.issuance), policy);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal("daily collections quota exceeded: 2 used + 1 requested > 2");

    const yesterday = memoryIssuance([
      { wallet: WALLET, at: hoursAgo(1), editions: 10 },
      { wallet: WALLET, at: hoursAgo(13), editions: 10 }, // 23:00 Beijing yesterday (15:00Z today)
    ]);
    const ok = await sandboxQuotas.check(input(10), offlineContext(NOW, yesterday.issuance), policy);
    expect(ok.passed, ok.reason).to.equal(true);
  });

  it("refuses when this collection's editions would exceed the daily editions cap", async function () {
    const store = memoryIssuance([{ wallet: WALLET, at: hoursAgo(1), editions: 2_500 }]);
    const r = await sandboxQuotas.check(input(501), offlineContext(NOW, store.issuance), policy);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal("daily editions quota exceeded: 2500 used + 501 requested > 3000");
    const ok = await sandboxQuotas.check(input(500), offlineContext(NOW, store.issuance), policy);
    expect(ok.passed, ok.reason).to.equal(true);
  });

  it("refuses when the total caps are reached, listing each exceeded quota", async function () {
    const store = memoryIssuance(
      Array.from({ length: 5 }, (_, i) => ({ wallet: WALLET, at: hoursAgo(24 * (i + 2)), editions: 1_900 })),
    );
    const r = await sandboxQuotas.check(input(1_000), offlineContext(NOW, store.issuance), policy);
    expect(r.passed).to.equal(false);
    expect(r.reason).to.equal(
      "total collections quota exceeded: 5 used + 1 requested > 5; total editions quota exceeded: 9500 used + 1000 requested > 10000",
    );
  });
});
