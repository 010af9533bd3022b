import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { recipientAdmission, type RecipientFailure } from "../../../../server/compliance/rules/recipient-admission";
import type { ComplianceInput } from "../../../../server/compliance/types";
import { CHINA, LEVEL, code } from "../../../contracts/fixtures";
import { collectionInput, defaultPolicy, loadRegistry, realContext } from "../helpers";

describe("server/compliance/rules/recipient-admission, on the Hardhat chain", function () {
  const policy = defaultPolicy();
  const failuresOf = (details: unknown) => (details as { failures: RecipientFailure[] }).failures;

  async function check(f: Awaited<ReturnType<typeof loadRegistry>>, recipients: string[], minLevel?: number) {
    const input: ComplianceInput = { ...collectionInput(f.accounts.issuer.address), recipients, minLevel };
    return recipientAdmission.check(input, await realContext(f.chain), policy);
  }

  it("applies to mints only", function () {
    expect(recipientAdmission.appliesTo).to.deep.equal(["mint"]);
  });

  it("passes when every recipient is verified at the collection's level", async function () {
    const f = await loadRegistry();
    const { alice, bob, dave } = f.accounts;
    const r = await check(f, [alice.address, bob.address, dave.address], LEVEL.REAL_NAME);
    expect(r.rule).to.equal("recipient-admission");
    expect(r.passed, r.reason).to.equal(true);
    expect(r.details).to.deep.equal({ minLevel: 2, recipients: 3, failures: [] });
  });

  it("uses the request's transferPolicy.minLevel when no minLevel is given", async function () {
    const f = await loadRegistry();
    const r = await check(f, [f.accounts.alice.address]);
    expect(r.passed, r.reason).to.equal(true);
    expect(r.details).to.have.property("minLevel", 2);
  });

  it("lists each failing address with its reason", async function () {
    const f = await loadRegistry();
    const { alice, bob, carol, dave, outsider, regulator, attestor, rest } = f.accounts;
    await (await f.contracts.identity.connect(regulator).suspendIdentity(f.ids.carol, code("fraud-report"))).wait();
    await (await f.contracts.identity.connect(regulator).revokeIdentity(f.ids.bob, code("deceased"))).wait();
    const shortLived = rest[0];
    await (
      await f.contracts.identity
        .connect(attestor)
        .registerIdentity(ethers.id("identity:short"), shortLived.address, LEVEL.ENTERPRISE, CHINA, (await time.latest()) + 100, ethers.id("kyc:short"))
    ).wait();
    await time.increase(200);

    const r = await check(f, [alice.address, bob.address, carol.address, dave.address, outsider.address, shortLived.address, "0xnot-an-address"], LEVEL.ENTERPRISE);
    expect(r.passed).to.equal(false);
    expect(failuresOf(r.details).map((x) => [x.address, x.reason])).to.deep.equal([
      [alice.address, "level too low"],
      [bob.address, "revoked"],
      [carol.address, "suspended"],
      [outsider.address, "no identity"],
      [shortLived.address, "expired"],
      ["0xnot-an-address", "invalid address"],
    ]);
    expect(failuresOf(r.details)[0]).to.include({ level: 2, requiredLevel: 3 });
    // The first five failures are named in the reasons, the sixth is counted; all six are in the details.
    expect(r.reasons).to.deep.equal([
      { code: "RECIPIENTS_NOT_VERIFIED", params: { failed: 6, total: 7, level: 3 } },
      { code: "RECIPIENT_LEVEL_TOO_LOW", params: { address: alice.address, level: 2, required: 3 } },
      { code: "RECIPIENT_REVOKED", params: { address: bob.address } },
      { code: "RECIPIENT_SUSPENDED", params: { address: carol.address } },
      { code: "RECIPIENT_NO_IDENTITY", params: { address: outsider.address } },
      { code: "RECIPIENT_EXPIRED", params: { address: shortLived.address } },
      { code: "RECIPIENTS_MORE", params: { count: 1 } },
    ]);
    expect(r.reason).to.match(/^6 of 7 recipient\(s\) not verified at level 3 \(real-name enterprise\); /);
    expect(r.reason).to.include(`${bob.address}: identity revoked`).and.to.match(/; and 1 more$/);
  });

  it("reports an identity expired by block time as expired even when the server clock is behind", async function () {
    const f = await loadRegistry();
    const [late] = f.accounts.rest;
    // The registration's own block time is pinned: a fixture restored long after it was taken would
    // otherwise mine it at the wall clock, past an expiry computed from the snapshot's latest block.
    const registeredAt = (await time.latest()) + 1;
    await time.setNextBlockTimestamp(registeredAt);
    const expiresAt = registeredAt + 100;
    await (
      await f.contracts.identity
        .connect(f.accounts.attestor)
        .registerIdentity(ethers.id("identity:late"), late.address, LEVEL.REAL_NAME, CHINA, expiresAt, ethers.id("kyc:late"))
    ).wait();
    await time.increase(200);
    const ctx = { ...(await realContext(f.chain)), now: () => new Date((expiresAt - 50) * 1000) };
    const r = await recipientAdmission.check({ ...collectionInput(f.accounts.issuer.address), recipients: [late.address], minLevel: 2 }, ctx, policy);
    expect(failuresOf(r.details)).to.deep.equal([
      { address: late.address, reason: "expired", requiredLevel: 2, level: 2, expiresAt: new Date(expiresAt * 1000).toISOString() },
    ]);
  });

  it("checks each distinct address once, whatever its case", async function () {
    const f = await loadRegistry();
    const { outsider } = f.accounts;
    const r = await check(f, [outsider.address, outsider.address.toLowerCase(), f.accounts.alice.address], 2);
    expect(r.details).to.have.property("recipients", 2);
    expect(failuresOf(r.details)).to.have.length(1);
  });

  it("fails with no recipients or without a valid minimum level", async function () {
    const f = await loadRegistry();
    const none = await check(f, [], 2);
    expect(none.passed).to.equal(false);
    expect(none.reason).to.equal("no recipients");
    const input = { ...collectionInput(f.accounts.issuer.address), recipients: [f.accounts.alice.address], minLevel: 1.5 };
    const bad = await recipientAdmission.check(input, await realContext(f.chain), policy);
    expect(bad.passed).to.equal(false);
    expect(bad.reason).to.include("minimum level");
  });
});
