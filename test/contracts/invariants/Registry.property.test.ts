/**
 * Model-based property test of the whole registry (IdentityRegistry + CollectibleRights).
 *
 * fast-check generates long random sequences of operations (identity lifecycle, wallet links, collections,
 * mints, transfers, freezes, forced transfers, takedowns, licences, time travel). Every operation is sent
 * as a real transaction on the in-process Hardhat network; each run starts from a fresh snapshot of the
 * same deployment (`loadFixture`). An operation may revert, but only with a custom error declared by the
 * contracts: a panic, a `revert("…")`/`require` string or an empty revert fails the property.
 *
 * A light model records, for every token, its owner and whether the recipient was verified at the
 * collection's minimum level in the block the token arrived in (read with a historical `eth_call` at the
 * receipt's block, so the check sees the exact state and timestamp the hook saw). After every step the
 * invariants are checked against chain state ({checkInvariants}, plus checks at each successful movement):
 * - supply: minted ≤ maxSupply and totalSupply = minted − burned for every collection (and both equal the
 *   model's counts);
 * - content: collectionOfContent(hash) is the first collection that registered it; a createCollection
 *   with a registered hash never succeeds;
 * - verification: every token arrived (mint, transfer or forced transfer) at a wallet verified at the
 *   collection's minLevel in that block;
 * - freezes: a successful transferFrom never moves a frozen token, from a frozen wallet or to a frozen
 *   wallet (nor while paused, in a Locked collection, from an unverified sender or within the holding
 *   period); only forcedTransfer and takedown move them;
 * - request nonces: a successful mint never reuses the issuer's nonce, isRequestUsed stays true once set, and
 *   each mint's EditionsMinted names its collection, first token id, count and recipientsHash;
 * - compliance: a createCollection succeeds only with a compliance signer's approval and a fresh complianceRef;
 * - licences: after any movement (or revocation) isLicensed is false for every licence granted before it;
 * - ownership: ownerOf equals the model's owner for every live token; burned tokens have no owner;
 * - identity: the identity behind each live token (identityOf(owner)) changes only in a step that moves the
 *   token (transfer or forced transfer); no attestor step unlinks a wallet of a non-Active identity, and no
 *   unlink succeeds for a wallet that holds tokens;
 * - one rule code: `checkTransfer(from, to, id)` reverts with the very data of `transferFrom(from, to, id)`
 *   sent by the holder (or both pass), and `locked(id)` is true exactly when the holder's transfer to a
 *   verified, unfrozen recipient would revert (both compared as calls on the same state).
 * A failure prints fast-check's (shrunk) counterexample, its seed and path, plus the resolved trace of the
 * failing run. At the end, the test asserts that enough mints, transfers, forced transfers, takedowns and
 * licence grants succeeded for the property not to be vacuous, and prints a table of outcomes.
 *
 * Tune with PROPERTY_RUNS (default 30) / PROPERTY_MAX_OPS (default 60) / PROPERTY_SEED (to replay).
 */
import { expect } from "chai";
import fc from "fast-check";
import { artifacts, ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Interface, type ContractTransactionReceipt, type ContractTransactionResponse } from "ethers";
import { CHINA, DAY, LEVEL, collectionParams, code, createApproved, deployRegistryFixture } from "../fixtures";
import { COMPLIANCE_KEY, approveCreate } from "../helpers/approvals";
import { callOutcome, revertData } from "../helpers/revert";
import type { CollectibleRights, IdentityRegistry } from "../../../typechain-types";

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 30);
const MAX_OPS = Number(process.env.PROPERTY_MAX_OPS ?? 60);
const SEED = process.env.PROPERTY_SEED === undefined ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : Number(process.env.PROPERTY_SEED);

/**
 * Content seeds the generator draws from, so that hashes are reused often. The first three are registered
 * by the fixture's collections; the others are free at the start of every run.
 */
const CONTENT_SEEDS = ["seed-0", "seed-1", "seed-2", "free-0", "free-1", "free-2", "free-3"];
/** Collections the fixture creates (ids 1..3), with content seeds 0..2. */
const SEED_COLLECTIONS = [
  { mode: 1, minLevel: LEVEL.PHONE, holdingPeriod: 0, maxSupply: 40, rights: 0x0f },
  { mode: 0, minLevel: LEVEL.REAL_NAME, holdingPeriod: 0, maxSupply: 10, rights: 0x03 },
  { mode: 1, minLevel: LEVEL.REAL_NAME, holdingPeriod: 3600, maxSupply: 20, rights: 0x05 },
] as const;
/** Extra wallets (deterministic keys, impersonated) beside Hardhat's signers. */
const EXTRA_WALLETS = 4;
const EXTRA_ADDRESSES = Array.from(
  { length: EXTRA_WALLETS },
  (_, i) => new ethers.Wallet(ethers.id(`property:wallet:${i}`)).address,
);
/** alice, bob, carol, dave, outsider, 10 spare Hardhat signers, the extra wallets. */
const POOL_SIZE = 5 + 10 + EXTRA_WALLETS;

// ─── Revert classification ────────────────────────────────────────────────────────────────────

const errorInterface = (() => {
  const fragments = new Map<string, unknown>();
  for (const name of ["IdentityRegistry", "CollectibleRights", "EvidenceRegistry"]) {
    for (const f of artifacts.readArtifactSync(name).abi as Array<{ type: string; name: string }>) {
      if (f.type === "error") fragments.set(new Interface([f]).getError(f.name)!.format("sighash"), f);
    }
  }
  return new Interface([...fragments.values()] as never);
})();

const PANIC_SELECTOR = "0x4e487b71";
const ERROR_STRING_SELECTOR = "0x08c379a0";

/** Name of the custom error a failed transaction reverted with; throws for anything else. */
function customErrorName(e: unknown): string {
  const data = revertData(e);
  const message = e instanceof Error ? e.message : String(e);
  if (data === undefined || data === "0x") {
    throw new Error(`transaction failed without custom-error revert data: ${message}`);
  }
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === PANIC_SELECTOR) {
    const [panicCode] = ethers.AbiCoder.defaultAbiCoder().decode(["uint256"], "0x" + data.slice(10));
    throw new Error(`unexpected panic 0x${(panicCode as bigint).toString(16)}: ${message}`);
  }
  if (selector === ERROR_STRING_SELECTOR) {
    const [reason] = ethers.AbiCoder.defaultAbiCoder().decode(["string"], "0x" + data.slice(10));
    throw new Error(`unexpected revert with a string instead of a custom error: "${reason as string}"`);
  }
  const parsed = errorInterface.parseError(data);
  if (parsed === null) throw new Error(`revert with unknown selector ${selector}: ${message}`);
  return parsed.name;
}

