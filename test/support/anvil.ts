/**
 * A real anvil (from npm, @foundry-rs/anvil) as a separate process on a free port, with the registry deployed
 * to it by the same builder the scripts use (scripts/lib/system.ts `deploySystem`), the roles wired as in
 * test/contracts/fixtures.ts. Tests use it where the in-process Hardhat chain cannot stand in: slow blocks,
 * dropped and replaced transactions, a chain that dies, a gateway in another process. Registers no mocha test.
 *
 * The process is started by the stack's own starter (scripts/lib/stack/chain-node.ts), so the tests run the
 * chain exactly as `npm start` does. Deployment runs with instant mining; the block time asked for is set
 * afterwards (`evm_setIntervalMining`), and again after every restart (anvil does not keep it in its state).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { HDNodeWallet, Mnemonic, Wallet, type JsonRpcProvider, type Provider } from "ethers";
import { deploySystem } from "../../scripts/lib/system";
import { freePort } from "../../scripts/lib/stack/ports";

export { freePort };
import { rpc as rpcCall, startChainNode, type ChainNode } from "../../scripts/lib/stack/chain-node";
import { jsonRpcProvider } from "../../server/chain/chain";
import type { Deployment } from "../../shared/deployment";
import { CHINA, DAY, LEVEL } from "../contracts/fixtures";
import { COMPLIANCE_KEY } from "../contracts/helpers/approvals";
import { ANCHORER_KEY } from "../server/support/gateway";
import type { CollectibleRights, EvidenceRegistry, IdentityRegistry } from "../../typechain-types";

/** Hardhat's and anvil's default mnemonic: the same twenty funded accounts on both chains. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface AnvilOptions {
  /** Seconds between blocks once the registry is deployed; 0 or unset: a block per transaction. */
  blockTime?: number;
  /** Block gas limit (anvil's default is 30,000,000). */
  gasLimit?: number;
  /** Where anvil keeps its chain (loaded at start when it exists); default: a temporary file. */
  stateFile?: string;
}

export interface Anvil {
  url: string;
  port: number;
  /** The anvil process id (the native binary, not a wrapper: a SIGKILL reaches the chain itself). */
  readonly pid: number;
  /** A provider as the gateway builds it (per-call timeout, quick polling). */
  provider: JsonRpcProvider;
  /** Seconds between blocks now (0: a block per transaction; null: only when {@link mine} is called). */
  readonly blockTime: number | null;
  /** One JSON-RPC call to the node (anvil_*, evm_* …). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  /** Interval mining every `seconds` (0: a block per transaction again). */
  setBlockTime(seconds: number): Promise<void>;
  /** No block until {@link mine} is called: transactions wait in the pool, pending. */
  holdBlocks(): Promise<void>;
  /** Mines `blocks` blocks now. */
  mine(blocks?: number): Promise<void>;
  /** Stops the node (SIGINT: anvil saves its state); the port stays free until {@link start}. */
  stop(): Promise<void>;
  /** Starts it again on the same port from the saved state, with the same block time and gas limit. */
  start(): Promise<void>;
  /** Stops the node and removes its temporary directory. */
  close(): Promise<void>;
}

