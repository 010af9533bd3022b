import { isError, type Provider, type TransactionReceipt, type TransactionRequest, type TransactionResponse, type Wallet } from "ethers";

/**
 * Sends transactions for one key with nonces managed here, so concurrent requests never collide.
 * Sends are serialised (estimate → nonce → sign → send); waiting for receipts is not, so transactions
 * pipeline. A revert surfaces at estimation and consumes no nonce; a failed send resynchronises the nonce.
 */
export class TxSender {
  private queue: Promise<unknown> = Promise.resolve();
  private nextNonce: number | undefined;

  constructor(
    readonly wallet: Wallet,
    private readonly provider: Provider,
  ) {}

  get address(): string {
    return this.wallet.address;
  }

  send(request: Pick<TransactionRequest, "to" | "data">): Promise<TransactionResponse> {
    const run = async () => {
      const from = this.wallet.address;
      const gas = await this.provider.estimateGas({ ...request, from });
      for (let attempt = 0; ; attempt++) {
        // Some nodes (Hardhat after a snapshot revert among them) report a stale "pending" count.
        this.nextNonce ??= Math.max(
          await this.provider.getTransactionCount(from, "pending"),
          await this.provider.getTransactionCount(from, "latest"),
        );
        try {
          const tx = await this.wallet.sendTransaction({
            ...request,
            nonce: this.nextNonce,
            gasLimit: (gas * 12n) / 10n + 10_000n,
          });
          this.nextNonce += 1;
          return tx;
        } catch (e) {
          this.nextNonce = undefined;
          // The node refused the nonce, so nothing was sent: resynchronise and try once more.
          if (attempt === 0 && (isError(e, "NONCE_EXPIRED") || /nonce/i.test((e as Error).message ?? ""))) continue;
          throw e;
        }
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Sends and waits for one confirmation; throws if the transaction reverted on chain. */
  async sendAndWait(request: Pick<TransactionRequest, "to" | "data">, timeoutMs?: number): Promise<TransactionReceipt> {
    const tx = await this.send(request);
    const receipt = await tx.wait(1, timeoutMs);
    if (!receipt) throw new Error(`no receipt for ${tx.hash}`);
    return receipt;
  }
}