// ─── Statistics across all runs ───────────────────────────────────────────────────────────────

const stats = new Map<string, { ok: number; reverted: number; noop: number; errors: Map<string, number> }>();
function stat(kind: string) {
  let s = stats.get(kind);
  if (s === undefined) stats.set(kind, (s = { ok: 0, reverted: 0, noop: 0, errors: new Map() }));
  return s;
}
let stepsRun = 0;
let runsStarted = 0;

// ─── Model and real system ────────────────────────────────────────────────────────────────────

interface IdentityM {
  id: string;
  expiresAt: bigint;
  isIssuer: boolean;
  status: "active" | "suspended" | "revoked";
}
interface CollectionM {
  id: bigint;
  minLevel: number;
  mode: number;
  holdingPeriod: number;
  maxSupply: number;
  rights: number;
  minted: number;
  burned: number;
  contentHash: string;
}
interface LicenceM {
  licensee: string;
  scope: number;
  /** The token moved (or was burned) since the grant, or the holder revoked it: must never verify again. */
  ended: "moved" | "revoked" | null;
}
interface TokenM {
  id: bigint;
  collection: CollectionM;
  owner: string;
  alive: boolean;
  /** Recipient verified at the collection's minLevel in the block of every arrival so far. */
  arrivedVerified: boolean;
  /** identityOf(owner) when the token arrived; it may change only when the token moves. */
  ownerIdentity: string;
  licences: LicenceM[];
}
interface MintRequestM {
  collectionId: bigint;
  firstTokenId: bigint;
  count: bigint;
  recipientsHash: string;
}
interface Model {
  identities: IdentityM[];
  collections: CollectionM[];
  tokens: TokenM[];
  contentOwner: Map<string, bigint>;
  /** The issuer's request nonces used so far (only the fixture's issuer mints in this test). */
  requests: Map<bigint, MintRequestM>;
  requestNonces: bigint[];
  complianceRefs: string[];
  frozenWallets: Set<string>;
  frozenTokens: Set<bigint>;
  paused: boolean;
  counter: number;
  trace: string[];
}
interface Real {
  identity: IdentityRegistry;
  rights: CollectibleRights;
  attestor: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  issuer: HardhatEthersSigner;
  operator: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  pool: HardhatEthersSigner[];
  byAddress: Map<string, HardhatEthersSigner>;
  issuerExpiresAt: bigint;
}

/** The shared fixture plus four more identities and funded extra wallets (so more transfers can succeed). */
async function propertyFixture() {
  const base = await deployRegistryFixture();
  const { identity } = base.contracts;
  const { attestor, rest } = base.accounts;
  const now = BigInt(await time.latest());
  const extraIdentities: IdentityM[] = [];
  // Spare signers 0..7 get identities of various levels and expiries; 8, 9, the outsider and the extra
  // wallets stay unregistered for the registerIdentity operations.
  const levels = [LEVEL.PHONE, LEVEL.REAL_NAME, LEVEL.ENTERPRISE, LEVEL.REAL_NAME, LEVEL.LICENSED_ISSUER, LEVEL.REAL_NAME, LEVEL.PHONE, LEVEL.NONE];
  for (let i = 0; i < levels.length; i++) {
    const id = ethers.id(`property:identity:seed:${i}`);
    const expiresAt = now + BigInt((i + 1) * 30 * DAY);
    await (
      await identity.connect(attestor).registerIdentity(id, rest[i].address, levels[i], CHINA, expiresAt, code("kyc"))
    ).wait();
    extraIdentities.push({ id, expiresAt, isIssuer: false, status: "active" });
  }
  for (const address of EXTRA_ADDRESSES) await setBalance(address, 10n ** 21n);

  // Three collections and six editions, so that movements and licences can succeed from the first step.
  const { rights } = base.contracts;
  const { issuer, alice, bob, carol, dave } = base.accounts;
  for (let i = 0; i < SEED_COLLECTIONS.length; i++) {
    const params = collectionParams({ seed: CONTENT_SEEDS[i], ...SEED_COLLECTIONS[i] });
    await (await createApproved(rights, issuer, issuer.address, params)).wait();
  }
  const seedRecipients = [alice.address, bob.address, carol.address, dave.address, rest[0].address, rest[1].address];
  const seedRequest = 2n ** 255n; // far from the small nonces the run uses
  const seedMint = await (await rights.connect(issuer).mintBatch(issuer.address, 1n, seedRecipients, seedRequest)).wait();
  for (const to of seedRecipients) {
    expect(await identity.isVerified(to, SEED_COLLECTIONS[0].minLevel, { blockTag: seedMint!.blockNumber })).to.equal(true);
  }
  const seedIdentities = await Promise.all(seedRecipients.map((w) => identity.identityOf(w)));
  return { ...base, extraIdentities, seedRecipients, seedIdentities, seedRequest };
}

