import type { Chain } from "../chain/chain";
import { isAddressLike, isBytes32 } from "./result";
import { ZERO_HASH } from "../../shared/domain";
import type { ComplianceContext, IdentityView } from "./types";

export interface ChainContextOptions {
  /** The clock rules see; defaults to the system clock. */
  now?: () => Date;
}

/**
 * The compliance context over the deployed contracts (IdentityRegistry, CollectibleRights,
 * EvidenceRegistry). Every read goes through `chain.read`, so a node that cannot be reached surfaces as
 * UnavailableError (the engine then decides nothing) and reverts as ChainRevertError. Malformed
 * addresses or hashes are answered locally (no identity / not recorded) instead of reaching the node.
 *
 * @example
 * const ctx = chainComplianceContext(chain, { issuance, evidenceUses });
 */
export function chainComplianceContext(
  chain: Chain,
  store: { issuance: ComplianceContext["issuance"]; evidenceUses: ComplianceContext["evidenceUses"] },
  options: ChainContextOptions = {},
): ComplianceContext {
  const operator = chain.signerAddress?.("operator")?.toLowerCase() ?? null;
  let issuerRole: Promise<string> | undefined;
  const getIssuerRole = () => {
    issuerRole ??= chain.read(() => chain.rights.ISSUER_ROLE()).catch((e: unknown) => {
      issuerRole = undefined;
      throw e;
    });
    return issuerRole;
  };

  return {
    now: options.now ?? (() => new Date()),

    async identityOf(wallet): Promise<IdentityView | undefined> {
      if (!isAddressLike(wallet)) return undefined;
      const identityId = await chain.read(() => chain.identity.identityOf(wallet));
      if (identityId === ZERO_HASH) return undefined;
      const id = await chain.read(() => chain.identity.getIdentity(identityId));
      const status = Number(id.status);
      if (status === 0) return undefined;
      return {
        identityId,
        level: Number(id.level),
        status,
        expiresAt: Number(id.expiresAt),
        evidenceHash: id.evidenceHash,
      };
    },

    async isVerified(wallet, minLevel) {
      if (!isAddressLike(wallet) || !Number.isInteger(minLevel) || minLevel < 0 || minLevel > 255) return false;
      return chain.read(() => chain.identity.isVerified(wallet, minLevel));
    },

    async areVerified(wallets, minLevel) {
      if (!Number.isInteger(minLevel) || minLevel < 0 || minLevel > 255) return wallets.map(() => false);
      const valid = wallets.filter(isAddressLike);
      const answers = new Map<string, boolean>();
      for (let i = 0; i < valid.length; i += 500) {
        const chunk = valid.slice(i, i + 500);
        const verified = await chain.read(() => chain.identity.areVerified(chunk, minLevel));
        chunk.forEach((w, j) => answers.set(w, verified[j]));
      }
      return wallets.map((w) => answers.get(w) ?? false);
    },

    async hasIssuerRole(wallet) {
      if (!isAddressLike(wallet)) return false;
      const role = await getIssuerRole();
      return chain.read(() => chain.rights.hasRole(role, wallet));
    },

    async evidenceRecorded(hash) {
      if (!isBytes32(hash) || hash === ZERO_HASH) return false;
      return chain.read(() => chain.evidence.existsByHash(hash));
    },

    async evidenceRecord(hash) {
      if (!isBytes32(hash) || hash === ZERO_HASH) return undefined;
      if (!(await chain.read(() => chain.evidence.existsByHash(hash)))) return undefined;
      const ev = await chain.read(() => chain.evidence.findByHash(hash));
      const first = Number(ev.version) === 1 ? ev : (await chain.read(() => chain.evidence.history(ev.id)))[0];
      const writer = String(first.writer);
      const viaGateway = operator !== null && writer.toLowerCase() === operator;
      let byRole: string | null = null;
      if (viaGateway) {
        try {
          const meta = JSON.parse(String(first.metadata)) as { byRole?: unknown };
          byRole = typeof meta.byRole === "string" ? meta.byRole : null;
        } catch {
          byRole = null;
        }
      }
      return { writer, viaGateway, byRole, recordedAt: new Date(Number(first.timestamp) * 1000).toISOString() };
    },

    evidenceUses: store.evidenceUses,

    async contentRegistered(contentHash) {
      if (!isBytes32(contentHash)) return undefined;
      const id = await chain.read(() => chain.rights.collectionOfContent(contentHash));
      return id === 0n ? undefined : id.toString();
    },

    issuance: store.issuance,
  };
}
