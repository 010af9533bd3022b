import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { OperationRunner, type OperationSpec } from "../../../server/operations/operation-runner";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * An operation whose gateway died while it was still being checked (nothing prepared, nothing sent): the
 * gateway that takes it over fails it with 503 OPERATION_INTERRUPTED, and a retry under the same
 * Idempotency-Key runs it again, once, even when retries arrive at two gateways at the same moment.
 */
describe("operations: interrupted before anything was sent", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  before(async () => {
    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { startIndexer: false, startWorker: false });
  });
  after(async () => gw.close());

  /** A second runner on the same store, as another gateway process would have. */
  const runnerOf = (owner: string) => {
    const s = gw.services;
    const r = new OperationRunner({ store: s.store, chain: s.chain, sandbox: s.sandbox, metrics: s.metrics, budgetMs: 5_000, owner, leaseMs: 200 });
    r.register("test.noop", { settle: async () => ({ ran: owner }) });
    return r;
  };

  it("is failed with OPERATION_INTERRUPTED by the gateway that takes it over, and a retry runs it exactly once", async () => {
    const dead = runnerOf("dead-gateway");
    const key = `interrupted-${randomUUID()}`;
    let prepared = 0;
    const spec = (hang: boolean): OperationSpec => ({
      kind: "test.noop",
      actor: "issuer-1",
      idempotencyKey: key,
      request: { n: 1 },
      prepare: () => {
        prepared++;
        return hang ? new Promise(() => undefined) : Promise.resolve({ writes: [], data: {} });
      },
    });
    // The dying gateway's request never gets past its checks; its lease runs out.
    void dead.run(spec(true));
    await new Promise((r) => setTimeout(r, 400));
    const op = (await gw.services.store.operations.pending()).find((o) => o.idempotencyKey === key)!;
    expect(op).to.deep.include({ state: "pending", context: null });

    const survivor = runnerOf("survivor");
    survivor.start();
    let failed = await survivor.get(op.id);
    for (let i = 0; i < 100 && failed!.state === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      failed = await survivor.get(op.id);
    }
    await survivor.stop();
    expect(failed!.state).to.equal("failed");
    expect(failed!.error).to.include({ code: "OPERATION_INTERRUPTED" });

    // Two retries at once, on two gateways: one runs it, the other answers with that same operation.
    const [a, b] = await Promise.all([survivor.run(spec(false)), runnerOf("third").run(spec(false))]);
    expect(prepared, "the hung attempt and one retry prepared it").to.equal(2);
    const ran = [a, b].filter((r) => r.state === "succeeded" && r.created);
    expect(ran).to.have.length(1);
    const other = [a, b].find((r) => r !== ran[0])!;
    // The other retry answers with the same operation: its result, or its pending state while it runs.
    if (other.state === "pending") expect(other.pending.operationId).to.equal(op.id);
    else expect(other).to.deep.equal({ state: "succeeded", result: (ran[0] as { result: unknown }).result, created: false });
    expect(await survivor.get(op.id)).to.deep.include({ state: "succeeded", result: (ran[0] as { result: unknown }).result });
  });
});
