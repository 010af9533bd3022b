import { z } from "zod";

const Hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");
const NullableText = z.string().nullable();

/** One sandbox log entry; the same shape as the store's LogEntry. */
export const LogEntrySchema = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  rule: NullableText,
  decision: NullableText,
  collectionId: NullableText,
  tokenId: NullableText,
  policyVersion: NullableText,
  inputHash: NullableText,
  ref: NullableText,
  payload: z.unknown(),
  prevHash: Hash32,
  hash: Hash32,
});
