import type { Chain } from "../chain/chain";
import { AppError, ChainRevertError } from "../errors";
import type { AnchorRecord, LogEntry, LogFilter, Store } from "../store/store";
import {
  CSV_COLUMNS,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  GENESIS_HASH,
  MERKLE_SCHEME,
  anchorEvidenceId,
  anchorMetadata,
  csvRow,
  entryHash,
  exportLine,
  merkleProof,
  merkleRoot,
  toJsonSafe,
  verifyHashChain,
  type ChainBreakReason,
  type MerkleStep,
} from "../../shared/log-chain";
import { checkAnchorAgainstChain, type AnchorVerdictReason } from "../../shared/verify/log";
import { submitWrite } from "../audit/chain-write";
import type { Metrics } from "../http/metrics";
import { ANONYMOUS_ACTOR as ANONYMOUS, SYSTEM_ACTOR } from "../../shared/domain";
import type { AppendInput } from "../audit/journal";
import { waitForOutcome } from "../chain/tx-outcome";

/** pino-compatible subset. */
type LogFn = (obj: object, msg?: string) => void;
export interface SandboxLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface SandboxLogOptions {
  store: Store;
  /** Without a chain nothing is anchored: anchor() throws, maybeAnchor() and the timer do nothing. */
  chain?: Chain;
  /** maybeAnchor() anchors once this many entries are unanchored. */
  anchorEveryEntries: number;
  /** The timer started by start() anchors this often when anything is unanchored. */
  anchorEveryMinutes: number;
  /** Overrides anchorEveryMinutes with milliseconds (tests). */
  anchorEveryMs?: number;
  now?: () => Date;
  logger?: SandboxLogger;
  metrics?: { chainErrors: Pick<Metrics["chainErrors"], "inc"> };
}

type Ref = string | number | bigint | null | undefined;
export type { AppendInput };

/** What list() and export() filter on (seq paging is done by the cursor). */
export type SandboxFilter = Omit<LogFilter, "afterSeq" | "limit">;

export interface ListPage {
  entries: LogEntry[];
  /** Pass as `cursor` for the next page; null when this is the last page. */
  nextCursor: number | null;
}

export interface BadAnchor {
  id: number;
  fromSeq: number;
  toSeq: number;
  evidenceId: string;
  /** First entry of the anchored range. */
  firstSeq: number;
  reason:
    /** AnchorCheckReason, "chain-missing", "chain-mismatch" or "stored-root-mismatch" (shared/verify/log.ts). */
    | AnchorVerdictReason
    /** A "sandbox.anchor" log entry names an anchor that is not in the store. */
    | "anchor-missing";
  recomputedRoot: string | null;
  storedRoot: string;
  chainRoot: string | null;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries checked in the hash chain. */
  entries: number;
  lastSeq: number | null;
  /** `checked`: anchors checked; `ok`: how many passed; `onChain`: whether roots were compared with the chain. */
  anchors: { checked: number; ok: number; onChain: boolean };
  /** Entries after the last anchor. */
  unanchored: number;
  /** First broken entry of the hash chain. */
  firstBad?: { seq: number; reason: ChainBreakReason };
  /** First anchor that does not match the current store. */
  badAnchor?: BadAnchor;
}

export interface InclusionProof {
  entry: LogEntry;
  anchor: AnchorRecord;
  /** Position of the entry in the anchored range (seq - fromSeq). */
  leafIndex: number;
  leafCount: number;
  /** Verify with verifyMerkleProof(entry.hash, proof, anchor.root) and entryHash(entry) === entry.hash. */
  proof: MerkleStep[];
}

export const ANCHOR_ACTION = "sandbox.anchor";
export { SYSTEM_ACTOR };
const PAGE = 500;
const MAX_LIMIT = 1000;

const text = (v: Ref): string | null => (v === undefined || v === null ? null : String(v));

/**
 * The regulator's sandbox log: an append-only, hash-chained journal in the store whose ranges are
 * periodically anchored (Merkle root) in the EvidenceRegistry. See shared/log-chain.ts for the scheme.
 *
 * Anchoring is explicit (anchor(), maybeAnchor()) until start(); after start() a timer anchors every
 * anchorEveryMinutes and each append() triggers maybeAnchor() in the background. Every anchor appends an
 * "sandbox.anchor" entry after its range; that entry belongs to the next range, but an entry of that kind
 * alone is not worth an anchor of its own, so it never triggers one.
 */
