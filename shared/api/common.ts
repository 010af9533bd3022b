import { keccak_256 } from "@noble/hashes/sha3";
import { z } from "zod";
import { RIGHT_NAMES, TRANSFER_MODES } from "../domain";

/**
 * The primitives of the API's schemas. Browser-safe (zod and @noble/hashes only), so the console
 * validates with the very same rules as the gateway.
 */

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** EIP-55: mixed-case addresses must carry the right checksum; all-lower and all-upper are accepted. */
export function isChecksumValid(address: string): boolean {
  const body = address.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) return true;
  const hash = hex(keccak_256(new TextEncoder().encode(body.toLowerCase())));
  for (let i = 0; i < 40; i++) {
    const c = body[i];
    const upper = parseInt(hash[i], 16) >= 8;
    if (/[a-f]/i.test(c) && (c === c.toUpperCase()) !== upper) return false;
  }
  return true;
}

/** The EIP-55 checksummed form of a 0x-prefixed 20-byte hex address. */
export function toChecksumAddress(address: string): string {
  const body = address.slice(2).toLowerCase();
  const hash = hex(keccak_256(new TextEncoder().encode(body)));
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(hash[i], 16) >= 8 ? body[i].toUpperCase() : body[i];
  return out;
}

export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .refine((v) => isChecksumValid(v), "has a wrong EIP-55 checksum (use all lower case, or the checksummed form)")
  .meta({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
export const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");
export const TxHash = Bytes32;
export const Cid = z
  .string()
  .regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,})$/, "must be a CIDv0 (Qm…) or base32 CIDv1 (b…)");
export const Uint = z
  .string()
  .regex(/^[0-9]{1,78}$/, "must be a decimal unsigned integer")
  .refine((v) => !/^[0-9]{1,78}$/.test(v) || BigInt(v) < 2n ** 256n, "must be below 2^256");
export const DecimalId = z.string().regex(/^[0-9]{1,20}$/, "must be a decimal id");
export const Uuid = z.uuid();

/** Characters a person never means to type: C0/C1 controls (but tab and line breaks), bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/**
 * Text as people write it: valid Unicode (no lone surrogates), no control or bidi-override characters,
 * and, when required (min ≥ 1), not only whitespace.
 */
export const Text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => v.isWellFormed(), "must be valid Unicode (no lone surrogates)")
    .refine((v) => !INVISIBLE.test(v), "must not contain control characters or bidi overrides")
    .refine((v) => min === 0 || v.trim().length > 0, "must not be blank");

/** A one-line label (names, key labels): Text without line breaks or tabs. */
export const Label = (max: number, min = 1) => Text(max, min).refine((v) => !/[\t\r\n]/.test(v), "must be one line");

/** An ISO-8601 date-time with offset, between 1970 and 9999. */
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const t = Date.parse(v);
    return t >= 0 && t < Date.UTC(10000, 0, 1);
  }, "must be between 1970 and 9999");

export const RightName = z.enum(RIGHT_NAMES);
export const TransferMode = z.enum(TRANSFER_MODES);

/** Opaque pagination cursor of list endpoints. */
export const Cursor = z.string().max(300).regex(/^[A-Za-z0-9_.-]+$/, "must be the nextCursor of the previous page");
export const Limit = z.coerce.number().int().min(1).max(1000);

/** One page of a list. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A reason as given by a person (regulator and attestor actions). */
export const Reason = Text(500, 1);

/** Evidence for a regulator or attestor action: its hash, or a text whose sha256 is used. */
export const EvidenceInput = z.union([z.strictObject({ hash: Bytes32 }), z.strictObject({ text: Text(20_000, 1) })]);
export type EvidenceInput = z.infer<typeof EvidenceInput>;

/** The Idempotency-Key request header: the same key and body give the same outcome, once. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, "must be 1–200 characters of A–Z a–z 0–9 . _ : -");

/** Headers of writes that are idempotent when a key is given. */
export const OptionalIdempotency = z.object({ "idempotency-key": IdempotencyKey.optional() });

/** A chain transaction as reported by every write. */
export const TxInfo = z.object({ txHash: TxHash, blockNumber: z.number().int().nonnegative() });

/** A transaction for a key kept off the gateway host (a regulator's or an attestor's): sign and send it there. */
export const UnsignedTx = z.object({
  from: Address.nullable(),
  to: Address,
  data: z.string().regex(/^0x[0-9a-fA-F]*$/),
  chainId: z.number().int(),
  /** What it does, e.g. "rights.freezeToken". */
  call: z.string(),
});
export const UnsignedReply = z.object({
  unsigned: z.literal(true),
  /** In order; each must be mined before the next is sent. */
  transactions: z.array(UnsignedTx),
  note: z.string(),
});
export type UnsignedReply = z.infer<typeof UnsignedReply>;
