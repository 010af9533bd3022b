import type { AccountView, IdentityView } from "../../shared/api";
import { toChecksumAddress } from "../../shared/api";
import { formatError } from "../../shared/errors";
import { rightsOf, STATUS_NAMES } from "../../shared/domain";
import { didOf } from "../../shared/did";
import type { Db, Row } from "../store/db";
import type { Services } from "../services";
import { tokenFrom } from "./collections";

type Deps = Pick<Services, "store" | "config" | "chain">;

const iso = (s: unknown) => new Date(Number(s) * 1000).toISOString();
const addr = (a: unknown) => toChecksumAddress(String(a));

/** An identity of the index as the API shows it (IdentityView), with its linked wallets. */
export async function indexedIdentity(db: Db, services: Pick<Deps, "config" | "chain">, identityId: string, nowSeconds: number): Promise<IdentityView | null> {
  const r = (await db.query(`SELECT * FROM ix_identities WHERE identity_id = $1`, [identityId.toLowerCase()]))[0];
  if (!r) return null;
  const wallets = await db.query<{ wallet: string }>(`SELECT wallet FROM ix_wallets WHERE identity_id = $1 ORDER BY linked_block, wallet`, [r.identity_id]);
  const status = STATUS_NAMES[Number(r.status)] ?? "None";
  const expired = nowSeconds >= Number(r.expires_at);
  return {
    identityId: String(r.identity_id),
    did: didOf(services.config.DID_METHOD, services.chain.chainId, String(r.identity_id)),
    level: Number(r.level),
    jurisdiction: Number(r.jurisdiction),
    expiresAt: iso(r.expires_at),
    expired,
    status,
    verified: status === "Active" && !expired,
    attestor: addr(r.attestor),
    evidenceHash: String(r.evidence_hash),
    wallets: wallets.map((w) => addr(w.wallet)),
  };
}

const licenceFrom = (now: number) => (r: Row) => ({
  tokenId: String(r.token_id),
  holder: addr(r.holder),
  licensee: addr(r.licensee),
  scope: rightsOf(Number(r.scope)),
  expiresAt: iso(r.expires_at),
  inForce: Number(r.epoch) === Number(r.token_epoch) && Number(r.burned) === 0 && now < Number(r.expires_at),
});

/**
 * GET /v1/accounts/:address: the account's identity, its holdings (first 100, with the total), licences
 * held and granted, whether its wallet is frozen, and with ?collection= whether it could receive an
 * edition of that collection now, and why not (in the catalogue's words).
 *
 * @example
 * const account = await getAccount(services, "0x…", { collection: "1" });
 */
export async function getAccount(services: Deps, address: string, q: { collection?: string }): Promise<AccountView> {
  const db = services.store.db;
  const a = address.toLowerCase();
  // "Verified now" is the chain's now (expiry is checked against block.timestamp); the index still answers
  // with this machine's clock while the node is down.
  const now = Number(await services.chain.now().catch(() => BigInt(Math.floor(Date.now() / 1000))));
  const link = (await db.query<{ identity_id: string }>(`SELECT identity_id FROM ix_wallets WHERE wallet = $1`, [a]))[0];
  const identity = link ? await indexedIdentity(db, services, link.identity_id, now) : null;
  const holdings = await db.query(
    `SELECT t.*, c.mode, c.holding_period FROM ix_tokens t JOIN ix_collections c ON c.collection_id = t.collection_id WHERE t.owner = $1 ORDER BY t.collection_id, t.serial LIMIT 100`,
    [a],
  );
  const total = Number((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ix_tokens WHERE owner = $1`, [a]))[0].n);
  const licences = (col: string) =>
    db.query(`SELECT l.*, t.epoch AS token_epoch, t.burned FROM ix_licences l JOIN ix_tokens t ON t.token_id = l.token_id WHERE l.${col} = $1 ORDER BY l.token_id`, [a]);
  const frozen = (await db.query(`SELECT 1 AS f FROM ix_frozen_wallets WHERE wallet = $1`, [a])).length > 0;
  let canReceive: AccountView["canReceive"] = null;
  if (q.collection) {
    const c = (await db.query<{ min_level: unknown }>(`SELECT min_level FROM ix_collections WHERE collection_id = $1`, [Number(q.collection)]))[0];
    const requiredLevel = Number(c?.min_level ?? 0);
    let reason: string | null = null;
    if (!c) reason = formatError("COLLECTION_NOT_FOUND", { collectionId: q.collection }, "en");
    else if (frozen) reason = formatError("RECIPIENT_FROZEN", { recipient: address }, "en");
    else if (!identity || !identity.verified || identity.level < requiredLevel) reason = formatError("RECIPIENT_NOT_VERIFIED", { recipient: address, requiredLevel }, "en");
    canReceive = { collectionId: q.collection, ok: reason === null, requiredLevel, reason };
  }
  return {
    address: toChecksumAddress(address),
    identity,
    holdings: holdings.map(tokenFrom),
    holdingsTotal: total,
    licencesHeld: (await licences("licensee")).map(licenceFrom(now)),
    licencesGranted: (await licences("holder")).map(licenceFrom(now)),
    frozen,
    canReceive,
  };
}
