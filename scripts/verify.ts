/**
 * The auditor's verifier: checks what the gateway claims using only a JSON-RPC endpoint, an IPFS source and
 * the deployment file; it never calls the gateway's API. A thin wrapper over shared/verify, the library the
 * gateway itself uses for its verdicts.
 *
 *   npm run verify -- <command> [args] [--rpc URL] [--deployment FILE]
 *                     [--ipfs-gateway URL | --ipfs-api URL | --ipfs-blocks DIR] [--json] [--did-method dareg]
 *
 *   token <id> [--log export.jsonl]        custody, holders, metadata CID, media hash (and compliance with --log)
 *   file <path>                             is this file registered? collection, issuer, when
 *   collection <id> [--log export.jsonl]    supply, serials, holders and every live token (progress on stderr)
 *   log <bundle.jsonl>                      every entry, the tree, signed checkpoints, consistency, the chain's checkpoints
 *   entry <bundle-or-receipt> <seq>         one entry's inclusion under a signed (and anchored) checkpoint
 *   compliance <collectionId> --log <export.jsonl>   the collection's compliance decision, rule by rule
 *
 * Exit codes: 0 everything verifies, 1 something does not verify, 2 bad usage or unreachable sources,
 * 3 nothing failed but something cannot be checked now (log and entry: the JSON-RPC endpoint is down).
 */
import { blocksDirSource } from "../shared/verify/node/sources";
import { fromHex } from "../shared/log/bytes";
import { entryBytes, type LogEntry } from "../shared/log/entry";
import { appendLeaf } from "../shared/log/append";
import { inclusionProof } from "../shared/log/inclusion";
import { MemoryNodeStore } from "../shared/log/store";
import { toInclusionReceipt, verifyReceipt } from "../shared/log/receipt";
import { sandboxLogId, sandboxLogOrigin } from "../shared/log/origin";
import { nodeMerkleHasher } from "../shared/log/node/sha256";
import { readFileSync } from "node:fs";
import { JsonRpcProvider, type Provider } from "ethers";
import { DeploymentSchema, type Deployment } from "../shared/deployment";
import {
  checkComplianceRef,
  complianceLookupOf,
  connectVerifierChain,
  errorText,
  findCompliance,
  httpGatewaySource,
  kuboRpcSource,
  overallVerdict,
  readCollection,
  verifyCollection,
  verifyFileReport,
  bundleSource,
  chainCheckpoints,
  verifyLog,
  verifyToken,
  verdictOf,
  type ChainCheckpoints,
  type CheckResult,
  type ComplianceLookup,
  type ContentSource,
  type CustodyEntry,
  type LogVerification,
  type VerifierChain,
} from "../shared/verify";

/** 0 verified, 1 something does not verify, 2 bad usage or an unreachable source, 3 verified nothing false but something cannot be checked now. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, UNVERIFIABLE: 3 } as const;

export const USAGE = `Usage: npm run verify -- <command> [args] [options]

Commands:
  token <tokenId>                      chain of custody, holders, metadata CID, media hash
  file <path>                          is this file's sha256 registered? collection, issuer, when
  collection <collectionId>            supply, serials, holders and every live token
  log <bundle.jsonl>                   every entry, the tree, signed checkpoints, consistency, and the
                                       chain's checkpoint record (GET /v1/sandbox/export?format=bundle)
  entry <bundle-or-receipt> <seq>      one entry: its inclusion under an anchored checkpoint, signature and
                                       on-chain root (a receipt: GET /v1/sandbox/logs/<seq>/proof)
  compliance <collectionId> --log <bundle.jsonl>
                                       the collection's compliance decision, rule by rule

Options:
  --rpc URL             JSON-RPC endpoint (default $RPC_URL or http://127.0.0.1:8545)
  --deployment FILE     deployments/<network>.json (default $DEPLOYMENT or deployments/localhost.json)
  --ipfs-gateway URL    HTTP gateway, reads <URL>/ipfs/<cid>
  --ipfs-api URL        Kubo RPC API, POST <URL>/api/v0/cat
  --ipfs-blocks DIR     a blockstore-fs folder (the gateway's DATA_DIR/ipfs/blocks)
  --log FILE            a sandbox log export (JSONL); with token/collection adds the compliance check
  --json                print the report as JSON
  --did-method NAME     DID method (default dareg)

Exit codes: 0 verified, 1 does not verify, 2 bad usage or unreachable sources, 3 nothing failed but
something cannot be checked now (an IPFS source does not hold the content; for log and entry, the
JSON-RPC endpoint cannot be reached: everything else is still checked offline).`;

class UsageError extends Error {}
class UnreachableError extends Error {}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Use this provider instead of connecting to --rpc (tests: the in-process chain). */
  provider?: Provider;
  /** Whether stderr is a terminal (progress bar redraws); default process.stderr.isTTY. */
  tty?: boolean;
}