async function setup(): Promise<{ model: Model; real: Real }> {
  runsStarted++;
  const f = await loadFixture(propertyFixture);
  const { alice, bob, carol, dave, outsider, rest } = f.accounts;
  const extras = await Promise.all(EXTRA_ADDRESSES.map((a) => ethers.getImpersonatedSigner(a)));
  const pool = [alice, bob, carol, dave, outsider, ...rest.slice(0, 10), ...extras];
  expect(pool.length).to.equal(POOL_SIZE);
  const identities: IdentityM[] = [
    { id: f.ids.issuer, expiresAt: f.expiresAt, isIssuer: true, status: "active" },
    ...(["alice", "bob", "carol", "dave"] as const).map(
      (k): IdentityM => ({ id: f.ids[k], expiresAt: f.expiresAt, isIssuer: false, status: "active" }),
    ),
    // Copies: loadFixture hands back the same objects every run, and the model mutates them.
    ...f.extraIdentities.map((i) => ({ ...i })),
  ];
  const collections: CollectionM[] = SEED_COLLECTIONS.map((c, i) => ({
    id: BigInt(i + 1),
    ...c,
    minted: 0,
    burned: 0,
    contentHash: collectionParams({ seed: CONTENT_SEEDS[i] }).contentHash as string,
  }));
  collections[0].minted = f.seedRecipients.length;
  const tokens = f.seedRecipients.map(
    (owner, i): TokenM => ({
      id: (1n << 64n) | BigInt(i + 1),
      collection: collections[0],
      owner,
      alive: true,
      arrivedVerified: true,
      ownerIdentity: f.seedIdentities[i],
      licences: [],
    }),
  );
  const seed: MintRequestM = {
    collectionId: 1n,
    firstTokenId: (1n << 64n) | 1n,
    count: BigInt(f.seedRecipients.length),
    recipientsHash: ethers.solidityPackedKeccak256(["address[]"], [f.seedRecipients]),
  };
  return {
    model: {
      identities,
      collections,
      tokens,
      contentOwner: new Map(collections.map((c) => [c.contentHash, c.id])),
      requests: new Map([[f.seedRequest, seed]]),
      requestNonces: [f.seedRequest],
      complianceRefs: SEED_COLLECTIONS.map((_, i) => collectionParams({ seed: CONTENT_SEEDS[i] }).complianceRef as string),
      frozenWallets: new Set(),
      frozenTokens: new Set(),
      paused: false,
      counter: 0,
      trace: [],
    },
    real: {
      identity: f.contracts.identity,
      rights: f.contracts.rights,
      attestor: f.accounts.attestor,
      regulator: f.accounts.regulator,
      issuer: f.accounts.issuer,
      operator: f.accounts.operator,
      outsider,
      pool,
      byAddress: new Map(pool.map((s) => [s.address, s])),
      issuerExpiresAt: f.expiresAt,
    },
  };
}

// ─── Operations ───────────────────────────────────────────────────────────────────────────────

/** Indices are resolved against the model when the operation runs (modulo the current list length). */
type Op =
  | { kind: "registerIdentity"; wallet: number; level: number; ttl: number; reuseId: boolean }
  | { kind: "updateLevel"; identity: number; level: number }
  | { kind: "suspend" | "reinstate" | "revoke"; identity: number }
  | { kind: "expire"; identity: number }
  | { kind: "renew"; identity: number; ttl: number }
  | { kind: "linkWallet"; identity: number; wallet: number }
  | { kind: "unlinkWallet"; wallet: number; byRegulator: boolean }
  | {
      kind: "createCollection";
      approval: "valid" | "selfSigned" | "reusedRef";
      caller: number;
      content: number;
      mode: number;
      minLevel: number;
      holdingPeriod: number;
      maxSupply: number;
      rights: number;
    }
  | { kind: "mint"; caller: number; collection: number; to: number; request: number | null }
  | { kind: "mintBatch"; caller: number; collection: number; to: number[]; request: number | null }
  | { kind: "transfer"; token: number; to: number; byStranger: number | null }
  | { kind: "probe"; token: number; to: number; from: number | null }
  | { kind: "freezeWallet" | "unfreezeWallet"; wallet: number }
  | { kind: "freezeToken" | "unfreezeToken"; token: number }
  | { kind: "forcedTransfer"; token: number; to: number; wrongFrom: boolean }
  | { kind: "takedown"; tokens: number[] }
  | { kind: "grantLicence"; token: number; licensee: number; scope: number; anyScope: boolean; ttl: number }
  | { kind: "revokeLicence"; token: number; licence: number }
  | { kind: "timeTravel"; seconds: number }
  | { kind: "pause" | "unpause" };

const idx = fc.nat({ max: 1_000 });
/**
 * A pool wallet, biased towards those with an identity from the fixture (alice..dave and spare signers
 * 0..6, pool indices 0..3 and 5..11) so that enough movements succeed; now and then the zero address
 * (index POOL_SIZE).
 */
const wallet = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 3, arbitrary: fc.integer({ min: 5, max: 11 }) },
  { weight: 3, arbitrary: fc.nat({ max: POOL_SIZE - 1 }) },
  { weight: 1, arbitrary: fc.constant(POOL_SIZE) },
);
/** Mostly a wallet the fixture left without identity (outsider, spare signers 8-9, extra wallets). */
const newcomer = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(4, 13, 14, 15, 16, 17, 18) },
  { weight: 1, arbitrary: wallet },
);
const holder = fc.nat({ max: POOL_SIZE - 1 });
const ttl = fc.constantFrom(3600, DAY, 7 * DAY, 30 * DAY, 400 * DAY);
/** null (~85%): a fresh request nonce; a number: reuse an earlier one. */
const request = fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: 1_000 }) });

const opArbs: Array<[number, fc.Arbitrary<Op>]> = [
  [4, fc.record({ kind: fc.constant("registerIdentity" as const), wallet: newcomer, level: fc.nat({ max: 4 }), ttl, reuseId: fc.nat({ max: 9 }).map((n) => n === 0) })],
  [1, fc.record({ kind: fc.constant("updateLevel" as const), identity: idx, level: fc.nat({ max: 4 }) })],
  [1, fc.record({ kind: fc.constantFrom("suspend" as const, "reinstate" as const, "revoke" as const), identity: idx })],
  [1, fc.record({ kind: fc.constant("reinstate" as const), identity: idx })],
  [1, fc.record({ kind: fc.constant("expire" as const), identity: idx })],
  [1, fc.record({ kind: fc.constant("renew" as const), identity: idx, ttl })],
  [2, fc.record({ kind: fc.constant("linkWallet" as const), identity: idx, wallet: newcomer })],
  [2, fc.record({ kind: fc.constant("unlinkWallet" as const), wallet, byRegulator: fc.nat({ max: 3 }).map((n) => n === 0) })],
  [
    5,
    fc.record({
      kind: fc.constant("createCollection" as const),
      approval: fc.constantFrom("valid" as const, "valid" as const, "valid" as const, "valid" as const, "valid" as const, "selfSigned" as const, "reusedRef" as const),
      caller: fc.constantFrom(0, 0, 0, 1, 1, 2),
      content: fc.nat({ max: CONTENT_SEEDS.length - 1 }),
      mode: fc.constantFrom(0, 1, 1, 1),
      minLevel: fc.constantFrom(0, 1, 1, 1, 2, 2, 2, 2, 3, 4),
      holdingPeriod: fc.constantFrom(0, 0, 0, 60, 3600, DAY),
      maxSupply: fc.integer({ min: 1, max: 8 }),
      rights: fc.integer({ min: 1, max: 15 }),
    }),
  ],
  [6, fc.record({ kind: fc.constant("mint" as const), caller: fc.constantFrom(0, 0, 0, 1, 1, 1, 2), collection: idx, to: wallet, request })],
  [3, fc.record({ kind: fc.constant("mintBatch" as const), caller: fc.constantFrom(0, 1), collection: idx, to: fc.array(wallet, { minLength: 1, maxLength: 4 }), request })],
  [10, fc.record({ kind: fc.constant("transfer" as const), token: idx, to: wallet, byStranger: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: holder }) })],
  [4, fc.record({ kind: fc.constant("probe" as const), token: idx, to: wallet, from: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: holder }) })],
  [1, fc.record({ kind: fc.constantFrom("freezeWallet" as const, "unfreezeWallet" as const), wallet: holder })],
  [1, fc.record({ kind: fc.constantFrom("freezeToken" as const, "unfreezeToken" as const), token: idx })],
  [3, fc.record({ kind: fc.constant("forcedTransfer" as const), token: idx, to: wallet, wrongFrom: fc.nat({ max: 9 }).map((n) => n === 0) })],
  [2, fc.record({ kind: fc.constant("takedown" as const), tokens: fc.array(idx, { minLength: 1, maxLength: 2 }) })],
  [4, fc.record({ kind: fc.constant("grantLicence" as const), token: idx, licensee: wallet, scope: fc.integer({ min: 1, max: 15 }), anyScope: fc.nat({ max: 7 }).map((n) => n === 0), ttl })],
  [1, fc.record({ kind: fc.constant("revokeLicence" as const), token: idx, licence: idx })],
  [3, fc.record({ kind: fc.constant("timeTravel" as const), seconds: fc.constantFrom(1, 60, 3600, DAY, 7 * DAY) })],
  [1, fc.constantFrom<Op>({ kind: "pause" }, { kind: "unpause" }, { kind: "unpause" }, { kind: "unpause" })],
];

