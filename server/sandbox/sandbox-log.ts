import { SYSTEM_ACTOR } from "../../shared/domain";
import { fromHex, toHex } from "../../shared/log/bytes";
import { LogError } from "../../shared/log/errors";
import { toConsistencyProofJson, toInclusionReceipt } from "../../shared/log/receipt";
import type { LogEntry } from "../../shared/log/entry";
import { nodeMerkleHasher } from "../../shared/log/node/sha256";
import { chainCheckpoints, verifyLog, type LogSource, type LogVerification } from "../../shared/verify/log";
import type { AppendInput, Journal as AuditJournal } from "../audit/journal";
import type { Chain } from "../chain/chain";
import { AppError } from "../errors";
import type { Metrics } from "../http/metrics";
import type { CheckpointRecord, LogFilter, Store } from "../store/store";
import { Anchorer, ANCHOR_ACTION } from "./anchorer";
import { exportLog, type ExportFormat } from "./export";
import { Journal } from "./journal";
import { openLogIdentity, type LogIdentity } from "./log-key";

export { ANCHOR_ACTION, SYSTEM_ACTOR };
export type { AppendInput };

type LogFn = (obj: object, msg?: string) => void;
export interface SandboxLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SandboxLogOptions {
  store: Store;
  /** Without a chain nothing is anchored. */
  chain?: Chain;
  anchorEveryEntries: number;
  anchorEveryMinutes: number;
  /** Overrides anchorEveryMinutes with milliseconds (tests). */
  anchorEveryMs?: number;
  now?: () => Date;
  logger?: SandboxLogger;
  metrics?: { chainErrors: Pick<Metrics["chainErrors"], "inc"> };
  /** The checkpoint signing key (PRIVATE+KEY+…); default: generated on first start, kept in the store. */
  signingKey?: string;
  /** The chain id and EvidenceRegistry the log anchors in (when there is no chain: a placeholder origin). */
}

/** What list() and export() filter on (seq paging is done by the cursor). */
export type SandboxFilter = Omit<LogFilter, "afterSeq" | "limit">;

export interface ListPage {
  entries: LogEntry[];
  nextCursor: number | null;
}

export type VerifyReport = Omit<LogVerification, "checks" | "root"> & { root: string | null; checks: LogVerification["checks"] };

const MAX_LIMIT = 1000;
const PAGE = 1000;

/**
 * The regulator's sandbox log, by job: the journal (append with the tree's nodes, reads, proofs), the
 * anchorer (pace, checkpoints recorded on chain), verification (shared/verify/log.ts, the very code the
 * auditor's CLI runs) and export (./export.ts).
 */
export class SandboxLog implements AuditJournal {
  readonly journal: Journal;
  private anchorer!: Anchorer;
  private identity!: LogIdentity;
  private ready: Promise<void> | undefined;

  constructor(private readonly opts: SandboxLogOptions) {
    if (!Number.isInteger(opts.anchorEveryEntries) || opts.anchorEveryEntries < 1) {
      throw new RangeError(`anchorEveryEntries must be a positive integer, got ${opts.anchorEveryEntries}`);
    }
    const everyMs = opts.anchorEveryMs ?? opts.anchorEveryMinutes * 60_000;
    if (!Number.isFinite(everyMs) || everyMs <= 0) throw new RangeError(`the anchoring interval must be positive, got ${everyMs} ms`);
    this.journal = new Journal(opts.store, { now: opts.now });
  }

