import { ZeroHash } from "ethers";
import { didOf } from "../dids/did";
import { NotFoundError } from "../errors";
import type { Services } from "../http/services";

export const STATUS_NAMES = ["None", "Active", "Suspended", "Revoked"] as const;

export interface IdentityView {
  identityId: string;
  did: string;
  level: number;
  jurisdiction: number;
  expiresAt: string;
  expired: boolean;
  status: (typeof STATUS_NAMES)[number];
  verified: boolean;
  attestor: string;
  evidenceHash: string;
  wallets: string[];
}

/** Reads an identity by id; `blockTag` reads it as it was at a block. */
export async function readIdentity(services: Services, identityId: string, blockTag?: number): Promise<IdentityView | undefined> {
  const { chain } = services;
  const overrides = blockTag === undefined ? {} : { blockTag };
  const [id, wallets, block] = await chain.read(() =>
    Promise.all([
      chain.identity.getIdentity(identityId, overrides),
      chain.identity.walletsOf(identityId, overrides),
      chain.provider.getBlock(blockTag ?? "latest"),
    ]),
  );
  if (Number(id.status) === 0) return undefined;
  const now = block?.timestamp ?? Math.floor(Date.now() / 1000);
  const status = STATUS_NAMES[Number(id.status)];
  const expired = now >= Number(id.expiresAt);
  return {
    identityId: identityId.toLowerCase(),
    did: didOf(services.config.DID_METHOD, chain.chainId, identityId),
    level: Number(id.level),
    jurisdiction: Number(id.jurisdiction),
    expiresAt: new Date(Number(id.expiresAt) * 1000).toISOString(),
    expired,
    status,
    verified: status === "Active" && !expired,
    attestor: id.attestor,
    evidenceHash: id.evidenceHash,
    wallets: [...wallets],
  };
}

/**
 * GET /v1/identities/:address — the identity a wallet belongs to.
 *
 * @example
 * const view = await getIdentityOfWallet(services, "0x7099…");
 */
export async function getIdentityOfWallet(services: Services, wallet: string): Promise<IdentityView & { wallet: string }> {
  const identityId = await services.chain.read(() => services.chain.identity.identityOf(wallet));
  const view = identityId === ZeroHash ? undefined : await readIdentity(services, identityId);
  if (!view) throw new NotFoundError("IDENTITY_NOT_FOUND", `Wallet ${wallet} is not linked to any identity.`);
  return { wallet, ...view };
}
