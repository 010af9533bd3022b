import type { Provider, TransactionReceipt } from "ethers";

export interface TrackedTx {
  hash: string;
  signer: string;
  nonce: number;
  raw: string;
}

/** What the chain says about a transaction we signed. Never a guess: "pending" until the chain decides. */
export type TxOutcome =
  | { state: "mined"; receipt: TransactionReceipt }
  | { state: "reverted"; receipt: TransactionReceipt }
  | { state: "pending"; reason: string }
  | { state: "dropped"; reason: string };

/**
 * Looks a transaction up: a receipt decides (mined or reverted); a transaction the node still holds is
 * pending; one the node does not know is dropped only when its nonce was provably taken by another
 * transaction. Otherwise the node lost it (a restart, a full pool): it is broadcast again, the same bytes
 * under the same hash, and stays pending. Throws when the node cannot be reached.
 */
export async function txOutcome(provider: Provider, tx: TrackedTx): Promise<TxOutcome> {
  const receipt = await provider.getTransactionReceipt(tx.hash);
  if (receipt) return receipt.status === 1 ? { state: "mined", receipt } : { state: "reverted", receipt };
  const onNode = await provider.getTransaction(tx.hash);
  if (onNode) return { state: "pending", reason: "the transaction is waiting to be mined" };
  const used = await provider.getTransactionCount(tx.signer, "latest");
  if (used > tx.nonce) {
    // The nonce went to another transaction, and ours has no receipt: it can never be mined.
    const again = await provider.getTransactionReceipt(tx.hash);
    if (again) return again.status === 1 ? { state: "mined", receipt: again } : { state: "reverted", receipt: again };
    return { state: "dropped", reason: `nonce ${tx.nonce} of ${tx.signer} was used by another transaction` };
  }
  try {
    await provider.broadcastTransaction(tx.raw);
  } catch {
    // Refused now (e.g. an underpriced replacement rule): it stays pending and is looked at again.
  }
  return { state: "pending", reason: "the node did not hold the transaction; it was broadcast again" };
}

/**
 * Polls {@link txOutcome} until the chain decides or `timeoutMs` passes; then answers "pending" with the
 * last reason. Network errors while polling count as "cannot tell yet".
 */
export async function waitForOutcome(provider: Provider, tx: TrackedTx, timeoutMs: number, maxPollMs = 500): Promise<TxOutcome> {
  const deadline = Date.now() + timeoutMs;
  let pollMs = 20;
  let last: TxOutcome = { state: "pending", reason: "waiting for the transaction to be mined" };
  for (;;) {
    try {
      last = await txOutcome(provider, tx);
      if (last.state !== "pending") return last;
    } catch {
      last = { state: "pending", reason: "the blockchain node cannot be reached; the outcome will be looked up again" };
    }
    const left = deadline - Date.now();
    if (left <= 0) return last;
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
    pollMs = Math.min(maxPollMs, pollMs * 2);
  }
}
