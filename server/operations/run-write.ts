import type { UnsignedReply } from "../../shared/api";
import type { ChainWrite } from "../audit/chain-write";
import { reply } from "../http/route";
import type { Services } from "../services";
import type { OperationSpec } from "./operation-runner";

/** runWrite for writes the gateway always signs itself (operator key): never unsigned. */
export async function runOwnWrite<R>(services: Pick<Services, "operations">, spec: OperationSpec): Promise<R | ReturnType<typeof reply.json>> {
  const out = await services.operations.run(spec);
  return out.state === "succeeded" ? (out.result as R) : reply.json(202, out.pending);
}

/**
 * Runs a request's writes as an operation and shapes the reply: the result when the chain decided in
 * time, 202 with the operation otherwise. When a write's role has no key on this gateway (a regulator's or
 * an attestor's key kept elsewhere), nothing is sent: the reply lists the unsigned transactions, in order.
 *
 * @example
 * return runWrite(services, { kind: "regulator.pause", actor, idempotencyKey, request: body, prepare });
 */
export async function runWrite<R>(
  services: Pick<Services, "operations" | "chain">,
  spec: OperationSpec & { roles: ReadonlyArray<ChainWrite["role"]> },
): Promise<R | UnsignedReply | ReturnType<typeof reply.json>> {
  if (spec.roles.some((r) => !services.chain.signer(r))) {
    const { writes } = await spec.prepare();
    const body: UnsignedReply = {
      unsigned: true,
      transactions: writes.map((w) => ({ ...services.chain.unsigned(w.role, w.contract, w.method, w.args), call: `${w.contract}.${w.method}` })),
      note: "This gateway does not hold the key of this role: sign and send these transactions where it is kept, in order.",
    };
    return body;
  }
  const out = await services.operations.run(spec);
  return out.state === "succeeded" ? (out.result as R) : reply.json(202, out.pending);
}
