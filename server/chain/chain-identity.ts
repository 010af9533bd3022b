import type { Deployment } from "../../shared/deployment";

/**
 * Which chain a deployment file and a store belong to.
 *
 * A local chain can be replaced under the same RPC URL: a new anvil or Hardhat node has the same chain id
 * and, deployed to by the same account, the same contract addresses. The chain id alone therefore proves
 * nothing. The identity used here is the chain id plus the hash of the block the registry was deployed in,
 * which the deployment file records. The store is stamped with it (kv key {@link CHAIN_IDENTITY_KEY}) the
 * first time it serves that deployment, and both are checked against the chain before anything is served.
 */
export const CHAIN_IDENTITY_KEY = "chain.identity";

export interface ChainIdentity {
  chainId: number;
  /** The block of the earliest contract deployment. */
  blockNumber: number;
  blockHash: string;
}

/** The JSON-RPC calls the checks need (ethers' JsonRpcProvider and Hardhat's provider both have `send`). */
export interface RpcClient {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** The part of the Store the stamp lives in. */
export interface KvStore {
  kv: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
  };
}

/** The identity recorded in a deployment file: its chain id and its earliest deploy block. */
export function chainIdentityOf(deployment: Deployment): ChainIdentity {
  const first = Object.values(deployment.contracts).reduce((a, b) => (b.blockNumber < a.blockNumber ? b : a));
  return { chainId: deployment.chainId, blockNumber: first.blockNumber, blockHash: first.blockHash.toLowerCase() };
}

export function sameChainIdentity(a: ChainIdentity, b: ChainIdentity): boolean {
  return a.chainId === b.chainId && a.blockHash.toLowerCase() === b.blockHash.toLowerCase();
}

/** "chain 31337, block 1 (0x4adc306f…)". */
export function describeChainIdentity(id: ChainIdentity): string {
  return `chain ${id.chainId}, block ${id.blockNumber} (${id.blockHash.slice(0, 10)}…)`;
}

export type ChainCheck =
  | { ok: true }
  | {
      ok: false;
      /** unreachable: no answer; the others: the node answers but is not the deployment's chain. */
      reason: "unreachable" | "chain-id" | "block-missing" | "block-differs" | "code-missing";
      /** One line, for a person. */
      message: string;
    };

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Does the chain behind `rpc` hold this deployment? Checks the chain id, the hash of the deploy block and
 * that each contract has code.
 *
 * @example
 * const check = await checkDeploymentOnChain(provider, deployment, { where: "http://127.0.0.1:8545", file: "deployments/localhost.json" });
 * if (!check.ok) console.error(check.message);
 */
export async function checkDeploymentOnChain(
  rpc: RpcClient,
  deployment: Deployment,
  labels: { where: string; file: string },
  timeoutMs = 10_000,
): Promise<ChainCheck> {
  const expected = chainIdentityOf(deployment);
  const { where, file } = labels;
  let chainId: number;
  let block: { hash?: string } | null;
  try {
    chainId = Number(await withTimeout(rpc.send("eth_chainId", []), timeoutMs));
    block = (await withTimeout(
      rpc.send("eth_getBlockByNumber", [`0x${expected.blockNumber.toString(16)}`, false]),
      timeoutMs,
    )) as { hash?: string } | null;
  } catch (e) {
    const err = e as { shortMessage?: string; message?: string; code?: string };
    return { ok: false, reason: "unreachable", message: `no JSON-RPC node answers at ${where} (${err.shortMessage ?? err.message ?? err.code})` };
  }
  if (chainId !== expected.chainId) {
    return { ok: false, reason: "chain-id", message: `the node at ${where} is chain ${chainId}, but ${file} is for chain ${expected.chainId}` };
  }
  if (!block?.hash) {
    return {
      ok: false,
      reason: "block-missing",
      message: `the chain at ${where} has no block ${expected.blockNumber}, where ${file} says the registry was deployed: it is a new chain`,
    };
  }
  if (block.hash.toLowerCase() !== expected.blockHash) {
    return {
      ok: false,
      reason: "block-differs",
      message: `block ${expected.blockNumber} of the chain at ${where} is ${block.hash.slice(0, 10)}…, ${file} recorded ${expected.blockHash.slice(0, 10)}…: it is another chain`,
    };
  }
  for (const c of Object.values(deployment.contracts)) {
    const code = (await withTimeout(rpc.send("eth_getCode", [c.address, "latest"]), timeoutMs).catch(() => "0x")) as string;
    if (!code || code === "0x") {
      return { ok: false, reason: "code-missing", message: `the chain at ${where} has no ${c.contractName} at ${c.address}, as ${file} says` };
    }
  }
  return { ok: true };
}

