import { FetchRequest, Interface, JsonRpcProvider, Wallet, type Provider, type TransactionReceipt } from "ethers";
import {
  CollectibleRights__factory,
  EvidenceRegistry__factory,
  IdentityRegistry__factory,
  type CollectibleRights,
  type EvidenceRegistry,
  type IdentityRegistry,
} from "../../typechain-types";
import type { Deployment } from "../../shared/deployment";
import { connectVerifierChain, type VerifierChain } from "../../shared/verify/chain";
import { AppError, decodeChainError } from "../errors";
import { TxSender, type SentTx, type TxJournal } from "./tx-sender";

/** The on-chain roles the gateway signs transactions with, one key each. */
export type SignerRole = "operator" | "attestor" | "regulator" | "anchorer";
export type ContractName = "identity" | "rights" | "evidence";

export interface ChainOptions {
  deployment: Deployment;
  provider: Provider;
  /** A private key per role; a role without one has its transactions answered unsigned (signed elsewhere). */
  keys: Partial<Record<SignerRole, string>>;
  journal?: TxJournal;
}

/** Every custom error of the three contracts, for decoding reverts from raw data. */
export const ALL_ERRORS = new Interface(
  [
    ...IdentityRegistry__factory.abi.filter((f) => f.type === "error"),
    ...CollectibleRights__factory.abi.filter((f) => f.type === "error"),
    ...EvidenceRegistry__factory.abi.filter((f) => f.type === "error"),
  ].filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i),
);

/** A transaction for an external signer (a regulator's or attestor's key kept off the gateway host). */
export interface UnsignedTx {
  from: string | null;
  to: string;
  data: string;
  chainId: number;
}

/**
 * The gateway's view of the chain: read-only contract handles on the provider, and one nonce-managed
 * sender per on-chain role. Every failure leaves here as an AppError (reverts decoded, node down = 503).
 */
export class Chain implements VerifierChain {
  readonly identity: IdentityRegistry;
  readonly rights: CollectibleRights;
  readonly evidence: EvidenceRegistry;
  readonly senders: Partial<Record<SignerRole, TxSender>>;
  readonly deployment: Deployment;
  readonly provider: Provider;

  constructor(opts: ChainOptions) {
    this.deployment = opts.deployment;
    this.provider = opts.provider;
    ({ identity: this.identity, rights: this.rights, evidence: this.evidence } = connectVerifierChain(opts.provider, opts.deployment));
    this.senders = {};
    for (const [role, key] of Object.entries(opts.keys) as Array<[SignerRole, string | undefined]>) {
      if (key) this.senders[role] = new TxSender(new Wallet(key, opts.provider), opts.provider, opts.journal);
    }
  }

  get chainId(): number {
    return this.deployment.chainId;
  }

  contract(name: ContractName): IdentityRegistry | CollectibleRights | EvidenceRegistry {
    return this[name];
  }

  /** The address of a contract of the deployment. */
  addressOf(name: ContractName): string {
    const c = this.deployment.contracts;
    return name === "identity" ? c.identityRegistry.address : name === "rights" ? c.collectibleRights.address : c.evidenceRegistry.address;
  }

  /** The sender of a role, or undefined when that role's key signs elsewhere. */
  signer(role: SignerRole): TxSender | undefined {
    return this.senders[role];
  }

  /** The address that signs for a role here (null when the key is kept off this host). */
  signerAddress(role: SignerRole): string | null {
    return this.senders[role]?.address ?? null;
  }

  encode(contract: ContractName, method: string, args: readonly unknown[]): string {
    return (this.contract(contract).interface as Interface).encodeFunctionData(method, args);
  }

  /** The call as a transaction for an external signer. */
  unsigned(role: SignerRole, contract: ContractName, method: string, args: readonly unknown[]): UnsignedTx {
    return { from: this.signerAddress(role), to: this.addressOf(contract), data: this.encode(contract, method, args), chainId: this.chainId };
  }

