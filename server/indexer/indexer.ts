import type { Block, Log } from "ethers";
import { Gauge, type Registry } from "prom-client";
import type { Chain, ContractName } from "../chain/chain";
import type { IpfsBackend } from "../ipfs/ipfs";
import type { Db, Leadership } from "../store/db";
import type { Store } from "../store/store";
import { applyEvent, eventFromRow, PROJECTIONS, storeEvent } from "./apply";
import { toIxEvent, type IxEvent } from "./events";

export interface IndexerOptions {
  /** Index up to head minus this many blocks (0 on a local chain or a BFT consortium chain, which has final blocks). */
  confirmations: number;
  /** Blocks kept for re-org detection. */
  reorgWindow?: number;
  pollMs?: number;
  /** Largest getLogs range tried (it grows while the node answers, halves when the node refuses). */
  maxRange?: number;
}

export interface IndexerDeps {
  chain: Chain;
  store: Store;
  ipfs?: IpfsBackend;
  logger?: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
}

export interface IndexStatus {
  indexedBlock: number | null;
  head: number | null;
  lag: number | null;
}

const CONTRACTS: ContractName[] = ["identity", "rights", "evidence"];
const RANGE_REFUSED = /range|too many|more than|limit|exceed|response size|timeout/i;

/**
 * Follows the registry's events into the store's projections, in the gateway's own process.
 *
 * - Reads `eth_getLogs` of the three contracts in block ranges that grow while the node answers and
 *   halve when it refuses one (too many results, a range limit).
 * - Idempotent: events are keyed by (txHash, logIndex) and stored with the cursor in one transaction, so
 *   a restart resumes where it stopped, with no duplicate and no gap.
 * - Re-org safe: keeps the hash of the last indexed block and of every block with events (within
 *   reorgWindow); when the chain no longer has the last one, it rewinds to the common ancestor, drops
 *   what came after, rebuilds the projections from the stored events, and indexes again.
 */
export class Indexer {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private waiters: Array<{ block: number; resolve: () => void }> = [];
  private lastHead: number | null = null;
  private range = 1_000;
  /** The largest range the node answered since it last refused one: growth stops there. */
  private ceiling = Infinity;
  private releaseLeadership: Leadership | undefined;

  constructor(
    private readonly deps: IndexerDeps,
    private readonly opts: IndexerOptions,
  ) {}

  private get db(): Db {
    return this.deps.store.db;
  }

  private get deployBlock(): number {
    const c = this.deps.chain.deployment.contracts;
    return Math.min(c.identityRegistry.blockNumber, c.collectibleRights.blockNumber, c.evidenceRegistry.blockNumber);
  }

