import * as crypto from "node:crypto";
import { createMerkleHasher, type MerkleHasher, type Sha256 } from "../hasher";
import { sha256Children } from "../sha256-children";

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
 * The fastest RFC 9162 hasher in Node: node:crypto for leaves (entries of hundreds of bytes, where the
 * native hash wins) and the fixed two-block sha256Children for inner nodes (65 bytes, where the native
 * call's overhead loses to plain JavaScript; see bench/log.ts).
 *
 * @example
 * verifyInclusion(leafHash, index, size, proof, root, nodeMerkleHasher);
 */
export const nodeMerkleHasher: MerkleHasher = createMerkleHasher(nodeSha256, { hashChildren: sha256Children });

/** node:crypto for leaves and inner nodes alike (for comparison in benchmarks). */
export const nodeCryptoMerkleHasher: MerkleHasher = createMerkleHasher(nodeSha256);
