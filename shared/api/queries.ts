import { z } from "zod";
import { IDENTITY_STATUSES } from "../domain";
import { route } from "./contract";
import { Address, Bytes32, Cid, Cursor, DecimalId, IsoDateTime, Limit, page, RightName, TransferMode, TxHash } from "./common";
import { IdentityView } from "./identities";
import { TokenIdParam } from "./tokens";

/**
 * The read side served from the gateway's event index (server/indexer): lists, search and history that
 * answer in milliseconds on any node, archive or not. Every list pages with an opaque cursor and a stable
 * sort; a tampered cursor, a too-long query or an unknown filter is a 400 naming the field.
 */
const READERS = ["issuer", "attestor", "auditor", "regulator", "admin"] as const;
const StatusName = z.enum(IDENTITY_STATUSES.map((s) => s.key) as unknown as ["None", "Active", "Suspended", "Revoked"]);

export const PageQuery = { cursor: Cursor.optional(), limit: Limit.default(50) };

export const COLLECTION_STATUSES = ["minting", "complete"] as const;

export const CollectionSummary = z.object({
  collectionId: DecimalId,
  issuer: Address,
  /** From the metadata JSON (empty until it was read from IPFS). */
  name: z.string(),
  description: z.string(),
  contentHash: Bytes32,
  metadataCID: Cid,
  maxSupply: z.number().int(),
  minted: z.number().int(),
  burned: z.number().int(),
  holders: z.number().int(),
  mode: TransferMode,
  holdingPeriodSeconds: z.number().int(),
  minLevel: z.number().int(),
  rights: z.array(RightName),
  complianceRef: Bytes32,
  status: z.enum(COLLECTION_STATUSES),
  createdAt: z.string(),
  createdBlock: z.number().int(),
  txHash: TxHash,
});
export type CollectionSummary = z.infer<typeof CollectionSummary>;