// ─── Helpers used by the operations ───────────────────────────────────────────────────────────

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}
const walletAt = (r: Real, i: number) => (i >= r.pool.length ? ethers.ZeroAddress : r.pool[i].address);
const liveTokens = (m: Model) => m.tokens.filter((t) => t.alive);
const short = (a: string) => (a === ethers.ZeroAddress ? "0x0" : a.slice(0, 8));
const tokenLabel = (t: TokenM) => `#${t.collection.id}/${t.id & 0xffffffffffffffffn}`;

/** Sends one transaction. Returns the receipt, or null when it reverted with a custom error. */
async function attempt(
  m: Model,
  kind: string,
  what: string,
  send: () => Promise<ContractTransactionResponse>,
): Promise<ContractTransactionReceipt | null> {
  const s = stat(kind);
  try {
    const receipt = await (await send()).wait();
    if (receipt === null) throw new Error(`${what}: no receipt`);
    s.ok++;
    m.trace.push(`${what} → ok`);
    return receipt;
  } catch (e) {
    let name: string;
    try {
      name = customErrorName(e);
    } catch (inner) {
      m.trace.push(`${what} → ${(inner as Error).message}`);
      throw inner;
    }
    s.reverted++;
    s.errors.set(name, (s.errors.get(name) ?? 0) + 1);
    m.trace.push(`${what} → ${name}`);
    return null;
  }
}

function noop(m: Model, kind: string, why: string) {
  stat(kind).noop++;
  m.trace.push(`${kind}: skipped (${why})`);
}

/** Asserts an invariant, with the resolved trace of the current run in the message. */
function invariant(m: Model, ok: boolean, message: string) {
  if (!ok) {
    throw new Error(`invariant violated: ${message}\n  trace of this run:\n    ${m.trace.join("\n    ")}`);
  }
}

/** Records the arrival of a token at `to` in `blockNumber`: was `to` verified there, at the collection's level? */
async function recordArrival(m: Model, r: Real, t: TokenM, to: string, blockNumber: number) {
  const verified = await r.identity.isVerified(to, t.collection.minLevel, { blockTag: blockNumber });
  t.owner = to;
  t.ownerIdentity = await r.identity.identityOf(to, { blockTag: blockNumber });
  t.arrivedVerified &&= verified;
  invariant(m, verified, `token ${tokenLabel(t)} arrived at ${to} in block ${blockNumber}, which was not verified at level ${t.collection.minLevel}`);
  // Any movement ends every licence granted before it.
  for (const l of t.licences) l.ended ??= "moved";
}

function issuerAgent(r: Real, caller: number) {
  return caller === 0 ? r.issuer : caller === 1 ? r.operator : r.outsider;
}

/** A fresh nonce (small and sequential, as a gateway would use them: they share bitmap words), or a used one. */
function requestNonce(m: Model, reuse: number | null): bigint {
  if (reuse !== null) return m.requestNonces[reuse % m.requestNonces.length];
  return BigInt(m.counter++);
}

async function recordMint(
  m: Model,
  r: Real,
  c: CollectionM,
  recipients: string[],
  nonce: bigint,
  receipt: ContractTransactionReceipt,
) {
  invariant(m, !m.requests.has(nonce), `request nonce ${nonce} was accepted a second time`);
  invariant(m, !m.paused, `a mint succeeded while paused`);
  for (const to of recipients) invariant(m, !m.frozenWallets.has(to), `a mint reached frozen wallet ${to}`);
  const events = receipt.logs
    .map((l) => r.rights.interface.parseLog(l))
    .filter((l) => l?.name === "EditionsMinted");
  invariant(m, events.length === 1, `a mint emitted ${events.length} EditionsMinted`);
  const e = events[0]!.args;
  const expected: MintRequestM = {
    collectionId: c.id,
    firstTokenId: (c.id << 64n) | BigInt(c.minted + 1),
    count: BigInt(recipients.length),
    recipientsHash: ethers.solidityPackedKeccak256(["address[]"], [recipients]),
  };
  invariant(
    m,
    e.collectionId === expected.collectionId &&
      e.requestNonce === nonce &&
      e.issuer === r.issuer.address &&
      e.firstTokenId === expected.firstTokenId &&
      e.count === expected.count &&
      e.recipientsHash === expected.recipientsHash,
    `EditionsMinted of nonce ${nonce} is ${e.toString()}, expected ${JSON.stringify(expected, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
  );
  m.requests.set(nonce, expected);
  m.requestNonces.push(nonce);
  for (let i = 0; i < recipients.length; i++) {
    const t: TokenM = {
      id: (c.id << 64n) | BigInt(c.minted + 1 + i),
      collection: c,
      owner: recipients[i],
      alive: true,
      arrivedVerified: true,
      ownerIdentity: ethers.ZeroHash,
      licences: [],
    };
    m.tokens.push(t);
    await recordArrival(m, r, t, recipients[i], receipt.blockNumber);
  }
  c.minted += recipients.length;
}

/**
 * checkTransfer(from, to, id) and transferFrom(from, to, id) sent by the token's holder, as calls on the same
 * state: both pass, or both revert with the same data. A burned token has no holder: any sender will do.
 */
async function checkOneRuleCode(m: Model, r: Real, t: TokenM, from: string, to: string) {
  const holder = r.byAddress.get(t.owner) ?? r.outsider;
  const [pre, real] = await Promise.all([
    callOutcome(() => r.rights.checkTransfer(from, to, t.id)),
    callOutcome(() => r.rights.connect(holder).transferFrom.staticCall(from, to, t.id)),
  ]);
  stat(pre.ok ? "checkTransfer (passes)" : "checkTransfer (reverts)").ok++;
  invariant(
    m,
    pre.ok === real.ok && pre.data === real.data,
    `checkTransfer(${from}, ${to}, ${tokenLabel(t)}) gave ${pre.ok ? "pass" : pre.data}, the holder's transferFrom ${real.ok ? "pass" : real.data}`,
  );
}

