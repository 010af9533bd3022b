import { expect } from "chai";
import { deployToAnvil, startAnvil, type Anvil, type AnvilRegistry } from "../../support/anvil";
import type { TestGateway } from "../support/gateway";
import { issuerSetup } from "../support/issuer";
import { anvilGateway } from "../mint/anvil-gateway";

type Reply = { status: number; body: any };

/**
 * Issue 14, finding 2: a chain write whose receipt is slow is never reported as a failure. On a real anvil
 * whose blocks are held back (TX_TIMEOUT_SECONDS 1), every write answers 202 with an operation to poll; a
 * retry with the same Idempotency-Key returns that operation, and once mined, the same result; the sandbox
 * log records the write as pending, then its outcome. A chain that dies meanwhile leaves it pending.
 */
describe("operations: slow receipts answered truthfully (anvil)", function () {
  this.timeout(180_000);
  let anvil: Anvil;
  let fx: AnvilRegistry;
  let gw: TestGateway;
  let issuer: Awaited<ReturnType<typeof issuerSetup>>;
  const replies: Reply[] = [];
  const call = async (...args: Parameters<TestGateway["call"]>) => {
    const r = await gw.call(...args);
    replies.push(r);
    return r;
  };

  before(async () => {
    anvil = await startAnvil();
    fx = await deployToAnvil(anvil);
    gw = await anvilGateway(anvil, fx, { env: { TX_TIMEOUT_SECONDS: "1" } });
    issuer = await issuerSetup(gw, fx as unknown as Parameters<typeof issuerSetup>[1]);
  });
  afterEach(async () => anvil.setBlockTime(0));
  after(async () => {
    await gw?.close();
    await anvil?.close();
    // Whatever happened, no reply said that the chain failed while it was only slow.
    expect(replies.filter((r) => r.status >= 500).map((r) => r.body)).to.deep.equal([]);
  });

  /** Polls an operation until it is no longer pending. */
  const settled = async (token: string, operationId: string) => {
    for (let i = 0; i < 300; i++) {
      const r = await call("GET", `/v1/operations/${operationId}`, { token });
      expect(r.status).to.equal(200);
      if (r.body.state !== "pending") return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`operation ${operationId} stayed pending`);
  };
  /** The log's entries about a transaction, in order: what was attempted, then what the chain said. */
  const decisionsOf = async (txHash: string) => (await gw.services.store.log.findByRef(txHash)).map((e) => [e.action, e.decision]);

  it("POST /v1/collections with a slow receipt: 202 with an operation, the same operation on retry, then the same result; the log says pending, then sent", async () => {
    const { form } = await issuer.form("slow-create");
    const other = (await issuer.form("slow-create-other")).form;
    const before = await fx.contracts.rights.collectionCount();
    await anvil.holdBlocks();
    const headers = { "idempotency-key": "create-slow-1" };
    const first = await call("POST", "/v1/collections", { token: issuer.token, form, headers });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    expect(first.body).to.include({ state: "pending", statusUrl: `/v1/operations/${first.body.operationId}` });
    expect(first.body.txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(first.body.reason).to.be.a("string").and.not.equal("");
    const { operationId, txHash } = first.body;
    expect(await decisionsOf(txHash)).to.deep.equal([["chain.rights.createCollection", "pending"]]);

    const again = await call("POST", "/v1/collections", { token: issuer.token, form, headers });
    expect(again.status).to.equal(202);
    expect(again.body).to.include({ operationId, txHash, state: "pending" });
    expect(await gw.services.store.txs.byPurpose(`op:${operationId}:0`)).to.have.length(1);
    const polled = await call("GET", `/v1/operations/${operationId}`, { token: issuer.token });
    expect(polled.body).to.include({ state: "pending", kind: "collection.create", txHash });
    expect(await fx.contracts.rights.collectionCount()).to.equal(before);

    await anvil.mine();
    const op = await settled(issuer.token, operationId);
    expect(op.state, JSON.stringify(op.error)).to.equal("succeeded");
    const created = op.result as { collectionId: string; txHash: string; contentHash: string };
    expect(created.txHash).to.equal(txHash);
    expect(await fx.contracts.rights.collectionCount()).to.equal(before + 1n);
    const onChain = await fx.contracts.rights.getCollection(created.collectionId);
    expect(onChain.contentHash).to.equal(created.contentHash);

    const replay = await call("POST", "/v1/collections", { token: issuer.token, form, headers });
    expect(replay.status).to.equal(201);
    expect(replay.body).to.deep.equal(created);
    expect(await decisionsOf(txHash)).to.deep.equal([
      ["chain.rights.createCollection", "pending"],
      ["chain.rights.createCollection", "sent"],
    ]);
    const createdEntries = await gw.services.store.log.list({ action: "collection.created", collectionId: created.collectionId });
    expect(createdEntries).to.have.length(1);
    expect(createdEntries[0].payload).to.include({ txHash });

    const conflict = await call("POST", "/v1/collections", { token: issuer.token, form: other, headers });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.code).to.equal("IDEMPOTENCY_CONFLICT");
  });

  it("the chain dies while a creation is pending: the operation stays pending with the reason, and succeeds once the chain is back", async () => {
    const { form } = await issuer.form("dies-create");
    await anvil.holdBlocks();
    const first = await call("POST", "/v1/collections", { token: issuer.token, form, headers: { "idempotency-key": "create-dies-1" } });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    await anvil.stop();
    let down;
    for (let i = 0; ; i++) {
      expect(i, "the operation never said the node cannot be reached").to.be.lessThan(100);
      down = await call("GET", `/v1/operations/${first.body.operationId}`, { token: issuer.token });
      if (/cannot be reached/.test(down.body.reason ?? "")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(down.body).to.include({ state: "pending", txHash: first.body.txHash, error: null });
    await anvil.start();
    // Whether or not the restarted node kept its pool, the recorded transaction is watched (and broadcast again).
    for (let i = 0; (await anvil.provider.getTransaction(first.body.txHash)) === null; i++) {
      expect(i, "the pending transaction was not broadcast again").to.be.lessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }
    await anvil.mine();
    const op = await settled(issuer.token, first.body.operationId);
    expect(op.state, JSON.stringify(op.error)).to.equal("succeeded");
    expect(op.result.txHash).to.equal(first.body.txHash);
    expect(await decisionsOf(first.body.txHash)).to.deep.equal([
      ["chain.rights.createCollection", "pending"],
      ["chain.rights.createCollection", "sent"],
    ]);
  });

  it("a 503 while the chain is down decided nothing: a retry under the same key runs once it is back; a refusal is an outcome and is replayed", async () => {
    const token = await gw.key("attestor", { wallet: fx.accounts.attestor.address });
    const evidence = (text: string) => {
      const f = new FormData();
      f.set("data", JSON.stringify({ kind: "other", description: "recorded after an outage" }));
      f.set("file", new Blob([Buffer.from(text)]), "note.txt");
      return f;
    };
    const headers = { "idempotency-key": "evidence-after-outage" };
    await anvil.stop();
    const down = await gw.call("POST", "/v1/evidence", { token, form: evidence("after an outage"), headers });
    expect(down.status).to.equal(503);
    expect(down.body.error.code).to.equal("CHAIN_UNAVAILABLE");
    await anvil.start();
    const first = await call("POST", "/v1/evidence", { token, form: evidence("after an outage"), headers });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const again = await call("POST", "/v1/evidence", { token, form: evidence("after an outage"), headers });
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(await decisionsOf(first.body.txHash)).to.deep.equal([
      ["chain.evidence.record", "pending"],
      ["chain.evidence.record", "sent"],
    ]);

    // The same document under another key: refused (409), and that refusal is what the key replays.
    const refusedHeaders = { "idempotency-key": "evidence-twice" };
    const refused = await call("POST", "/v1/evidence", { token, form: evidence("after an outage"), headers: refusedHeaders });
    expect(refused.status).to.equal(409);
    expect(refused.body.error).to.include({ code: "EVIDENCE_HASH_RECORDED" });
    const replayed = await call("POST", "/v1/evidence", { token, form: evidence("after an outage"), headers: refusedHeaders });
    expect(replayed.status).to.equal(409);
    expect(replayed.body).to.deep.equal(refused.body);
  });

  describe("every other chain write", () => {
    const bob = () => fx.accounts.bob.address;
    const writes: Array<{ name: string; role: "attestor" | "regulator"; action: string; status: number; request: () => Promise<Parameters<TestGateway["call"]>> }> = [
      {
        name: "POST /v1/evidence",
        role: "attestor",
        action: "chain.evidence.record",
        status: 201,
        request: async () => {
          const f = new FormData();
          f.set("data", JSON.stringify({ kind: "copyright", description: "slow receipt" }));
          f.set("file", new Blob([Buffer.from("a certificate recorded while blocks are slow")]), "certificate.pdf");
          return ["POST", "/v1/evidence", { form: f }];
        },
      },
      {
        name: "POST /v1/identities/:id/suspend",
        role: "regulator",
        action: "chain.identity.suspendIdentity",
        status: 200,
        request: async () => ["POST", `/v1/identities/${fx.ids.carol}/suspend`, { json: { reason: "slow receipt test" } }],
      },
      {
        name: "POST /v1/regulator/wallets/:address/freeze",
        role: "regulator",
        action: "chain.rights.freezeWallet",
        status: 200,
        request: async () => ["POST", `/v1/regulator/wallets/${bob()}/freeze`, { json: { reason: "slow receipt test", evidence: { text: "a regulator's note" } } }],
      },
    ];

    for (const w of writes) {
      it(`${w.name}: 202 while the receipt is slow, the same operation on retry, then the same result; logged pending, then sent`, async () => {
        const token = await gw.key(w.role, w.role === "attestor" ? { wallet: fx.accounts.attestor.address } : {});
        const key = `slow-${w.action}`;
        await anvil.holdBlocks();
        const [method, path, opts] = await w.request();
        const first = await call(method, path, { ...opts, token, headers: { "idempotency-key": key } });
        expect(first.status, JSON.stringify(first.body)).to.equal(202);
        const { operationId, txHash } = first.body;
        const [, , again] = await w.request();
        const retry = await call(method, path, { ...again, token, headers: { "idempotency-key": key } });
        expect(retry.status).to.equal(202);
        expect(retry.body).to.include({ operationId, txHash });
        expect(await gw.services.store.txs.byPurpose(`op:${operationId}:0`)).to.have.length(1);
        await anvil.mine();
        const op = await settled(token, operationId);
        expect(op.state, JSON.stringify(op.error)).to.equal("succeeded");
        expect(op.result.txHash).to.equal(txHash);
        const [, , last] = await w.request();
        const replay = await call(method, path, { ...last, token, headers: { "idempotency-key": key } });
        expect(replay.status).to.equal(w.status);
        expect(replay.body).to.deep.equal(op.result);
        expect(await decisionsOf(txHash)).to.deep.equal([
          [w.action, "pending"],
          [w.action, "sent"],
        ]);
        const receipt = await anvil.provider.getTransactionReceipt(txHash);
        expect(receipt!.status).to.equal(1);
      });
    }
  });
});
