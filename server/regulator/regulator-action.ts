import type { z } from "zod";
import type { EvidenceInput, RegulatorResult } from "../../shared/api";
import { evidenceHash, reasonCode } from "../chain/codes";
import type { OperationKind } from "../operations/operation-runner";
import { runWrite } from "../operations/run-write";
import type { Services } from "../services";

export type RegulatorActionParams = { reason: string; evidence: EvidenceInput; actor: string; idempotencyKey?: string } & (
  | { action: "freezeWallet" | "unfreezeWallet"; wallet: string }
  | { action: "freezeToken" | "unfreezeToken"; tokenId: string }
  | { action: "pause" | "unpause" }
  | { action: "forcedTransfer"; from: string; to: string; tokenId: string }
  | { action: "takedown"; tokenIds: string[] }
);

/**
 * The regulator's powers, each one contract call with the REGULATOR key, a reason code and an evidence
 * hash; the attempt and the outcome are written to the sandbox log with the reason in words.
 *
 * @example
 * await regulatorAction(services, { action: "freezeWallet", wallet, reason: "court order 12", evidence: { text: "…" }, actor });
 */
export async function regulatorAction(services: Pick<Services, "chain" | "operations">, p: RegulatorActionParams) {
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
  const tokenId = "tokenId" in p ? p.tokenId : null;
  const { actor, idempotencyKey, ...request } = p;
  return runWrite<z.infer<typeof RegulatorResult>>(services, {
    kind: `regulator.${p.action}`,
    roles: ["regulator"],
    actor,
    idempotencyKey,
    request,
    async prepare() {
      return {
        writes: [
          {
            role: "regulator",
            contract: "rights",
            method: p.action,
            args,
            actor,
            tokenId,
            purpose: "",
            note: { reason: p.reason, reasonCode: reason, evidenceHash: evidence },
          },
        ],
        data: { action: p.action, reasonCode: reason, evidenceHash: evidence },
      };
    },
  });
}

export const regulatorActionKind: OperationKind = {
  async settle(ctx, receipts) {
    const r = receipts[receipts.length - 1];
    return { ...ctx.data, txHash: r.hash, blockNumber: r.blockNumber };
  },
};
