import { CorruptNodeError, MissingNodeError } from "./errors";
import { HASH_SIZE, type MerkleHasher } from "./hasher";
import { decompose, type LeafRange, type NodeId } from "./tree-math";

export type { NodeId } from "./tree-math";

/**
 * Read access to the stored hashes of complete (perfect) subtrees: node (level, index) is the root of
 * leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf hashes. The gateway writes the
 * nodes {@link appendLeaf} returns in the same transaction as the entry, so a store of size n holds
 * every perfect subtree inside [0, n) and nothing else.
 */
export interface NodeReader {
  get(level: number, index: number): Uint8Array | undefined;
}

/**
 * The same over an asynchronous store (PostgreSQL). `getMany`, when given, is used to fetch all the
 * nodes an operation needs in one round trip (e.g. `WHERE (level, idx) IN (…)`); it must return the
 * hashes in the order of `ids`, undefined for a missing node.
 */
export interface AsyncNodeReader {
  get(level: number, index: number): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  getMany?(ids: readonly NodeId[]): Promise<ReadonlyArray<Uint8Array | undefined>>;
}

/** A node that became complete, to be stored. */
export interface StoredNode extends NodeId {
  hash: Uint8Array;
}

/**
 * An in-memory node store (a Map per level): for tests, benchmarks, a browser-side mirror, or a
 * verifier that rebuilds a log from an export.
 *
 * @example
 * const store = new MemoryNodeStore();
 * let size = 0;
 * for (const leaf of leafHashes) store.put(appendLeaf(size++, leaf, store).newNodes);
 * rootAt(size, store);
 */
export class MemoryNodeStore implements NodeReader {
  private readonly levels: Map<number, Uint8Array>[] = [];

  get(level: number, index: number): Uint8Array | undefined {
    return this.levels[level]?.get(index);
  }

  put(nodes: Iterable<StoredNode>): void {
    for (const { level, index, hash } of nodes) {
      let m = this.levels[level];
      if (!m) m = this.levels[level] = new Map();
      m.set(index, hash);
    }
  }

  /** Number of nodes held, over all levels. */
  get nodeCount(): number {
    return this.levels.reduce((n, m) => n + (m?.size ?? 0), 0);
  }
}

/** Key of a node id, for de-duplicating reads. */
const key = (id: NodeId) => `${id.level}:${id.index}`;

function checked(id: NodeId, h: Uint8Array | undefined): Uint8Array {
  if (!h) throw new MissingNodeError(id.level, id.index);
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new CorruptNodeError(id.level, id.index, h?.length ?? 0);
  return h;
}

/** @internal Reads every id from a sync reader; throws {@link MissingNodeError} on the first missing one. */
export function readNodes(reader: NodeReader, ids: readonly NodeId[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const id of ids) {
    const k = key(id);
    if (out.has(k)) continue;
    out.set(k, checked(id, reader.get(id.level, id.index)));
  }
  return out;
}

/** @internal Reads every id from an async reader (one getMany call when it has one). */
export async function readNodesAsync(reader: AsyncNodeReader, ids: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
  const unique = new Map<string, NodeId>();
  for (const id of ids) unique.set(key(id), id);
  const list = [...unique.values()];
  const hashes = reader.getMany
    ? await reader.getMany(list)
    : await Promise.all(list.map((id) => reader.get(id.level, id.index)));
  const out = new Map<string, Uint8Array>();
  list.forEach((id, i) => {
    out.set(key(id), checked(id, hashes[i]));
  });
  return out;
}

/** @internal The hash of `id` among nodes already read. */
export function nodeOf(nodes: Map<string, Uint8Array>, id: NodeId): Uint8Array {
  const h = nodes.get(key(id));
  if (!h) throw new MissingNodeError(id.level, id.index);
  return h;
}

/** @internal The node ids whose fold is MTH of each range. */
export function rangeNodeIds(ranges: readonly LeafRange[]): NodeId[] {
  return ranges.flatMap(([start, end]) => decompose(start, end));
}

/** @internal MTH of leaves [start, end): the right fold of the perfect subtrees it decomposes into. */
export function rangeHash(nodes: Map<string, Uint8Array>, [start, end]: LeafRange, hasher: MerkleHasher): Uint8Array {
  const parts = decompose(start, end);
  let h = nodeOf(nodes, parts[parts.length - 1]);
  for (let i = parts.length - 2; i >= 0; i--) h = hasher.hashChildren(nodeOf(nodes, parts[i]), h);
  return h;
}
