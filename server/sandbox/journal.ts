import { ANONYMOUS_ACTOR } from "../../shared/domain";
import { fromHex, toHex } from "../../shared/log/bytes";
import { toJsonSafe } from "../../shared/log/canonical";
import { consistencyProofAsync } from "../../shared/log/consistency";
import { entryBytes, entryLeafHash, GENESIS_HASH, type LogEntry } from "../../shared/log/entry";
import { inclusionProofAsync } from "../../shared/log/inclusion";
import { appendLeafAsync } from "../../shared/log/append";
import { rootAtAsync } from "../../shared/log/root";
import type { MerkleHasher } from "../../shared/log/hasher";
import { nodeMerkleHasher } from "../../shared/log/node/sha256";
import type { AppendInput } from "../audit/journal";
import { AppError } from "../errors";
import type { Store } from "../store/store";

type Ref = string | number | bigint | null | undefined;
const text = (v: Ref): string | null => (v === undefined || v === null ? null : String(v));

/** kv key: the first seq whose `hash` is its leaf hash (earlier entries predate the tree). */
export const LEAF_HASH_FROM = "log.leafHashFrom";

/**
 * The sandbox log's journal: an append-only sequence of entries, each appended together with the
 * O(log n) nodes of the RFC 9162 tree it completes, in one store transaction (serialised across
 * gateways). Proofs and roots read stored nodes only; nothing recomputes the tree.
 */
export class Journal {
  private leafHashFrom = 1;
  private onAppend: ((entry: LogEntry) => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly opts: { now?: () => Date; hasher?: MerkleHasher } = {},
  ) {}

  private get hasher(): MerkleHasher {
    return this.opts.hasher ?? nodeMerkleHasher;
  }

  /** Called after each append (anchoring pace). */
  listen(fn: (entry: LogEntry) => void): void {
    this.onAppend = fn;
  }

  /**
   * Prepares the journal: a log written before the tree existed gets its tree built over the existing
   * entries (their hashes stay as they were; later entries carry leaf hashes). Idempotent.
   */
  async init(): Promise<void> {
    const stored = await this.store.kv.get(LEAF_HASH_FROM);
    if (stored) {
      this.leafHashFrom = Number(stored);
      return;
    }
    const last = await this.store.log.last();
    const from = (last?.seq ?? 0) + 1;
    if (last) await this.buildTreeOver(last.seq);
    // Another gateway on this store may have finished first and appended since (it sets the mark before
    // its first append): its mark stands, or its entries would be taken for pre-tree ones.
    const settled = await this.store.kv.get(LEAF_HASH_FROM);
    if (settled) {
      this.leafHashFrom = Number(settled);
      return;
    }
    await this.store.kv.set(LEAF_HASH_FROM, String(from));
    this.leafHashFrom = from;
  }

  /** Migration: the tree's nodes over entries 1..upTo, in batches. */
  private async buildTreeOver(upTo: number): Promise<void> {
    const { MemoryNodeStore, appendLeaf } = await import("../../shared/log");
    const memory = new MemoryNodeStore();
    for (let from = 1; from <= upTo; from += 5000) {
      const entries = await this.store.log.range(from, Math.min(upTo, from + 4999));
      const nodes = [];
      for (const e of entries) {
        const { newNodes } = appendLeaf(e.seq - 1, entryLeafHash(e, this.hasher), memory, this.hasher);
        memory.put(newNodes);
        nodes.push(...newNodes);
      }
      await this.store.logTree.put(nodes);
    }
  }

  get firstLeafHashSeq(): number {
    return this.leafHashFrom;
  }

  /** Appends unless an entry with the same action, decision and ref is on the log (then returns that one). */
  async appendOnce(input: AppendInput & { ref: string }): Promise<LogEntry> {
    const prior = (await this.store.log.findByRef(input.ref)).find((e) => e.action === input.action && e.decision === (input.decision ?? null));
    return prior ?? this.append(input);
  }

  /** Appends one entry and its tree nodes atomically; returns it as stored. */
  async append(input: AppendInput): Promise<LogEntry> {
    if (typeof input.actor !== "string" || input.actor === "") throw new TypeError("sandbox log: actor is required");
    if (typeof input.action !== "string" || input.action === "") throw new TypeError("sandbox log: action is required");
    const payload = toJsonSafe(input.payload);
    const ts = (this.opts.now?.() ?? new Date()).toISOString();
    const hasher = this.hasher;
    const entry = await this.store.log.append(
      (last) => {
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
        return { ...body, hash: `0x${toHex(entryLeafHash(body, hasher))}` };
      },
      async (e, nodes) => (await appendLeafAsync(e.seq - 1, fromHex(e.hash.slice(2)), nodes, hasher)).newNodes,
    );
    this.onAppend?.(entry);
    return entry;
  }

  /** Number of entries (= the tree's size). */
  async size(): Promise<number> {
    return (await this.store.log.last())?.seq ?? 0;
  }

  /** The root of the tree of the first `size` entries, from stored nodes. */
  async root(size: number): Promise<Uint8Array> {
    return rootAtAsync(size, this.store.logTree.reader(), this.hasher);
  }

  /** The leaf hash of an entry (its `hash` for entries written with the tree; recomputed for older ones). */
  leafHash(entry: LogEntry): Uint8Array {
    return entry.seq >= this.leafHashFrom ? fromHex(entry.hash.slice(2)) : entryLeafHash(entry, this.hasher);
  }

  /** The entry's bytes (what its leaf hash hashes). */
  bytes(entry: LogEntry): Uint8Array {
    return entryBytes(entry);
  }

  async inclusion(seq: number, size: number): Promise<Uint8Array[]> {
    if (!Number.isInteger(seq) || seq < 1 || seq > size) throw new AppError("LOG_ENTRY_NOT_FOUND", { seq });
    return inclusionProofAsync(seq - 1, size, this.store.logTree.reader(), this.hasher);
  }

  async consistency(from: number, to: number): Promise<Uint8Array[]> {
    return consistencyProofAsync(from, to, this.store.logTree.reader(), this.hasher);
  }

  /** Entries that count towards anchoring after `afterSeq` (not the system's, not anonymous callers'). */
  countable(afterSeq: number, systemActor: string): Promise<number> {
    return this.store.log.countAfter(afterSeq, [ANONYMOUS_ACTOR, systemActor]);
  }
}