  /** Whether this process is the one indexer among the gateways on this store. */
  get leading(): boolean {
    return this.releaseLeadership !== undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          // One indexer at a time across gateways; another takes over when the leader's process dies.
          // A leadership whose connection died (a server restart) is lost: another gateway may lead now.
          if (this.releaseLeadership?.lost) this.releaseLeadership = undefined;
          this.releaseLeadership ??= await this.db.tryLeadership("indexer");
          if (this.releaseLeadership) await this.syncOnce();
          else this.releaseWaiters(await this.indexedBlock());
        } catch (e) {
          this.deps.logger?.warn({ err: e }, "indexer: will try again");
        }
        if (this.stopped) break;
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          this.timer = setTimeout(resolve, this.opts.pollMs ?? 500);
          this.timer.unref();
        });
      }
    })();
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await this.releaseLeadership?.();
    this.releaseLeadership = undefined;
  }

  /** The last block indexed (null before the first sync). */
  async indexedBlock(): Promise<number | null> {
    const rows = await this.db.query<{ block: unknown }>(`SELECT MIN(block) AS block FROM ix_cursor`);
    const v = rows[0]?.block;
    return v === null || v === undefined ? null : Number(v);
  }

  async status(): Promise<IndexStatus> {
    const indexed = await this.indexedBlock();
    let head = this.lastHead;
    try {
      head = await this.deps.chain.provider.getBlockNumber();
      this.lastHead = head;
    } catch {
      // keep the last known head
    }
    return { indexedBlock: indexed, head, lag: head === null || indexed === null ? null : Math.max(0, head - indexed) };
  }

  /** Resolves once blocks up to `block` are indexed (tests, benchmarks; and "read your writes"). */
  waitFor(block: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ block, resolve });
      void this.indexedBlock().then((b) => this.releaseWaiters(b));
      this.wake();
    });
  }

  private releaseWaiters(indexed: number | null): void {
    if (indexed === null) return;
    const ready = this.waiters.filter((w) => w.block <= indexed);
    this.waiters = this.waiters.filter((w) => w.block > indexed);
    for (const w of ready) w.resolve();
  }

  /** Indexes everything up to head - confirmations. Returns the number of events stored. */
  async syncOnce(): Promise<number> {
    const { chain } = this.deps;
    const head = await chain.provider.getBlockNumber();
    this.lastHead = head;
    const target = head - this.opts.confirmations;
    let cursor = (await this.indexedBlock()) ?? this.deployBlock - 1;
    cursor = await this.checkReorg(cursor);
    let stored = 0;
    let from = cursor + 1;
    while (from <= target && !this.stoppedNow()) {
      const to = Math.min(target, from + this.range - 1);
      let logs: Log[];
      try {
        logs = await chain.provider.getLogs({ address: CONTRACTS.map((c) => chain.addressOf(c)), fromBlock: from, toBlock: to });
      } catch (e) {
        if (to > from && RANGE_REFUSED.test(String((e as Error)?.message ?? e))) {
          this.ceiling = to - from;
          this.range = Math.max(1, Math.floor((to - from + 1) / 2));
          continue;
        }
        throw e;
      }
      stored += await this.ingest(logs, to);
      this.releaseWaiters(to);
      from = to + 1;
      this.range = Math.min(this.opts.maxRange ?? 10_000, this.ceiling, this.range * 2);
    }
    return stored;
  }

  private stoppedNow(): boolean {
    return this.stopped && this.loop !== undefined;
  }

  /** Stores a range's events, the block hashes and the cursor in one transaction. */
  private async ingest(logs: Log[], to: number): Promise<number> {
    const { chain } = this.deps;
    const contractOf = new Map(CONTRACTS.map((c) => [chain.addressOf(c).toLowerCase(), c]));
    // The blocks with events, the block before each (the state a sender is read at), and the range's end.
    const numbers = new Set<number>([to]);
    for (const l of logs) {
      numbers.add(l.blockNumber);
      if (l.blockNumber > 0) numbers.add(l.blockNumber - 1);
    }
    const blocks = new Map<number, Block>();
    const list = [...numbers];
    for (let i = 0; i < list.length; i += 16) {
      const got = await Promise.all(list.slice(i, i + 16).map((n) => chain.provider.getBlock(n)));
      got.forEach((b, j) => b && blocks.set(list[i + j], b));
    }
    const events: IxEvent[] = [];
    for (const log of logs) {
      const contract = contractOf.get(log.address.toLowerCase());
      const block = blocks.get(log.blockNumber);
      if (!contract || !block) continue;
      const e = toIxEvent(log, contract, block.timestamp);
      if (e) events.push(e);
    }
    events.sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
    // A collection's immutable fields (supply cap, mode, holding period…) are read once, now.
    for (const e of events.filter((x) => x.name === "CollectionCreated")) {
      const c = await chain.read(() => chain.rights.getCollection(String(e.args.collectionId)));
      e.args.collection = {
        maxSupply: Number(c.maxSupply),
        mode: Number(c.mode),
        holdingPeriod: Number(c.holdingPeriod),
        minLevel: Number(c.minLevel),
        rights: Number(c.rights),
        royaltyReceiver: c.royaltyReceiver,
        royaltyBps: Number(c.royaltyBps),
      };
    }
    const window = this.opts.reorgWindow ?? 128;
    const count = await this.db.tx(
      async (t) => {
        let n = 0;
        for (const e of events) if (await storeEvent(t, e)) n += 1;
        for (const [number, b] of blocks) {
          await t.run(`INSERT INTO ix_blocks (number, hash, time) VALUES ($1, $2, $3) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, time = excluded.time`, [
            number,
            b.hash,
            b.timestamp,
          ]);
        }
        for (const c of CONTRACTS) {
          await t.run(`INSERT INTO ix_cursor (contract, block) VALUES ($1, $2) ON CONFLICT (contract) DO UPDATE SET block = excluded.block`, [c, to]);
        }
        // Block hashes older than the window are only kept for blocks with events (their times are needed).
        await t.run(`DELETE FROM ix_blocks WHERE number < $1 AND number NOT IN (SELECT block_number FROM ix_events) AND number NOT IN (SELECT block_number - 1 FROM ix_events)`, [to - window]);
        return n;
      },
      { lock: "indexer" },
    );
    if (count > 0) this.deps.logger?.info({ events: count, to }, "indexer: indexed");
    void this.loadMetadata(events);
    return count;
  }

  /**
   * Re-org check: the last indexed block must still be on the chain. If not, rewinds to the newest stored
   * block the chain still has, drops what came after and rebuilds the projections. Returns the cursor.
   */
  private async checkReorg(cursor: number): Promise<number> {
    if (cursor < this.deployBlock) return cursor;
    const stored = await this.db.query<{ number: unknown; hash: string }>(`SELECT number, hash FROM ix_blocks WHERE number <= $1 ORDER BY number DESC LIMIT $2`, [
      cursor,
      (this.opts.reorgWindow ?? 128) + 1,
    ]);
    if (stored.length === 0) return cursor;
    const tip = stored[0];
    const onChain = await this.deps.chain.provider.getBlock(Number(tip.number));
    if (onChain && onChain.hash === tip.hash) return cursor;
    let ancestor = this.deployBlock - 1;
    for (const b of stored.slice(1)) {
      const c = await this.deps.chain.provider.getBlock(Number(b.number));
      if (c && c.hash === b.hash) {
        ancestor = Number(b.number);
        break;
      }
    }
    this.deps.logger?.warn({ from: cursor, to: ancestor }, "indexer: re-org detected; rewinding");
    await this.rewind(ancestor);
    return ancestor;
  }

  /** Drops events after `block`, and rebuilds the projections from the events that remain. */
  async rewind(block: number): Promise<void> {
    await this.db.tx(
      async (t) => {
        await t.run(`DELETE FROM ix_events WHERE block_number > $1`, [block]);
        await t.run(`DELETE FROM ix_blocks WHERE number > $1`, [block]);
        await replay(t);
        for (const c of CONTRACTS) {
          await t.run(`INSERT INTO ix_cursor (contract, block) VALUES ($1, $2) ON CONFLICT (contract) DO UPDATE SET block = excluded.block`, [c, block]);
        }
      },
      { lock: "indexer" },
    );
  }

  /** Drops the whole index (events and projections) and indexes the chain again from the deployment. */
  async rebuild(onProgress?: (block: number, target: number) => void): Promise<number> {
    await this.db.tx(
      async (t) => {
        for (const table of [...PROJECTIONS, "ix_events", "ix_blocks", "ix_cursor"]) await t.run(`DELETE FROM ${table}`);
      },
      { lock: "indexer" },
    );
    let total = 0;
    for (;;) {
      const head = await this.deps.chain.provider.getBlockNumber();
      const n = await this.syncOnce();
      total += n;
      onProgress?.((await this.indexedBlock()) ?? 0, head - this.opts.confirmations);
      if (n === 0 && ((await this.indexedBlock()) ?? -1) >= head - this.opts.confirmations) return total;
    }
  }

  /** Names and descriptions of new collections, from their metadata on IPFS (best effort; retried later). */
  private async loadMetadata(events: IxEvent[]): Promise<void> {
    const { ipfs } = this.deps;
    if (!ipfs) return;
    const cids = new Set(events.filter((e) => e.name === "CollectionCreated" || e.name === "CollectionMetadataUpdated").map((e) => String(e.args.metadataCID)));
    const missing = await this.db.query<{ metadata_cid: string }>(
      `SELECT DISTINCT metadata_cid FROM ix_collections WHERE metadata_cid NOT IN (SELECT cid FROM ix_metadata) LIMIT 50`,
    );
    for (const r of missing) cids.add(r.metadata_cid);
    for (const cid of cids) {
      try {
        const bytes = await ipfs.get(cid, { maxBytes: 1_048_576, timeoutMs: 3_000 });
        const m = JSON.parse(new TextDecoder().decode(bytes)) as { name?: unknown; description?: unknown; image?: unknown };
        await this.db.run(`INSERT INTO ix_metadata (cid, name, description, image) VALUES ($1, $2, $3, $4) ON CONFLICT (cid) DO NOTHING`, [
          cid,
          typeof m.name === "string" ? m.name.slice(0, 200) : "",
          typeof m.description === "string" ? m.description.slice(0, 4000) : "",
          typeof m.image === "string" ? m.image.slice(0, 200) : null,
        ]);
      } catch {
        // Not available now (another node pinned it, IPFS down): tried again after the next events.
      }
    }
  }
}