interface Args {
  command: string;
  positional: string[];
  rpc: string;
  deployment: string;
  source?: { kind: "gateway" | "api" | "blocks"; value: string };
  log?: string;
  proof?: number;
  json: boolean;
  didMethod: string;
}

const VALUE_OPTS = new Set(["--rpc", "--deployment", "--ipfs-gateway", "--ipfs-api", "--ipfs-blocks", "--log", "--proof", "--did-method"]);
const COMMANDS: Record<string, number> = { token: 1, file: 1, collection: 1, log: 1, entry: 2, compliance: 1 };

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Args {
  const opts: Record<string, string> = {};
  const positional: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a.startsWith("--")) {
      const [name, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
      if (!VALUE_OPTS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
      if (name in opts) throw new UsageError(`${name} given twice`);
      opts[name] = value;
    } else positional.push(a);
  }
  const [command, ...rest] = positional;
  if (!command) throw new UsageError("no command given");
  if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command}"`);
  if (rest.length !== COMMANDS[command]) throw new UsageError(`${command} takes ${COMMANDS[command]} argument, got ${rest.length}`);
  if ((command === "token" || command === "collection" || command === "compliance") && !/^[0-9]{1,78}$/.test(rest[0])) {
    throw new UsageError(`${command} needs a decimal id, got "${rest[0]}"`);
  }
  const sources = (["--ipfs-gateway", "--ipfs-api", "--ipfs-blocks"] as const).filter((s) => s in opts);
  if (sources.length > 1) throw new UsageError(`give one IPFS source, not ${sources.join(" and ")}`);
  if ((command === "token" || command === "collection") && sources.length === 0) {
    throw new UsageError(`${command} needs an IPFS source: --ipfs-gateway, --ipfs-api or --ipfs-blocks`);
  }
  if (command === "compliance" && !opts["--log"]) throw new UsageError("compliance needs --log <export.jsonl>");
  if (opts["--log"] && !["token", "collection", "compliance"].includes(command)) throw new UsageError(`--log is not an option of ${command}`);
  if (opts["--proof"] !== undefined) throw new UsageError("--proof is replaced by the entry command: npm run verify -- entry <bundle-or-receipt> <seq>");
  if (command === "entry" && (!/^[0-9]{1,15}$/.test(rest[1]) || Number(rest[1]) < 1)) throw new UsageError("entry needs an entry seq (a positive integer)");
  let proof: number | undefined;
  if (opts["--proof"] !== undefined) {
    if (!/^[0-9]{1,15}$/.test(opts["--proof"]) || Number(opts["--proof"]) < 1) throw new UsageError("--proof needs an entry seq (a positive integer)");
    proof = Number(opts["--proof"]);
  }
  const kind = sources[0] === "--ipfs-gateway" ? "gateway" : sources[0] === "--ipfs-api" ? "api" : "blocks";
  return {
    command,
    positional: rest,
    rpc: opts["--rpc"] ?? env.RPC_URL ?? "http://127.0.0.1:8545",
    deployment: opts["--deployment"] ?? env.DEPLOYMENT ?? "deployments/localhost.json",
    ...(sources.length ? { source: { kind, value: opts[sources[0]] } } : {}),
    ...(opts["--log"] ? { log: opts["--log"] } : {}),
    ...(proof !== undefined ? { proof } : {}),
    json,
    didMethod: opts["--did-method"] ?? "dareg",
  };
}

