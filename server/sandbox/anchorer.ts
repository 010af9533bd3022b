import { Interface } from "ethers";
import { SYSTEM_ACTOR } from "../../shared/domain";
import { fromHex, toHex } from "../../shared/log/bytes";
import { nodeMerkleHasher } from "../../shared/log/node/sha256";
import { verifyConsistency } from "../../shared/log/verify-consistency";
import { recordOutcome, submitWrite, type ChainWrite } from "../audit/chain-write";
import type { Chain } from "../chain/chain";
import { waitForOutcome } from "../chain/tx-outcome";
import { AppError } from "../errors";
import type { Metrics } from "../http/metrics";
import type { Leadership } from "../store/db";
import type { CheckpointRecord, Store } from "../store/store";
import type { Journal } from "./journal";
import type { LogIdentity } from "./log-key";

export const ANCHOR_ACTION = "sandbox.anchor";

/** kv key: the tree size a regulator asked a gateway that does not anchor to have anchored (the anchoring gateway serves it). */
export const ANCHOR_REQUEST = "sandbox.anchorRequest";

const CHECKPOINT_ANCHORED = new Interface([
  "event CheckpointAnchored(bytes32 indexed logId, uint256 indexed index, uint64 treeSize, bytes32 rootHash, address indexed anchorer)",
]);

type LogFn = (obj: object, msg?: string) => void;

/** The latest checkpoint of this log in the EvidenceRegistry. */
export interface OnChainHead {
  index: number;
  treeSize: number;
  rootHash: string;
}

/** What anchoring does now: record a new checkpoint, or adopt the one the chain already holds for this size. */
export type AnchorPlan = { kind: "anchor"; size: number; root: Uint8Array; note: string } | { kind: "adopt"; index: number; size: number; root: Uint8Array };

export interface AnchorerOptions {
  /** An append anchors once this many entries (of authenticated actors) are unanchored. */
  everyEntries: number;
  /** The timer anchors this often when anything of an authenticated actor is unanchored. */
  everyMs: number;
  /** How often a gateway that does not anchor tries to take over, and the anchoring one looks for requests (ms). */
  leaderPollMs?: number;
  /** How long "anchor now" on a gateway that does not anchor waits for the anchoring one (ms). */
  requestTimeoutMs?: number;
  logger?: { info: LogFn; warn: LogFn; error: LogFn };
}

/**
 * Anchors checkpoints of the sandbox log's tree in the EvidenceRegistry's append-only checkpoint record,
 * with the ANCHOR key (never the operator's). Before recording a checkpoint it checks the RFC 9162
 * consistency proof from the last anchored one (a rewritten history cannot be anchored), and that the
 * last anchored root it holds is the one on chain. The contract refuses a tree size that does not grow.
 *
 * Pace: after ANCHOR_EVERY_ENTRIES entries, and every ANCHOR_EVERY_MINUTES when anything is unanchored;
 * entries of callers without a valid key (aggregated auth failures) and the anchors' own entries never
 * count, so nothing an unauthenticated caller does makes the gateway send a transaction.
 *
 * Several gateways on one store: one anchors at a time (the store's "anchorer" leadership, held for the
 * process's life), so two never race for the anchor key's nonce nor anchor the same size twice; another
 * takes over within leaderPollMs of the holder's death. "Anchor now" on a gateway that does not anchor
 * asks the one that does (through the store) and answers with its checkpoint.
 */
export class Anchorer {
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private background: Promise<void> | undefined;
  private again = false;
  private timerDue = false;
  private started = false;
  private leaderTimer: NodeJS.Timeout | undefined;
  private leadership: Leadership | undefined;
  private asking: Promise<boolean> | undefined;

