import { z } from "zod";
import { Address, Bytes32, IsoDateTime } from "../../shared/schemas";
import { loggedWrite } from "../chain/logged-write";
import type { Services } from "../http/services";
import { Reason, reasonCode } from "./codes";

/** The attestor's and regulator's changes to an existing identity, each one contract call. */
export const IDENTITY_ACTIONS = {
  renew: { role: "attestor", method: "renewIdentity" },
  link: { role: "attestor", method: "linkWallet" },
  unlink: { role: "attestor", method: "unlinkWallet" },
  suspend: { role: "regulator", method: "suspendIdentity" },
  reinstate: { role: "regulator", method: "reinstateIdentity" },
  revoke: { role: "regulator", method: "revokeIdentity" },
} as const;
export type IdentityAction = keyof typeof IDENTITY_ACTIONS;

export const RenewBody = z.strictObject({
  expiresAt: IsoDateTime,
  kycEvidenceHash: Bytes32,
  reason: Reason,
});
export const WalletBody = z.strictObject({ wallet: Address, reason: Reason });
export const ReasonBody = z.strictObject({ reason: Reason });

export type UpdateIdentityParams =
  | { action: "renew"; identityId: string; expiresAt: string; kycEvidenceHash: string; reason: string; actor: string }
  | { action: "link"; identityId: string; wallet: string; reason: string; actor: string }
  | { action: "unlink"; wallet: string; reason: string; actor: string }
  | { action: "suspend" | "reinstate" | "revoke"; identityId: string; reason: string; actor: string };

/**
 * Renews, links or unlinks a wallet (attestor key), or suspends, reinstates or revokes (regulator key).
 * Reverts come back decoded, e.g. 409 INVALID_STATUS_TRANSITION.
 *
 * @example
 * await updateIdentity(services, { action: "suspend", identityId, reason: "AML review", actor });
 */
export async function updateIdentity(services: Services, p: UpdateIdentityParams): Promise<{ action: IdentityAction; txHash: string }> {
  const reason = reasonCode(p.reason);
  const args =
    p.action === "renew"
      ? [p.identityId, BigInt(Math.floor(Date.parse(p.expiresAt) / 1000)), p.kycEvidenceHash, reason]
      : p.action === "link"
        ? [p.identityId, p.wallet, reason]
        : p.action === "unlink"
          ? [p.wallet, reason]
          : [p.identityId, reason];
  const { role, method } = IDENTITY_ACTIONS[p.action];
  const receipt = await loggedWrite(services, { role, contract: "identity", method, args, actor: p.actor });
  return { action: p.action, txHash: receipt.hash };
}
