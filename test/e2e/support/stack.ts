/**
 * The real stack for the browser tests, on free ports with fresh data: the in-process Hardhat chain with
 * the registry deployed, the gateway (embedded IPFS, SQLite, the event index) on port 0 serving the built
 * console at "/", and one API key per role. Wallets the story registers have no identity yet.
 */
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ensureConsoleBuilt } from "../../../scripts/lib/console-build";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../../server/support/gateway";

export interface ConsoleStack {
  gw: TestGateway;
  url: string;
  keys: { attestor: string; issuer: string; auditor: string; regulator: string };
  wallets: { issuer: string; collectorA: string; collectorB: string };
  /** The chain's clock (other suites travel in time): identity expiries are chosen from it. */
  chainNow: Date;
  close(): Promise<void>;
}

export async function startConsoleStack(env: Record<string, string> = {}): Promise<ConsoleStack> {
  await ensureConsoleBuilt((line) => console.log(`      ${line}`));
  const fx = await loadFixture(gatewayChainFixture);
  const { rights } = fx.contracts;
  const [issuer, collectorA, collectorB] = fx.accounts.rest;
  // Role grants are the deployer's, outside the console: the new issuer gets ISSUER_ROLE on chain.
  await (await rights.connect(fx.accounts.admin).grantRole(await rights.ISSUER_ROLE(), issuer.address)).wait();
  const gw = await startTestGateway(fx.deployment, { env: { ANCHOR_EVERY_ENTRIES: "100000", ANCHOR_EVERY_MINUTES: "600", ...env } });
  const keys = {
    attestor: await gw.key("attestor", { label: "认证机构 · 测试" }),
    issuer: await gw.key("issuer", { wallet: issuer.address, label: "长城文创 · 测试" }),
    auditor: await gw.key("auditor", { label: "审计 · 测试" }),
    regulator: await gw.key("regulator", { label: "监管 · 测试" }),
  };
  return {
    gw,
    url: gw.url,
    keys,
    wallets: { issuer: issuer.address, collectorA: collectorA.address, collectorB: collectorB.address },
    chainNow: new Date(await chainNowMs()),
    close: () => gw.close(),
  };
}