/** locked(id) is true exactly when the holder's transfer to some verified, unfrozen recipient would revert. */
async function checkLocked(m: Model, r: Real, t: TokenM) {
  const { rights, identity } = r;
  let recipient: string | undefined;
  for (const w of r.pool) {
    if ((await identity.isVerified(w.address, t.collection.minLevel)) && !(await rights.isWalletFrozen(w.address))) {
      recipient = w.address;
      break;
    }
  }
  if (recipient === undefined) return;
  const holder = r.byAddress.get(t.owner)!;
  const [locked, real] = await Promise.all([
    rights.locked(t.id),
    callOutcome(() => rights.connect(holder).transferFrom.staticCall(t.owner, recipient, t.id)),
  ]);
  stat(locked ? "locked (true)" : "locked (false)").ok++;
  invariant(m, locked === !real.ok, `locked(${tokenLabel(t)}) is ${locked}, but a transfer to ${recipient} ${real.ok ? "passes" : `reverts ${real.data}`}`);
}

// ─── Executing one operation ──────────────────────────────────────────────────────────────────

async function execute(op: Op, m: Model, r: Real): Promise<void> {
  const { identity, rights } = r;
  const nobody = code("property");
  switch (op.kind) {
    case "registerIdentity": {
      const to = walletAt(r, op.wallet);
      const existing = op.reuseId ? pick(m.identities, op.wallet) : undefined;
      const id = existing?.id ?? ethers.id(`property:identity:${m.counter++}`);
      const expiresAt = BigInt(await time.latest()) + BigInt(op.ttl);
      const receipt = await attempt(m, op.kind, `registerIdentity(${id.slice(0, 8)}, ${short(to)}, L${op.level}, +${op.ttl}s)`, () =>
        identity.connect(r.attestor).registerIdentity(id, to, op.level, CHINA, expiresAt, code("kyc")),
      );
      if (receipt) m.identities.push({ id, expiresAt, isIssuer: false, status: "active" });
      return;
    }
    case "updateLevel": {
      // Never downgrade the issuer: every mint would revert for the rest of the run.
      const target = pick(m.identities.filter((i) => !i.isIssuer), op.identity)!;
      await attempt(m, op.kind, `updateIdentity(${target.id.slice(0, 8)}, L${op.level})`, () =>
        identity.connect(r.attestor).updateIdentity(target.id, op.level, CHINA, code("kyc2"), nobody),
      );
      return;
    }
    case "suspend":
    case "reinstate":
    case "revoke": {
      // The issuer may be suspended (and reinstated), never revoked. Reinstate mostly a suspended identity.
      const suspended = m.identities.filter((i) => i.status === "suspended");
      const candidates =
        op.kind === "revoke"
          ? m.identities.filter((i) => !i.isIssuer)
          : op.kind === "reinstate" && suspended.length > 0 && op.identity % 4 !== 0
            ? suspended
            : m.identities;
      const target: Pick<IdentityM, "id"> & Partial<IdentityM> =
        op.identity % 17 === 16 ? { id: ethers.id("property:unknown") } : pick(candidates, op.identity)!;
      const fn = op.kind === "suspend" ? "suspendIdentity" : op.kind === "reinstate" ? "reinstateIdentity" : "revokeIdentity";
      const receipt = await attempt(m, op.kind, `${fn}(${target.id.slice(0, 8)})`, () =>
        identity.connect(r.regulator)[fn](target.id, nobody),
      );
      if (receipt && target.status !== undefined) {
        invariant(m, target.status !== "revoked", `${fn} succeeded on a revoked identity`);
        target.status = op.kind === "suspend" ? "suspended" : op.kind === "reinstate" ? "active" : "revoked";
      }
      return;
    }
    case "expire": {
      const now = BigInt(await time.latest());
      const target = pick(m.identities.filter((i) => !i.isIssuer && i.expiresAt > now && i.expiresAt < r.issuerExpiresAt - BigInt(60 * DAY)), op.identity);
      if (target === undefined) return noop(m, op.kind, "no identity expires before the issuer");
      await time.increaseTo(target.expiresAt);
      stat(op.kind).ok++;
      m.trace.push(`expire ${target.id.slice(0, 8)}: time → ${target.expiresAt}`);
      return;
    }
    case "renew": {
      const target = pick(m.identities, op.identity)!;
      const expiresAt = BigInt(await time.latest()) + BigInt(op.ttl);
      // Renewing the issuer shorter than its current expiry could end the run's minting early: only extend it.
      if (target.isIssuer && expiresAt < target.expiresAt) return noop(m, op.kind, "would shorten the issuer");
      const receipt = await attempt(m, op.kind, `renewIdentity(${target.id.slice(0, 8)}, +${op.ttl}s)`, () =>
        identity.connect(r.attestor).renewIdentity(target.id, expiresAt, code("kyc3"), nobody),
      );
      if (receipt) {
        target.expiresAt = expiresAt;
        if (target.isIssuer) r.issuerExpiresAt = expiresAt;
      }
      return;
    }
    case "linkWallet": {
      const target = pick(m.identities, op.identity)!;
      const w = walletAt(r, op.wallet);
      await attempt(m, op.kind, `linkWallet(${target.id.slice(0, 8)}, ${short(w)})`, () =>
        identity.connect(r.attestor).linkWallet(target.id, w, nobody),
      );
      return;
    }
    case "unlinkWallet": {
      const w = walletAt(r, op.wallet);
      const caller = op.byRegulator ? r.regulator : r.attestor;
      const receipt = await attempt(m, op.kind, `unlinkWallet(${short(w)}, by ${op.byRegulator ? "regulator" : "attestor"})`, () =>
        identity.connect(caller).unlinkWallet(w, nobody),
      );
      if (receipt) {
        const before = receipt.blockNumber - 1;
        const id = await identity.identityOf(w, { blockTag: before });
        const status = (await identity.getIdentity(id, { blockTag: before })).status;
        invariant(m, op.byRegulator || status === 1n, `an attestor unlinked ${w} of identity ${id} in status ${status}`);
        invariant(m, (await rights.balanceOf(w, { blockTag: before })) === 0n, `wallet ${w} was unlinked while holding tokens`);
      }
      return;
    }
    case "createCollection": {
      const reused = op.approval === "reusedRef" ? pick(m.complianceRefs, op.content + op.maxSupply) : undefined;
      // A bad approval comes with fresh content, so that the content check does not hide it.
      const seed = op.approval === "valid" ? CONTENT_SEEDS[op.content] : `property:unapproved:${m.counter++}`;
      const params = collectionParams({
        seed,
        mode: op.mode,
        minLevel: op.minLevel,
        holdingPeriod: op.holdingPeriod,
        maxSupply: op.maxSupply,
        rights: op.rights,
        complianceRef: reused ?? ethers.id(`property:decision:${m.counter++}`),
      });
      const caller = issuerAgent(r, op.caller);
      const approval = await approveCreate(rights, op.approval === "selfSigned" ? r.issuer : COMPLIANCE_KEY, r.issuer.address, params);
      const hash = params.contentHash as string;
      const previous = m.contentOwner.get(hash);
      const receipt = await attempt(
        m,
        op.kind,
        `createCollection(by ${["issuer", "operator", "outsider"][op.caller]}, ${op.approval} approval, content ${op.content}, mode ${op.mode}, L${op.minLevel}, hold ${op.holdingPeriod}, max ${op.maxSupply}, rights ${op.rights})`,
        () => rights.connect(caller).createCollection(r.issuer.address, params, approval),
      );
      if (receipt) {
        invariant(m, previous === undefined, `content hash ${hash} registered twice (first by collection ${previous})`);
        invariant(m, op.approval === "valid", `createCollection succeeded with a ${op.approval} approval`);
        m.complianceRefs.push(params.complianceRef as string);
        const id = BigInt(m.collections.length + 1); // ids are sequential
        m.collections.push({
          id,
          minLevel: op.minLevel,
          mode: op.mode,
          holdingPeriod: op.holdingPeriod,
          maxSupply: op.maxSupply,
          rights: op.rights,
          minted: 0,
          burned: 0,
          contentHash: hash,
        });
        m.contentOwner.set(hash, id);
      }
      return;
    }
    case "mint":
    case "mintBatch": {
      const c = pick(m.collections, op.collection);
      if (c === undefined) return noop(m, op.kind, "no collection yet");
      const nonce = requestNonce(m, op.request);
      const recipients = op.kind === "mint" ? [walletAt(r, op.to)] : op.to.map((i) => walletAt(r, i));
      const caller = issuerAgent(r, op.caller);
      const what = `${op.kind}(collection ${c.id}, [${recipients.map(short).join(",")}], nonce ${nonce}${m.requests.has(nonce) ? " (reused)" : ""})`;
      const receipt = await attempt(m, op.kind, what, () =>
        op.kind === "mint"
          ? rights.connect(caller).mint(r.issuer.address, c.id, recipients[0], nonce)
          : rights.connect(caller).mintBatch(r.issuer.address, c.id, recipients, nonce),
      );
      if (receipt) await recordMint(m, r, c, recipients, nonce, receipt);
      return;
    }
    case "transfer": {
      const t = pick(liveTokens(m), op.token);
      if (t === undefined) return noop(m, op.kind, "no live token");
      const to = walletAt(r, op.to);
      const sender = op.byStranger === null ? r.byAddress.get(t.owner)! : r.pool[op.byStranger];
      // Freeze flags and pause do not depend on time: reading them now gives the state the transaction sees.
      const [tokenFrozen, fromFrozen, toFrozen, paused] = await Promise.all([
        rights.tokenState(t.id).then((s) => s.frozen),
        rights.isWalletFrozen(t.owner),
        rights.isWalletFrozen(to),
        rights.paused(),
      ]);
      const from = t.owner;
      if (op.byStranger === null) await checkOneRuleCode(m, r, t, from, to);
      const receipt = await attempt(m, op.kind, `transferFrom(${short(from)} → ${short(to)}, ${tokenLabel(t)}, by ${short(sender.address)})`, () =>
        rights.connect(sender).transferFrom(from, to, t.id),
      );
      if (!receipt) return;
      invariant(m, !tokenFrozen, `frozen token ${tokenLabel(t)} moved by transferFrom`);
      invariant(m, !fromFrozen, `token ${tokenLabel(t)} left frozen wallet ${from} by transferFrom`);
      invariant(m, !toFrozen, `token ${tokenLabel(t)} reached frozen wallet ${to} by transferFrom`);
      invariant(m, !paused, `transferFrom succeeded while paused`);
      invariant(m, t.collection.mode !== 0, `token ${tokenLabel(t)} of a Locked collection moved by transferFrom`);
      const block = receipt.blockNumber;
      invariant(m, await identity.isVerified(from, t.collection.minLevel, { blockTag: block }), `sender ${from} not verified but transferFrom succeeded`);
      const [previous, mined] = await Promise.all([
        rights.tokenState(t.id, { blockTag: block - 1 }),
        ethers.provider.getBlock(block),
      ]);
      invariant(m, BigInt(mined!.timestamp) >= previous.acquiredAt + BigInt(t.collection.holdingPeriod), `token ${tokenLabel(t)} moved within its holding period`);
      await recordArrival(m, r, t, to, block);
      return;
    }
    case "probe": {
      const t = pick(m.tokens, op.token);
      if (t === undefined) return noop(m, op.kind, "no token");
      const from = op.from === null ? t.owner : r.pool[op.from].address;
      await checkOneRuleCode(m, r, t, from, walletAt(r, op.to));
      if (t.alive) await checkLocked(m, r, t);
      stat(op.kind).ok++;
      return;
    }
    case "freezeWallet":
    case "unfreezeWallet": {
      const w = op.kind === "unfreezeWallet" && m.frozenWallets.size > 0 && op.wallet % 3 !== 0
        ? pick([...m.frozenWallets], op.wallet)!
        : walletAt(r, op.wallet);
      const receipt = await attempt(m, op.kind, `${op.kind}(${short(w)})`, () => rights.connect(r.regulator)[op.kind](w, nobody, nobody));
      if (receipt) {
        if (op.kind === "freezeWallet") m.frozenWallets.add(w);
        else m.frozenWallets.delete(w);
      }
      return;
    }
    case "freezeToken":
    case "unfreezeToken": {
      const frozen = liveTokens(m).filter((t) => m.frozenTokens.has(t.id));
      const t = op.kind === "unfreezeToken" && frozen.length > 0 && op.token % 3 !== 0 ? pick(frozen, op.token) : pick(m.tokens, op.token);
      if (t === undefined) return noop(m, op.kind, "no token");
      const receipt = await attempt(m, op.kind, `${op.kind}(${tokenLabel(t)}${t.alive ? "" : ", burned"})`, () =>
        rights.connect(r.regulator)[op.kind](t.id, nobody, nobody),
      );
      if (receipt) {
        invariant(m, t.alive || op.kind === "unfreezeToken", `freezeToken succeeded on burned token ${tokenLabel(t)}`);
        if (op.kind === "freezeToken") m.frozenTokens.add(t.id);
        else m.frozenTokens.delete(t.id);
      }
      return;
    }
    case "forcedTransfer": {
      const t = pick(liveTokens(m), op.token);
      if (t === undefined) return noop(m, op.kind, "no live token");
      const to = walletAt(r, op.to);
      const from = op.wrongFrom ? r.outsider.address : t.owner;
      const receipt = await attempt(m, op.kind, `forcedTransfer(${short(from)} → ${short(to)}, ${tokenLabel(t)})`, () =>
        rights.connect(r.regulator).forcedTransfer(from, to, t.id, nobody, nobody),
      );
      if (receipt) {
        invariant(m, from === t.owner, `forcedTransfer succeeded with wrong from ${from} (owner ${t.owner})`);
        await recordArrival(m, r, t, to, receipt.blockNumber);
      }
      return;
    }
    case "takedown": {
      if (m.tokens.length === 0) return noop(m, op.kind, "no token");
      const live = liveTokens(m);
      // Mostly live tokens; a burned one now and then (must revert).
      const targets = op.tokens.map((i) => (i % 7 === 6 || live.length === 0 ? pick(m.tokens, i)! : pick(live, i)!));
      const receipt = await attempt(m, op.kind, `takedown([${targets.map(tokenLabel).join(",")}])`, () =>
        rights.connect(r.regulator).takedown(targets.map((t) => t.id), nobody, nobody),
      );
      if (receipt) {
        const distinct = new Set(targets.map((t) => t.id));
        invariant(m, distinct.size === targets.length && targets.every((t) => t.alive), `takedown succeeded on a burned or repeated token`);
        for (const t of targets) {
          t.alive = false;
          t.collection.burned++;
          m.frozenTokens.delete(t.id);
          for (const l of t.licences) l.ended ??= "moved";
        }
      }
      return;
    }
    case "grantLicence": {
      const t = pick(liveTokens(m), op.token);
      if (t === undefined) return noop(m, op.kind, "no live token");
      const licensee = walletAt(r, op.licensee);
      const expiresAt = BigInt(await time.latest()) + BigInt(op.ttl);
      // Mostly a subset of the collection's rights; now and then any scope (usually rejected).
      const scope = op.anyScope ? op.scope : op.scope & t.collection.rights || t.collection.rights;
      const receipt = await attempt(m, op.kind, `grantLicence(${tokenLabel(t)} → ${short(licensee)}, scope ${scope}, +${op.ttl}s)`, () =>
        rights.connect(r.byAddress.get(t.owner)!).grantLicence(t.id, licensee, scope, expiresAt),
      );
      if (receipt) {
        invariant(m, (scope & t.collection.rights) === scope, `licence scope ${scope} granted outside rights ${t.collection.rights}`);
        invariant(m, await rights.isLicensed(t.id, licensee, scope, { blockTag: receipt.blockNumber }), `licence just granted is not in force`);
        // A new grant replaces any older one for the same licensee.
        t.licences = t.licences.filter((l) => l.licensee !== licensee);
        t.licences.push({ licensee, scope, ended: null });
      }
      return;
    }
    case "revokeLicence": {
      const withLicences = liveTokens(m).filter((t) => t.licences.length > 0);
      const t = pick(withLicences, op.token);
      if (t === undefined) return noop(m, op.kind, "no licence granted");
      const l = pick(t.licences, op.licence)!;
      const receipt = await attempt(m, op.kind, `revokeLicence(${tokenLabel(t)}, ${short(l.licensee)})`, () =>
        rights.connect(r.byAddress.get(t.owner)!).revokeLicence(t.id, l.licensee),
      );
      if (receipt) {
        invariant(m, l.ended === null, `revokeLicence succeeded on a licence that had ended (${l.ended})`);
        l.ended = "revoked";
      }
      return;
    }
    case "timeTravel": {
      await time.increase(op.seconds);
      stat(op.kind).ok++;
      m.trace.push(`time +${op.seconds}s`);
      return;
    }
    case "pause":
    case "unpause": {
      const receipt = await attempt(m, op.kind, op.kind, () => rights.connect(r.regulator)[op.kind](nobody, nobody));
      if (receipt) m.paused = op.kind === "pause";
      return;
    }
  }
}

