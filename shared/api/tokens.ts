import { z } from "zod";
import { route } from "./contract";
import { Address, Bytes32, Cid, DecimalId, RightName, TxHash } from "./common";

export const TokenIdParam = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9]{1,78}$/, "must be a decimal token id")
    .refine((v) => !/^[0-9]{1,78}$/.test(v) || BigInt(v) < 2n ** 128n, "token id out of range"),
});

/** Three verdicts: a check that cannot be made now (a source is down) is never reported as failed. */
export const VERDICTS = ["passed", "failed", "unverifiable"] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const CheckResult = z.object({
  check: z.string(),
  verdict: Verdict,
  /** passed === (verdict === "passed"), kept for simple clients. */
  passed: z.boolean(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const Holder = z.object({
  address: Address,
  did: z.string().nullable(),
  level: z.number().int().nullable(),
  verified: z.boolean(),
});

export const CUSTODY_KINDS = ["mint", "transfer", "forced-transfer", "burn", "freeze", "unfreeze", "licence-granted", "licence-revoked"] as const;
export const CustodyEntry = z.object({
  kind: z.enum(CUSTODY_KINDS),
  blockNumber: z.number().int(),
  txHash: TxHash,
  logIndex: z.number().int(),
  time: z.string(),
  from: Holder.nullable(),
  to: Holder.nullable(),
  forced: z.boolean(),
  details: z.record(z.string(), z.unknown()),
});
export type CustodyEntry = z.infer<typeof CustodyEntry>;

export const Integrity = z.object({
  verdict: Verdict,
  passed: z.boolean(),
  checks: z.array(CheckResult),
});

export const Provenance = z.object({
  tokenId: z.string(),
  collectionId: DecimalId,
  edition: z.string(),
  contentHash: Bytes32,
  metadataCID: Cid,
  complianceRef: Bytes32,
  /** "index" (the gateway's event index) or "chain" (read from the node now). */
  source: z.enum(["index", "chain"]),
  entries: z.array(CustodyEntry),
  integrity: Integrity,
});
export type Provenance = z.infer<typeof Provenance>;

export const TokenView = z.object({
  tokenId: z.string(),
  collectionId: DecimalId,
  edition: z.string(),
  maxSupply: z.number().int(),
  owner: Address,
  acquiredAt: z.string(),
  locked: z.boolean(),
  frozen: z.boolean(),
  ownerWalletFrozen: z.boolean(),
  tokenURI: z.string(),
  contentHash: Bytes32,
  licences: z.array(
    z.object({
      licensee: Address,
      scope: z.array(RightName),
      grantedAt: z.string().nullable(),
      expiresAt: z.string().nullable(),
      inForce: z.boolean(),
    }),
  ),
});

export const TransferCheckBody = z.strictObject({ from: Address.optional(), to: Address });
export const TransferCheck = z.object({
  ok: z.boolean(),
  tokenId: z.string(),
  from: Address,
  to: Address,
  /** When not ok: the contract's own error, decoded, with its message in both languages. */
  error: z
    .object({ name: z.string(), code: z.string(), params: z.record(z.string(), z.unknown()), message: z.string(), messageZh: z.string(), messageEn: z.string() })
    .nullable(),
});

export const FileAnswer = z.object({
  registered: z.boolean(),
  contentHash: Bytes32,
  collectionId: DecimalId.optional(),
  issuer: Address.optional(),
  issuerDid: z.string().optional(),
  registeredAt: z.string().optional(),
  blockNumber: z.number().int().nullable().optional(),
  txHash: TxHash.nullable().optional(),
  metadataCID: Cid.optional(),
  complianceRef: Bytes32.optional(),
});

const READERS = ["issuer", "auditor", "regulator", "admin", "attestor"] as const;

export const tokenRoutes = {
  getToken: route({
    method: "get",
    path: "/v1/tokens/:id",
    tag: "tokens",
    summary: "Owner, collection, edition, locked, frozen and licences of a token",
    roles: READERS,
    params: TokenIdParam,
    response: TokenView,
  }),
  getProvenance: route({
    method: "get",
    path: "/v1/tokens/:id/provenance",
    tag: "tokens",
    summary: "Chain of custody with DIDs and levels at each block, and an integrity verdict (passed, failed or unverifiable now)",
    roles: READERS,
    params: TokenIdParam,
    query: z.strictObject({ source: z.enum(["index", "chain"]).optional() }),
    response: Provenance,
  }),
  transferCheck: route({
    method: "post",
    path: "/v1/tokens/:id/transfer-check",
    tag: "tokens",
    summary: "Pre-flight: may this token go to this address now? The contract's own answer, in words",
    roles: READERS,
    params: TokenIdParam,
    body: TransferCheckBody,
    response: TransferCheck,
  }),
  verifyFile: route({
    method: "post",
    path: "/v1/verify",
    tag: "tokens",
    summary: "Is this file registered? In which collection, by which issuer, and when",
    roles: ["auditor", "regulator", "admin"],
    multipart: { files: [{ name: "file", required: true, description: "the file to look up by its sha256" }] },
    response: FileAnswer,
  }),
};
