import * as crypto from "node:crypto";
import { createMerkleHasher, type MerkleHasher, type Sha256 } from "../hasher";

/**
 * SHA-256 by node:crypto (OpenSSL, SHA-NI where the CPU has it): about twice @noble/hashes per call on
 * small inputs. Node only — keep it out of browser bundles. Uses the one-shot crypto.hash (Node ≥ 20.12)
 * and falls back to createHash.
 */
export const nodeSha256: Sha256 =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "buffer")
    : (data) => crypto.createHash("sha256").update(data).digest();

/**
 * The RFC 9162 Merkle hasher over node:crypto's SHA-256.
 *
 * @example
 * verifyInclusion(leafHash, index, size, proof, root, nodeMerkleHasher);
 */
export const nodeMerkleHasher: MerkleHasher = createMerkleHasher(nodeSha256);
