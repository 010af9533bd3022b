import { TreeArgumentError } from "./errors";
import { defaultHasher, HASH_SIZE, type MerkleHasher } from "./hasher";

/**
 * The right edge of a growing tree (a compact range over [0, size)): one perfect-subtree root per 1-bit
 * of `size`, at most 53 hashes. Fed one leaf hash at a time, it gives the root of any prefix without
 * holding the tree, so 1,000,000 entries verify in constant memory.
 *
 * @example
 * const f = new MerkleFrontier();
 * for (const entry of entries) f.push(defaultHasher.hashLeaf(entry));
 * f.root(); // = rootAt(f.size, store)
 */
export class MerkleFrontier {
  /** stack[i] is a perfect subtree root; their levels strictly decrease towards the top. */
  private readonly stack: Uint8Array[] = [];
  private readonly levels: number[] = [];
  private count = 0;

  constructor(private readonly hasher: MerkleHasher = defaultHasher) {}

  /** Number of leaves pushed. */
  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash (already SHA-256(0x00 ‖ entry)). Amortised one node hash. */
  push(leafHash: Uint8Array): void {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) throw new TreeArgumentError("a leaf hash must be 32 bytes");
    let h = leafHash;
    let level = 0;
    const { stack, levels } = this;
    while (levels.length > 0 && levels[levels.length - 1] === level) {
      h = this.hasher.hashChildren(stack.pop()!, h);
      levels.pop();
      level++;
    }
    stack.push(h);
    levels.push(level);
    this.count++;
  }

  /** MTH of the leaves pushed so far: the right fold of the stack (SHA-256() when empty). */
  root(): Uint8Array {
    const { stack } = this;
    if (stack.length === 0) return this.hasher.emptyRoot.slice();
    let h = stack[stack.length - 1];
    for (let i = stack.length - 2; i >= 0; i--) h = this.hasher.hashChildren(stack[i], h);
    return h;
  }
}

/**
 * MTH of a sequence of leaf hashes, recomputed in full, streaming (constant memory).
 *
 * @example
 * rootFromLeaves(entries.map((e) => defaultHasher.hashLeaf(e)));
 */
export function rootFromLeaves(leafHashes: Iterable<Uint8Array>, hasher: MerkleHasher = defaultHasher): Uint8Array {
  const f = new MerkleFrontier(hasher);
  for (const leaf of leafHashes) f.push(leaf);
  return f.root();
}

/**
 * {@link rootFromLeaves} over an async stream (e.g. leaf hashes of an export read page by page).
 * Returns the root and the number of leaves.
 *
 * @example
 * const { root, size } = await rootFromLeavesAsync(leafHashesOf(readExportLines(file)));
 */
export async function rootFromLeavesAsync(
  leafHashes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  hasher: MerkleHasher = defaultHasher,
): Promise<{ root: Uint8Array; size: number }> {
  const f = new MerkleFrontier(hasher);
  for await (const leaf of leafHashes) f.push(leaf);
  return { root: f.root(), size: f.size };
}
