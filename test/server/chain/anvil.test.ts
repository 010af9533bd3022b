import { expect } from "chai";
import { Chain } from "../../../server/chain/chain";
import { AppError } from "../../../server/errors";
import { rejection } from "../../support/rejects";
import { chainNowMs, deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../../support/anvil";

/**
 * The gateway's chain adapter on a real anvil process (test/support/anvil.ts): the registry deployed by the
 * scripts' builder with the fixture's roles, slow blocks, a restart from the saved state, and an empty chain.
 */
describe("chain: the registry on a real anvil", function () {
  this.timeout(120_000);
  let anvil: Anvil;
  let fx: AnvilRegistry;

  before(async () => {
    anvil = await startAnvil({ blockTime: 2, gasLimit: 20_000_000 });
    fx = await deployToAnvil(anvil);
  });
  after(async () => anvil?.close());

  it("deploys with the fixture's roles and identities, and the gateway's Chain can serve it", async () => {
    const { rights, identity, evidence } = fx.contracts;
    expect(await rights.hasRole(await rights.OPERATOR_ROLE(), fx.accounts.operator.address)).to.equal(true);
    expect(await rights.hasRole(await rights.COMPLIANCE_SIGNER_ROLE(), "0x" + "0".repeat(40))).to.equal(false);
    expect(await evidence.hasRole(await evidence.ANCHOR_ROLE(), fx.accounts.anchorer.address)).to.equal(true);
    expect(await identity.isVerified(fx.accounts.issuer.address, 4)).to.equal(true);
    expect(await identity.isVerified(fx.accounts.alice.address, 2)).to.equal(true);
    const chain = new Chain({ deployment: fx.deployment, provider: anvil.provider, keys: {} });
    const { chainId, head } = await chain.ping();
    expect(chainId).to.equal(31337);
    expect(head).to.be.greaterThanOrEqual(fx.deployment.deployBlock);
  });

  it("mines on the block time and gas limit asked for, and the chain's clock is its latest block", async () => {
    const first = await anvil.provider.getBlockNumber();
    let next = first;
    while (next < first + 2) {
      await new Promise((r) => setTimeout(r, 300));
      next = await anvil.provider.getBlockNumber();
    }
    const [a, b] = await Promise.all([anvil.provider.getBlock(first + 1), anvil.provider.getBlock(first + 2)]);
    expect(b!.timestamp - a!.timestamp).to.equal(2);
    expect(b!.gasLimit).to.equal(20_000_000n);
    const latest = await anvil.provider.getBlock("latest");
    expect(await chainNowMs(anvil.provider)).to.be.greaterThanOrEqual(latest!.timestamp * 1000);
  });

  it("a stopped node answers nothing; started again it has kept the registry and the block time", async () => {
    const before = await anvil.provider.getBlockNumber();
    await anvil.stop();
    const chain = new Chain({ deployment: fx.deployment, provider: anvil.provider, keys: {} });
    await rejection(chain.ping(), AppError, "CHAIN_UNAVAILABLE");
    await anvil.start();
    expect(await anvil.provider.getBlockNumber()).to.be.greaterThanOrEqual(before);
    await chain.ping();
    expect(await fx.contracts.identity.isVerified(fx.accounts.issuer.address, 4)).to.equal(true);
    expect(await anvil.rpc("anvil_getAutomine")).to.equal(false);
    expect(anvil.blockTime).to.equal(2);
  });

  it("an empty chain at the same addresses is not healthy: CHAIN_CONTRACTS_MISSING names the contracts", async () => {
    const empty = await startAnvil();
    try {
      const chain = new Chain({ deployment: fx.deployment, provider: empty.provider, keys: {} });
      const err = await rejection(chain.ping(), AppError, "CHAIN_CONTRACTS_MISSING");
      expect(err.params).to.deep.equal({ missing: "identity, rights, evidence" });
    } finally {
      await empty.close();
    }
  });
});
