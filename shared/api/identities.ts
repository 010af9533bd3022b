import { z } from "zod";
import { IDENTITY_STATUSES } from "../domain";
import { route } from "./contract";
import { Address, Bytes32, IsoDateTime, OptionalIdempotency, Reason, TxHash, UnsignedReply } from "./common";
import { Pending } from "./operations";

const READERS = ["attestor", "auditor", "regulator", "admin", "issuer"] as const;
const StatusName = z.enum(IDENTITY_STATUSES.map((s) => s.key) as unknown as ["None", "Active", "Suspended", "Revoked"]);

export const RegisterIdentityBody = z.strictObject({
  wallet: Address,
  level: z.number().int().min(0).max(4).describe("0 none, 1 phone, 2 real-name individual, 3 enterprise, 4 licensed issuer"),
  jurisdiction: z.number().int().min(0).max(999).describe("ISO-3166 numeric, 156 = China"),
  expiresAt: IsoDateTime.describe("when the identity stops verifying"),
  identityId: Bytes32.optional().describe("opaque id chosen by the attestor; random when omitted"),
  kycEvidenceHash: Bytes32.optional().describe("sha256 of the KYC dossier, when the file is not uploaded"),
});
export type RegisterIdentityBody = z.infer<typeof RegisterIdentityBody>;

export const RegisteredIdentity = z.object({
  identityId: Bytes32,
  did: z.string(),
  wallet: Address,
  level: z.number().int(),
  jurisdiction: z.number().int(),
  expiresAt: z.string(),
  evidenceHash: Bytes32,
  txHash: TxHash,
  evidenceTxHash: TxHash.nullable(),
});

export const IdentityView = z.object({
  identityId: Bytes32,
  did: z.string(),
  level: z.number().int(),
  jurisdiction: z.number().int(),
  expiresAt: z.string(),
  expired: z.boolean(),
  status: StatusName,
  verified: z.boolean(),
  attestor: Address,
  evidenceHash: Bytes32,
  wallets: z.array(Address),
});
export type IdentityView = z.infer<typeof IdentityView>;

export const IdentityActionResult = z.object({ action: z.string(), txHash: TxHash, blockNumber: z.number().int() });

export const RenewBody = z.strictObject({ expiresAt: IsoDateTime, kycEvidenceHash: Bytes32, reason: Reason });
export const WalletBody = z.strictObject({ wallet: Address, reason: Reason });
export const ReasonBody = z.strictObject({ reason: Reason });

const IdParams = z.strictObject({ identityId: Bytes32 });
const writeAlternatives = { 202: Pending } as const;

export const DidResolution = z.object({
  "@context": z.string(),
  didDocument: z.object({
    "@context": z.array(z.string()),
    id: z.string(),
    verificationMethod: z.array(z.object({ id: z.string(), type: z.string(), controller: z.string(), blockchainAccountId: z.string() })),
    authentication: z.array(z.string()),
    assertionMethod: z.array(z.string()),
  }),
  didDocumentMetadata: z.object({
    deactivated: z.boolean(),
    status: StatusName,
    level: z.number().int(),
    jurisdiction: z.number().int(),
    expiresAt: z.string(),
    verified: z.boolean(),
    attestor: Address,
  }),
  didResolutionMetadata: z.object({ contentType: z.string() }),
});

export const identityRoutes = {
  registerIdentity: route({
    method: "post",
    path: "/v1/identities",
    tag: "identities",
    summary: "Register a wallet's identity (level, jurisdiction, expiry) with its KYC dossier or the dossier's hash",
    roles: ["attestor"],
    body: RegisterIdentityBody,
    headers: OptionalIdempotency,
    multipart: { files: [{ name: "kycEvidence", required: false, description: "KYC dossier; only its sha256 is kept" }] },
    status: 201,
    alternatives: writeAlternatives,
    response: z.union([RegisteredIdentity, UnsignedReply]),
  }),
  getIdentityOfWallet: route({
    method: "get",
    path: "/v1/identities/:address",
    tag: "identities",
    summary: "The identity a wallet belongs to, with its DID, level, status and linked wallets",
    roles: READERS,
    params: z.strictObject({ address: Address }),
    response: IdentityView.extend({ wallet: Address }),
  }),
  renewIdentity: route({
    method: "post",
    path: "/v1/identities/:identityId/renew",
    tag: "identities",
    summary: "Renew an identity until a new expiry",
    roles: ["attestor"],
    params: IdParams,
    body: RenewBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  linkWallet: route({
    method: "post",
    path: "/v1/identities/:identityId/wallets",
    tag: "identities",
    summary: "Link another wallet to an identity",
    roles: ["attestor"],
    params: IdParams,
    body: WalletBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  unlinkWallet: route({
    method: "post",
    path: "/v1/identities/wallets/unlink",
    tag: "identities",
    summary: "Unlink a wallet from its identity (a wallet of a suspended or revoked identity: regulator only)",
    roles: ["attestor", "regulator"],
    body: WalletBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  suspendIdentity: route({
    method: "post",
    path: "/v1/identities/:identityId/suspend",
    tag: "identities",
    summary: "Suspend an identity (regulator), with a reason",
    roles: ["regulator"],
    params: IdParams,
    body: ReasonBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  reinstateIdentity: route({
    method: "post",
    path: "/v1/identities/:identityId/reinstate",
    tag: "identities",
    summary: "Reinstate a suspended identity (regulator), with a reason",
    roles: ["regulator"],
    params: IdParams,
    body: ReasonBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  revokeIdentity: route({
    method: "post",
    path: "/v1/identities/:identityId/revoke",
    tag: "identities",
    summary: "Revoke an identity for good (regulator), with a reason",
    roles: ["regulator"],
    params: IdParams,
    body: ReasonBody,
    headers: OptionalIdempotency,
    alternatives: writeAlternatives,
    response: z.union([IdentityActionResult, UnsignedReply]),
  }),
  resolveDid: route({
    method: "get",
    path: "/v1/dids/:did",
    tag: "identities",
    summary: "Resolve a DID (did:<method>:<chainId>:<identityId>) to a W3C DID document",
    roles: READERS,
    params: z.strictObject({ did: z.string().min(1).max(200) }),
    response: DidResolution,
  }),
};
