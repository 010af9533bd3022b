import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { MIGRATIONS } from "../../../server/store/migrations";
import type { Store } from "../../../server/store/store";

/**
 * What every Store must do, whatever its database. Each suite opens a fresh store with `open` and closes it.
 */
export function shouldBehaveLikeAStore(open: () => Promise<Store & { db: { query(sql: string, params?: unknown[]): Promise<unknown[]> } }>) {
  let store: Store & { db: { query(sql: string, params?: unknown[]): Promise<unknown[]> } };
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  const at = () => new Date().toISOString();

  it("applies every migration once, and again is a no-op", async () => {
    const rows = (await store.db.query("SELECT version FROM schema_migrations ORDER BY version")) as Array<{ version: number }>;
    expect(rows.map((r) => Number(r.version))).to.deep.equal(MIGRATIONS.map((m) => m.version));
    expect(MIGRATIONS.map((m) => m.version)).to.deep.equal([...MIGRATIONS.keys()].map((i) => i + 1)); // 1, 2, 3 … with no gap
  });

  it("creates a job with its items once per (key, Idempotency-Key), in one transaction", async () => {
    const job = { id: randomUUID(), apiKeyId: "k1", idempotencyKey: "order-1", bodyHash: "h", collectionId: "1", issuer: "0x1", recipients: Array.from({ length: 450 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`) };
    const first = await store.jobs.create(job, at());
    expect(first.created).to.equal(true);
    const again = await store.jobs.create({ ...job, id: randomUUID() }, at());
    expect(again).to.deep.include({ created: false });
    expect(again.job.id).to.equal(job.id);
    const items = await store.jobs.items(job.id);
    expect(items.map((i) => i.idx)).to.deep.equal([...Array(450).keys()]);
    expect(items[449].recipient).to.equal(job.recipients[449]);
    expect(items.every((i) => i.state === "pending" && i.requestId === null)).to.equal(true);
  });

  it("moves items through assign → submitted → minted, and never un-mints one", async () => {
    const job = { id: randomUUID(), apiKeyId: "k1", idempotencyKey: "o2", bodyHash: "h", collectionId: "1", issuer: "0x1", recipients: ["0xa", "0xb", "0xc"] };
    await store.jobs.create(job, at());
    await store.jobs.assign(job.id, [0, 1], "7", at());
    await store.jobs.markSubmitted(job.id, "7", "0xtx", at());
    await store.jobs.noteItems(job.id, "7", "waiting", at());
    let items = await store.jobs.items(job.id);
    expect(items.slice(0, 2).map((i) => [i.state, i.requestId, i.txHash, i.reason])).to.deep.equal([
      ["submitted", "7", "0xtx", "waiting"],
      ["submitted", "7", "0xtx", "waiting"],
    ]);
    await store.jobs.markMinted(job.id, [{ idx: 0, tokenId: "100" }, { idx: 1, tokenId: "101" }], "0xtx", at());
    await store.jobs.markFailed(job.id, [0], "too late", at());
    await store.jobs.release(job.id, "7", at());
    items = await store.jobs.items(job.id);
    expect(items.slice(0, 2).map((i) => [i.state, i.tokenId, i.reason])).to.deep.equal([
      ["minted", "100", null],
      ["minted", "101", null],
    ]);
  });

  it("hands out each issuer's request nonces once, in sequence, also under concurrency", async () => {
    const got = await Promise.all(Array.from({ length: 40 }, () => store.nonces.next("0xAbC")));
    expect(got.map(Number).sort((a, b) => a - b)).to.deep.equal([...Array(40).keys()]);
    expect(await store.nonces.next("0xabc")).to.equal(40n);
    expect(await store.nonces.next("0xdef")).to.equal(0n);
  });

  it("keeps one operation per (actor, Idempotency-Key) and updates it", async () => {
    const op = { id: randomUUID(), kind: "k", actor: "a", idempotencyKey: "x", requestHash: "h", state: "pending" as const, reason: "r", txHash: null, context: { n: 1 }, result: null, error: null, createdAt: at(), updatedAt: at() };
    expect((await store.operations.create(op)).created).to.equal(true);
    const again = await store.operations.create({ ...op, id: randomUUID() });
    expect(again.created).to.equal(false);
    expect(again.op.id).to.equal(op.id);
    await store.operations.update(op.id, { state: "succeeded", result: { ok: 1 }, reason: null }, at());
    const got = await store.operations.get(op.id);
    expect(got).to.deep.include({ state: "succeeded", reason: null, txHash: null });
    expect(got!.result).to.deep.equal({ ok: 1 });
    expect(got!.context).to.deep.equal({ n: 1 });
    expect(await store.operations.pending()).to.deep.equal([]);
    // Without a key, every operation is its own.
    const a = await store.operations.create({ ...op, id: randomUUID(), idempotencyKey: null });
    const b = await store.operations.create({ ...op, id: randomUUID(), idempotencyKey: null });
    expect(a.created && b.created).to.equal(true);
  });

  it("reopens a failed operation once, when retries race, and never one that is not failed", async () => {
    const op = { id: randomUUID(), kind: "k", actor: "a", idempotencyKey: "reopen", requestHash: "h", state: "failed" as const, reason: null, txHash: "0x01", context: { n: 1 }, result: null, error: { code: "TX_DROPPED" }, createdAt: at(), updatedAt: at() };
    await store.operations.create(op);
    const won = await Promise.all(Array.from({ length: 6 }, () => store.operations.reopen(op.id, at())));
    expect(won.filter(Boolean)).to.have.length(1);
    expect(await store.operations.get(op.id)).to.deep.include({ state: "pending", txHash: null, context: null, error: null, reason: "checking the request" });
    expect(await store.operations.reopen(op.id, at())).to.equal(false);
    await store.operations.update(op.id, { state: "succeeded", result: { ok: 1 } }, at());
    expect(await store.operations.reopen(op.id, at())).to.equal(false);
    expect((await store.operations.get(op.id))!.state).to.equal("succeeded");
  });

  it("records signed transactions before broadcast and lists the open ones", async () => {
    const tx = { hash: "0x01", signer: "0xs", nonce: 3, raw: "0xraw", purpose: "op:1:0", state: "sent" as const, blockNumber: null, createdAt: at(), updatedAt: at() };
    await store.txs.add(tx);
    await store.txs.add(tx);
    expect((await store.txs.open()).map((t) => t.hash)).to.deep.equal(["0x01"]);
    expect((await store.txs.byPurpose("op:1:0"))[0]).to.deep.include({ nonce: 3, raw: "0xraw" });
    await store.txs.setState("0x01", "mined", 12, at());
    expect(await store.txs.get("0x01")).to.deep.include({ state: "mined", blockNumber: 12 });
    expect(await store.txs.open()).to.deep.equal([]);
  });

  it("reserves quota atomically: concurrent reservations never pass the cap", async () => {
    const since = new Date(0).toISOString();
    const tries = await Promise.all(
      Array.from({ length: 9 }, () =>
        store.quotas.reserve({ id: randomUUID(), issuer: "0xI", collections: 1, editions: 10, at: at() }, [{ name: "daily", since, caps: { collections: 5, editions: 1000 } }]),
      ),
    );
    expect(tries.filter((t) => t.reserved)).to.have.length(5);
    expect(await store.quotas.usage("0xi", since)).to.deep.equal({ collections: 5, editions: 50 });
  });

  it("releases a reservation, and counts a copyright evidence's works", async () => {
    const since = new Date(0).toISOString();
    const r = { id: randomUUID(), issuer: "0xI", collections: 1, editions: 10, at: at(), evidence: { hash: "0xEE", maxUses: 1 } };
    expect((await store.quotas.reserve(r, [])).reserved).to.equal(true);
    const second = await store.quotas.reserve({ ...r, id: randomUUID() }, []);
    expect(second).to.deep.include({ reserved: false, evidenceUses: 1 });
    await store.quotas.settle(r.id, "released", at());
    expect(await store.quotas.usage("0xI", since)).to.deep.equal({ collections: 0, editions: 0 });
    expect(await store.quotas.evidenceUses("0xee")).to.equal(0);
    expect((await store.quotas.reserve({ ...r, id: randomUUID() }, [])).reserved).to.equal(true);
  });

  it("appends log entries with one sequence under concurrency", async () => {
    const appended = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.log.append((last) => ({
          seq: (last?.seq ?? 0) + 1,
          ts: at(),
          actor: i % 3 === 0 ? "anonymous" : "k",
          action: "a",
          rule: null,
          decision: null,
          collectionId: null,
          tokenId: null,
          policyVersion: null,
          inputHash: null,
          ref: null,
          payload: { i },
          prevHash: last?.hash ?? "0x00",
          hash: `0x${i}`,
        })),
      ),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).to.deep.equal([...Array(30).keys()].map((i) => i + 1));
    expect(await store.log.count()).to.equal(30);
    expect(await store.log.countAfter(10, ["anonymous"])).to.equal(appended.filter((e) => e.seq > 10 && e.actor !== "anonymous").length);
    expect((await store.log.range(5, 7)).map((e) => e.seq)).to.deep.equal([5, 6, 7]);
    expect((await store.log.list({ actor: "anonymous", limit: 3 })).every((e) => e.actor === "anonymous")).to.equal(true);
  });

  it("confirms a key request once", async () => {
    const req = { id: randomUUID(), role: "regulator" as const, label: "r", wallet: null, identityId: null, requestedBy: "a1", createdAt: at(), expiresAt: at(), keyId: null };
    await store.apiKeys.addRequest(req);
    const key = { id: randomUUID(), role: "regulator" as const, label: "r", wallet: null, identityId: null, createdAt: at(), revokedAt: null };
    expect(await store.apiKeys.confirmRequest(req.id, key, "hash1")).to.equal(true);
    expect(await store.apiKeys.confirmRequest(req.id, { ...key, id: randomUUID() }, "hash2")).to.equal(false);
    expect((await store.apiKeys.getRequest(req.id))!.keyId).to.equal(key.id);
    expect((await store.apiKeys.findByHash("hash1"))!.id).to.equal(key.id);
    expect(await store.apiKeys.findByHash("hash2")).to.equal(undefined);
  });
}