/**
 * The index's progress as Prometheus gauges (indexed block, head, lag), read from the indexer when
 * scraped. A scrape collects every metric at once, so the three gauges share one status read and agree.
 */
export function registerIndexMetrics(registry: Registry, indexer: Pick<Indexer, "status">): void {
  let pending: Promise<IndexStatus> | undefined;
  const status = () => {
    if (!pending) {
      pending = indexer.status();
      void pending.finally(() => (pending = undefined)).catch(() => undefined);
    }
    return pending;
  };
  const gauge = (name: string, help: string, pick: (s: IndexStatus) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const s = await status().catch(() => undefined);
        const v = s ? pick(s) : null;
        if (v === null) this.reset();
        else this.set(v);
      },
    });
  gauge("gateway_index_indexed_block", "Last block the event index has indexed", (s) => s.indexedBlock);
  gauge("gateway_index_head_block", "Chain head seen by the indexer", (s) => s.head);
  gauge("gateway_index_lag_blocks", "Blocks between the chain head and the last indexed block", (s) => s.lag);
}

/** Rebuilds every projection from the stored events, in chain order. */
export async function replay(t: Db): Promise<number> {
  for (const table of PROJECTIONS) await t.run(`DELETE FROM ${table}`);
  let n = 0;
  let after: [number, number] = [-1, -1];
  for (;;) {
    const rows = await t.query(
      `SELECT * FROM ix_events WHERE block_number > $1 OR (block_number = $1 AND log_index > $2) ORDER BY block_number, log_index LIMIT 2000`,
      after,
    );
    if (rows.length === 0) return n;
    for (const r of rows) {
      await applyEvent(t, eventFromRow(r));
      n += 1;
    }
    const last = rows[rows.length - 1];
    after = [Number(last.block_number), Number(last.log_index)];
  }
}
