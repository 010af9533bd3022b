import { Transaction, isError, type Provider, type TransactionRequest, type Wallet } from "ethers";
import { isNetworkError } from "../errors";

/** Where a signed transaction is recorded before it is broadcast (the store's txs table). */
export interface TxJournal {
  record(tx: { hash: string; signer: string; nonce: number; raw: string; purpose: string }): Promise<void>;
  /** The broadcast was refused for good and the transaction is not on the node: it will never run. */
  dropped(hash: string): Promise<void>;
}

export interface SentTx {
  hash: string;
  nonce: number;
  signer: string;
  raw: string;
}

/**
 * Sends transactions for one key with nonces managed here, so concurrent requests never collide.
 * Sends are serialised (estimate → nonce → sign → record → broadcast); waiting for receipts is not, so
 * transactions pipeline. A revert surfaces at estimation and consumes no nonce. The signed transaction is
 * recorded (with its hash) BEFORE it is broadcast, so a crash at any point leaves a hash whose outcome
 * can be looked up on the chain instead of guessed.
 */
export class TxSender {
  private queue: Promise<unknown> = Promise.resolve();
  private nextNonce: number | undefined;
  private chainId: bigint | undefined;

  constructor(
    readonly wallet: Wallet,
    private readonly provider: Provider,
    private readonly journal?: TxJournal,
  ) {}

  get address(): string {
    return this.wallet.address;
  }

  /** Forgets the cached nonce (after a dropped transaction or a node restart). */
  resync(): void {
    this.nextNonce = undefined;
  }

  /**
   * Estimates, signs, records and broadcasts. Resolves once the node accepted the transaction, or once
   * it was recorded when the node could not be reached during the broadcast (then the outcome is
   * watched like any other). Rejects, with nothing sent, when estimation reverts or the node refuses it.
   */
  send(request: Pick<TransactionRequest, "to" | "data">, purpose: string): Promise<SentTx> {
    const run = async (): Promise<SentTx> => {
      const from = this.wallet.address;
      const gas = await this.provider.estimateGas({ ...request, from });
      this.chainId ??= (await this.provider.getNetwork()).chainId;
      for (let attempt = 0; ; attempt++) {
        // Some nodes (Hardhat after a snapshot revert among them) report a stale "pending" count.
        this.nextNonce ??= Math.max(
          await this.provider.getTransactionCount(from, "pending"),
          await this.provider.getTransactionCount(from, "latest"),
        );
        const nonce = this.nextNonce;
        const populated = await this.wallet.populateTransaction({
          ...request,
          from,
          nonce,
          chainId: this.chainId,
          gasLimit: (gas * 12n) / 10n + 10_000n,
        });
        const raw = await this.wallet.signTransaction(populated);
        const hash = Transaction.from(raw).hash!;
        await this.journal?.record({ hash, signer: from, nonce, raw, purpose });
        try {
          await this.provider.broadcastTransaction(raw);
        } catch (e) {
          if (isNetworkError(e) || /already known|known transaction|already imported/i.test(errorText(e))) {
            // Maybe received, maybe not: the recorded hash is watched and re-broadcast if the node lost it.
            this.nextNonce = nonce + 1;
            return { hash, nonce, signer: from, raw };
          }
          const onNode = await this.provider.getTransaction(hash).catch(() => null);
          if (onNode) {
            this.nextNonce = nonce + 1;
            return { hash, nonce, signer: from, raw };
          }
          await this.journal?.dropped(hash);
          this.nextNonce = undefined;
          // The node refused the nonce (used, or held by another pending transaction), so nothing was
          // sent: resynchronise and try once more.
          if (attempt === 0 && isNonceConflict(e)) continue;
          throw e;
        }
        this.nextNonce = nonce + 1;
        return { hash, nonce, signer: from, raw };
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

const errorText = (e: unknown) => String((e as { shortMessage?: string; message?: string })?.shortMessage ?? (e as Error)?.message ?? e);

/** The node refused a transaction for its nonce: already used, or taken by a pending transaction of the same signer. */
const isNonceConflict = (e: unknown) =>
  isError(e, "NONCE_EXPIRED") || isError(e, "REPLACEMENT_UNDERPRICED") || /nonce|replacement transaction underpriced/i.test(errorText(e));