  constructor(
    private readonly deps: { store: Store; chain: Chain | undefined; journal: Journal; identity: LogIdentity; metrics: { chainErrors: Pick<Metrics["chainErrors"], "inc"> } },
    private readonly opts: AnchorerOptions,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.deps.chain?.signer("anchorer")) return;
    this.timer = setInterval(() => {
      this.timerDue = true;
      this.kick();
    }, this.opts.everyMs);
    this.timer.unref();
    this.leaderTimer = setInterval(() => this.kick(), this.opts.leaderPollMs ?? 1_000);
    this.leaderTimer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    if (this.leaderTimer) clearInterval(this.leaderTimer);
    this.timer = this.leaderTimer = undefined;
    this.again = false;
    await this.background;
    await this.lock;
    await this.leadership?.();
    this.leadership = undefined;
  }

  /** Whether this gateway anchors the log (taking the leadership when nobody holds it). */
  async leads(): Promise<boolean> {
    if (this.leadership?.lost) this.leadership = undefined;
    if (this.leadership) return true;
    // One attempt at a time: concurrent attempts would each take a connection, and one that failed could
    // overwrite the one that won, leaving the lock held by a connection nobody releases.
    this.asking ??= this.deps.store.db
      .tryLeadership("anchorer")
      .then((l) => {
        this.leadership = l;
        return l !== undefined;
      })
      .finally(() => (this.asking = undefined));
    return this.asking;
  }

  /** After an append: anchor in the background when a full batch is unanchored. */
  kick(): void {
    if (!this.started || !this.deps.chain?.signer("anchorer")) return;
    if (this.background) {
      this.again = true;
      return;
    }
    const run = async () => {
      do {
        this.again = false;
        try {
          // Not the anchoring gateway: the next tick tries again (the holder may have died).
          if (!(await this.leads())) return;
          const requested = Number((await this.deps.store.kv.get(ANCHOR_REQUEST)) ?? 0);
          const anchored = (await this.deps.store.checkpoints.lastAnchored())?.size ?? 0;
          const threshold = requested > anchored ? 0 : this.timerDue ? 1 : this.opts.everyEntries;
          this.timerDue = false;
          await this.locked(() => this.anchorNow(threshold));
        } catch (e) {
          this.opts.logger?.error({ err: e }, "sandbox log: background anchoring failed");
          return;
        }
      } while (this.again && this.started);
    };
    this.background = run().finally(() => {
      this.background = undefined;
    });
  }

  /**
   * Anchors now whatever is unanchored (the regulator's "anchor now"). On a gateway that does not anchor,
   * asks the one that does and waits for its checkpoint; CHAIN_TIMEOUT when it does not come in time.
   */
  async anchor(): Promise<CheckpointRecord | undefined> {
    if (!this.deps.chain?.signer("anchorer") || (await this.leads())) return this.locked(() => this.anchorNow(0));
    const due = await this.due(0);
    if (!due) return undefined;
    const { store } = this.deps;
    await store.kv.set(ANCHOR_REQUEST, String(due.size));
    const timeoutMs = this.opts.requestTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = await store.checkpoints.lastAnchored();
      if (last && last.size >= due.size) return last;
      if (Date.now() > deadline) throw new AppError("CHAIN_TIMEOUT", { timeoutMs });
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The log's size and its last anchored checkpoint when enough is unanchored to anchor (threshold 0: anything). */
  private async due(threshold: number): Promise<{ size: number; prev: CheckpointRecord | undefined } | undefined> {
    const { store, journal } = this.deps;
    const size = await journal.size();
    const prev = await store.checkpoints.lastAnchored();
    if (size === 0 || (prev && prev.size >= size)) return undefined;
    const counted = await journal.countable(prev?.size ?? 0, SYSTEM_ACTOR);
    if (counted === 0 || (threshold > 0 && counted < threshold)) return undefined;
    return { size, prev };
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn, fn);
    this.lock = result.catch(() => undefined);
    return result;
  }

  private async anchorNow(threshold: number): Promise<CheckpointRecord | undefined> {
    const chain = this.deps.chain;
    if (!chain?.signer("anchorer")) throw new AppError("CHAIN_UNAVAILABLE", {}, { details: { reason: "no anchor key on this gateway" } });
    const onChain = await this.latestOnChain(chain);
    if (onChain) {
      // A transaction still pending when an earlier attempt gave up has since been mined: note where.
      const stored = await this.deps.store.checkpoints.get(onChain.treeSize);
      if (stored && !stored.anchor && stored.root.toLowerCase() === onChain.rootHash.toLowerCase()) await this.adopt(onChain.index, stored.size, fromHex(stored.root.slice(2)));
    }
    const plan = await this.plan(threshold, onChain);
    if (!plan) return undefined;
    return plan.kind === "adopt" ? this.adopt(plan.index, plan.size, plan.root) : this.record(chain, plan);
  }

  /**
   * The gateway's half of anchoring (store reads, hashing, the signature; no transaction): the checkpoint
   * to anchor now, or the on-chain one to adopt, or nothing. The tree must extend every anchored head it
   * knows, the chain's latest checkpoint (the record that counts) and the last one this gateway stored:
   * a store whose history was rewritten cannot be anchored, and the chain is never asked to record it.
   *
   * @internal public for bench/log.ts, which measures it at a million entries.
   */
  async plan(threshold: number, onChain: OnChainHead | undefined): Promise<AnchorPlan | undefined> {
    const { store, journal, identity } = this.deps;
    const prev = await store.checkpoints.lastAnchored();
    // Counted before the size is read, so that every entry counted is inside the tree anchored below
    // (appends go on meanwhile).
    const counted = await journal.countable(Math.max(prev?.size ?? 0, onChain?.treeSize ?? 0), SYSTEM_ACTOR);
    const size = await journal.size();
    if (size === 0) return undefined;
    if (onChain && onChain.treeSize > size) {
      throw new AppError("ANCHOR_CONFLICT", { reason: `checkpoint #${onChain.index} on chain covers ${onChain.treeSize} entries, the log holds ${size}: entries are missing from the store` });
    }
    if (prev?.anchor && (!onChain || prev.anchor.index > onChain.index)) {
      throw new AppError("ANCHOR_CONFLICT", { reason: `checkpoint #${prev.anchor.index} (size ${prev.size}) is stored as anchored but is not on chain` });
    }
    if (prev && prev.size >= size) return undefined;
    // An earlier attempt (or another gateway) anchored this very size: adopt it if it is this tree.
    const adoptable = onChain?.treeSize === size;
    if (!adoptable && (counted === 0 || (threshold > 0 && counted < threshold))) return undefined;
    const root = await journal.root(size);
    if (onChain && adoptable) {
      if (onChain.rootHash.toLowerCase() !== `0x${toHex(root)}`) throw new AppError("LOG_TAMPERED", { seq: size, reason: `checkpoint #${onChain.index} on chain holds another root for this size` });
      return { kind: "adopt", index: onChain.index, size, root };
    }

    const heads = [
      ...(onChain ? [{ size: onChain.treeSize, root: onChain.rootHash, what: `checkpoint #${onChain.index} on chain` }] : []),
      ...(prev && !(onChain && prev.size === onChain.treeSize && prev.root.toLowerCase() === onChain.rootHash.toLowerCase())
        ? [{ size: prev.size, root: prev.root, what: "the last checkpoint this gateway anchored" }]
        : []),
    ];
    for (const head of heads) {
      const proof = await journal.consistency(head.size, size);
      const ok = verifyConsistency(head.size, size, fromHex(head.root.slice(2)), root, proof, nodeMerkleHasher);
      if (!ok.ok) {
        this.opts.logger?.error({ from: head.size, to: size, reason: ok.reason }, "sandbox log: the tree does not extend an anchored checkpoint; not anchoring");
        throw new AppError("LOG_TAMPERED", { seq: head.size, reason: `the first ${head.size} entries do not give the root of ${head.what}: the log, or that anchor, rewrote history (${ok.reason})` });
      }
    }
    return { kind: "anchor", size, root, note: identity.sign(size, root) };
  }

  /** Stores the checkpoint, then records it on chain with the ANCHOR key and notes the outcome in the log. */
  private async record(chain: Chain, plan: Extract<AnchorPlan, { kind: "anchor" }>): Promise<CheckpointRecord | undefined> {
    const { store, journal, identity } = this.deps;
    const { size, root, note } = plan;
    const rootHex = `0x${toHex(root)}`;
    await store.checkpoints.add({ size, root: rootHex, note, createdAt: new Date().toISOString(), anchor: null });
    const write: ChainWrite = {
      role: "anchorer",
      contract: "evidence",
      method: "anchorCheckpoint",
      args: [identity.logId, size, rootHex],
      actor: SYSTEM_ACTOR,
      purpose: `anchor:${size}`,
      note: { treeSize: size, root: rootHex, logId: identity.logId },
    };
    const sent = await submitWrite({ chain, sandbox: journal, metrics: this.deps.metrics }, write);
    const outcome = await waitForOutcome(chain.provider, sent, 120_000);
    if (outcome.state === "pending") return undefined; // adopted from the chain next time
    await store.txs.setState(sent.hash, outcome.state, "receipt" in outcome ? outcome.receipt.blockNumber : null, new Date().toISOString());
    if (outcome.state !== "mined") {
      await recordOutcome({ sandbox: journal, metrics: this.deps.metrics }, write, sent.hash, outcome);
      throw new AppError("ANCHOR_CONFLICT", { reason: `the anchor transaction ${sent.hash} was ${outcome.state}` });
    }
    await recordOutcome({ sandbox: journal, metrics: this.deps.metrics }, write, sent.hash, outcome);
    let index = -1;
    for (const log of outcome.receipt.logs) {
      try {
        const parsed = CHECKPOINT_ANCHORED.parseLog(log);
        if (parsed) index = Number(parsed.args.index);
      } catch {
        // another event
      }
    }
    const anchor = { index, txHash: sent.hash, blockNumber: outcome.receipt.blockNumber };
    await store.checkpoints.setAnchor(size, anchor);
    await this.announce(size, rootHex, anchor);
    return { size, root: rootHex, note, createdAt: new Date().toISOString(), anchor };
  }

  private async latestOnChain(chain: Chain): Promise<OnChainHead | undefined> {
    const evidence = chain.evidence as unknown as {
      checkpointCount(logId: string): Promise<bigint>;
      checkpointAt(logId: string, i: number): Promise<{ treeSize: bigint; rootHash: string }>;
    };
    const count = Number(await chain.read(() => evidence.checkpointCount(this.deps.identity.logId)));
    if (count === 0) return undefined;
    const c = await chain.read(() => evidence.checkpointAt(this.deps.identity.logId, count - 1));
    return { index: count - 1, treeSize: Number(c.treeSize), rootHash: c.rootHash };
  }

  private async adopt(index: number, size: number, root: Uint8Array): Promise<CheckpointRecord> {
    const { chain, store, identity } = this.deps;
    const rootHex = `0x${toHex(root)}`;
    const logs = await chain!.read(() =>
      chain!.provider.getLogs({
        address: chain!.addressOf("evidence"),
        topics: [CHECKPOINT_ANCHORED.getEvent("CheckpointAnchored")!.topicHash, identity.logId, `0x${index.toString(16).padStart(64, "0")}`],
        fromBlock: chain!.deployment.contracts.evidenceRegistry.blockNumber,
      }),
    );
    const anchor = { index, txHash: logs[0]?.transactionHash ?? `0x${"0".repeat(64)}`, blockNumber: logs[0]?.blockNumber ?? 0 };
    const existing = await store.checkpoints.get(size);
    const note = existing?.note ?? identity.sign(size, root);
    if (!existing) await store.checkpoints.add({ size, root: rootHex, note, createdAt: new Date().toISOString(), anchor });
    else await store.checkpoints.setAnchor(size, anchor);
    this.opts.logger?.warn({ size, index }, "sandbox log: adopted a checkpoint anchored by an earlier attempt");
    await this.announce(size, rootHex, anchor);
    return { size, root: rootHex, note, createdAt: existing?.createdAt ?? new Date().toISOString(), anchor };
  }

  private async announce(size: number, root: string, anchor: { index: number; txHash: string; blockNumber: number }): Promise<void> {
    await this.deps.journal.append({
      actor: SYSTEM_ACTOR,
      action: ANCHOR_ACTION,
      decision: "anchored",
      ref: anchor.txHash,
      payload: { treeSize: size, root, logId: this.deps.identity.logId, index: anchor.index, txHash: anchor.txHash, blockNumber: anchor.blockNumber },
    });
    this.opts.logger?.info({ size, root, txHash: anchor.txHash }, "sandbox log anchored");
  }
}
