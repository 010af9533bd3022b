import { encodeBytes32String, id, sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { Bytes32, Text } from "../../shared/schemas";

/** A reason as given by a person: short codes are stored readably, longer texts as their keccak256. */
export const Reason = Text(500, 1);

export function reasonCode(reason: string): string {
  return toUtf8Bytes(reason).length <= 31 ? encodeBytes32String(reason) : id(reason);
}

/** Evidence for a regulator or attestor action: either its hash, or a text whose sha256 is used. */
export const Evidence = z.union([z.strictObject({ hash: Bytes32 }), z.strictObject({ text: Text(20_000, 1) })]);
export type Evidence = z.infer<typeof Evidence>;

export function evidenceHash(e: Evidence): string {
  return "hash" in e ? e.hash : sha256(toUtf8Bytes(e.text));
}
