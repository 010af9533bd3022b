import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { chainNowMs as anvilNowMs, deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../support/anvil";
import { anvilGateway } from "../server/mint/anvil-gateway";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../server/support/gateway";
import { SCENARIOS, type ScenarioChain } from "../server/support/scenarios";

/**
 * The gateway's integration scenarios (test/server/support/scenarios.ts) on two EVM implementations: the
 * in-process Hardhat chain and anvil (a separate process from npm, mining a block every second, so that
 * every write waits for a real block). The same scenario code runs on both; only the chain differs.
 */
describe("integration: the gateway's scenarios on Hardhat and on anvil", function () {
  this.timeout(180_000);

  describe("on Hardhat (in process)", function () {
    let gw: TestGateway | undefined;
    afterEach(async () => {
      await gw?.close();
      gw = undefined;
    });
    for (const [title, scenario] of Object.entries(SCENARIOS)) {
      it(title, async () => {
        const fx = await loadFixture(gatewayChainFixture);
        gw = await startTestGateway(fx.deployment);
        await scenario({
          gw,
          fx,
          provider: ethers.provider as unknown as Provider,
          deployment: fx.deployment,
          contracts: fx.contracts,
          issuer: fx.accounts.issuer.address,
          nowMs: chainNowMs,
        });
      });
    }
  });

  describe("on anvil (1 s blocks)", function () {
    let anvil: Anvil;
    let fx: AnvilRegistry;
    let chain: ScenarioChain;
    before(async () => {
      anvil = await startAnvil({ blockTime: 1 });
      fx = await deployToAnvil(anvil);
      // One gateway for every scenario: they share the chain and the store as a pilot's scenarios would.
      const gw = await anvilGateway(anvil, fx);
      chain = {
        gw,
        fx: fx as unknown as ScenarioChain["fx"],
        provider: anvil.provider,
        deployment: fx.deployment,
        contracts: fx.contracts,
        issuer: fx.accounts.issuer.address,
        nowMs: () => anvilNowMs(anvil.provider),
      };
    });
    after(async () => {
      await chain?.gw.close();
      await anvil?.close();
    });
    for (const [title, scenario] of Object.entries(SCENARIOS)) it(title, () => scenario(chain));
  });
});