export const TokenSummary = z.object({
  tokenId: z.string(),
  collectionId: DecimalId,
  serial: z.string(),
  /** Null once burned (taken down). */
  owner: Address.nullable(),
  frozen: z.boolean(),
  burned: z.boolean(),
  acquiredAt: z.string(),
  /** When the holder may give it on (acquiredAt + holding period); null for a Locked collection. */
  holdingEndsAt: z.string().nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummary>;

export const LicenceSummary = z.object({
  tokenId: z.string(),
  holder: Address,
  licensee: Address,
  scope: z.array(RightName),
  expiresAt: z.string(),
  inForce: z.boolean(),
});

export const AccountView = z.object({
  address: Address,
  identity: IdentityView.nullable(),
  holdings: z.array(TokenSummary),
  holdingsTotal: z.number().int(),
  licencesHeld: z.array(LicenceSummary),
  licencesGranted: z.array(LicenceSummary),
  frozen: z.boolean(),
  /** With ?collection=: could this account receive an edition of that collection now, and why not. */
  canReceive: z
    .object({ collectionId: DecimalId, ok: z.boolean(), requiredLevel: z.number().int(), reason: z.string().nullable() })
    .nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

export const IdentitySummary = z.object({
  identityId: Bytes32,
  did: z.string(),
  level: z.number().int(),
  status: StatusName,
  expiresAt: z.string(),
  attestor: Address,
  /** The sha256 of the attestor's off-chain dossier, as the chain holds it (a renewal keeps it). */
  evidenceHash: Bytes32,
  wallets: z.array(Address),
  updatedBlock: z.number().int(),
});
export type IdentitySummary = z.infer<typeof IdentitySummary>;

export const IDENTITY_EVENT_TYPES = ["registered", "updated", "renewed", "status-changed", "wallet-linked", "wallet-unlinked"] as const;
export const IdentityEvent = z.object({
  type: z.enum(IDENTITY_EVENT_TYPES),
  blockNumber: z.number().int(),
  txHash: TxHash,
  logIndex: z.number().int(),
  time: z.string(),
  actor: Address,
  /** The identity's state after the event. */
  level: z.number().int(),
  status: StatusName,
  expiresAt: z.string(),
  wallet: Address.nullable(),
  reason: Bytes32.nullable(),
});

/** Every event type the index keeps (contract events, named in kebab case). */
export const EVENT_TYPES = [
  "collection-created",
  "editions-minted",
  "metadata-updated",
  "transfer",
  "forced-transfer",
  "taken-down",
  "token-frozen",
  "token-unfrozen",
  "wallet-frozen",
  "wallet-unfrozen",
  "paused",
  "unpaused",
  "licence-granted",
  "licence-revoked",
  "policy-floors-set",
  "identity-registered",
  "identity-updated",
  "identity-renewed",
  "identity-status-changed",
  "wallet-linked",
  "wallet-unlinked",
  "evidence-recorded",
  "checkpoint-anchored",
  "role-granted",
  "role-revoked",
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const IndexedEvent = z.object({
  chainId: z.number().int(),
  blockNumber: z.number().int(),
  txHash: TxHash,
  logIndex: z.number().int(),
  time: z.string(),
  contract: z.enum(["identity", "rights", "evidence"]),
  type: EventType,
  collectionId: DecimalId.nullable(),
  tokenId: z.string().nullable(),
  from: Address.nullable(),
  to: Address.nullable(),
  /** The account that made it happen (regulator, attestor, operator, holder). */
  actor: Address.nullable(),
  /** Every argument of the event, by name (bigints as decimal strings). */
  args: z.record(z.string(), z.unknown()),
});
export type IndexedEvent = z.infer<typeof IndexedEvent>;

export const RoleHolder = z.object({
  contract: z.enum(["identity", "rights", "evidence"]),
  role: z.string(),
  roleHash: Bytes32,
  account: Address,
  grantedBlock: z.number().int(),
  txHash: TxHash,
});

export const SEARCH_HIT_TYPES = ["token", "collection", "address", "identity", "did", "content-hash", "transaction", "cid", "evidence"] as const;
export const SearchHit = z.object({
  type: z.enum(SEARCH_HIT_TYPES),
  /** What to open: a token id, collection id, address, identity id, transaction hash… */
  id: z.string(),
  label: z.string(),
  /** The API path of the thing found. */
  path: z.string(),
});

export const NetworkView = z.object({
  chainId: z.number().int(),
  network: z.string(),
  contracts: z.object({
    identityRegistry: z.object({ address: Address, deployBlock: z.number().int() }),
    collectibleRights: z.object({ address: Address, deployBlock: z.number().int() }),
    evidenceRegistry: z.object({ address: Address, deployBlock: z.number().int() }),
  }),
  head: z.number().int().nullable(),
  indexedBlock: z.number().int().nullable(),
  lag: z.number().int().nullable(),
  confirmations: z.number().int(),
  ipfs: z.enum(["embedded", "remote"]),
  store: z.enum(["sqlite", "postgres"]),
  gatewayVersion: z.string(),
});

export const queryRoutes = {
  listCollections: route({
    method: "get",
    path: "/v1/collections",
    tag: "index",
    summary: "Collections, newest first; filter by issuer, text (name, description) and status",
    roles: READERS,
    query: z.strictObject({ issuer: Address.optional(), q: z.string().max(100).optional(), status: z.enum(COLLECTION_STATUSES).optional(), ...PageQuery }),
    response: page(CollectionSummary),
  }),
  listCollectionTokens: route({
    method: "get",
    path: "/v1/collections/:id/tokens",
    tag: "index",
    summary: "The editions of a collection by serial, with owner, freeze and holding period",
    roles: READERS,
    params: z.strictObject({ id: DecimalId }),
    query: z.strictObject({ owner: Address.optional(), ...PageQuery }),
    response: page(TokenSummary),
  }),
  getAccount: route({
    method: "get",
    path: "/v1/accounts/:address",
    tag: "index",
    summary: "An account: its identity, holdings, licences held and granted, and whether it can receive a collection",
    roles: READERS,
    params: z.strictObject({ address: Address }),
    query: z.strictObject({ collection: DecimalId.optional() }),
    response: AccountView,
  }),
  listIdentities: route({
    method: "get",
    path: "/v1/identities",
    tag: "index",
    summary:
      "Identities, soonest expiry first: the attestor's renewal queue (filters identityId, attestor, status, level, expiringBefore, or expiringWithinDays on the chain's clock)",
    roles: ["attestor", "auditor", "regulator", "admin"],
    query: z.strictObject({
      /** One identity by its bytes32 id (the path /v1/identities/:address takes a wallet). */
      identityId: Bytes32.optional(),
      attestor: Address.optional(),
      status: StatusName.optional(),
      level: z.coerce.number().int().min(0).max(4).optional(),
      expiringBefore: IsoDateTime.optional(),
      /** Expiring within this many days of the chain's latest block (expiry is checked against block time, not a browser's clock). */
      expiringWithinDays: z.coerce.number().int().min(1).max(3650).optional(),
      ...PageQuery,
    }),
    response: page(IdentitySummary),
  }),
  identityHistory: route({
    method: "get",
    path: "/v1/identities/:identityId/history",
    tag: "index",
    summary: "Every change of an identity: level, status, expiry, attestor, wallets linked and unlinked",
    roles: ["attestor", "auditor", "regulator", "admin"],
    params: z.strictObject({ identityId: Bytes32 }),
    response: z.object({ identityId: Bytes32, events: z.array(IdentityEvent) }),
  }),
  listEvents: route({
    method: "get",
    path: "/v1/events",
    tag: "index",
    summary: "The registry's events, newest first, with filters (txHash: what one transaction did); format=csv streams a large export",
    roles: ["auditor", "regulator", "admin", "issuer", "attestor"],
    query: z.strictObject({
      type: EventType.optional(),
      txHash: TxHash.optional(),
      address: Address.optional(),
      tokenId: TokenIdParam.shape.id.optional(),
      collectionId: DecimalId.optional(),
      fromBlock: z.coerce.number().int().min(0).optional(),
      toBlock: z.coerce.number().int().min(0).optional(),
      from: IsoDateTime.optional(),
      to: IsoDateTime.optional(),
      format: z.enum(["json", "csv"]).default("json"),
      ...PageQuery,
    }),
    response: page(IndexedEvent),
    produces: ["application/json", "text/csv"],
  }),
  listRoles: route({
    method: "get",
    path: "/v1/roles",
    tag: "index",
    summary: "Who holds which role on which contract",
    roles: ["auditor", "regulator", "admin"],
    response: z.object({ roles: z.array(RoleHolder) }),
  }),
  search: route({
    method: "get",
    path: "/v1/search",
    tag: "index",
    summary: "Search by token id, collection id, address, DID, content hash, transaction hash or CID; typed hits",
    roles: READERS,
    query: z.strictObject({ q: z.string().trim().min(1).max(200) }),
    response: z.object({ query: z.string(), hits: z.array(SearchHit) }),
  }),
  network: route({
    method: "get",
    path: "/v1/network",
    tag: "index",
    summary: "Chain id, contract addresses, block height, index lag, IPFS mode and store kind",
    roles: "public",
    response: NetworkView,
  }),
};
