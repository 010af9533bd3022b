import { z } from "zod";
import { Address, Uint } from "../../shared/schemas";
import { loggedWrite } from "../chain/logged-write";
import type { Services } from "../http/services";
import { Evidence, Reason, evidenceHash, reasonCode } from "../identities/codes";

export const RegulatorBody = z.strictObject({ reason: Reason, evidence: Evidence });
export const ForceBody = z.strictObject({ from: Address, to: Address, reason: Reason, evidence: Evidence });
export const TakedownBody = z.strictObject({ tokenIds: z.array(Uint).min(1).max(200), reason: Reason, evidence: Evidence });

export type RegulatorActionParams = { reason: string; evidence: Evidence; actor: string } & (
  | { action: "freezeWallet" | "unfreezeWallet"; wallet: string }
  | { action: "freezeToken" | "unfreezeToken"; tokenId: string }
  | { action: "pause" | "unpause" }
  | { action: "forcedTransfer"; from: string; to: string; tokenId: string }
  | { action: "takedown"; tokenIds: string[] }
);

/**
 * The regulator's powers, each one contract call with the REGULATOR key, a reason code and an evidence
 * hash; the action and its transaction are written to the sandbox log.
 *
 * @example
 * await regulatorAction(services, { action: "freezeWallet", wallet, reason: "court order 12", evidence: { text: "…" }, actor });
 */
export async function regulatorAction(services: Services, p: RegulatorActionParams) {
  const reason = reasonCode(p.reason);
  const evidence = evidenceHash(p.evidence);
  const args =
    p.action === "freezeWallet" || p.action === "unfreezeWallet"
      ? [p.wallet, reason, evidence]
      : p.action === "freezeToken" || p.action === "unfreezeToken"
        ? [p.tokenId, reason, evidence]
        : p.action === "forcedTransfer"
          ? [p.from, p.to, p.tokenId, reason, evidence]
          : p.action === "takedown"
            ? [p.tokenIds, reason, evidence]
            : [reason, evidence];
  const tokenId = "tokenId" in p ? p.tokenId : undefined;
  const receipt = await loggedWrite(services, { role: "regulator", contract: "rights", method: p.action, args, actor: p.actor, tokenId });
  await services.sandbox.append({
    actor: p.actor,
    action: `regulator.${p.action}`,
    decision: "done",
    tokenId: tokenId ?? null,
    ref: receipt.hash,
    payload: { reason: p.reason, reasonCode: reason, evidenceHash: evidence, args: args.map((a) => (Array.isArray(a) ? a : String(a))), txHash: receipt.hash },
  });
  return { action: p.action, reasonCode: reason, evidenceHash: evidence, txHash: receipt.hash, blockNumber: receipt.blockNumber };
}
