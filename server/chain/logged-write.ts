import type { TransactionReceipt } from "ethers";
import type { Services } from "../http/services";
import type { SignerRole } from "./chain";
import type { CollectibleRights, EvidenceRegistry, IdentityRegistry } from "../../typechain-types";
import { AppError } from "../errors";

export interface LoggedWrite {
  role: SignerRole;
  contract: "identity" | "rights" | "evidence";
  method: string;
  args: readonly unknown[];
  /** API key id on whose behalf the gateway writes. */
  actor: string;
  collectionId?: string;
  tokenId?: string;
}

const jsonSafe = (v: unknown): unknown =>
  typeof v === "bigint" ? v.toString() : Array.isArray(v) ? v.map(jsonSafe) : v;

/**
 * Every chain write the gateway makes goes through here: it is sent with the key of `role`, and written to
 * the sandbox log, whether it succeeded (with the transaction) or was refused (with the decoded error).
 */
export async function loggedWrite(services: Services, w: LoggedWrite): Promise<TransactionReceipt> {
  const { chain, sandbox, metrics } = services;
  const contract: IdentityRegistry | CollectibleRights | EvidenceRegistry = chain[w.contract];
  const base = {
    actor: w.actor,
    action: `chain.${w.contract}.${w.method}`,
    collectionId: w.collectionId ?? null,
    tokenId: w.tokenId ?? null,
  };
  try {
    const receipt = await chain.write(w.role, contract, w.method, w.args);
    await sandbox.append({
      ...base,
      decision: "sent",
      ref: receipt.hash,
      payload: {
        signer: chain.senders[w.role].address,
        args: jsonSafe(w.args),
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
      },
    });
    return receipt;
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError("CHAIN_ERROR", 502, "Chain write failed.", { cause: e });
    metrics.chainErrors.inc({ code: err.code });
    await sandbox.append({
      ...base,
      decision: "failed",
      payload: { signer: chain.senders[w.role].address, args: jsonSafe(w.args), error: err.toJSON() },
    });
    throw err;
  }
}