function readDeploymentFile(file: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the deployment file ${file}: ${(e as Error).message}`);
  }
  const parsed = DeploymentSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file} is not a deployment file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${what} did not answer in ${ms / 1000}s`)), ms).unref())]);

async function connect(args: Args, io: Io): Promise<VerifierChain> {
  const deployment = readDeploymentFile(args.deployment);
  const provider = io.provider ?? new JsonRpcProvider(args.rpc, deployment.chainId, { staticNetwork: true, batchMaxCount: 1 });
  let chainId: bigint;
  try {
    chainId = await withTimeout(
      (async () => {
        await provider.getBlockNumber();
        // Ask the node: a static network would answer getNetwork() from the deployment file.
        const rpc = provider as unknown as { send?: (method: string, params: unknown[]) => Promise<string> };
        return rpc.send ? BigInt(await rpc.send("eth_chainId", [])) : (await provider.getNetwork()).chainId;
      })(),
      15_000,
      `the JSON-RPC endpoint ${args.rpc}`,
    );
  } catch (e) {
    (provider as JsonRpcProvider).destroy?.();
    throw new UnreachableError(`cannot reach the JSON-RPC endpoint ${args.rpc}: ${errorText(e)}`);
  }
  const refuse = (message: string) => {
    if (!io.provider) (provider as JsonRpcProvider).destroy?.();
    return new UnreachableError(message);
  };
  if (Number(chainId) !== deployment.chainId) throw refuse(`the endpoint is on chain ${chainId}, the deployment file on chain ${deployment.chainId}`);
  const code = await provider.getCode(deployment.contracts.collectibleRights.address);
  if (code === "0x") throw refuse(`no contract at ${deployment.contracts.collectibleRights.address} on this endpoint: wrong deployment file?`);
  return connectVerifierChain(provider, deployment);
}

async function contentSource(args: Args): Promise<ContentSource | undefined> {
  if (!args.source) return undefined;
  const s = args.source;
  const source = s.kind === "gateway" ? httpGatewaySource(s.value) : s.kind === "api" ? kuboRpcSource(s.value) : blocksDirSource(s.value);
  try {
    await source.ping?.();
  } catch (e) {
    throw new UnreachableError(`cannot reach the IPFS source ${source.label}: ${errorText(e)}`);
  }
  return source;
}

// ─── Text reports ───────────────────────────────────────────────────────────────────────────

const mark = (c: CheckResult) => (c.verdict === "passed" ? "PASS" : c.verdict === "unverifiable" ? "N/A " : "FAIL");

function checkLines(checks: readonly CheckResult[]): string[] {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks.map((c) => `  ${mark(c)}  ${c.check.padEnd(width)}  ${c.reason}`);
}

function verdictLine(checks: readonly CheckResult[]): string {
  const failed = checks.filter((c) => c.verdict === "failed").length;
  const unsure = checks.filter((c) => c.verdict === "unverifiable").length;
  if (failed) return `Result: NOT VERIFIED (${failed} of ${checks.length} checks failed${unsure ? `, ${unsure} cannot be checked now` : ""})`;
  if (unsure) return `Result: UNVERIFIABLE NOW (${unsure} of ${checks.length} checks cannot be made now; the others passed)`;
  return `Result: VERIFIED (${checks.length} checks passed)`;
}

function partyText(h: CustodyEntry["to"]): string {
  if (!h) return "-";
  return `${h.address} ${h.did ? `${h.did} level ${h.level}` : "(no identity)"}${h.verified ? " verified" : " NOT verified"}`;
}

