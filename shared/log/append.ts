import { TreeArgumentError } from "./errors";
import { defaultHasher, HASH_SIZE, type MerkleHasher } from "./hasher";
import { nodeOf, readNodes, readNodesAsync, type AsyncNodeReader, type NodeReader, type StoredNode } from "./store";
import { isCount, type NodeId } from "./tree-math";

export interface AppendLeafResult {
  /**
   * The nodes that become complete when the leaf is appended, lowest first: the leaf itself at
   * (0, size), then one node per level while the new subtree closes a pair. Store them all, in the
   * same transaction as the entry.
   */
  newNodes: StoredNode[];
}

/** The left siblings that leaf number `size` completes subtrees with: one per trailing 1-bit of size. */
function leftSiblings(size: number): NodeId[] {
  const ids: NodeId[] = [];
  for (let level = 0, index = size; index % 2 === 1; level++, index = (index - 1) / 2) ids.push({ level, index: index - 1 });
  return ids;
}

function check(size: number, leafHash: Uint8Array) {
  if (!isCount(size) || size >= Number.MAX_SAFE_INTEGER) throw new TreeArgumentError(`tree size ${size} is not a safe non-negative integer`);
  if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) throw new TreeArgumentError("a leaf hash must be 32 bytes");
}

function build(size: number, leafHash: Uint8Array, nodes: Map<string, Uint8Array>, hasher: MerkleHasher): AppendLeafResult {
  const newNodes: StoredNode[] = [{ level: 0, index: size, hash: leafHash }];
  let h = leafHash;
  for (const sibling of leftSiblings(size)) {
    h = hasher.hashChildren(nodeOf(nodes, sibling), h);
    newNodes.push({ level: sibling.level + 1, index: (sibling.index) / 2, hash: h });
  }
  return { newNodes };
}

/**
 * Appends leaf number `size` (0-based: the tree has `size` leaves before) and returns the nodes that
 * become complete: 1 + (number of trailing 1-bits of size), amortised 2, at most log2(size) + 1, with as
 * many reads of left siblings. The nodes are not written: the caller stores them with the entry.
 * `size` must be the current tree size; appending twice at one size would overwrite history, which the
 * store's (level, index) primary key should refuse.
 *
 * Throws {@link TreeArgumentError} on a bad size or leaf hash, MissingNodeError when a left sibling
 * that must be stored is not.
 *
 * @example
 * const leaf = defaultHasher.hashLeaf(utf8(canonicalJson(entry)));
 * const { newNodes } = appendLeaf(size, leaf, store);
 * store.put(newNodes); // in the entry's transaction
 */
export function appendLeaf(size: number, leafHash: Uint8Array, reader: NodeReader, hasher: MerkleHasher = defaultHasher): AppendLeafResult {
  check(size, leafHash);
  return build(size, leafHash, readNodes(reader, leftSiblings(size)), hasher);
}

/**
 * {@link appendLeaf} over an asynchronous store (all left siblings in one getMany).
 *
 * @example
 * await db.tx(async (tx) => {
 *   const { newNodes } = await appendLeafAsync(size, leaf, pgNodeReader(tx));
 *   await insertNodes(tx, newNodes); // with the entry
 * });
 */
export async function appendLeafAsync(
  size: number,
  leafHash: Uint8Array,
  reader: AsyncNodeReader,
  hasher: MerkleHasher = defaultHasher,
): Promise<AppendLeafResult> {
  check(size, leafHash);
  return build(size, leafHash, await readNodesAsync(reader, leftSiblings(size)), hasher);
}
