import { isAddress } from "ethers";
import { z } from "zod";

/** Request and response shapes shared by the gateway, the scripts and the console. */

export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .refine((v) => isAddress(v), "has a wrong EIP-55 checksum (use all lower case, or the checksummed form)")
  .meta({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
export const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex value");
export const Cid = z
  .string()
  .regex(/^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,})$/, "must be a CIDv0 (Qm…) or base32 CIDv1 (b…)");
export const Uint = z
  .string()
  .regex(/^[0-9]{1,78}$/, "must be a decimal unsigned integer")
  .refine((v) => !/^[0-9]{1,78}$/.test(v) || BigInt(v) < 2n ** 256n, "must be below 2^256");

/** Text as people write it; refuses lone UTF-16 surrogates, which cannot be encoded as UTF-8. */
export const Text = (max: number, min = 0) =>
  z.string().min(min).max(max).refine((v) => v.isWellFormed(), "must be valid Unicode (no lone surrogates)");

/** An ISO-8601 date-time with offset, between 1970 and 9999. */
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((v) => {
    const t = Date.parse(v);
    return t >= 0 && t < Date.UTC(10000, 0, 1);
  }, "must be between 1970 and 9999");

export const RIGHT_NAMES = ["display", "personalUse", "commercialUse", "derivatives"] as const;
export const RightName = z.enum(RIGHT_NAMES);
/** Bit of each right in the on-chain bitmask. */
export const RIGHT_BITS: Record<(typeof RIGHT_NAMES)[number], number> = {
  display: 1,
  personalUse: 2,
  commercialUse: 4,
  derivatives: 8,
};
export const rightsMask = (rights: readonly (typeof RIGHT_NAMES)[number][]) =>
  rights.reduce((m, r) => m | RIGHT_BITS[r], 0);

export const TRANSFER_MODES = ["Locked", "GiftToVerified"] as const;

export const Attribute = z.strictObject({
  trait_type: Text(64, 1),
  value: z.union([Text(256), z.number()]),
});

/** The JSON part of POST /v1/collections (multipart field `data`) and of /v1/collections/check. */
export const CollectionRequest = z.strictObject({
  name: Text(128, 1),
  description: Text(4000).default(""),
  attributes: z.array(Attribute).max(50).default([]),
  editionSize: z.number().int().positive().max(16_777_215),
  royalty: z
    .strictObject({ receiver: Address, bps: z.number().int().min(0).max(10_000) })
    .default({ receiver: "0x0000000000000000000000000000000000000000", bps: 0 }),
  licence: z.strictObject({
    /** Licence text, pinned to IPFS by the gateway. */
    text: Text(20_000, 1),
    rights: z.array(RightName).min(1).max(4),
  }),
  transferPolicy: z.strictObject({
    mode: z.enum(TRANSFER_MODES),
    holdingPeriodDays: z.number().int().min(0).max(36_500),
    minLevel: z.number().int().min(1).max(4),
  }),
});
export type CollectionRequest = z.infer<typeof CollectionRequest>;

export const ComplianceResult = z.object({
  rule: z.string(),
  passed: z.boolean(),
  reason: z.string(),
  details: z.unknown(),
});
export type ComplianceResult = z.infer<typeof ComplianceResult>;

export const ComplianceDecision = z.object({
  policyVersion: z.string(),
  passed: z.boolean(),
  inputHash: Bytes32,
  results: z.array(ComplianceResult),
  /** Hash of the whole decision: the collection's on-chain complianceRef. */
  decisionRef: Bytes32,
  decidedAt: z.string(),
});
export type ComplianceDecision = z.infer<typeof ComplianceDecision>;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
