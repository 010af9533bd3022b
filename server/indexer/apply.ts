import type { Db, Row } from "../store/db";
import type { IxEvent } from "./events";

/**
 * The projections: what each event changes, applied in chain order inside the transaction that stores
 * the event. Pure SQL over the event's own data (and, for a new collection, the immutable fields read when
 * it was indexed, kept in its args), so a rebuild from the stored events needs no call to the chain.
 */
const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : null);
const num = (v: unknown) => Number(v);
const ACTIVE = 1;

async function identityState(t: Db, identityId: string): Promise<Row | undefined> {
  return (await t.query(`SELECT * FROM ix_identities WHERE identity_id = $1`, [identityId]))[0];
}

async function snapshot(t: Db, e: IxEvent, identityId: string): Promise<void> {
  const id = await identityState(t, identityId);
  if (!id) return;
  await t.run(
    `INSERT INTO ix_identity_states (identity_id, block_number, log_index, level, status, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (identity_id, block_number, log_index) DO NOTHING`,
    [identityId, e.blockNumber, e.logIndex, id.level, id.status, id.expires_at],
  );
}

export async function applyEvent(t: Db, e: IxEvent): Promise<void> {
  const a = e.args as Record<string, unknown>;
  switch (e.name) {
    case "CollectionCreated": {
      const c = a.collection as Record<string, unknown> | undefined;
      await t.run(
        `INSERT INTO ix_collections (collection_id, issuer, content_hash, metadata_cid, compliance_ref, metadata_ref, max_supply, minted, burned, mode, holding_period, min_level, rights, created_block, created_time, tx_hash)
         VALUES ($1, $2, $3, $4, $5, NULL, $6, 0, 0, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (collection_id) DO NOTHING`,
        [
          num(a.collectionId),
          lower(a.issuer),
          lower(a.contentHash),
          a.metadataCID,
          lower(a.complianceRef),
          num(c?.maxSupply ?? 0),
          num(c?.mode ?? 0),
          num(c?.holdingPeriod ?? 0),
          num(c?.minLevel ?? 1),
          num(c?.rights ?? 0),
          e.blockNumber,
          e.time,
          e.txHash,
        ],
      );
      return;
    }
    case "CollectionMetadataUpdated":
      await t.run(`UPDATE ix_collections SET metadata_cid = $1, metadata_ref = $2 WHERE collection_id = $3`, [a.metadataCID, lower(a.complianceRef), num(a.collectionId)]);
      return;
    case "Transfer": {
      const tokenId = String(a.tokenId);
      const collectionId = BigInt(tokenId) >> 64n;
      const serial = BigInt(tokenId) & ((1n << 64n) - 1n);
      if (!e.from) {
        await t.run(
          `INSERT INTO ix_tokens (token_id, collection_id, serial, owner, frozen, burned, acquired_time, epoch) VALUES ($1, $2, $3, $4, 0, 0, $5, 1)
           ON CONFLICT (token_id) DO UPDATE SET owner = excluded.owner, burned = 0, acquired_time = excluded.acquired_time, epoch = ix_tokens.epoch + 1`,
          [tokenId, Number(collectionId), Number(serial), lower(e.to), e.time],
        );
        await t.run(`UPDATE ix_collections SET minted = minted + 1 WHERE collection_id = $1`, [Number(collectionId)]);
      } else if (!e.to) {
        await t.run(`UPDATE ix_tokens SET owner = NULL, burned = 1, frozen = 0, acquired_time = $1, epoch = epoch + 1 WHERE token_id = $2`, [e.time, tokenId]);
        await t.run(`UPDATE ix_collections SET burned = burned + 1 WHERE collection_id = $1`, [Number(collectionId)]);
      } else {
        await t.run(`UPDATE ix_tokens SET owner = $1, acquired_time = $2, epoch = epoch + 1 WHERE token_id = $3`, [lower(e.to), e.time, tokenId]);
      }
      return;
    }
    case "TokenFrozen":
    case "TokenUnfrozen":
      await t.run(`UPDATE ix_tokens SET frozen = $1 WHERE token_id = $2`, [e.name === "TokenFrozen" ? 1 : 0, String(a.tokenId)]);
      return;
    case "WalletFrozen":
      await t.run(`INSERT INTO ix_frozen_wallets (wallet) VALUES ($1) ON CONFLICT (wallet) DO NOTHING`, [lower(a.wallet)]);
      return;
    case "WalletUnfrozen":
      await t.run(`DELETE FROM ix_frozen_wallets WHERE wallet = $1`, [lower(a.wallet)]);
      return;
    case "LicenceGranted": {
      const token = (await t.query(`SELECT epoch FROM ix_tokens WHERE token_id = $1`, [String(a.tokenId)]))[0];
      await t.run(
        `INSERT INTO ix_licences (token_id, licensee, holder, scope, expires_at, epoch) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (token_id, licensee) DO UPDATE SET holder = excluded.holder, scope = excluded.scope, expires_at = excluded.expires_at, epoch = excluded.epoch`,
        [String(a.tokenId), lower(a.licensee), lower(a.holder), num(a.scope), num(a.expiresAt), num(token?.epoch ?? 0)],
      );
      return;
    }
    case "LicenceRevoked":
      await t.run(`DELETE FROM ix_licences WHERE token_id = $1 AND licensee = $2`, [String(a.tokenId), lower(a.licensee)]);
      return;
    case "IdentityRegistered":
      await t.run(
        `INSERT INTO ix_identities (identity_id, level, jurisdiction, status, expires_at, attestor, evidence_hash, updated_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (identity_id) DO NOTHING`,
        [lower(a.identityId), num(a.level), num(a.jurisdiction), ACTIVE, num(a.expiresAt), lower(a.attestor), lower(a.evidenceHash), e.blockNumber],
      );
      await snapshot(t, e, String(lower(a.identityId)));
      return;
    case "IdentityUpdated":
      await t.run(`UPDATE ix_identities SET level = $1, jurisdiction = $2, evidence_hash = $3, attestor = $4, updated_block = $5 WHERE identity_id = $6`, [
        num(a.level),
        num(a.jurisdiction),
        lower(a.evidenceHash),
        lower(a.actor),
        e.blockNumber,
        lower(a.identityId),
      ]);
      await snapshot(t, e, String(lower(a.identityId)));
      return;
    case "IdentityRenewed":
      await t.run(`UPDATE ix_identities SET expires_at = $1, evidence_hash = $2, attestor = $3, updated_block = $4 WHERE identity_id = $5`, [
        num(a.expiresAt),
        lower(a.evidenceHash),
        lower(a.actor),
        e.blockNumber,
        lower(a.identityId),
      ]);
      await snapshot(t, e, String(lower(a.identityId)));
      return;
    case "IdentityStatusChanged":
      await t.run(`UPDATE ix_identities SET status = $1, updated_block = $2 WHERE identity_id = $3`, [num(a.status), e.blockNumber, lower(a.identityId)]);
      await snapshot(t, e, String(lower(a.identityId)));
      return;
    case "WalletLinked":
      await t.run(
        `INSERT INTO ix_wallets (wallet, identity_id, linked_block) VALUES ($1, $2, $3) ON CONFLICT (wallet) DO UPDATE SET identity_id = excluded.identity_id, linked_block = excluded.linked_block`,
        [lower(a.wallet), lower(a.identityId), e.blockNumber],
      );
      await t.run(`INSERT INTO ix_wallet_links (wallet, block_number, log_index, identity_id) VALUES ($1, $2, $3, $4) ON CONFLICT (wallet, block_number, log_index) DO NOTHING`, [
        lower(a.wallet),
        e.blockNumber,
        e.logIndex,
        lower(a.identityId),
      ]);
      return;
    case "WalletUnlinked":
      await t.run(`DELETE FROM ix_wallets WHERE wallet = $1`, [lower(a.wallet)]);
      await t.run(`INSERT INTO ix_wallet_links (wallet, block_number, log_index, identity_id) VALUES ($1, $2, $3, NULL) ON CONFLICT (wallet, block_number, log_index) DO NOTHING`, [
        lower(a.wallet),
        e.blockNumber,
        e.logIndex,
      ]);
      return;
    case "EvidenceRecorded":
      await t.run(
        `INSERT INTO ix_evidence (evidence_id, version, hash, writer, block_number, tx_hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (evidence_id, version) DO NOTHING`,
        [lower(a.id), num(a.version), lower(a.hash), lower(a.writer), e.blockNumber, e.txHash],
      );
      return;
    case "RoleGranted":
      await t.run(
        `INSERT INTO ix_roles (contract, role_hash, account, granted_block, tx_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contract, role_hash, account) DO NOTHING`,
        [e.contract, lower(a.role), lower(a.account), e.blockNumber, e.txHash],
      );
      return;
    case "RoleRevoked":
      await t.run(`DELETE FROM ix_roles WHERE contract = $1 AND role_hash = $2 AND account = $3`, [e.contract, lower(a.role), lower(a.account)]);
      return;
    default:
      return;
  }
}

