import type { TransactionReceipt } from "ethers";
import { chainAction } from "../../shared/domain";
import type { Chain, ContractName, SignerRole } from "../chain/chain";
import type { TxOutcome } from "../chain/tx-outcome";
import type { SentTx } from "../chain/tx-sender";
import { AppError } from "../errors";
import type { Metrics } from "../http/metrics";
import type { Journal } from "./journal";

/**
 * The one audited path of every chain write the gateway makes: requests' writes (through operations),
 * the mint worker's batches and the log's anchors. Each write is logged when it is attempted and again
 * with its outcome: "failed" when the contract refused it at estimation (nothing sent), "pending" with
 * its transaction once broadcast, then "sent" (mined), "failed" (reverted or dropped) once the chain
 * decided. Nothing here ever logs an outcome the chain did not give.
 */
export interface ChainWrite {
  role: SignerRole;
  contract: ContractName;
  method: string;
  args: readonly unknown[];
  /** API key id (or "system") on whose behalf the gateway writes. */
  actor: string;
  collectionId?: string | null;
  tokenId?: string | null;
  /** What the transaction is for, recorded with it (see TxRecord.purpose). */
  purpose: string;
  /** Extra fields for the log entries (never personal data). */
  note?: Record<string, unknown>;
}

export interface WriteDeps {
  chain: Chain;
  sandbox: Journal;
  metrics: { chainErrors: Pick<Metrics["chainErrors"], "inc"> };
}

const jsonSafe = (v: unknown): unknown => {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
};

/** The write as stored with an operation or a batch, so its outcome can be logged after a restart. */
export function describeWrite(w: ChainWrite) {
  return {
    role: w.role,
    contract: w.contract,
    method: w.method,
    args: jsonSafe(w.args) as unknown[],
    actor: w.actor,
    collectionId: w.collectionId ?? null,
    tokenId: w.tokenId ?? null,
    purpose: w.purpose,
    note: w.note ?? null,
  };
}
export type StoredWrite = ReturnType<typeof describeWrite>;

function entryBase(w: StoredWrite | ChainWrite) {
  return {
    actor: w.actor,
    action: chainAction(w.contract, w.method),
    collectionId: w.collectionId ?? null,
    tokenId: w.tokenId ?? null,
  };
}

/**
 * Sends a write: refused at estimation → logged as failed and thrown (nothing was sent); otherwise logged
 * as pending with its transaction hash, and returned for its outcome to be looked up.
 */
export async function submitWrite(deps: WriteDeps, w: ChainWrite): Promise<SentTx> {
  const { chain, sandbox } = deps;
  const signer = chain.signerAddress(w.role);
  let sent: SentTx;
  try {
    sent = await chain.submit(w.role, w.contract, w.method, w.args, w.purpose);
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError("CHAIN_ERROR", {}, { cause: e });
    deps.metrics.chainErrors.inc({ code: err.code });
    await sandbox.append({
      ...entryBase(w),
      decision: err.isUnavailable ? "unavailable" : "failed",
      payload: { signer, args: jsonSafe(w.args), ...(w.note ?? {}), error: { code: err.code, params: err.params }, sent: false },
    });
    throw err;
  }
  await sandbox.append({
    ...entryBase(w),
    decision: "pending",
    ref: sent.hash,
    payload: { signer, args: jsonSafe(w.args), ...(w.note ?? {}), txHash: sent.hash, nonce: sent.nonce },
  });
  return sent;
}

/** Logs the outcome the chain gave for a write sent earlier (mined, reverted or dropped). */
export async function recordOutcome(
  deps: Pick<WriteDeps, "sandbox" | "metrics">,
  w: StoredWrite | ChainWrite,
  txHash: string,
  outcome: Exclude<TxOutcome, { state: "pending" }>,
  error?: AppError,
): Promise<void> {
  const receipt: TransactionReceipt | undefined = "receipt" in outcome ? outcome.receipt : undefined;
  if (outcome.state !== "mined") deps.metrics.chainErrors.inc({ code: error?.code ?? outcome.state.toUpperCase() });
  // Once per transaction and outcome: a gateway that takes a job over settles what the dead one may have logged.
  await deps.sandbox.appendOnce({
    ...entryBase(w),
    decision: outcome.state === "mined" ? "sent" : "failed",
    ref: txHash,
    payload: {
      args: jsonSafe(w.args),
      ...(w.note ?? {}),
      txHash,
      outcome: outcome.state,
      blockNumber: receipt?.blockNumber ?? null,
      ...(error ? { error: { code: error.code, params: error.params } } : {}),
      ...(outcome.state === "dropped" ? { reason: outcome.reason } : {}),
    },
  });
}