  /** Opens the log's key, and builds the tree over entries written before it (once). */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const chainId = this.opts.chain?.chainId ?? 0;
      const registry = this.opts.chain?.deployment.contracts.evidenceRegistry.address ?? `0x${"0".repeat(40)}`;
      this.identity = await openLogIdentity(this.opts.store, chainId, registry, this.opts.signingKey);
      await this.journal.init();
      this.anchorer = new Anchorer(
        {
          store: this.opts.store,
          chain: this.opts.chain,
          journal: this.journal,
          identity: this.identity,
          metrics: this.opts.metrics ?? { chainErrors: { inc: () => undefined } as unknown as Metrics["chainErrors"] },
        },
        { everyEntries: this.opts.anchorEveryEntries, everyMs: this.opts.anchorEveryMs ?? this.opts.anchorEveryMinutes * 60_000, logger: this.opts.logger },
      );
      this.journal.listen((e) => {
        // Entries of callers without a valid key never make the gateway send a transaction.
        if (e.actor !== "anonymous" && e.actor !== SYSTEM_ACTOR) this.anchorer.kick();
      });
    })();
    return this.ready;
  }

  get logIdentity(): LogIdentity {
    return this.identity;
  }

  async append(input: AppendInput): Promise<LogEntry> {
    await this.init();
    return this.journal.append(input);
  }

  async appendOnce(input: AppendInput & { ref: string }): Promise<LogEntry> {
    await this.init();
    return this.journal.appendOnce(input);
  }

  start(): void {
    void this.init().then(() => this.anchorer.start());
  }

  async stop(): Promise<void> {
    if (!this.ready) return;
    await this.ready.catch(() => undefined);
    await this.anchorer?.stop();
  }

  /** Anchors a checkpoint of everything unanchored now; undefined when there is nothing to anchor. */
  async anchor(): Promise<CheckpointRecord | undefined> {
    await this.init();
    return this.anchorer.anchor();
  }

  /** The store's log as the verification's source. */
  private async source(): Promise<LogSource> {
    await this.init();
    const store = this.opts.store;
    return {
      origin: this.identity.origin,
      logId: this.identity.logId,
      verifierKey: this.identity.verifierKey,
      leafHashFrom: this.journal.firstLeafHashSeq,
      entries: async function* () {
        let after = 0;
        for (;;) {
          const page = await store.log.list({ afterSeq: after, limit: PAGE });
          yield* page;
          if (page.length < PAGE) return;
          after = page[page.length - 1].seq;
        }
      },
      checkpoints: await store.checkpoints.list(),
      legacyAnchors: await store.anchors.list(),
    };
  }

  /**
   * Recomputes the whole log from its entries and checks every checkpoint, and every checkpoint this log
   * has on chain: the same verification as the auditor's CLI. Names the first broken entry or checkpoint.
   */
  async verify(): Promise<VerifyReport> {
    const source = await this.source();
    const chain = this.opts.chain ? chainCheckpoints(this.opts.chain, source.logId) : undefined;
    // A node that cannot be read makes the chain's checks unverifiable (reported), never a failed request.
    const report = await verifyLog(source, chain, { hasher: nodeMerkleHasher });
    // The stored nodes must give the same root as the entries (proofs are served from them).
    const size = await this.journal.size();
    if (size > 0 && report.root) {
      let stored: string;
      try {
        stored = `0x${toHex(await this.journal.root(size))}`;
      } catch (e) {
        if (!(e instanceof LogError)) throw e;
        stored = `none (${e.shortMessage})`;
      }
      if (stored === report.root.toLowerCase()) {
        report.checks.push({ check: "log-tree", verdict: "passed", passed: true, reason: `the stored tree that proofs are served from has the entries' root at size ${size}` });
      } else {
        report.ok = false;
        report.verdict = "failed";
        report.checks.push({ check: "log-tree", verdict: "failed", passed: false, reason: `the stored tree's root at size ${size} is ${stored}, not the root of the entries ${report.root}` });
      }
    }
    if (!report.ok) this.opts.logger?.warn({ firstBad: report.firstBad, checks: report.checks.filter((c) => !c.passed) }, "sandbox log verification failed");
    return report;
  }

  /** One page of entries in seq order; `cursor` is the last seq of the previous page. */
  async list(filter: SandboxFilter = {}, page: { limit?: number; cursor?: number | string | null } = {}): Promise<ListPage> {
    const limit = page.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new AppError("BAD_LIMIT", { max: MAX_LIMIT });
    const afterSeq = parseCursor(page.cursor);
    const rows = await this.opts.store.log.list({ ...stripPaging(filter), afterSeq, limit: limit + 1 });
    const entries = rows.slice(0, limit);
    return { entries, nextCursor: rows.length > limit ? entries[entries.length - 1].seq : null };
  }

  /** The export, chunk by chunk: JSONL, CSV, or the offline bundle (see ./export.ts). */
  async *export(filter: SandboxFilter = {}, format: ExportFormat = "jsonl"): AsyncGenerator<string> {
    await this.init();
    yield* exportLog({ store: this.opts.store, journal: this.journal, identity: this.identity, chain: this.opts.chain, now: this.opts.now }, stripPaging(filter), format);
  }

  async exportText(filter: SandboxFilter = {}, format: ExportFormat = "jsonl"): Promise<string> {
    let out = "";
    for await (const chunk of this.export(filter, format)) out += chunk;
    return out;
  }

  /**
   * An entry's receipt: the entry, its inclusion proof against a checkpoint of the whole log now (signed),
   * and, once anchored, against the latest anchored checkpoint, with where that checkpoint is on chain.
   */
  async proof(seq: number) {
    await this.init();
    const store = this.opts.store;
    if (!Number.isSafeInteger(seq) || seq < 1) throw new AppError("LOG_ENTRY_NOT_FOUND", { seq });
    const entry = (await store.log.range(seq, seq))[0];
    if (!entry) throw new AppError("LOG_ENTRY_NOT_FOUND", { seq });
    const size = await this.journal.size();
    const leafHash = this.journal.leafHash(entry);
    const root = await this.journal.root(size);
    const latest = toInclusionReceipt({ index: seq - 1, treeSize: size, leafHash, proof: await this.journal.inclusion(seq, size), root, checkpoint: this.identity.sign(size, root) });
    const anchoredCp = await store.checkpoints.lastAnchored();
    let anchored = null;
    if (anchoredCp && anchoredCp.size >= seq && anchoredCp.anchor) {
      anchored = {
        receipt: toInclusionReceipt({
          index: seq - 1,
          treeSize: anchoredCp.size,
          leafHash,
          proof: await this.journal.inclusion(seq, anchoredCp.size),
          root: fromHex(anchoredCp.root.slice(2)),
          checkpoint: anchoredCp.note,
        }),
        anchor: { ...anchoredCp.anchor, logId: this.identity.logId },
      };
    }
    return {
      entry,
      origin: this.identity.origin,
      logId: this.identity.logId,
      verifierKey: this.identity.verifierKey,
      chainId: this.opts.chain?.chainId ?? null,
      evidenceRegistry: this.opts.chain?.deployment.contracts.evidenceRegistry.address ?? null,
      latest,
      anchored,
    };
  }

  /** An RFC 9162 consistency proof between two tree sizes. */
  async consistency(from: number, to: number) {
    await this.init();
    const size = await this.journal.size();
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || from > to || to > size) {
      throw new AppError("VALIDATION_FAILED", { where: "query", summary: `need 1 ≤ from ≤ to ≤ ${size}` }, { details: [{ in: "query", path: "from", message: `need 1 ≤ from ≤ to ≤ ${size}`, code: "custom" }] });
    }
    const [rootFrom, rootTo, proof] = await Promise.all([this.journal.root(from), this.journal.root(to), this.journal.consistency(from, to)]);
    return { ...toConsistencyProofJson(from, to, proof), rootFrom: `0x${toHex(rootFrom)}`, rootTo: `0x${toHex(rootTo)}` };
  }

  /** The log's identity and public key. */
  async logKey() {
    await this.init();
    return {
      origin: this.identity.origin,
      logId: this.identity.logId,
      verifierKey: this.identity.verifierKey,
      algorithm: "ed25519" as const,
      format: "c2sp.org/signed-note + c2sp.org/tlog-checkpoint" as const,
      tree: "rfc9162-sha256" as const,
    };
  }
}

/** Factory form of `new SandboxLog(opts)`. */
export function createSandboxLog(opts: SandboxLogOptions): SandboxLog {
  return new SandboxLog(opts);
}

function stripPaging(filter: SandboxFilter & { afterSeq?: unknown; limit?: unknown }): SandboxFilter {
  const { afterSeq: _a, limit: _l, ...rest } = filter;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as SandboxFilter;
}

function parseCursor(cursor: number | string | null | undefined): number {
  if (cursor === undefined || cursor === null || cursor === "") return 0;
  const n = typeof cursor === "number" ? cursor : /^[0-9]{1,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError("BAD_CURSOR");
  return n;
}
