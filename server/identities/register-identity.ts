import { hexlify, keccak256, randomBytes, sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { Address, Bytes32, IsoDateTime } from "../../shared/schemas";
import { loggedWrite } from "../chain/logged-write";
import { didOf } from "../dids/did";
import { BadRequestError } from "../errors";
import type { Services } from "../http/services";

export const RegisterIdentityBody = z.strictObject({
  wallet: Address,
  level: z.number().int().min(0).max(4).describe("0 none, 1 phone, 2 real-name individual, 3 enterprise, 4 licensed issuer"),
  jurisdiction: z.number().int().min(0).max(999).describe("ISO-3166 numeric, 156 = China"),
  expiresAt: IsoDateTime.describe("when the identity stops verifying"),
  identityId: Bytes32.optional().describe("opaque id chosen by the attestor; random when omitted"),
  kycEvidenceHash: Bytes32.optional().describe("sha256 of the KYC dossier, when the file is not uploaded"),
});
export type RegisterIdentityParams = z.infer<typeof RegisterIdentityBody> & {
  /** The KYC dossier; hashed in memory, never stored. */
  kycEvidence?: Uint8Array;
  actor: string;
};

export interface RegisterIdentityResult {
  identityId: string;
  did: string;
  wallet: string;
  level: number;
  jurisdiction: number;
  expiresAt: string;
  evidenceHash: string;
  txHash: string;
  evidenceTxHash: string | null;
}

/**
 * Registers a wallet's identity on chain (attestor key) and records the KYC dossier hash in the
 * EvidenceRegistry. Only the hash of the dossier is kept anywhere.
 *
 * @example
 * await registerIdentity(services, { wallet, level: 2, jurisdiction: 156, expiresAt: "2027-12-31T00:00:00Z", kycEvidence, actor });
 */
export async function registerIdentity(services: Services, p: RegisterIdentityParams): Promise<RegisterIdentityResult> {
  if (!p.kycEvidence === !p.kycEvidenceHash) {
    throw new BadRequestError("EVIDENCE_REQUIRED", "Send exactly one of the 'kycEvidence' file or 'kycEvidenceHash'.");
  }
  const evidenceHash = p.kycEvidence ? sha256(p.kycEvidence) : p.kycEvidenceHash!;
  const identityId = p.identityId ?? hexlify(randomBytes(32));
  const expiresAt = BigInt(Math.floor(Date.parse(p.expiresAt) / 1000));
  const { chain } = services;
  const args = [identityId, p.wallet, p.level, p.jurisdiction, expiresAt, evidenceHash] as const;

  // Dry-run first so a refusal (wallet already linked, past expiry…) leaves nothing half-done.
  await chain.read(() => chain.identity.registerIdentity.staticCall(...args, { from: chain.senders.attestor.address }));
  let evidenceTxHash: string | null = null;
  if (!(await chain.read(() => chain.evidence.existsByHash(evidenceHash)))) {
    const receipt = await loggedWrite(services, {
      role: "operator",
      contract: "evidence",
      method: "record",
      args: [keccak256(toUtf8Bytes(`kyc:${identityId}`)), evidenceHash, JSON.stringify({ type: "kyc-dossier", identityId })],
      actor: p.actor,
    });
    evidenceTxHash = receipt.hash;
  }
  const receipt = await loggedWrite(services, {
    role: "attestor",
    contract: "identity",
    method: "registerIdentity",
    args,
    actor: p.actor,
  });
  return {
    identityId,
    did: didOf(services.config.DID_METHOD, chain.chainId, identityId),
    wallet: p.wallet,
    level: p.level,
    jurisdiction: p.jurisdiction,
    expiresAt: new Date(Number(expiresAt) * 1000).toISOString(),
    evidenceHash,
    txHash: receipt.hash,
    evidenceTxHash,
  };
}
