import { keccak_256 } from "@noble/hashes/sha3";
import { toHex, utf8 } from "./bytes";

/**
 * The sandbox log's name, and the key its checkpoints are recorded under on chain. Both are derived from
 * the deployment, so a verifier who knows the chain and the EvidenceRegistry knows which log to expect:
 * a bundle or receipt naming another origin or log id is not this registry's log, whatever it carries.
 */

/**
 * The checkpoints' origin line (and the log key's name): `dareg-sandbox-log/<chainId>/<registry, lowercase>`.
 *
 * @example
 * sandboxLogOrigin(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3") // "dareg-sandbox-log/31337/0x5fbdb2315678afecb367f032d93f642f64180aa3"
 */
export function sandboxLogOrigin(chainId: number, evidenceRegistry: string): string {
  return `dareg-sandbox-log/${chainId}/${evidenceRegistry.toLowerCase()}`;
}

/**
 * The log's id in the EvidenceRegistry's checkpoint record: keccak256 of the origin's UTF-8 bytes, 0x-hex.
 *
 * @example
 * evidence.checkpointCount(sandboxLogId(sandboxLogOrigin(chainId, registry)))
 */
export function sandboxLogId(origin: string): string {
  return `0x${toHex(keccak_256(utf8(origin)))}`;
}