function custodyLines(entries: readonly CustodyEntry[]): string[] {
  return entries.map((e) => {
    const who = e.kind === "mint" ? `→ ${partyText(e.to)}` : e.to ? `${e.from?.address ?? "-"} → ${partyText(e.to)}` : `${e.from?.address ?? "-"}`;
    return `  block ${e.blockNumber}  ${e.time}  ${e.kind.padEnd(15)} ${who}${e.forced ? "  [forced by regulator]" : ""}`;
  });
}

function header(args: Args, chain: Pick<VerifierChain, "chainId">, source?: ContentSource): string[] {
  return [
    `  chain ${chain.chainId} via ${args.rpc}, deployment ${args.deployment}${source ? `, IPFS ${source.label}` : ""}`,
  ];
}

/**
 * What log and entry read the chain through: the node, or, when it cannot be reached, a record that says
 * so, so that every offline check still runs and the chain's checks come out unverifiable, not failed.
 */
interface LogChain {
  deployment: Deployment;
  chainId: number;
  record(logId: string): ChainCheckpoints;
}

function logChain(chain: VerifierChain | undefined, offline?: { deployment: Deployment; reason: string }): LogChain {
  if (chain) return { deployment: chain.deployment, chainId: chain.chainId, record: (logId) => chainCheckpoints(chain, logId) };
  const down = () => Promise.reject(new Error(offline!.reason));
  return { deployment: offline!.deployment, chainId: offline!.deployment.chainId, record: () => ({ count: down, at: down, evidenceRoot: down }) };
}

/** A verified bundle: the shared verification's report, its header check, and the entries it holds. */
interface LogReport {
  passed: boolean;
  checks: CheckResult[];
  report: LogVerification;
  parsedEntries: LogEntry[];
  source: ReturnType<typeof bundleSource>;
}

function logJson(r: LogReport) {
  const { checks: _c, ...report } = r.report;
  return { ...report, passed: r.passed, checks: r.checks };
}

// ─── Commands ───────────────────────────────────────────────────────────────────────────────

interface Outcome {
  passed: boolean;
  checks?: readonly CheckResult[];
  json: unknown;
  text: string[];
}

async function verifiedLog(file: string, chain: LogChain): Promise<LogReport> {
  const text = readText(file, "the log bundle");
  let source: ReturnType<typeof bundleSource>;
  try {
    source = bundleSource(text);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UsageError(`${file} is not a sandbox log bundle: ${e.message}`);
    throw e;
  }
  const h = source.parsed.header!;
  const registry = chain.deployment.contracts.evidenceRegistry.address;
  // The log is named by the deployment: a bundle of another log (its own key, its own on-chain id) is not this one.
  const origin = sandboxLogOrigin(chain.chainId, registry);
  const headerOk =
    h.chainId === chain.chainId && (h.evidenceRegistry ?? "").toLowerCase() === registry.toLowerCase() && h.origin === origin && h.logId.toLowerCase() === sandboxLogId(origin);
  const report = await verifyLog(source, chain.record(h.logId), { hasher: nodeMerkleHasher });
  const checks: CheckResult[] = [
    {
      check: "log-header",
      verdict: verdictOf(headerOk),
      passed: headerOk,
      reason: headerOk
        ? `the bundle is of chain ${h.chainId}, EvidenceRegistry ${registry}, log ${h.origin}`
        : `the bundle is of chain ${h.chainId} / ${h.evidenceRegistry}, log ${h.origin} (id ${h.logId}), not chain ${chain.chainId} / ${registry}, log ${origin} (id ${sandboxLogId(origin)})`,
    },
    ...report.checks,
  ];
  if (h.size !== source.parsed.entries.length) {
    checks.push({ check: "log-complete", verdict: "failed", passed: false, reason: `the header says ${h.size} entries, the bundle holds ${source.parsed.entries.length}: filtered or truncated` });
  }
  return { passed: checks.every((c) => c.passed), checks, report, parsedEntries: source.parsed.entries, source };
}