export class SandboxLog {
  private readonly store: Store;
  private readonly chain: Chain | undefined;
  private readonly everyEntries: number;
  private readonly everyMs: number;
  private readonly now: () => Date;
  private readonly logger: SandboxLogger | undefined;
  private readonly metrics: { chainErrors: Pick<Metrics["chainErrors"], "inc"> };
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private background: Promise<void> | undefined;
  private kickAgain = false;
  private timerDue = false;
  private started = false;

  constructor(opts: SandboxLogOptions) {
    this.store = opts.store;
    this.chain = opts.chain;
    this.everyEntries = opts.anchorEveryEntries;
    this.everyMs = opts.anchorEveryMs ?? opts.anchorEveryMinutes * 60_000;
    if (!Number.isInteger(this.everyEntries) || this.everyEntries < 1) {
      throw new RangeError(`anchorEveryEntries must be a positive integer, got ${opts.anchorEveryEntries}`);
    }
    if (!Number.isFinite(this.everyMs) || this.everyMs <= 0) {
      throw new RangeError(`the anchoring interval must be positive, got ${this.everyMs} ms`);
    }
    this.now = opts.now ?? (() => new Date());
    this.logger = opts.logger;
    this.metrics = opts.metrics ?? { chainErrors: { inc: () => undefined } as unknown as Metrics["chainErrors"] };
  }

  // ─── Writing ──────────────────────────────────────────────────────────────────────────────

