/**
 * The gateway in this process against a real anvil (test/support/anvil.ts): an issuer key with its copyright
 * evidence, a collection and verified holders. Registers no mocha test.
 */
import { expect } from "chai";
import { Wallet, id } from "ethers";
import type { Logger } from "pino";
import type { Anvil, AnvilRegistry } from "../../support/anvil";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup } from "../support/issuer";
import type { MintedChain } from "./jobs";

/** Starts the real gateway on the anvil's chain, in a fresh (or given) data directory. */
export function anvilGateway(anvil: Anvil, fx: AnvilRegistry, opts: { env?: Record<string, string>; dataDir?: string; logger?: Logger; startWorker?: boolean } = {}) {
  return startTestGateway(fx.deployment, { provider: anvil.provider, ...opts, env: { ...fx.gatewayEnv, ...opts.env } });
}

/** An issuer key and a collection of `editionSize` created through the API (mined at once: call with automine on). */
export async function issuerWithCollection(gw: TestGateway, fx: AnvilRegistry, seed: string, editionSize = 300) {
  const { token, form } = await issuerSetup(gw, fx as unknown as Parameters<typeof issuerSetup>[1]);
  const created = await gw.call("POST", "/v1/collections", { token, form: (await form(seed, collectionRequest({ editionSize }))).form });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return { token, collectionId: created.body.collectionId as string };
}

/** `n` fresh wallets verified at level 2, registered by the attestor in one transaction. */
export async function verifiedHolders(fx: AnvilRegistry, n: number, seed: string): Promise<string[]> {
  const wallets = Array.from({ length: n }, () => Wallet.createRandom().address);
  const registrations = wallets.map((wallet, i) => ({
    identityId: id(`identity:${seed}:${i}`),
    wallet,
    level: 2,
    jurisdiction: 156,
    expiresAt: fx.expiresAt,
    evidenceHash: id(`kyc:${seed}:${i}`),
  }));
  await (await fx.contracts.identity.connect(fx.accounts.attestor).batchRegisterIdentities(registrations)).wait();
  return wallets;
}

/** The anvil's chain as {@link expectMintedOnce} reads it back. */
export const anvilChain = (anvil: Anvil, fx: AnvilRegistry): MintedChain => ({
  provider: anvil.provider,
  deployment: fx.deployment,
  issuer: fx.accounts.issuer.address,
  rights: fx.contracts.rights,
});