/** With --log: the compliance lookup over a log export, which must itself verify against the chain first. */
async function logLookup(args: Args, chain: VerifierChain): Promise<{ lookup?: ComplianceLookup; log?: LogReport }> {
  if (!args.log) return {};
  const log = await verifiedLog(args.log, logChain(chain));
  if (!log.passed) return { log, lookup: () => Promise.reject(new Error(`the log export ${args.log} does not verify: ${log.checks.find((c) => !c.passed)!.reason}`)) };
  return { log, lookup: complianceLookupOf(log.parsedEntries) };
}

async function runToken(args: Args, chain: VerifierChain): Promise<Outcome> {
  const source = (await contentSource(args))!;
  const { lookup } = await logLookup(args, chain);
  const r = await verifyToken(chain, args.positional[0], { source, didMethod: args.didMethod, compliance: lookup });
  return {
    passed: r.passed,
    checks: r.checks,
    json: r,
    text: [
      `Token ${r.tokenId} (collection ${r.collectionId}, edition ${r.serial}), owner ${r.owner ?? "none"}`,
      ...header(args, chain, source),
      ...(r.entries.length ? ["Custody:", ...custodyLines(r.entries)] : []),
      "Checks:",
      ...checkLines(r.checks),
      ...(args.log ? [] : ["  (compliance-ref not checked: pass --log <export.jsonl>)"]),
      verdictLine(r.checks),
    ],
  };
}

async function runFile(args: Args, chain: VerifierChain): Promise<Outcome> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(args.positional[0]));
  } catch (e) {
    throw new UsageError(`cannot read the file ${args.positional[0]}: ${(e as Error).message}`);
  }
  const r = await verifyFileReport(chain, bytes, { didMethod: args.didMethod });
  return {
    passed: r.passed,
    checks: r.checks,
    json: r,
    text: [
      `File ${args.positional[0]} (sha256 ${r.contentHash})`,
      ...header(args, chain),
      ...(r.registered
        ? [`  collection ${r.collectionId}, issuer ${r.issuerDid} (${r.issuer})`, `  registered ${r.registeredAt}, block ${r.blockNumber}, tx ${r.txHash}`, `  metadata ${r.metadataCID}`]
        : []),
      "Checks:",
      ...checkLines(r.checks),
      verdictLine(r.checks),
    ],
  };
}

async function runCollection(args: Args, chain: VerifierChain, io: Io): Promise<Outcome> {
  const source = (await contentSource(args))!;
  const { lookup } = await logLookup(args, chain);
  const tty = io.tty ?? !!process.stderr.isTTY;
  let lastDrawn = -1;
  const r = await verifyCollection(chain, args.positional[0], {
    source,
    didMethod: args.didMethod,
    compliance: lookup,
    onProgress(done, total) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      const bar = `verifying tokens [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
      if (tty) io.stderr(`\r${bar}${done === total ? "\n" : ""}`);
      else if (done === total || Math.floor((done / Math.max(total, 1)) * 10) !== lastDrawn) {
        lastDrawn = Math.floor((done / Math.max(total, 1)) * 10);
        io.stderr(`${bar}\n`);
      }
    },
  });
  const c = r.collection;
  return {
    passed: r.passed,
    checks: r.checks,
    json: r,
    text: [
      c
        ? `Collection ${r.collectionId}: ${c.minted} minted, ${c.burned} burned, edition size ${c.maxSupply}, issuer ${c.issuer}, min level ${c.minLevel}`
        : `Collection ${r.collectionId}`,
      ...header(args, chain, source),
      ...(r.tokens.length ? ["Tokens:", ...r.tokens.map((t) => `  ${t.passed ? "PASS" : "FAIL"}  ${t.tokenId} (edition ${t.serial}) owner ${t.owner ?? "none (burned)"}${t.passed ? "" : `: ${t.failed.map((f) => `${f.check}: ${f.reason}`).join("; ")}`}`)] : []),
      "Checks:",
      ...checkLines(r.checks),
      ...(args.log ? [] : ["  (compliance-ref not checked: pass --log <export.jsonl>)"]),
      verdictLine(r.checks),
    ],
  };
}

async function runLog(args: Args, chain: LogChain): Promise<Outcome> {
  const r = await verifiedLog(args.positional[0], chain);
  const h = r.source.parsed.header!;
  return {
    passed: r.passed,
    checks: r.checks,
    json: logJson(r),
    text: [
      `Sandbox log bundle ${args.positional[0]}: ${r.report.entries} entries, root ${r.report.root ?? "-"}, ${r.report.checkpoints.length} checkpoint(s), ${r.report.onChain.count} on chain, ${r.report.unanchored} unanchored`,
      `  log ${h.origin}, id ${h.logId}`,
      ...header(args, chain),
      ...r.report.checkpoints.map((c) => `  ${c.ok ? "PASS" : "FAIL"}  checkpoint size ${c.size}${c.index !== null ? ` (on chain #${c.index})` : ""}: ${c.message}`),
      ...(r.report.firstBad ? [`  first bad entry: seq ${r.report.firstBad.seq} (${r.report.firstBad.reason})`] : []),
      ...(r.report.onChain.firstBad ? [`  first bad on-chain checkpoint: #${r.report.onChain.firstBad.index}: ${r.report.onChain.firstBad.message}`] : []),
      "Checks:",
      ...checkLines(r.checks),
      verdictLine(r.checks),
    ],
  };
}

