import type { z } from "zod";
import type { IdentityActionResult } from "../../shared/api";
import type { SignerRole } from "../chain/chain";
import { reasonCode } from "../chain/codes";
import type { OperationKind } from "../operations/operation-runner";
import { runWrite } from "../operations/run-write";
import type { Services } from "../services";

/** The attestor's and regulator's changes to an existing identity, each one contract call. */
export const IDENTITY_ACTIONS = {
  renew: { role: "attestor", method: "renewIdentity" },
  link: { role: "attestor", method: "linkWallet" },
  unlink: { role: "attestor", method: "unlinkWallet" },
  suspend: { role: "regulator", method: "suspendIdentity" },
  reinstate: { role: "regulator", method: "reinstateIdentity" },
  revoke: { role: "regulator", method: "revokeIdentity" },
} as const satisfies Record<string, { role: SignerRole; method: string }>;
export type IdentityAction = keyof typeof IDENTITY_ACTIONS;

type Common = { reason: string; actor: string; idempotencyKey?: string };
export type UpdateIdentityParams = Common &
  (
    | { action: "renew"; identityId: string; expiresAt: string; kycEvidenceHash: string }
    | { action: "link"; identityId: string; wallet: string }
    /** A regulator unlinks with its own key (it may unlink a wallet of a suspended or revoked identity). */
    | { action: "unlink"; wallet: string; by: "attestor" | "regulator" }
    | { action: "suspend" | "reinstate" | "revoke"; identityId: string }
  );

/**
 * Renews, links or unlinks a wallet (attestor key), or suspends, reinstates, revokes or unlinks
 * (regulator key). Reverts come back decoded, e.g. 409 INVALID_STATUS_TRANSITION.
 *
 * @example
 * await updateIdentity(services, { action: "suspend", identityId, reason: "AML review", actor });
 */
export async function updateIdentity(services: Pick<Services, "chain" | "operations">, p: UpdateIdentityParams) {
  const reason = reasonCode(p.reason);
  const args =
    p.action === "renew"
      ? [p.identityId, BigInt(Math.floor(Date.parse(p.expiresAt) / 1000)), p.kycEvidenceHash, reason]
      : p.action === "link"
        ? [p.identityId, p.wallet, reason]
        : p.action === "unlink"
          ? [p.wallet, reason]
          : [p.identityId, reason];
  const { method } = IDENTITY_ACTIONS[p.action];
  const role: SignerRole = p.action === "unlink" ? p.by : IDENTITY_ACTIONS[p.action].role;
  const { actor, idempotencyKey, ...request } = p;
  return runWrite<z.infer<typeof IdentityActionResult>>(services, {
    kind: `identity.${p.action}`,
    roles: [role],
    actor,
    idempotencyKey,
    request,
    async prepare() {
      return {
        writes: [{ role, contract: "identity", method, args, actor, purpose: "", note: { reason: p.reason } }],
        data: { action: p.action },
      };
    },
  });
}

/** Settles an identity change: the action and its transaction. */
export const updateIdentityKind: OperationKind = {
  async settle(ctx, receipts) {
    const r = receipts[receipts.length - 1];
    return { action: String(ctx.data.action), txHash: r.hash, blockNumber: r.blockNumber };
  },
};
