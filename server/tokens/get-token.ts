import { rightsOf, ZERO_ADDRESS } from "../../shared/domain";
import { AppError } from "../errors";
import type { Services } from "../services";
import { parseTokenId } from "./token-id";


/**
 * GET /v1/tokens/:id: owner, collection, edition, locked, frozen and licences (from the token's own
 * LicenceGranted events, each checked for being in force now).
 *
 * @example
 * const token = await getToken(services, "18446744073709551617");
 */
export async function getToken(services: Pick<Services, "chain">, id: string) {
  const { chain } = services;
  const { tokenId, collectionId, serial } = parseTokenId(id);
  const state = await chain.read(() => chain.rights.tokenState(tokenId));
  if (state.owner === ZERO_ADDRESS) {
    throw new AppError("TOKEN_NOT_FOUND", { tokenId: id });
  }
  const [locked, walletFrozen, tokenURI, collection, grants] = await chain.read(() =>
    Promise.all([
      chain.rights.locked(tokenId),
      chain.rights.isWalletFrozen(state.owner),
      chain.rights.tokenURI(tokenId),
      chain.rights.getCollection(collectionId),
      chain.rights.queryFilter(
        chain.rights.filters.LicenceGranted(tokenId),
        chain.deployment.contracts.collectibleRights.blockNumber,
      ),
    ]),
  );
  const licensees = [...new Set(grants.map((g) => g.args.licensee as string))];
  const licences = await chain.read(() =>
    Promise.all(
      licensees.map(async (licensee) => {
        const l = await chain.rights.licenceOf(tokenId, licensee);
        const inForce = await chain.rights.isLicensed(tokenId, licensee, l.scope === 0n ? 1 : l.scope);
        return {
          licensee,
          scope: rightsOf(l.scope),
          grantedAt: Number(l.grantedAt) ? new Date(Number(l.grantedAt) * 1000).toISOString() : null,
          expiresAt: Number(l.expiresAt) ? new Date(Number(l.expiresAt) * 1000).toISOString() : null,
          inForce: l.scope !== 0n && inForce,
        };
      }),
    ),
  );
  return {
    tokenId: tokenId.toString(),
    collectionId: collectionId.toString(),
    edition: serial.toString(),
    maxSupply: Number(collection.maxSupply),
    owner: state.owner,
    acquiredAt: new Date(Number(state.acquiredAt) * 1000).toISOString(),
    locked,
    frozen: state.frozen,
    ownerWalletFrozen: walletFrozen,
    tokenURI,
    contentHash: collection.contentHash,
    licences,
  };
}
