import { ZeroHash } from "ethers";
import type { IdentityView } from "../../shared/api";
import { STATUS_NAMES } from "../../shared/domain";
import { didOf } from "../dids/did";
import { AppError } from "../errors";
import type { Services } from "../services";

/** Reads an identity by id; `blockTag` reads it as it was at a block. */
export async function readIdentity(services: Pick<Services, "chain" | "config">, identityId: string, blockTag?: number): Promise<IdentityView | undefined> {
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
export async function getIdentityOfWallet(services: Pick<Services, "chain" | "config">, wallet: string): Promise<IdentityView & { wallet: string }> {
  const identityId = await services.chain.read(() => services.chain.identity.identityOf(wallet));
  const view = identityId === ZeroHash ? undefined : await readIdentity(services, identityId);
  if (!view) throw new AppError("WALLET_NOT_LINKED", { wallet });
  return { wallet, ...view };
}
