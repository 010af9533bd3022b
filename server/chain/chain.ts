import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Interface, JsonRpcProvider, Wallet, type Provider, type TransactionReceipt } from "ethers";
import {
  CollectibleRights__factory,
  EvidenceRegistry__factory,
  IdentityRegistry__factory,
  type CollectibleRights,
  type EvidenceRegistry,
  type IdentityRegistry,
} from "../../typechain-types";
import { DeploymentSchema, type Deployment } from "../../shared/deployment";
import { connectVerifierChain, type VerifierChain } from "../../shared/verify/chain";
import { AppError, decodeChainError } from "../errors";
import { TxSender } from "./tx-sender";

/** The on-chain roles the gateway signs with, one key each. */
export type SignerRole = "operator" | "attestor" | "regulator";

export interface ChainOptions {
  deployment: Deployment;
  provider: Provider;
  keys: Record<SignerRole, string>;
  txTimeoutMs?: number;
}

/** Every custom error of the three contracts, for decoding reverts from raw data. */
export const ALL_ERRORS = new Interface([
  ...IdentityRegistry__factory.abi.filter((f) => f.type === "error"),
  ...CollectibleRights__factory.abi.filter((f) => f.type === "error"),
  ...EvidenceRegistry__factory.abi.filter((f) => f.type === "error"),
].filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i));

/**
 * The gateway's view of the chain: read-only contract handles on the provider, and one nonce-managed
 * sender per on-chain role. Every failure leaves here as an AppError (reverts decoded, node down = 503).
 */
export class Chain implements VerifierChain {
  readonly identity: IdentityRegistry;
  readonly rights: CollectibleRights;
  readonly evidence: EvidenceRegistry;
  readonly senders: Record<SignerRole, TxSender>;
  readonly deployment: Deployment;
  readonly provider: Provider;
  private readonly txTimeoutMs: number;

  constructor(opts: ChainOptions) {
    this.deployment = opts.deployment;
    this.provider = opts.provider;
    this.txTimeoutMs = opts.txTimeoutMs ?? 120_000;
    ({ identity: this.identity, rights: this.rights, evidence: this.evidence } = connectVerifierChain(
      opts.provider,
      opts.deployment,
    ));
    const sender = (key: string) => new TxSender(new Wallet(key, opts.provider), opts.provider);
    this.senders = {
      operator: sender(opts.keys.operator),
      attestor: sender(opts.keys.attestor),
      regulator: sender(opts.keys.regulator),
    };
  }

  get chainId(): number {
    return this.deployment.chainId;
  }

  /**
   * Sends `method(args)` on a contract with the key of `role` and waits for the receipt.
   *
   * @example
   * const receipt = await chain.write("attestor", chain.identity, "suspendIdentity", [id, reason]);
   */
  async write<C extends IdentityRegistry | CollectibleRights | EvidenceRegistry>(
    role: SignerRole,
    contract: C,
    method: string,
    args: readonly unknown[],
  ): Promise<TransactionReceipt> {
    try {
      const data = (contract.interface as Interface).encodeFunctionData(method, args);
      return await this.senders[role].sendAndWait({ to: await contract.getAddress(), data }, this.txTimeoutMs);
    } catch (e) {
      throw decodeChainError(e, ALL_ERRORS);
    }
  }

  /** Sends without waiting; the caller waits on the returned response. */
  async submit<C extends IdentityRegistry | CollectibleRights | EvidenceRegistry>(
    role: SignerRole,
    contract: C,
    method: string,
    args: readonly unknown[],
  ) {
    try {
      const data = (contract.interface as Interface).encodeFunctionData(method, args);
      return await this.senders[role].send({ to: await contract.getAddress(), data });
    } catch (e) {
      throw decodeChainError(e, ALL_ERRORS);
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

  /** Throws unless the node answers with the deployment's chain id. */
  async ping(): Promise<void> {
    // getNetwork may answer from a static network without asking the node; getBlockNumber always asks.
    const [net] = await this.read(() => Promise.all([this.provider.getNetwork(), this.provider.getBlockNumber()]));
    if (Number(net.chainId) !== this.deployment.chainId) {
      throw new AppError(
        "CHAIN_MISMATCH",
        503,
        `The node is on chain ${net.chainId}, the deployment on chain ${this.deployment.chainId}.`,
      );
    }
  }
}

/** Reads and validates deployments/<network>.json. */
export function readDeployment(dir: string, network: string): Deployment {
  const file = join(dir, `${network}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read the deployment file ${file}: ${(e as Error).message}. Deploy first (npm start).`);
  }
  const parsed = DeploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file} is not a valid deployment file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function jsonRpcProvider(url: string, chainId: number): Provider {
  return new JsonRpcProvider(url, chainId, { staticNetwork: true, batchMaxCount: 1 });
}