/** The on-chain record of checkpoint `index` must be exactly this tree size and root (unverifiable while the node cannot be read). */
async function checkOnChain(record: ChainCheckpoints, logId: string, index: number, treeSize: number, root: string): Promise<CheckResult> {
  let count: number;
  let c: { treeSize: number; rootHash: string } | undefined;
  try {
    count = await record.count();
    if (index < count) c = await record.at(index);
  } catch (e) {
    return { check: "entry-on-chain", verdict: "unverifiable", passed: false, reason: `checkpoint #${index} cannot be read from the chain now: ${errorText(e)}` };
  }
  if (!c) return { check: "entry-on-chain", verdict: "failed", passed: false, reason: `checkpoint #${index} of log ${logId} is not on chain (${count} recorded)` };
  const ok = c.treeSize === treeSize && c.rootHash.toLowerCase() === root.toLowerCase();
  return {
    check: "entry-on-chain",
    verdict: verdictOf(ok),
    passed: ok,
    reason: ok ? `checkpoint #${index} on chain is size ${treeSize} with this root` : `checkpoint #${index} on chain is size ${c.treeSize} root ${c.rootHash}, not size ${treeSize} root ${root}`,
  };
}

/**
 * One entry: from a receipt (GET /v1/sandbox/logs/<seq>/proof) or from a bundle (the proof is rebuilt from
 * its entries): the entry's bytes hash to the leaf, the proof leads to an anchored checkpoint's root, the
 * checkpoint is signed by the log's key, and that checkpoint is on chain.
 */
