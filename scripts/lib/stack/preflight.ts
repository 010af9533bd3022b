/**
 * Everything `npm start` checks before it writes a file, compiles or deploys: is a stack already running
 * on this data directory (lock file) or on these ports, is the chain to use reachable, is anvil installed.
 * A refusal is one line, and nothing has been touched.
 */
import { anvilBinary } from "./chain-node";
import { StackError } from "./errors";
import { commandLineOf, isAlive, lockIsLive, readLock, type LockInfo } from "./lock";
import { isRegistryGateway, portIsFree, rpcChainId } from "./ports";
import type { StackSettings } from "./settings";

const since = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toTimeString().slice(0, 8);
};

export interface PreflightResult {
  /** A lock left by an npm start that is no longer running, to be taken over. */
  staleLock?: LockInfo;
  /** The chain node that dead npm start left running (its pid), to be stopped before ours starts. */
  orphanChainPid?: number;
}

/** Is `pid` a chain node that a stack on this data directory started? */
function isOurChainNode(pid: number, s: StackSettings): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLineOf(pid);
  if (cmd === undefined) return false;
  return s.chain.kind === "anvil" ? cmd.includes("anvil") && cmd.includes(s.chain.stateFile) : /hardhat.*\bnode\b/.test(cmd);
}

/**
 * Throws a {@link StackError} when the stack cannot start here; writes nothing.
 *
 * @example
 * const { staleLock } = await preflight(settings);
 */
export async function preflight(s: StackSettings): Promise<PreflightResult> {
  const result: PreflightResult = {};
  const lock = readLock(s.lockFile);
  if (lock && lockIsLive(lock)) {
    throw new StackError(
      `the stack is already running on ${s.dataDirLabel} (pid ${lock.pid}, since ${since(lock.startedAt)}): ` +
        `gateway ${lock.gatewayUrl}, chain ${lock.rpcUrl}. Use it, or stop it with Ctrl-C in its terminal (kill -INT ${lock.pid}).` +
        (s.demo ? " Then run npm start -- --demo to add the demo content." : ""),
    );
  }
  if (lock) {
    result.staleLock = lock;
    if (lock.chainPid && isOurChainNode(lock.chainPid, s)) result.orphanChainPid = lock.chainPid;
  }

  if (s.port !== 0 && !(await portIsFree(s.host, s.port))) {
    const url = `http://${s.host}:${s.port}`;
    throw new StackError(
      (await isRegistryGateway(url))
        ? `a registry gateway is already running on ${url} (another stack, with another data directory): stop it, or set PORT (and LOCAL_RPC_PORT, DATA_DIR) for a second stack.`
        : `port ${s.port} (PORT) is in use by another program: stop it or set PORT to a free port.`,
    );
  }

  if (s.chain.kind === "external") {
    if ((await rpcChainId(s.chain.url, 5_000)) === undefined) {
      throw new StackError(`no JSON-RPC node answers at CHAIN_RPC_URL=${s.chain.url}: start it first, or unset CHAIN_RPC_URL to let npm start run a local chain.`);
    }
  } else if (result.orphanChainPid === undefined && !(await portIsFree(s.chain.host, s.chain.port))) {
    const chainId = await rpcChainId(s.chain.url);
    throw new StackError(
      chainId !== undefined
        ? `a JSON-RPC node (chain ${chainId}) already listens on ${s.chain.url}: to use it, set CHAIN_RPC_URL=${s.chain.url}; to start another chain, set LOCAL_RPC_PORT to a free port.`
        : `port ${s.chain.port} (LOCAL_RPC_PORT) is in use by another program: stop it or set LOCAL_RPC_PORT to a free port.`,
    );
  }
  if (s.chain.kind === "anvil") anvilBinary(s.root);
  return result;
}