/**
 * Starts anvil on a free port and waits until it answers.
 *
 * @example
 * const anvil = await startAnvil({ blockTime: 3 });
 * after(() => anvil.close());
 */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const dir = mkdtempSync(join(tmpdir(), "anvil-test-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = { kind: "anvil" as const, host: "127.0.0.1", port, url, stateFile: opts.stateFile ?? join(dir, "state.json") };
  let node: ChainNode | undefined;
  let blockTime: number | null = opts.blockTime ?? 0;
  // A provider that keeps working across restarts (staticNetwork: it never re-detects the chain).
  const provider = jsonRpcProvider(url, 31337, 10_000);
  const rpc = (method: string, params: unknown[] = []) => rpcCall(url, method, params);
  const applyMining = async () => {
    await rpc("evm_setIntervalMining", [blockTime ?? 0]);
    await rpc("evm_setAutomine", [blockTime === 0]);
  };
  const launch = async () => {
    node = await startChainNode(settings, { root: hre.config.paths.root, logDir: dir, timeoutMs: 30_000 });
    if (opts.gasLimit !== undefined) await rpc("evm_setBlockGasLimit", [`0x${opts.gasLimit.toString(16)}`]);
  };
  await launch();
  await applyMining();
  const anvil: Anvil = {
    url,
    port,
    get pid() {
      return node?.pid ?? -1;
    },
    get blockTime() {
      return blockTime;
    },
    provider,
    rpc,
    async setBlockTime(seconds) {
      blockTime = seconds;
      await applyMining();
    },
    async holdBlocks() {
      blockTime = null;
      await applyMining();
    },
    async mine(blocks = 1) {
      await rpc("anvil_mine", [`0x${blocks.toString(16)}`]);
    },
    async stop() {
      await node?.stop(10_000);
      node = undefined;
    },
    async start() {
      if (node) return;
      await launch();
      await applyMining();
    },
    async close() {
      provider.destroy();
      await node?.stop(5_000);
      node = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return anvil;
}

/** A Hardhat/anvil default account's wallet, connected to `provider`. */
export function devWallet(index: number, provider?: Provider): Wallet {
  const hd = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return new Wallet(hd.privateKey, provider);
}

/** The deployment file's entry of a contract deployed by `txHash`. */
async function deployedEntry(provider: Provider, contractName: string, address: string, txHash: string) {
  const receipt = await provider.getTransactionReceipt(txHash);
  if (!receipt || receipt.status !== 1) throw new Error(`deployment of ${contractName} (${txHash}) has no successful receipt`);
  return {
    contractName,
    address,
    deployTxHash: txHash,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    abi: (await hre.artifacts.readArtifact(contractName)).abi as unknown[],
  };
}

/**
 * The registry deployed to an anvil as test/contracts/fixtures.ts deploys it in process: the same roles on
 * the same accounts (admin 0, attestor 1, regulator 2, issuer 3, operator and evidence writer 4, alice 5,
 * bob 6, carol 7, dave 8, outsider 9), the compliance signer COMPLIANCE_KEY, the anchorer of ANCHORER_KEY
 * (funded here), and the same identities. Returns the deployment file the gateway reads, and the keys a
 * gateway in another process needs.
 *
 * @example
 * const anvil = await startAnvil({ blockTime: 3 });
 * const fx = await deployToAnvil(anvil);
 * const gw = await startTestGateway(fx.deployment, { provider: anvil.provider });
 */
export async function deployToAnvil(anvil: Anvil) {
  const { provider } = anvil;
  // Deployment waits for each transaction: mine instantly meanwhile, then restore the block time asked for.
  const blockTime = anvil.blockTime;
  await anvil.setBlockTime(0);
  const [admin, attestor, regulator, issuer, operator, alice, bob, carol, dave, outsider] = Array.from({ length: 10 }, (_, i) => devWallet(i, provider));
  const anchorer = new Wallet(ANCHORER_KEY, provider);
  await anvil.rpc("anvil_setBalance", [anchorer.address, `0x${(10n ** 21n).toString(16)}`]);

  const roles = {
    attestors: [attestor.address],
    regulators: [regulator.address],
    issuers: [issuer.address],
    operators: [operator.address],
    evidenceWriters: [operator.address],
    complianceSigners: [COMPLIANCE_KEY.address],
    anchorers: [anchorer.address],
  };
  const system = await deploySystem(ethers, admin, { roles });
  const identity = system.identity.connect(provider) as unknown as IdentityRegistry;
  const rights = system.rights.connect(provider) as unknown as CollectibleRights;
  const evidence = system.evidence.connect(provider) as unknown as EvidenceRegistry;

  const latest = await provider.getBlock("latest");
  const expiresAt = BigInt(latest!.timestamp) + BigInt(3 * 365 * DAY);
  const ids = {
    issuer: ethers.id("identity:issuer"),
    alice: ethers.id("identity:alice"),
    bob: ethers.id("identity:bob"),
    carol: ethers.id("identity:carol"),
    dave: ethers.id("identity:dave"),
  };
  for (const [identityId, wallet, level] of [
    [ids.issuer, issuer.address, LEVEL.LICENSED_ISSUER],
    [ids.alice, alice.address, LEVEL.REAL_NAME],
    [ids.bob, bob.address, LEVEL.REAL_NAME],
    [ids.carol, carol.address, LEVEL.REAL_NAME],
    [ids.dave, dave.address, LEVEL.ENTERPRISE],
  ] as const) {
    await (await identity.connect(attestor).registerIdentity(identityId, wallet, level, CHINA, expiresAt, ethers.id(`kyc:${identityId}`))).wait();
  }

  const contracts = {
    identityRegistry: await deployedEntry(provider, "IdentityRegistry", await identity.getAddress(), system.deployTx.identity),
    collectibleRights: await deployedEntry(provider, "CollectibleRights", await rights.getAddress(), system.deployTx.rights),
    evidenceRegistry: await deployedEntry(provider, "EvidenceRegistry", await evidence.getAddress(), system.deployTx.evidence),
    collectibleRightsLogic: await deployedEntry(provider, "CollectibleRightsLogic", await system.rightsLogic.getAddress(), system.deployTx.rightsLogic),
  };
  const deployment: Deployment = {
    network: "anvil",
    chainId: Number((await provider.getNetwork()).chainId),
    deployer: admin.address,
    admin: admin.address,
    deployBlock: Math.min(...Object.values(contracts).map((c) => c.blockNumber)),
    generatedAt: new Date().toISOString(),
    roles,
    contracts,
  };
  if (blockTime === null) await anvil.holdBlocks();
  else await anvil.setBlockTime(blockTime);
  return {
    deployment,
    contracts: { identity, rights, evidence },
    accounts: { admin, attestor, regulator, issuer, operator, alice, bob, carol, dave, outsider, anchorer },
    /** What a gateway in another process needs besides the deployment (the operator, attestor and regulator sign with Hardhat's development keys). */
    gatewayEnv: { COMPLIANCE_SIGNER_KEY: COMPLIANCE_KEY.privateKey, ANCHOR_KEY: ANCHORER_KEY },
    ids,
    expiresAt,
  };
}

export type AnvilRegistry = Awaited<ReturnType<typeof deployToAnvil>>;

/**
 * The chain's clock in ms: the latest block's timestamp. Tests never use Date.now() for the chain's time
 * (anvil's clock moves with evm_increaseTime, and with slow blocks it lags the wall clock).
 */
export async function chainNowMs(provider: Provider): Promise<number> {
  const block = await provider.getBlock("latest");
  if (!block) throw new Error("the chain has no latest block");
  return block.timestamp * 1000;
}
