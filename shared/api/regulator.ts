import { z } from "zod";
import { route } from "./contract";
import { Address, Bytes32, EvidenceInput, OptionalIdempotency, Reason, TxHash, Uint, UnsignedReply } from "./common";
import { Pending } from "./operations";
import { TokenIdParam } from "./tokens";

export const RegulatorBody = z.strictObject({ reason: Reason, evidence: EvidenceInput });
export const ForceBody = z.strictObject({ from: Address, to: Address, reason: Reason, evidence: EvidenceInput });
export const TakedownBody = z.strictObject({ tokenIds: z.array(Uint).min(1).max(200), reason: Reason, evidence: EvidenceInput });

export const REGULATOR_ACTIONS = ["freezeWallet", "unfreezeWallet", "freezeToken", "unfreezeToken", "pause", "unpause", "forcedTransfer", "takedown"] as const;
export const RegulatorResult = z.object({
  action: z.enum(REGULATOR_ACTIONS),
  reasonCode: Bytes32,
  evidenceHash: Bytes32,
  txHash: TxHash,
  blockNumber: z.number().int(),
});

const R = ["regulator"] as const;
const WalletParam = z.strictObject({ address: Address });
const common = { tag: "regulator", roles: R, headers: OptionalIdempotency, alternatives: { 202: Pending }, response: z.union([RegulatorResult, UnsignedReply]) } as const;

export const regulatorRoutes = {
  freezeWallet: route({ ...common, method: "post", path: "/v1/regulator/wallets/:address/freeze", summary: "Freeze a wallet, with a reason and evidence", params: WalletParam, body: RegulatorBody }),
  unfreezeWallet: route({ ...common, method: "post", path: "/v1/regulator/wallets/:address/unfreeze", summary: "Unfreeze a wallet, with a reason and evidence", params: WalletParam, body: RegulatorBody }),
  freezeToken: route({ ...common, method: "post", path: "/v1/regulator/tokens/:id/freeze", summary: "Freeze a token, with a reason and evidence", params: TokenIdParam, body: RegulatorBody }),
  unfreezeToken: route({ ...common, method: "post", path: "/v1/regulator/tokens/:id/unfreeze", summary: "Unfreeze a token, with a reason and evidence", params: TokenIdParam, body: RegulatorBody }),
  pause: route({ ...common, method: "post", path: "/v1/regulator/pause", summary: "Pause all movement of tokens", body: RegulatorBody }),
  unpause: route({ ...common, method: "post", path: "/v1/regulator/unpause", summary: "Resume all movement of tokens", body: RegulatorBody }),
  forcedTransfer: route({
    ...common,
    method: "post",
    path: "/v1/regulator/tokens/:id/force-transfer",
    summary: "Forced transfer (e.g. lost-wallet recovery); the recipient must still be verified",
    params: TokenIdParam,
    body: ForceBody,
  }),
  takedown: route({ ...common, method: "post", path: "/v1/regulator/takedown", summary: "Burn tokens of an infringing work (维权)", body: TakedownBody }),
};
