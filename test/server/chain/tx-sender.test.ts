import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transaction, Wallet, id } from "ethers";
import { ALL_ERRORS } from "../../../server/chain/chain";
import { txOutcome } from "../../../server/chain/tx-outcome";
import { TxSender, type TxJournal } from "../../../server/chain/tx-sender";
import { DEV_KEYS } from "../../../server/config";
import { ChainRevertError, decodeChainError, isNetworkError } from "../../../server/errors";
import { openStore } from "../../../server/store";
import type { Store } from "../../../server/store/store";
import { deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../../support/anvil";

/**
 * TxSender on a real anvil, with its journal in a real SQLite store (as the gateway wires it): the signed
 * transaction is recorded before the node sees it; nonces are handed out in order without waiting for
 * receipts; a revert at estimation records and spends nothing; a nonce taken behind the sender's back is
 * recovered from once; a node that dies during the broadcast leaves a recorded transaction to be watched.
 */
describe("chain: TxSender records before it broadcasts, and manages nonces", function () {
  this.timeout(120_000);
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let store: Store;
  let dir: string;
  /** For each record: whether the node already held the transaction when it was recorded. */
  const onNodeWhenRecorded: boolean[] = [];
  let beforeBroadcast: (() => Promise<void>) | undefined;
  let sender: TxSender;
  const operator = () => new Wallet(DEV_KEYS.operator, anvil.provider);

  /** An EvidenceRegistry.record call by the operator (EVIDENCE_WRITER_ROLE), unique per label. */
  const record = (label: string) => ({
    to: fx.deployment.contracts.evidenceRegistry.address,
    data: fx.contracts.evidence.interface.encodeFunctionData("record", [id(`tx-sender:${label}`), id(`hash:${label}`), "{}"]),
  });
  const nonceNow = () => anvil.provider.getTransactionCount(operator().address, "pending");

  before(async () => {
    anvil = await startAnvil();
    fx = await deployToAnvil(anvil);
    dir = mkdtempSync(join(tmpdir(), "tx-sender-"));
    store = await openStore({ DATA_DIR: dir });
    const journal: TxJournal = {
      async record(tx) {
        onNodeWhenRecorded.push((await anvil.provider.getTransaction(tx.hash)) !== null);
        const at = new Date().toISOString();
        await store.txs.add({ ...tx, state: "sent", blockNumber: null, createdAt: at, updatedAt: at });
        await beforeBroadcast?.();
      },
      async dropped(hash) {
        await store.txs.setState(hash, "dropped", null, new Date().toISOString());
      },
    };
    sender = new TxSender(operator(), anvil.provider, journal);
  });
  beforeEach(async () => {
    onNodeWhenRecorded.length = 0;
    beforeBroadcast = undefined;
    await anvil.holdBlocks();
  });
  after(async () => {
    await store?.close();
    await anvil?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records the signed transaction (hash, nonce, raw bytes) before the node sees it", async () => {
    const sent = await sender.send(record("first"), "test:first");
    expect(onNodeWhenRecorded).to.deep.equal([false]);
    const stored = await store.txs.get(sent.hash);
    expect(stored).to.include({ hash: sent.hash, signer: operator().address, nonce: sent.nonce, raw: sent.raw, purpose: "test:first", state: "sent" });
    expect(Transaction.from(stored!.raw).hash).to.equal(sent.hash);
    expect(await anvil.provider.getTransaction(sent.hash)).to.not.equal(null);
    await anvil.mine();
    expect((await anvil.provider.getTransactionReceipt(sent.hash))!.status).to.equal(1);
  });

  it("hands out consecutive nonces to concurrent sends without waiting for receipts: all wait in the pool together", async () => {
    const first = await nonceNow();
    const sent = await Promise.all([0, 1, 2, 3, 4].map((i) => sender.send(record(`pipelined-${i}`), `test:pipelined-${i}`)));
    expect(sent.map((s) => s.nonce)).to.deep.equal([0, 1, 2, 3, 4].map((i) => first + i));
    for (const s of sent) expect(await anvil.provider.getTransaction(s.hash)).to.not.equal(null);
    await anvil.mine();
    const blocks = await Promise.all(sent.map(async (s) => (await anvil.provider.getTransactionReceipt(s.hash))!.blockNumber));
    expect(new Set(blocks).size).to.equal(1);
  });

  it("a revert at estimation sends nothing, records nothing and spends no nonce", async () => {
    const before = await nonceNow();
    const registerIdentity = {
      to: fx.deployment.contracts.identityRegistry.address,
      data: fx.contracts.identity.interface.encodeFunctionData("registerIdentity", [id("x"), Wallet.createRandom().address, 2, 156, 2n ** 40n, id("kyc")]),
    };
    const e = await sender.send(registerIdentity, "test:refused").then(
      () => undefined,
      (err: unknown) => err,
    );
    const err = decodeChainError(e, ALL_ERRORS);
    expect(err).to.be.instanceOf(ChainRevertError);
    expect((err as ChainRevertError).errorName).to.equal("AccessControlUnauthorizedAccount");
    expect((err as ChainRevertError).args).to.deep.equal({ account: operator().address, neededRole: await fx.contracts.identity.ATTESTOR_ROLE() });
    expect(await store.txs.byPurpose("test:refused")).to.deep.equal([]);
    const next = await sender.send(record("after-refusal"), "test:after-refusal");
    expect(next.nonce).to.equal(before);
    await anvil.mine();
  });

  for (const how of ["mined", "pending"] as const) {
    it(`a nonce taken behind its back by a ${how} transaction of the same key: the refused one is recorded dropped, and it is sent again once with the next nonce`, async () => {
      await sender.send(record(`warm-${how}`), `test:warm-${how}`);
      const taken = await nonceNow();
      // Another process with the same key (the sender's cached nonce is now stale).
      const other = await operator().sendTransaction({ to: operator().address, value: 0, nonce: taken });
      if (how === "mined") await anvil.mine();
      const sent = await sender.send(record(`behind-${how}`), `test:behind-${how}`);
      const recorded = await store.txs.byPurpose(`test:behind-${how}`);
      expect(recorded.map((t) => [t.nonce, t.state])).to.deep.equal([
        [taken, "dropped"],
        [taken + 1, "sent"],
      ]);
      expect(sent).to.include({ hash: recorded[1].hash, nonce: taken + 1 });
      await anvil.mine();
      expect((await anvil.provider.getTransactionReceipt(other.hash))!.status).to.equal(1);
      expect((await anvil.provider.getTransactionReceipt(sent.hash))!.status).to.equal(1);
    });
  }

  it("a node that dies between recording and broadcasting: the recorded transaction is returned, and broadcast again when the node is back", async () => {
    beforeBroadcast = async () => {
      beforeBroadcast = undefined;
      await anvil.stop();
    };
    const sent = await sender.send(record("node-dies"), "test:node-dies");
    expect((await store.txs.get(sent.hash))!.state).to.equal("sent");
    const e = await txOutcome(anvil.provider, sent).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isNetworkError(e)).to.equal(true);
    await anvil.start();
    expect(await anvil.provider.getTransaction(sent.hash)).to.equal(null);
    expect(await txOutcome(anvil.provider, sent)).to.deep.equal({ state: "pending", reason: "the node did not hold the transaction; it was broadcast again" });
    await anvil.mine();
    const outcome = await txOutcome(anvil.provider, sent);
    expect(outcome.state).to.equal("mined");
    // The sender goes on with the next nonce.
    const next = await sender.send(record("after-restart"), "test:after-restart");
    expect(next.nonce).to.equal(sent.nonce + 1);
    await anvil.mine();
  });

  it("estimation against a node that cannot be reached records nothing", async () => {
    await anvil.stop();
    try {
      const e = await sender.send(record("node-down"), "test:node-down").then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(decodeChainError(e, ALL_ERRORS).code).to.equal("CHAIN_UNAVAILABLE");
      expect(await store.txs.byPurpose("test:node-down")).to.deep.equal([]);
    } finally {
      await anvil.start();
    }
  });
});
