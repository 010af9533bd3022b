import { expect } from "chai";
import { Transaction, Wallet, id, type TransactionRequest } from "ethers";
import { txOutcome, waitForOutcome, type TrackedTx } from "../../../server/chain/tx-outcome";
import { DEV_KEYS } from "../../../server/config";
import { isNetworkError } from "../../../server/errors";
import { deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../../support/anvil";

/**
 * What the chain says about a transaction we signed, on a real anvil whose blocks the test mines: a receipt
 * decides (mined or reverted); a transaction the node holds is pending; one it lost, its nonce unused, is
 * broadcast again and stays pending; only one whose nonce another transaction took is dropped. Nothing is
 * ever concluded from a timeout.
 */
describe("chain: txOutcome asks the chain, never guesses", function () {
  this.timeout(120_000);
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let wallet: Wallet;

  /** Signs (does not send) a transaction of the operator key with the next unused nonce, unless given. */
  const sign = async (request: TransactionRequest): Promise<TrackedTx> => {
    const populated = await wallet.populateTransaction({ nonce: await anvil.provider.getTransactionCount(wallet.address, "pending"), ...request });
    const raw = await wallet.signTransaction(populated);
    const tx = Transaction.from(raw);
    return { hash: tx.hash!, signer: wallet.address, nonce: tx.nonce, raw };
  };
  const send = async (request: TransactionRequest = { to: wallet.address, value: 1 }) => {
    const tx = await sign(request);
    await anvil.provider.broadcastTransaction(tx.raw);
    return tx;
  };

  before(async () => {
    anvil = await startAnvil();
    fx = await deployToAnvil(anvil);
    wallet = new Wallet(DEV_KEYS.operator, anvil.provider);
  });
  beforeEach(async () => anvil.holdBlocks());
  after(async () => anvil?.close());

  it("pending while the node holds it, mined once its block is", async () => {
    const tx = await send();
    expect(await txOutcome(anvil.provider, tx)).to.deep.equal({ state: "pending", reason: "the transaction is waiting to be mined" });
    await anvil.mine();
    const outcome = await txOutcome(anvil.provider, tx);
    expect(outcome.state).to.equal("mined");
    expect("receipt" in outcome && outcome.receipt.hash).to.equal(tx.hash);
  });

  it("reverted when mined with a failed status (its receipt says so)", async () => {
    // The attestor's call from the operator's key, with a gas limit of its own so that no estimation refuses it first.
    const data = fx.contracts.identity.interface.encodeFunctionData("registerIdentity", [id("nope"), Wallet.createRandom().address, 2, 156, 2n ** 40n, id("kyc")]);
    const tx = await send({ to: fx.deployment.contracts.identityRegistry.address, data, gasLimit: 300_000 });
    await anvil.mine();
    const outcome = await txOutcome(anvil.provider, tx);
    expect(outcome.state).to.equal("reverted");
    expect("receipt" in outcome && outcome.receipt.status).to.equal(0);
  });

  it("a transaction the node lost, its nonce unused, is broadcast again (the same bytes) and stays pending", async () => {
    const tx = await send();
    expect(await anvil.rpc("anvil_dropTransaction", [tx.hash])).to.equal(tx.hash);
    expect(await anvil.provider.getTransaction(tx.hash)).to.equal(null);
    expect(await txOutcome(anvil.provider, tx)).to.deep.equal({ state: "pending", reason: "the node did not hold the transaction; it was broadcast again" });
    expect(await anvil.provider.getTransaction(tx.hash)).to.not.equal(null);
    await anvil.mine();
    expect((await txOutcome(anvil.provider, tx)).state).to.equal("mined");
  });

  it("dropped only when another transaction took its nonce", async () => {
    const tx = await sign({ to: wallet.address, value: 1 });
    const other = await send({ to: wallet.address, value: 2, nonce: tx.nonce });
    await anvil.mine();
    expect((await txOutcome(anvil.provider, other)).state).to.equal("mined");
    expect(await txOutcome(anvil.provider, tx)).to.deep.equal({ state: "dropped", reason: `nonce ${tx.nonce} of ${wallet.address} was used by another transaction` });
  });

  it("a node that cannot be reached: txOutcome throws (the caller cannot tell), waitForOutcome says pending with that reason", async () => {
    const tx = await send();
    await anvil.stop();
    try {
      const e = await txOutcome(anvil.provider, tx).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isNetworkError(e)).to.equal(true);
      expect(await waitForOutcome(anvil.provider, tx, 300)).to.deep.equal({ state: "pending", reason: "the blockchain node cannot be reached; the outcome will be looked up again" });
    } finally {
      await anvil.start();
    }
    // anvil may or may not have kept its pool: either way the transaction is pending, never failed.
    expect((await txOutcome(anvil.provider, tx)).state).to.equal("pending");
    await anvil.mine();
    expect((await txOutcome(anvil.provider, tx)).state).to.equal("mined");
  });

  it("waitForOutcome: a time limit ends in pending (never failed); a block within it ends in the chain's answer", async () => {
    const tx = await send();
    expect(await waitForOutcome(anvil.provider, tx, 300)).to.deep.equal({ state: "pending", reason: "the transaction is waiting to be mined" });
    const waiting = waitForOutcome(anvil.provider, tx, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    await anvil.mine();
    expect((await waiting).state).to.equal("mined");
  });
});
