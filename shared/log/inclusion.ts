import { TreeArgumentError } from "./errors";
import { defaultHasher, type MerkleHasher } from "./hasher";
import { rangeHash, rangeNodeIds, readNodes, readNodesAsync, type AsyncNodeReader, type NodeReader } from "./store";
import { inclusionRanges, isCount, type LeafRange } from "./tree-math";

function ranges(index: number, size: number): LeafRange[] {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new TreeArgumentError(`no leaf ${index} in a tree of size ${size}`, { index, size });
  }
  return inclusionRanges(index, size);
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[size]) of leaf `index` in the tree of the first
 * `size` leaves, leaf side first, from stored nodes only. Each element is a stored node, except at most
 * one right-edge subtree that is folded from the perfect subtrees it decomposes into.
 * Throws TreeArgumentError when index ≥ size, MissingNodeError when the store lacks a node.
 *
 * @example
 * const proof = inclusionProof(41, 1_000_000, store); // 20 hashes
 * verifyInclusion(leafHash, 41, 1_000_000, proof, rootAt(1_000_000, store)).ok // true
 */
export function inclusionProof(index: number, size: number, reader: NodeReader, hasher: MerkleHasher = defaultHasher): Uint8Array[] {
  const rs = ranges(index, size);
  const nodes = readNodes(reader, rangeNodeIds(rs));
  return rs.map((r) => rangeHash(nodes, r, hasher));
}

/**
 * {@link inclusionProof} over an asynchronous store (one getMany).
 *
 * @example
 * const proof = await inclusionProofAsync(seq - 1, checkpointSize, pgNodeReader(db));
 */
export async function inclusionProofAsync(
  index: number,
  size: number,
  reader: AsyncNodeReader,
  hasher: MerkleHasher = defaultHasher,
): Promise<Uint8Array[]> {
  const rs = ranges(index, size);
  const nodes = await readNodesAsync(reader, rangeNodeIds(rs));
  return rs.map((r) => rangeHash(nodes, r, hasher));
}
