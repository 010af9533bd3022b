import { hexlify, keccak256, randomBytes, sha256, toUtf8Bytes } from "ethers";
import type { z } from "zod";
import type { RegisteredIdentity, RegisterIdentityBody } from "../../shared/api";
import type { ChainWrite } from "../audit/chain-write";
import { didOf } from "../dids/did";
import { AppError } from "../errors";
import type { OperationKind } from "../operations/operation-runner";
import { runWrite } from "../operations/run-write";
import type { Services } from "../services";

export type RegisterIdentityParams = RegisterIdentityBody & {
  /** The KYC dossier; hashed in memory, never stored. */
  kycEvidence?: Uint8Array;
  actor: string;
  idempotencyKey?: string;
};

export const REGISTER_IDENTITY = "identity.register";

/**
 * POST /v1/identities: registers a wallet's identity on chain (attestor key) and records the KYC
 * dossier's hash in the EvidenceRegistry first. Only the hash of the dossier is kept anywhere.
 *
 * @example
 * await registerIdentity(services, { wallet, level: 2, jurisdiction: 156, expiresAt: "2027-12-31T00:00:00Z", kycEvidence, actor });
 */
export async function registerIdentity(services: Pick<Services, "chain" | "operations" | "config">, p: RegisterIdentityParams) {
  if (!p.kycEvidence === !p.kycEvidenceHash) throw new AppError("EVIDENCE_REQUIRED");
  const evidenceHash = p.kycEvidence ? sha256(p.kycEvidence) : p.kycEvidenceHash!;
  const { chain } = services;
  const { kycEvidence: _k, actor, idempotencyKey, ...request } = p;
  return runWrite<z.infer<typeof RegisteredIdentity>>(services, {
    kind: REGISTER_IDENTITY,
    roles: ["operator", "attestor"],
    actor,
    idempotencyKey,
    request: { ...request, evidenceHash },
    async prepare() {
      const identityId = p.identityId ?? hexlify(randomBytes(32));
      const expiresAt = BigInt(Math.floor(Date.parse(p.expiresAt) / 1000));
      const args = [identityId, p.wallet, p.level, p.jurisdiction, expiresAt, evidenceHash];
      // Dry-run first, so a refusal (wallet already linked, past expiry…) leaves nothing half-done.
      await chain.dryRun("attestor", "identity", "registerIdentity", args);
      const writes: ChainWrite[] = [];
      if (!(await chain.read(() => chain.evidence.existsByHash(evidenceHash)))) {
        writes.push({
          role: "operator",
          contract: "evidence",
          method: "record",
          args: [keccak256(toUtf8Bytes(`kyc:${identityId}`)), evidenceHash, JSON.stringify({ type: "kyc-dossier", identityId })],
          actor,
          purpose: "",
        });
      }
      writes.push({ role: "attestor", contract: "identity", method: "registerIdentity", args, actor, purpose: "" });
      return {
        writes,
        data: {
          identityId,
          did: didOf(services.config.DID_METHOD, chain.chainId, identityId),
          wallet: p.wallet,
          level: p.level,
          jurisdiction: p.jurisdiction,
          expiresAt: new Date(Number(expiresAt) * 1000).toISOString(),
          evidenceHash,
        },
      };
    },
  });
}

/** Settles a registration: the result once both transactions are mined. */
export const registerIdentityKind: OperationKind = {
  async settle(ctx) {
    const hashes = ctx.txHashes;
    return { ...ctx.data, txHash: hashes[hashes.length - 1], evidenceTxHash: hashes.length > 1 ? hashes[0] : null };
  },
};