// ─── Invariants, checked after every step ─────────────────────────────────────────────────────

async function checkInvariants(m: Model, r: Real): Promise<void> {
  const { rights } = r;
  // Supply: minted ≤ max, totalSupply = minted - burned, and both agree with the model.
  invariant(m, (await rights.collectionCount()) === BigInt(m.collections.length), `collectionCount differs from the model`);
  for (const c of m.collections) {
    const onChain = await rights.getCollection(c.id);
    invariant(m, onChain.minted <= onChain.maxSupply, `collection ${c.id}: minted ${onChain.minted} > maxSupply ${onChain.maxSupply}`);
    invariant(m, onChain.minted === BigInt(c.minted) && onChain.burned === BigInt(c.burned), `collection ${c.id}: minted/burned ${onChain.minted}/${onChain.burned}, model ${c.minted}/${c.burned}`);
    const supply = await rights.totalSupply(c.id);
    invariant(m, supply === onChain.minted - onChain.burned, `collection ${c.id}: totalSupply ${supply} ≠ minted - burned`);
    invariant(m, onChain.contentHash === c.contentHash, `collection ${c.id}: content hash changed`);
  }
  // One collection per content hash, the first one that registered it.
  for (const [hash, id] of m.contentOwner) {
    const holder = await rights.collectionOfContent(hash);
    invariant(m, holder === id, `content ${hash} is held by collection ${holder}, first registered by ${id}`);
  }
  // Owners and arrivals; burned tokens stay burned.
  for (const t of m.tokens) {
    if (t.alive) {
      invariant(m, t.arrivedVerified, `token ${tokenLabel(t)} is held by ${t.owner}, which was not verified when it arrived`);
      const owner = await rights.ownerOf(t.id);
      invariant(m, owner === t.owner, `ownerOf(${tokenLabel(t)}) = ${owner}, model ${t.owner}`);
    } else {
      const state = await rights.tokenState(t.id);
      invariant(m, state.owner === ethers.ZeroAddress && !state.frozen, `burned token ${tokenLabel(t)} has owner ${state.owner}`);
    }
  }
  // Freeze flags as the model recorded them.
  for (const id of m.frozenTokens) {
    invariant(m, (await rights.tokenState(id)).frozen, `token ${id} should be frozen`);
  }
  for (const w of m.frozenWallets) invariant(m, await rights.isWalletFrozen(w), `wallet ${w} should be frozen`);
  invariant(m, (await rights.paused()) === m.paused, `paused flag differs from the model`);
  // Used request nonces stay used.
  for (const nonce of m.requestNonces) {
    invariant(m, await rights.isRequestUsed(r.issuer.address, nonce), `request nonce ${nonce} is no longer used`);
  }
  // The identity behind a live token changes only when it moves (recordArrival updates the model then).
  for (const t of m.tokens) {
    if (!t.alive) continue;
    const now = await r.identity.identityOf(t.owner);
    invariant(m, now === t.ownerIdentity && now !== ethers.ZeroHash, `the identity behind ${tokenLabel(t)} changed from ${t.ownerIdentity} to ${now} without a movement`);
  }
  // Licences granted before a movement (or revoked) never verify again.
  for (const t of m.tokens) {
    for (const l of t.licences) {
      if (l.ended === null) continue;
      const licensed = await rights.isLicensed(t.id, l.licensee, l.scope);
      invariant(m, !licensed, `licence of ${l.licensee} over ${tokenLabel(t)} still in force after it ${l.ended === "moved" ? "moved" : "was revoked"}`);
    }
  }
}