  /**
   * Estimates (a revert is decoded and thrown, nothing sent), signs with the key of `role`, records and
   * broadcasts. Returns once the transaction is on its way; its outcome is looked up, never assumed.
   */
  async submit(role: SignerRole, contract: ContractName, method: string, args: readonly unknown[], purpose: string): Promise<SentTx> {
    const sender = this.senders[role];
    if (!sender) throw new AppError("INTERNAL", {}, { details: { reason: `no ${role} key on this gateway` } });
    try {
      return await sender.send({ to: this.addressOf(contract), data: this.encode(contract, method, args) }, purpose);
    } catch (e) {
      throw decodeChainError(e, ALL_ERRORS);
    }
  }

  /** Dry-runs a call as `role` would send it; throws the decoded revert. */
  async dryRun(role: SignerRole, contract: ContractName, method: string, args: readonly unknown[]): Promise<void> {
    const from = this.signerAddress(role) ?? undefined;
    await this.read(() => this.provider.call({ to: this.addressOf(contract), data: this.encode(contract, method, args), from }));
  }

  /** Why a mined transaction reverted: the call replayed on the state before its block, decoded. */
  async revertReason(contract: ContractName, data: string, from: string, receipt: TransactionReceipt): Promise<AppError> {
    try {
      await this.provider.call({ to: this.addressOf(contract), data, from, blockTag: Math.max(0, receipt.blockNumber - 1) });
      return new AppError("CHAIN_REVERTED", {}, { details: { txHash: receipt.hash } });
    } catch (e) {
      return decodeChainError(e, ALL_ERRORS);
    }
  }

  /** Runs a read and maps its failures the same way as writes. */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw decodeChainError(e, ALL_ERRORS);
    }
  }

  /**
   * The chain's clock: the latest block's timestamp (seconds). Deadlines the contracts check against
   * block.timestamp are set from it, never from this machine's clock (a local chain may have travelled in
   * time, a consortium chain's clock may drift).
   */
  async now(): Promise<bigint> {
    const block = await this.read(() => this.provider.getBlock("latest"));
    if (!block) throw new AppError("CHAIN_UNAVAILABLE", {}, { details: { reason: "the node has no latest block" } });
    return BigInt(block.timestamp);
  }

  /**
   * Throws unless the node can serve this deployment: it answers, on the deployment's chain id, and the
   * three contracts have code there (an empty or reset chain has the same addresses but no code).
   */
  async ping(): Promise<{ chainId: number; head: number }> {
    // getNetwork may answer from a static network without asking the node; eth_chainId always asks.
    const [chainIdHex, head] = await this.read(() =>
      Promise.all([(this.provider as JsonRpcProvider).send?.("eth_chainId", []) ?? this.provider.getNetwork().then((n) => n.chainId), this.provider.getBlockNumber()]),
    );
    const nodeChainId = Number(chainIdHex);
    if (nodeChainId !== this.deployment.chainId) {
      throw new AppError("CHAIN_MISMATCH", { nodeChainId, deploymentChainId: this.deployment.chainId });
    }
    const names: ContractName[] = ["identity", "rights", "evidence"];
    const codes = await this.read(() => Promise.all(names.map((n) => this.provider.getCode(this.addressOf(n)))));
    const missing = names.filter((_, i) => !codes[i] || codes[i] === "0x");
    if (missing.length > 0) throw new AppError("CHAIN_CONTRACTS_MISSING", { missing: missing.join(", ") }, { details: { missing } });
    return { chainId: nodeChainId, head };
  }
}

/**
 * A JSON-RPC provider with a timeout on every call, so a frozen node gives a fast 503 instead of a request
 * that hangs. Polls for new blocks often (receipts are looked up as soon as they exist). ethers' 250 ms
 * answer cache is off: a nonce count or a receipt read twice must be read twice, or a transaction mined in
 * between would look dropped and a fresh nonce would repeat a used one.
 */
export function jsonRpcProvider(url: string, chainId: number, timeoutMs = 5_000): JsonRpcProvider {
  const req = new FetchRequest(url);
  req.timeout = timeoutMs;
  const provider = new JsonRpcProvider(req, chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  provider.pollingInterval = 250;
  return provider;
}
