import { encodeBytes32String, id, sha256, toUtf8Bytes } from "ethers";
import type { EvidenceInput } from "../../shared/api";

/** A reason as given by a person, as the bytes32 the contracts record: short texts readably, longer ones as their keccak256. */
export function reasonCode(reason: string): string {
  return toUtf8Bytes(reason).length <= 31 ? encodeBytes32String(reason) : id(reason);
}

/** The evidence hash of a regulator's or attestor's action: the given hash, or the sha256 of the given text. */
export function evidenceHash(e: EvidenceInput): string {
  return "hash" in e ? e.hash : sha256(toUtf8Bytes(e.text));
}