  /** Appends one hash-chained entry and returns it as stored. */
  async append(input: AppendInput): Promise<LogEntry> {
    if (typeof input.actor !== "string" || input.actor === "") throw new TypeError("sandbox log: actor is required");
    if (typeof input.action !== "string" || input.action === "") throw new TypeError("sandbox log: action is required");
    const payload = toJsonSafe(input.payload);
    const ts = this.now().toISOString();
    const entry = await this.store.log.append((last) => {
      const body: Omit<LogEntry, "hash"> = {
        seq: (last?.seq ?? 0) + 1,
        ts,
        actor: input.actor,
        action: input.action,
        rule: text(input.rule),
        decision: text(input.decision),
        collectionId: text(input.collectionId),
        tokenId: text(input.tokenId),
        policyVersion: text(input.policyVersion),
        inputHash: text(input.inputHash),
        ref: text(input.ref),
        payload,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      return { ...body, hash: entryHash(body) };
    });
    // Entries of callers without a valid key never make the gateway send a transaction.
    if (this.started && input.actor !== ANONYMOUS) this.kick();
    return entry;
  }

  // ─── Anchoring ────────────────────────────────────────────────────────────────────────────

  /**
   * Anchors every entry since the last anchor: Merkle root recorded in the EvidenceRegistry, anchor
   * stored, a "sandbox.anchor" entry appended. Undefined when there is nothing to anchor. Calls are
   * serialised, so concurrent calls anchor once. Refuses (LOG_TAMPERED) to anchor a range whose hash
   * chain is broken.
   */
  anchor(): Promise<AnchorRecord | undefined> {
    return this.locked(() => this.anchorNow(0));
  }

  /** Anchors when at least anchorEveryEntries entries are unanchored (no chain: does nothing). */
  maybeAnchor(): Promise<AnchorRecord | undefined> {
    if (!this.chain) return Promise.resolve(undefined);
    return this.locked(() => this.anchorNow(this.everyEntries));
  }

  /** Starts background anchoring (timer + after appends). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.chain) return;
    this.timer = setInterval(() => {
      this.timerDue = true;
      this.kick();
    }, this.everyMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops background anchoring and waits for an anchoring in progress. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.kickAgain = false;
    this.timerDue = false;
    await this.background;
    await this.lock;
  }

  /**
   * Background anchoring: one loop at a time; a kick while it runs makes it go round again. A timer tick
   * anchors anything unanchored, an append only a full batch of anchorEveryEntries.
   */
  private kick(): void {
    if (!this.chain || !this.started) return;
    if (this.background) {
      this.kickAgain = true;
      return;
    }
    const run = async () => {
      do {
        this.kickAgain = false;
        const threshold = this.timerDue ? 1 : this.everyEntries;
        this.timerDue = false;
        try {
          await this.locked(() => this.anchorNow(threshold));
        } catch (e) {
          this.logger?.error({ err: e }, "sandbox log: background anchoring failed");
          return;
        }
      } while (this.kickAgain && this.started);
    };
    this.background = run().finally(() => {
      this.background = undefined;
    });
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn, fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  /** Must run under the lock. Anchors when at least `threshold` entries are unanchored. */
  private async anchorNow(threshold: number): Promise<AnchorRecord | undefined> {
    const lastAnchor = await this.store.anchors.last();
    const last = await this.store.log.last();
    const fromSeq = (lastAnchor?.toSeq ?? 0) + 1;
    if (!last || last.seq < fromSeq) return undefined;
    const toSeq = last.seq;
    // What counts towards anchoring: entries of authenticated actors and of the gateway's own work, not
    // the anchor entries themselves, and not the (aggregated) failures of callers without a valid key.
    // The previous anchor's own entry alone is not worth anchoring (or anchoring would never stop).
    if (toSeq === fromSeq && last.action === ANCHOR_ACTION && last.actor === SYSTEM_ACTOR) return undefined;
    if (threshold > 0) {
      const counted = await this.store.log.countAfter(fromSeq - 1, [ANONYMOUS, SYSTEM_ACTOR]);
      if (counted === 0 || counted < threshold) return undefined;
    }
    const chain = this.chain;
    if (!chain) throw new AppError("CHAIN_UNAVAILABLE");

    const entries = await this.store.log.range(fromSeq, toSeq);
    const before = fromSeq > 1 ? (await this.store.log.range(fromSeq - 1, fromSeq - 1))[0] : undefined;
    const check = verifyHashChain(entries, { startPrevHash: before?.hash ?? GENESIS_HASH, startSeq: fromSeq });
    if (!check.ok || entries.length !== toSeq - fromSeq + 1) {
      const firstBad = check.ok ? { seq: fromSeq, reason: "seq-gap" as const } : check.firstBad;
      this.logger?.error({ firstBad, fromSeq, toSeq }, "sandbox log: refusing to anchor a broken hash chain");
      throw new AppError("LOG_TAMPERED", { seq: firstBad.seq, reason: firstBad.reason }, { details: firstBad });
    }
    const root = merkleRoot(entries.map((e) => e.hash));
    const evidenceId = anchorEvidenceId(fromSeq, toSeq);
    const metadata = anchorMetadata(fromSeq, toSeq, last.hash);
    const { txHash, blockNumber } = await this.record(chain, evidenceId, root, metadata);
    const anchor = await this.store.anchors.add({
      fromSeq,
      toSeq,
      root,
      evidenceId,
      txHash,
      blockNumber,
      createdAt: this.now().toISOString(),
    });
    await this.append({
      actor: SYSTEM_ACTOR,
      action: ANCHOR_ACTION,
      decision: "anchored",
      ref: txHash,
      payload: { anchorId: anchor.id, fromSeq, toSeq, root, evidenceId, txHash, blockNumber, merkle: MERKLE_SCHEME },
    });
    this.logger?.info({ fromSeq, toSeq, root, txHash }, "sandbox log anchored");
    return anchor;
  }

  /**
   * Records the root; if an earlier attempt recorded this very anchor but crashed before storing it,
   * adopts that record instead of failing with EvidenceAlreadyExists.
   */
  private async record(chain: Chain, evidenceId: string, root: string, metadata: string) {
    const exists = await chain.read(() => chain.evidence.existsById(evidenceId));
    if (exists) {
      const ev = await chain.read(() => chain.evidence.findById(evidenceId));
      if (ev.hash.toLowerCase() !== root.toLowerCase()) {
        throw new AppError("ANCHOR_CONFLICT", { reason: `evidence ${evidenceId} holds another root` }, {
          details: { evidenceId, root, chainRoot: ev.hash },
        });
      }
      const bn = Number(ev.blockNumber);
      const events = await chain.read(() =>
        chain.evidence.queryFilter(chain.evidence.filters.EvidenceRecorded(evidenceId), bn, bn),
      );
      const txHash = events[0]?.transactionHash;
      if (!txHash) throw new AppError("ANCHOR_CONFLICT", { reason: `no transaction found for evidence ${evidenceId}` });
      this.logger?.warn({ evidenceId, txHash }, "sandbox log: adopting an anchor recorded by an earlier attempt");
      return { txHash, blockNumber: bn };
    }
    const write = {
      role: "operator" as const,
      contract: "evidence" as const,
      method: "record",
      args: [evidenceId, root, metadata],
      actor: SYSTEM_ACTOR,
      purpose: `anchor:${evidenceId}`,
    };
    const sent = await submitWrite({ chain, sandbox: this, metrics: this.metrics }, write);
    const outcome = await waitForOutcome(chain.provider, sent, 120_000);
    if (outcome.state !== "mined") {
      throw new AppError("ANCHOR_CONFLICT", { reason: `the anchor transaction ${sent.hash} is ${outcome.state}` });
    }
    return { txHash: sent.hash, blockNumber: outcome.receipt.blockNumber };
  }

  // ─── Verification ─────────────────────────────────────────────────────────────────────────

  /**
   * Recomputes the hash chain over every entry, then checks every stored anchor: its range rebuilt from
   * the CURRENT store must give the root recorded on chain and in the store. A store whose hash chain was
   * recomputed after an edit passes the first check and fails the second. Chain down: UnavailableError.
   */
  async verify(): Promise<VerifyReport> {
    // 1. Hash chain, page by page.
    let count = 0;
    let lastSeq: number | null = null;
    let prevHash = GENESIS_HASH;
    let firstBad: VerifyReport["firstBad"];
    for (;;) {
      const page = await this.store.log.list({ afterSeq: lastSeq ?? 0, limit: PAGE });
      if (page.length === 0) break;
      const r = verifyHashChain(page, { startPrevHash: prevHash, startSeq: (lastSeq ?? 0) + 1 });
      if (!r.ok) {
        firstBad = r.firstBad;
        break;
      }
      count += page.length;
      lastSeq = page[page.length - 1].seq;
      prevHash = r.lastHash;
    }
    const lastEntry = await this.store.log.last();

    // 2. Anchors.
    const anchors = await this.store.anchors.list();
    let okCount = 0;
    let badAnchor: BadAnchor | undefined;
    let expectedFrom = 1;
    for (const a of anchors) {
      const bad = await this.checkStoredAnchor(a, expectedFrom);
      expectedFrom = a.toSeq + 1;
      if (bad) badAnchor ??= bad;
      else okCount += 1;
    }

    // 3. Every anchor announced in the log must still be in the store.
    if (!badAnchor) {
      const stored = new Map(anchors.map((a) => [a.evidenceId.toLowerCase(), a]));
      for (const e of await this.store.log.list({ action: ANCHOR_ACTION, actor: SYSTEM_ACTOR })) {
        const p = e.payload as { anchorId?: number; fromSeq?: number; toSeq?: number; evidenceId?: string; root?: string };
        if (typeof p?.evidenceId !== "string") continue;
        const a = stored.get(p.evidenceId.toLowerCase());
        if (!a || a.root.toLowerCase() !== String(p.root).toLowerCase()) {
          badAnchor = {
            id: a?.id ?? p.anchorId ?? 0,
            fromSeq: a?.fromSeq ?? p.fromSeq ?? 0,
            toSeq: a?.toSeq ?? p.toSeq ?? 0,
            evidenceId: p.evidenceId,
            firstSeq: a?.fromSeq ?? p.fromSeq ?? 0,
            reason: "anchor-missing",
            recomputedRoot: null,
            storedRoot: a?.root ?? "",
            chainRoot: null,
          };
          break;
        }
      }
    }

    const lastAnchored = anchors.at(-1)?.toSeq ?? 0;
    const report: VerifyReport = {
      ok: !firstBad && !badAnchor,
      entries: count,
      lastSeq: lastEntry?.seq ?? null,
      anchors: { checked: anchors.length, ok: okCount, onChain: this.chain !== undefined },
      unanchored: Math.max(0, (lastEntry?.seq ?? 0) - lastAnchored),
    };
    if (firstBad) report.firstBad = firstBad;
    if (badAnchor) report.badAnchor = badAnchor;
    if (!report.ok) this.logger?.warn({ firstBad, badAnchor }, "sandbox log verification failed");
    return report;
  }

  private async checkStoredAnchor(a: AnchorRecord, expectedFrom: number): Promise<BadAnchor | undefined> {
    const bad = (reason: BadAnchor["reason"], recomputedRoot: string | null, chainRoot: string | null): BadAnchor => ({
      id: a.id,
      fromSeq: a.fromSeq,
      toSeq: a.toSeq,
      evidenceId: a.evidenceId,
      firstSeq: a.fromSeq,
      reason,
      recomputedRoot,
      storedRoot: a.root,
      chainRoot,
    });
    // The one anchor check shared with the auditor's verifier (shared/verify/log.ts).
    const chain = this.chain;
    const chainRoot = chain
      ? async (evidenceId: string) => {
          try {
            return (await chain.read(() => chain.evidence.findById(evidenceId))).hash;
          } catch (e) {
            if (e instanceof ChainRevertError && e.errorName === "EvidenceNotFound") return null;
            throw e;
          }
        }
      : undefined;
    const entries = a.fromSeq === expectedFrom ? await this.store.log.range(a.fromSeq, a.toSeq) : [];
    const v = await checkAnchorAgainstChain(a, entries, { chainRoot, expectedFromSeq: expectedFrom });
    if (!v.ok) return bad(v.reason!, v.recomputedRoot, v.chainRoot);
    return undefined;
  }

  // ─── Reading ──────────────────────────────────────────────────────────────────────────────

  /** One page of entries in seq order; `cursor` is the last seq of the previous page. */
  async list(filter: SandboxFilter = {}, page: { limit?: number; cursor?: number | string | null } = {}): Promise<ListPage> {
    const limit = page.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new AppError("BAD_LIMIT", { max: MAX_LIMIT });
    }
    const afterSeq = parseCursor(page.cursor);
    const rows = await this.store.log.list({ ...stripPaging(filter), afterSeq, limit: limit + 1 });
    const entries = rows.slice(0, limit);
    return { entries, nextCursor: rows.length > limit ? entries[entries.length - 1].seq : null };
  }

  /**
   * The entries matching `filter`, as of the call (later appends are not included), one line per chunk.
   * JSONL: the format of shared/log-chain.ts (header, entries, then the anchors covering them), lines
   * ending in LF. CSV: RFC 4180 with a header row, CRLF line ends, payload as a JSON column.
   */
  async *export(filter: SandboxFilter = {}, format: "jsonl" | "csv" = "jsonl"): AsyncGenerator<string> {
    if (format !== "jsonl" && format !== "csv") throw new AppError("BAD_FORMAT", { allowed: ["jsonl", "csv"] });
    const f = stripPaging(filter);
    const endSeq = (await this.store.log.last())?.seq ?? 0;
    const anchors = format === "jsonl" ? await this.store.anchors.list() : [];
    const covered = new Set<number>();
    if (format === "jsonl") {
      yield `${exportLine({
        type: "header",
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        generatedAt: this.now().toISOString(),
        chainId: this.chain?.chainId ?? null,
        evidenceRegistry: this.chain?.deployment.contracts.evidenceRegistry.address ?? null,
        merkle: MERKLE_SCHEME,
        filter: toJsonSafe(f) as Record<string, unknown>,
      })}\n`;
    } else {
      yield `${CSV_COLUMNS.join(",")}\r\n`;
    }
    let after = 0;
    for (;;) {
      const rows = (await this.store.log.list({ ...f, afterSeq: after, limit: PAGE })).filter((e) => e.seq <= endSeq);
      for (const e of rows) {
        if (format === "csv") {
          yield `${csvRow(e)}\r\n`;
        } else {
          yield `${exportLine({ type: "entry", ...e })}\n`;
          const i = anchorIndexOf(anchors, e.seq);
          if (i >= 0) covered.add(i);
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }
    for (const [i, a] of anchors.entries()) {
      if (!covered.has(i)) continue;
      yield `${exportLine({
        type: "anchor",
        fromSeq: a.fromSeq,
        toSeq: a.toSeq,
        root: a.root,
        evidenceId: a.evidenceId,
        txHash: a.txHash,
        blockNumber: a.blockNumber,
        createdAt: a.createdAt,
      })}\n`;
    }
  }

  /** The whole export as one string. */
  async exportText(filter: SandboxFilter = {}, format: "jsonl" | "csv" = "jsonl"): Promise<string> {
    let out = "";
    for await (const chunk of this.export(filter, format)) out += chunk;
    return out;
  }

  /** The inclusion proof of entry `seq` in its anchor, or undefined when the entry is not anchored (yet). */
  async proof(seq: number): Promise<InclusionProof | undefined> {
    const anchors = await this.store.anchors.list();
    const i = anchorIndexOf(anchors, seq);
    if (i < 0) return undefined;
    const anchor = anchors[i];
    const entries = await this.store.log.range(anchor.fromSeq, anchor.toSeq);
    const leafIndex = entries.findIndex((e) => e.seq === seq);
    if (leafIndex < 0) return undefined;
    return {
      entry: entries[leafIndex],
      anchor,
      leafIndex,
      leafCount: entries.length,
      proof: merkleProof(
        entries.map((e) => e.hash),
        leafIndex,
      ),
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

/** Index of the anchor (sorted by seq, contiguous) whose range holds `seq`, or -1. */
function anchorIndexOf(anchors: readonly AnchorRecord[], seq: number): number {
  let lo = 0;
  let hi = anchors.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = anchors[mid];
    if (seq < a.fromSeq) hi = mid - 1;
    else if (seq > a.toSeq) lo = mid + 1;
    else return mid;
  }
  return -1;
}