// ─── The command wrapper and the property ─────────────────────────────────────────────────────

class OpCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly op: Op) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    stepsRun++;
    await execute(this.op, m, r);
    await checkInvariants(m, r);
  }
  toString(): string {
    const { kind, ...args } = this.op;
    return `${kind}(${JSON.stringify(args)})`;
  }
}

const commandArb = fc.oneof(...opArbs.map(([weight, arbitrary]) => ({ weight, arbitrary: arbitrary.map((op) => new OpCommand(op)) })));

describe("Registry: model-based property test", function () {
  this.timeout(15 * 60_000);

  it("keeps supply, content, compliance, verification, freeze, nonce, licence, ownership, identity and rule-code invariants over random operation sequences", async function () {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.commands([commandArb], { maxCommands: MAX_OPS, size: "max" }), async (cmds) => {
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: NUM_RUNS, seed: SEED, verbose: 1 },
    );
    const elapsed = (Date.now() - started) / 1000;

    const rows = [...stats.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, s]) => ({
        op: kind,
        ok: s.ok,
        reverted: s.reverted,
        skipped: s.noop,
        errors: [...s.errors.entries()].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n}×${k}`).join(" "),
      }));
    console.log(`    seed ${SEED}: ${runsStarted} runs, ${stepsRun} steps in ${elapsed.toFixed(1)}s`);
    console.table(rows);

    // The property must not be vacuous: many of each kind of movement actually happened. A default run
    // (30 runs, 700-1,100 steps) typically has 40-70 mints (8-14 of them batches), 60-100 transfers, 25-40
    // forced transfers, 28-50 takedowns and 35-45 licence grants; the floors are well below, scaled to
    // PROPERTY_RUNS, so that the check does not flake.
    const ok = (kind: string) => stats.get(kind)?.ok ?? 0;
    const rejected = (kind: string, error: string) => stats.get(kind)?.errors.get(error) ?? 0;
    const floor = (n: number) => Math.max(1, Math.floor((n * NUM_RUNS) / 30));
    expect(ok("mint") + ok("mintBatch"), "successful mints").to.be.at.least(floor(20));
    expect(ok("mintBatch"), "successful batch mints").to.be.at.least(floor(2));
    expect(ok("transfer"), "successful transfers").to.be.at.least(floor(30));
    expect(ok("forcedTransfer"), "successful forced transfers").to.be.at.least(floor(10));
    expect(ok("takedown"), "successful takedowns").to.be.at.least(floor(10));
    expect(ok("grantLicence"), "successful licence grants").to.be.at.least(floor(10));
    expect(ok("createCollection"), "successful collections").to.be.at.least(floor(8));
    expect(rejected("createCollection", "CollectionContentAlreadyRegistered"), "rejected content reuse").to.be.at.least(1);
    expect(rejected("createCollection", "ApprovalSignerNotAuthorized"), "rejected self-signed approvals").to.be.at.least(1);
    expect(rejected("unlinkWallet", "IdentityWalletHoldsTokens"), "rejected unlinks of holders").to.be.at.least(1);
    expect(ok("probe"), "rule-code probes").to.be.at.least(floor(20));
    expect(rejected("mint", "RequestAlreadyUsed") + rejected("mintBatch", "RequestAlreadyUsed"), "rejected requestId reuse").to.be.at.least(1);
  });
});