async function runEntry(args: Args, chain: LogChain): Promise<Outcome> {
  const file = args.positional[0];
  const seq = Number(args.positional[1]);
  const text = readText(file, "the receipt or bundle");
  let entry: LogEntry | undefined;
  let receipt: unknown;
  let verifierKey = "";
  let origin = "";
  let logId = "";
  let anchor: { index: number } | null = null;
  const trimmed = text.trimStart();
  const json = trimmed.startsWith("{") && !trimmed.includes("\n{") ? (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return undefined; } })() : undefined;
  if (json && "entry" in json && "latest" in json) {
    entry = json.entry as LogEntry;
    verifierKey = String(json.verifierKey);
    origin = String(json.origin);
    logId = String(json.logId);
    const anchored = json.anchored as { receipt: unknown; anchor: { index: number } } | null;
    receipt = anchored?.receipt ?? json.latest;
    anchor = anchored?.anchor ?? null;
  } else {
    let source: ReturnType<typeof bundleSource>;
    try {
      source = bundleSource(text);
    } catch (e) {
      throw new UsageError(`${file} is neither an entry receipt nor a log bundle: ${(e as Error).message}`);
    }
    const h = source.parsed.header!;
    verifierKey = h.verifierKey;
    origin = h.origin;
    logId = h.logId;
    entry = source.parsed.entries.find((e) => e.seq === seq);
    // The latest anchored checkpoint that covers the entry, else the latest signed one.
    const covering = [...source.parsed.checkpoints].reverse().filter((c) => c.size >= seq);
    const cp = covering.find((c) => c.anchor) ?? covering[0];
    if (entry && cp) {
      const store = new MemoryNodeStore();
      for (const e of source.parsed.entries.slice(0, cp.size)) store.put(appendLeaf(e.seq - 1, nodeMerkleHasher.hashLeaf(entryBytes(e)), store, nodeMerkleHasher).newNodes);
      receipt = toInclusionReceipt({
        index: seq - 1,
        treeSize: cp.size,
        leafHash: nodeMerkleHasher.hashLeaf(entryBytes(entry)),
        proof: inclusionProof(seq - 1, cp.size, store, nodeMerkleHasher),
        root: fromHex(cp.root.slice(2)),
        checkpoint: cp.note,
      });
      anchor = cp.anchor;
    }
  }
  const checks: CheckResult[] = [];
  const expected = sandboxLogOrigin(chain.chainId, chain.deployment.contracts.evidenceRegistry.address);
  if (!entry || entry.seq !== seq) {
    checks.push({ check: "entry", verdict: "failed", passed: false, reason: `the file holds no entry ${seq}` });
  } else if (origin !== expected || logId.toLowerCase() !== sandboxLogId(expected)) {
    checks.push({ check: "entry-log", verdict: "failed", passed: false, reason: `the file is of log ${origin} (id ${logId}), not this deployment's log ${expected} (id ${sandboxLogId(expected)})` });
  } else if (!receipt) {
    checks.push({ check: "entry-inclusion", verdict: "failed", passed: false, reason: `no checkpoint in the file covers entry ${seq}` });
  } else {
    const r = verifyReceipt(receipt, entryBytes(entry), verifierKey, { origin, hasher: nodeMerkleHasher });
    checks.push({
      check: "entry-inclusion",
      verdict: verdictOf(r.ok),
      passed: r.ok,
      reason: r.ok ? `entry ${seq} is leaf ${r.index} of the tree of ${r.treeSize}, root ${r.root}, checkpoint signed by ${origin}` : `${r.reason}: ${r.message}`,
    });
    if (r.ok) {
      checks.push(
        anchor
          ? await checkOnChain(chain.record(logId), logId, anchor.index, r.treeSize, r.root)
          : { check: "entry-on-chain", verdict: "unverifiable", passed: false, reason: `entry ${seq} is not under an anchored checkpoint yet: only the log's signature covers it; check again after the next anchor` },
      );
    }
  }
  const passed = checks.every((c) => c.passed);
  return {
    passed,
    checks,
    json: { subject: "entry", seq, entry: entry ?? null, receipt: receipt ?? null, passed, checks },
    text: [`Sandbox log entry ${seq}${entry ? ` (${entry.action} by ${entry.actor}, ${entry.ts})` : ""}`, `  log ${origin}`, ...header(args, chain), "Checks:", ...checkLines(checks), verdictLine(checks)],
  };
}

