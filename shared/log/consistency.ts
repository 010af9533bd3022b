import { TreeArgumentError } from "./errors";
import { defaultHasher, type MerkleHasher } from "./hasher";
import { rangeHash, rangeNodeIds, readNodes, readNodesAsync, type AsyncNodeReader, type NodeReader } from "./store";
import { consistencyRanges, isCount, type LeafRange } from "./tree-math";

function ranges(m: number, n: number): LeafRange[] {
  if (!isCount(m) || !isCount(n) || m > n) throw new TreeArgumentError(`no consistency proof from size ${m} to size ${n}`, { m, n });
  // RFC 9162 defines PROOF(m, D[n]) for 0 < m < n; from the empty tree or to the same size it is empty.
  return m === 0 || m === n ? [] : consistencyRanges(m, n);
}

/**
 * The RFC 9162 §2.1.4.1 consistency proof PROOF(m, D[n]) that the tree of size n extends the tree of
 * size m, from stored nodes only. Empty when m = 0 or m = n. Throws TreeArgumentError when m > n,
 * MissingNodeError when the store lacks a node.
 *
 * @example
 * const proof = consistencyProof(500_000, 1_000_000, store);
 * verifyConsistency(500_000, 1_000_000, rootAt(500_000, store), rootAt(1_000_000, store), proof).ok // true
 */
export function consistencyProof(m: number, n: number, reader: NodeReader, hasher: MerkleHasher = defaultHasher): Uint8Array[] {
  const rs = ranges(m, n);
  const nodes = readNodes(reader, rangeNodeIds(rs));
  return rs.map((r) => rangeHash(nodes, r, hasher));
}

/**
 * {@link consistencyProof} over an asynchronous store (one getMany).
 *
 * @example
 * const proof = await consistencyProofAsync(lastSeenSize, currentSize, pgNodeReader(db));
 */
export async function consistencyProofAsync(
  m: number,
  n: number,
  reader: AsyncNodeReader,
  hasher: MerkleHasher = defaultHasher,
): Promise<Uint8Array[]> {
  const rs = ranges(m, n);
  const nodes = await readNodesAsync(reader, rangeNodeIds(rs));
  return rs.map((r) => rangeHash(nodes, r, hasher));
}