export type StoreCheck =
  | { status: "match" }
  /** Never stamped: a new store, or one from before stamps existed. */
  | { status: "unstamped" }
  | { status: "other-chain"; stored: ChainIdentity | undefined; message: string };

function parseStamp(raw: string): ChainIdentity | undefined {
  try {
    const v = JSON.parse(raw) as Partial<ChainIdentity>;
    if (typeof v.chainId === "number" && typeof v.blockNumber === "number" && typeof v.blockHash === "string") {
      return { chainId: v.chainId, blockNumber: v.blockNumber, blockHash: v.blockHash };
    }
  } catch {
    // not JSON: reported as another chain below
  }
  return undefined;
}

/**
 * Compares the store's stamp with a deployment.
 *
 * @example
 * const s = await checkStoreStamp(store, deployment, "./data");
 * if (s.status === "other-chain") throw new Error(s.message);
 */
export async function checkStoreStamp(store: KvStore, deployment: Deployment, storeLabel: string): Promise<StoreCheck> {
  const raw = await store.kv.get(CHAIN_IDENTITY_KEY);
  if (raw === undefined) return { status: "unstamped" };
  const stored = parseStamp(raw);
  const expected = chainIdentityOf(deployment);
  if (stored && sameChainIdentity(stored, expected)) return { status: "match" };
  return {
    status: "other-chain",
    stored,
    message: `the store in ${storeLabel} belongs to ${stored ? describeChainIdentity(stored) : `an unreadable chain stamp (${raw.slice(0, 40)})`}, not to ${describeChainIdentity(expected)} of the deployment`,
  };
}

/** Stamps the store with the deployment's chain identity. */
export async function stampStore(store: KvStore, deployment: Deployment): Promise<void> {
  await store.kv.set(CHAIN_IDENTITY_KEY, JSON.stringify(chainIdentityOf(deployment)));
}

/** The chain, the deployment file and the store do not belong together; the message is one line. */
export class ChainIdentityError extends Error {
  override name = "ChainIdentityError";
  constructor(
    message: string,
    readonly reason: Exclude<ChainCheck, { ok: true }>["reason"] | "other-store",
  ) {
    super(message);
  }
}

/**
 * The check of a gateway that starts on its own (`npm run gateway`): the chain must hold the deployment,
 * and the store must be stamped with it (an unstamped store is stamped now). Otherwise it throws a
 * {@link ChainIdentityError} whose one-line message says what is wrong and what to do; nothing is
 * written then.
 *
 * @example
 * await assertChainIdentity({ rpc: provider, rpcUrl, deployment, deploymentFile, store, dataDir });
 */
export async function assertChainIdentity(p: {
  rpc: RpcClient;
  rpcUrl: string;
  deployment: Deployment;
  deploymentFile: string;
  store: KvStore;
  dataDir: string;
}): Promise<"match" | "stamped"> {
  const chain = await checkDeploymentOnChain(p.rpc, p.deployment, { where: p.rpcUrl, file: p.deploymentFile });
  if (!chain.ok) {
    const advice =
      chain.reason === "unreachable"
        ? "start the chain first, or set RPC_URL"
        : `refusing to serve ${p.dataDir} against it (npm start moves stale local data aside; otherwise set RPC_URL, DEPLOYMENTS_DIR and DATA_DIR to belong together)`;
    throw new ChainIdentityError(`${chain.message}; ${advice}.`, chain.reason);
  }
  const stamp = await checkStoreStamp(p.store, p.deployment, p.dataDir);
  if (stamp.status === "other-chain") {
    throw new ChainIdentityError(
      `${stamp.message} (${p.deploymentFile}); refusing to serve it (move ${p.dataDir} aside, or set DATA_DIR to the store of this chain).`,
      "other-store",
    );
  }
  if (stamp.status === "unstamped") {
    await stampStore(p.store, p.deployment);
    return "stamped";
  }
  return "match";
}