async function runCompliance(args: Args, chain: VerifierChain): Promise<Outcome> {
  const id = BigInt(args.positional[0]);
  if (id < 1n || id > (await chain.rights.collectionCount())) {
    const checks: CheckResult[] = [{ check: "collection-exists", verdict: verdictOf(false), passed: false, reason: `there is no collection ${id}` }];
    return { passed: false, json: { subject: "compliance", collectionId: id.toString(), passed: false, checks }, text: [`Collection ${id}`, ...checkLines(checks), verdictLine(checks)] };
  }
  const collection = await readCollection(chain, id);
  const log = await verifiedLog(args.log!, logChain(chain));
  const finding = findCompliance(log.parsedEntries, collection.complianceRef);
  const checks: CheckResult[] = [...log.checks, await checkComplianceRef(complianceLookupOf(log.parsedEntries), collection.complianceRef)];
  if (finding.decision) {
    const anchoredAt = log.report.checkpoints.filter((c) => c.ok && c.index !== null && c.size >= finding.decision!.seq).at(-1);
    checks.push(
      anchoredAt
        ? { check: "decision-anchored", verdict: "passed", passed: true, reason: `entry ${finding.decision.seq} is in the tree of checkpoint #${anchoredAt.index} (size ${anchoredAt.size}), recorded on chain` }
        : { check: "decision-anchored", verdict: "failed", passed: false, reason: `the decision (entry ${finding.decision.seq}) is not under an anchored checkpoint yet` },
    );
  }
  const passed = checks.every((c) => c.passed);
  return {
    passed,
    checks,
    json: { subject: "compliance", collectionId: id.toString(), ...finding, passed, checks },
    text: [
      `Compliance of collection ${id} (complianceRef ${collection.complianceRef})`,
      ...header(args, chain),
      ...(finding.decision
        ? [
            `  decision: ${finding.decision.decision} (entry ${finding.decision.seq}, ${finding.decision.ts}, policy ${finding.decision.policyVersion}, actor ${finding.decision.actor})`,
            ...finding.rules.map((r) => `    ${r.decision === "passed" ? "pass" : "FAIL"}  ${String(r.rule).padEnd(24)} ${typeof r.reason === "string" ? r.reason : JSON.stringify(r.reason)}  (entry ${r.seq})`),
          ]
        : []),
      "Checks:",
      ...checkLines(checks),
      verdictLine(checks),
    ],
  };
}

/**
 * Runs the CLI; returns the exit code. `io` lets tests capture output and inject a provider.
 *
 * @example
 * process.exitCode = await main(["token", "18446744073709551617", "--ipfs-gateway", "http://127.0.0.1:8080"]);
 */
export async function main(
  argv: readonly string[],
  io: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message ? `verify: ${e.message}\n\n` : ""}${USAGE}\n`);
      return e.message ? EXIT.USAGE : EXIT.OK;
    }
    throw e;
  }
  let chain: VerifierChain | undefined;
  try {
    let offline: { deployment: Deployment; reason: string } | undefined;
    try {
      chain = await connect(args, io);
    } catch (e) {
      // log and entry check everything they can offline; only the chain's part waits for the node.
      if (!(e instanceof UnreachableError) || (args.command !== "log" && args.command !== "entry")) throw e;
      offline = { deployment: readDeploymentFile(args.deployment), reason: e.message };
    }
    const outcome =
      args.command === "token"
        ? await runToken(args, chain!)
        : args.command === "file"
          ? await runFile(args, chain!)
          : args.command === "collection"
            ? await runCollection(args, chain!, io)
            : args.command === "log"
              ? await runLog(args, logChain(chain, offline))
              : args.command === "entry"
                ? await runEntry(args, logChain(chain, offline))
                : await runCompliance(args, chain!);
    io.stdout(args.json ? `${JSON.stringify(outcome.json, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n` : `${outcome.text.join("\n")}\n`);
    const verdict = overallVerdict(outcome.checks ?? []);
    return outcome.passed ? EXIT.OK : verdict === "unverifiable" ? EXIT.UNVERIFIABLE : EXIT.FAILED;
  } catch (e) {
    const message = e instanceof UsageError || e instanceof UnreachableError ? e.message : `cannot complete the verification: ${errorText(e)}`;
    if (args.json) io.stdout(`${JSON.stringify({ passed: false, error: message }, null, 2)}\n`);
    io.stderr(`verify: ${message}\n`);
    return EXIT.USAGE;
  } finally {
    if (!io.provider) (chain?.provider as JsonRpcProvider | undefined)?.destroy?.();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`verify: ${(e as Error).stack ?? e}\n`);
      process.exitCode = EXIT.USAGE;
    },
  );
}