/** The projection tables (everything the events rebuild). */
export const PROJECTIONS = [
  "ix_collections",
  "ix_tokens",
  "ix_identities",
  "ix_identity_states",
  "ix_wallets",
  "ix_wallet_links",
  "ix_frozen_wallets",
  "ix_licences",
  "ix_roles",
  "ix_evidence",
] as const;

/** Stores one event and applies it, once: returns false when it was stored already. */
export async function storeEvent(t: Db, e: IxEvent): Promise<boolean> {
  const changed = await t.run(
    `INSERT INTO ix_events (tx_hash, log_index, block_number, block_hash, time, contract, name, type, collection_id, token_id, identity_id, from_addr, to_addr, actor, args)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (tx_hash, log_index) DO NOTHING`,
    [
      e.txHash,
      e.logIndex,
      e.blockNumber,
      e.blockHash,
      e.time,
      e.contract,
      e.name,
      e.type,
      e.collectionId === null ? null : Number(e.collectionId),
      e.tokenId,
      e.identityId ? e.identityId.toLowerCase() : null,
      lower(e.from),
      lower(e.to),
      lower(e.actor),
      JSON.stringify(e.args),
    ],
  );
  if (changed === 0) return false;
  await applyEvent(t, e);
  return true;
}

export function eventFromRow(r: Row): IxEvent {
  return {
    txHash: String(r.tx_hash),
    logIndex: Number(r.log_index),
    blockNumber: Number(r.block_number),
    blockHash: String(r.block_hash),
    time: Number(r.time),
    contract: r.contract as IxEvent["contract"],
    name: String(r.name),
    type: r.type as IxEvent["type"],
    collectionId: r.collection_id === null || r.collection_id === undefined ? null : String(r.collection_id),
    tokenId: (r.token_id as string | null) ?? null,
    identityId: (r.identity_id as string | null) ?? null,
    from: (r.from_addr as string | null) ?? null,
    to: (r.to_addr as string | null) ?? null,
    actor: (r.actor as string | null) ?? null,
    args: JSON.parse(String(r.args)),
  };
}
