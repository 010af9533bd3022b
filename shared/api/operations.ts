import { z } from "zod";
import { route } from "./contract";
import { TxHash, Uuid } from "./common";

/**
 * Operations: every chain write the gateway makes for a request. When the chain answers within the
 * request's time budget the route replies with its result; otherwise it replies 202 with the operation,
 * which the client polls here. An outcome is never guessed: "pending" stays pending until the chain says
 * mined, reverted or dropped.
 */
export const OPERATION_STATES = ["pending", "succeeded", "failed"] as const;
export const OperationState = z.enum(OPERATION_STATES);

export const OperationError = z.object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.unknown()), details: z.unknown() });

export const Operation = z.object({
  operationId: Uuid,
  kind: z.string(),
  state: OperationState,
  /** Why it is still pending (e.g. "waiting for the transaction to be mined"). */
  reason: z.string().nullable(),
  txHash: TxHash.nullable(),
  /** The route's success body, once succeeded. */
  result: z.unknown().nullable(),
  error: OperationError.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Operation = z.infer<typeof Operation>;

/** The 202 body of a write whose transaction is not confirmed yet. */
export const Pending = z.object({
  operationId: Uuid,
  state: z.literal("pending"),
  txHash: TxHash.nullable(),
  reason: z.string().nullable(),
  statusUrl: z.string(),
});
export type Pending = z.infer<typeof Pending>;

export const operationRoutes = {
  getOperation: route({
    method: "get",
    path: "/v1/operations/:id",
    tag: "operations",
    summary: "The state of a write: pending (with its transaction), succeeded (with the result) or failed (with the error)",
    roles: ["issuer", "attestor", "auditor", "regulator", "admin"],
    params: z.strictObject({ id: Uuid }),
    response: Operation,
  }),
};
