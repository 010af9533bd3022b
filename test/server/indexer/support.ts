/**
 * Helpers of the index suites (registers no test): operations on the in-process chain by the fixture's
 * accounts, the index read back as plain rows, and the chain itself as the oracle the projections must
 * equal. Nothing here stands in for the chain or the store: every figure is read from one or the other.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Log } from "ethers";
import { CHINA, DAY, code, collectionParams, createApproved } from "../../contracts/fixtures";
import type { gatewayChainFixture } from "../support/gateway";
import type { Db } from "../../../server/store/db";
import { EVENT_TYPES, INDEXED_EVENTS } from "../../../server/indexer/events";
import { PROJECTIONS } from "../../../server/indexer/apply";
import type { Indexer } from "../../../server/indexer/indexer";

export type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

export const tokenIdOf = (collectionId: bigint | number, serial: bigint | number) => (BigInt(collectionId) << 64n) | BigInt(serial);
const EVIDENCE = ethers.id("evidence:index-suite");
/** Request nonces of the suites' mints: one sequence for the whole test process, so none is used twice. */
let nonce = BigInt(ethers.id("index-suite")) & ((1n << 200n) - 1n);

/** Direct contract calls by the fixture's accounts, each mined before it returns. */
export function chainOps(fx: Fx) {
  const { identity, rights, evidence } = fx.contracts;
  const { attestor, regulator, issuer, operator, admin } = fx.accounts;
  const mined = async (p: Promise<{ wait(): Promise<unknown> }>) => {
    const tx = await p;
    await tx.wait();
    return tx as unknown as { hash: string };
  };
  return {
    async createCollection(seed: string, overrides: Parameters<typeof collectionParams>[0] = {}): Promise<bigint> {
      await mined(createApproved(rights, issuer, issuer.address, collectionParams({ seed, ...overrides })));
      return rights.collectionCount();
    },
    /** Mints one edition per recipient in one request; returns their token ids. */
    async mint(collectionId: bigint, recipients: string[]): Promise<bigint[]> {
      const before = (await rights.getCollection(collectionId)).minted;
      nonce += 1n;
      await mined(rights.connect(operator).mintBatch(issuer.address, collectionId, recipients, nonce));
      return recipients.map((_, i) => tokenIdOf(collectionId, BigInt(before) + BigInt(i) + 1n));
    },
    gift: (from: { address: string } & Parameters<typeof rights.connect>[0], to: string, tokenId: bigint) =>
      mined(rights.connect(from).transferFrom(from.address, to, tokenId)),
    force: (from: string, to: string, tokenId: bigint) => mined(rights.connect(regulator).forcedTransfer(from, to, tokenId, code("lost-wallet"), EVIDENCE)),
    takedown: (tokenIds: bigint[]) => mined(rights.connect(regulator).takedown(tokenIds, code("infringing"), EVIDENCE)),
    freezeToken: (tokenId: bigint) => mined(rights.connect(regulator).freezeToken(tokenId, code("case"), EVIDENCE)),
    unfreezeToken: (tokenId: bigint) => mined(rights.connect(regulator).unfreezeToken(tokenId, code("case"), EVIDENCE)),
    freezeWallet: (wallet: string) => mined(rights.connect(regulator).freezeWallet(wallet, code("case"), EVIDENCE)),
    unfreezeWallet: (wallet: string) => mined(rights.connect(regulator).unfreezeWallet(wallet, code("case"), EVIDENCE)),
    pause: () => mined(rights.connect(regulator).pause(code("drill"), EVIDENCE)),
    unpause: () => mined(rights.connect(regulator).unpause(code("drill"), EVIDENCE)),
    licence: (holder: Parameters<typeof rights.connect>[0], tokenId: bigint, licensee: string, scope: number, expiresAt: number) =>
      mined(rights.connect(holder).grantLicence(tokenId, licensee, scope, expiresAt)),
    revokeLicence: (holder: Parameters<typeof rights.connect>[0], tokenId: bigint, licensee: string) => mined(rights.connect(holder).revokeLicence(tokenId, licensee)),
    register: (identityId: string, wallet: string, level: number, expiresAt: bigint | number) =>
      mined(identity.connect(attestor).registerIdentity(identityId, wallet, level, CHINA, expiresAt, ethers.id(`kyc:${identityId}`))),
    update: (identityId: string, level: number) => mined(identity.connect(attestor).updateIdentity(identityId, level, CHINA, ethers.id(`kyc2:${identityId}`), code("re-kyc"))),
    renew: (identityId: string, expiresAt: bigint | number) => mined(identity.connect(attestor).renewIdentity(identityId, expiresAt, ethers.id(`kyc3:${identityId}`), code("renewal"))),
    link: (identityId: string, wallet: string) => mined(identity.connect(attestor).linkWallet(identityId, wallet, code("new-wallet"))),
    unlink: (wallet: string) => mined(identity.connect(regulator).unlinkWallet(wallet, code("unlink"))),
    suspend: (identityId: string) => mined(identity.connect(regulator).suspendIdentity(identityId, code("audit"))),
    reinstate: (identityId: string) => mined(identity.connect(regulator).reinstateIdentity(identityId, code("audit-done"))),
    revoke: (identityId: string) => mined(identity.connect(regulator).revokeIdentity(identityId, code("fraud"))),
    record: (id: string, hash: string) => mined(evidence.connect(operator).record(id, hash, "{}")),
    updateEvidence: (id: string, hash: string) => mined(evidence.connect(operator).update(id, hash, "{}")),
    grantRole: async (role: "ISSUER_ROLE" | "OPERATOR_ROLE", account: string) => mined(rights.connect(admin).grantRole(ethers.id(role), account)),
    revokeRole: async (role: "ISSUER_ROLE" | "OPERATOR_ROLE", account: string) => mined(rights.connect(admin).revokeRole(ethers.id(role), account)),
    /** Past every holding period of the fixture's collections (180 days). */
    pastHolding: () => time.increase(181 * DAY),
  };
}
export type ChainOps = ReturnType<typeof chainOps>;

/**
 * A busy history touching every projection: two collections, mints, a gift after the holding period, a
 * forced transfer, a takedown, freezes, licences, identity changes and wallet links, evidence versions,
 * role changes and a pause. Returns the token ids minted.
 */
export async function busyHistory(fx: Fx, ops: ChainOps, seed: string) {
  const { alice, bob, carol, dave, outsider } = fx.accounts;
  const c1 = await ops.createCollection(`${seed}-1`);
  const c2 = await ops.createCollection(`${seed}-2`, { mode: 0, maxSupply: 3, minLevel: 3 });
  const [t1, t2, t3] = await ops.mint(c1, [alice.address, bob.address, alice.address]);
  const [t4] = await ops.mint(c2, [dave.address]);
  const later = (await time.latest()) + 400 * DAY;
  await ops.licence(alice, t1, dave.address, 1, later);
  await ops.licence(bob, t2, carol.address, 3, later);
  await ops.revokeLicence(bob, t2, carol.address);
  await ops.freezeToken(t3);
  await ops.unfreezeToken(t3);
  await ops.freezeWallet(carol.address);
  await ops.unfreezeWallet(carol.address);
  await ops.pastHolding();
  await ops.gift(alice, carol.address, t1);
  await ops.force(bob.address, carol.address, t2);
  await ops.takedown([t3]);
  await ops.update(fx.ids.dave, 4);
  await ops.renew(fx.ids.carol, BigInt(await time.latest()) + BigInt(800 * DAY));
  await ops.suspend(fx.ids.bob);
  await ops.reinstate(fx.ids.bob);
  const erinId = ethers.id(`identity:erin:${seed}`);
  const erin = ethers.Wallet.createRandom().address;
  const spare = ethers.Wallet.createRandom().address;
  await ops.register(erinId, erin, 2, BigInt(await time.latest()) + BigInt(30 * DAY));
  await ops.link(erinId, spare);
  await ops.unlink(spare);
  await ops.record(ethers.id(`ev:${seed}`), ethers.id(`ev-v1:${seed}`));
  await ops.updateEvidence(ethers.id(`ev:${seed}`), ethers.id(`ev-v2:${seed}`));
  await ops.grantRole("OPERATOR_ROLE", outsider.address);
  await ops.revokeRole("OPERATOR_ROLE", outsider.address);
  await ops.pause();
  await ops.unpause();
  return { c1, c2, tokens: [t1, t2, t3, t4], erinId, erin };
}

/** Every log of the three contracts that the index keeps, from the chain, as "txHash:logIndex". */
export async function keptLogsOnChain(fx: Fx, toBlock?: number): Promise<string[]> {
  const c = fx.deployment.contracts;
  const logs: Log[] = await ethers.provider.getLogs({
    address: [c.identityRegistry.address, c.collectibleRights.address, c.evidenceRegistry.address],
    fromBlock: fx.deployment.deployBlock,
    toBlock: toBlock ?? "latest",
  });
  return logs
    .filter((l) => {
      const parsed = INDEXED_EVENTS.parseLog(l);
      return parsed !== null && EVENT_TYPES[parsed.name] !== undefined;
    })
    .map((l) => `${l.transactionHash}:${l.index}`)
    .sort();
}

/** The events of the index as "txHash:logIndex", with duplicates kept (there must be none). */
export async function indexedKeys(db: Db): Promise<string[]> {
  const rows = await db.query<{ tx_hash: string; log_index: unknown }>(`SELECT tx_hash, log_index FROM ix_events`);
  return rows.map((r) => `${r.tx_hash}:${Number(r.log_index)}`).sort();
}

/** Every projection table and the event table as sorted JSON rows (numbers normalised): equal indexes dump equal. */
export async function dumpIndex(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of [...PROJECTIONS, "ix_events"]) {
    const rows = await db.query(`SELECT * FROM ${table}`);
    out[table] = rows
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" || typeof v === "number" ? String(v) : v]).sort())))
      .sort();
  }
  return out;
}

/** Waits until the indexer has indexed the chain's current head (within `ms`). */
export async function indexedToHead(indexer: Indexer, ms = 60_000): Promise<number> {
  const head = await ethers.provider.getBlockNumber();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    indexer.waitFor(head),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the index did not reach block ${head} within ${ms} ms`)), ms);
    }),
  ]);
  clearTimeout(timer);
  return head;
}

const lower = (s: string) => s.toLowerCase();

/**
 * The projections equal the chain's state now: every collection, token, identity (with its wallets),
 * frozen wallet, licence, role and evidence record the chain's events name, read back from the contracts.
 */
export async function expectProjectionsEqualChain(fx: Fx, db: Db): Promise<void> {
  const { identity, rights, evidence } = fx.contracts;
  const q = (sql: string, p: unknown[] = []) => db.query(sql, p);

  const count = Number(await rights.collectionCount());
  const collections = await q(`SELECT * FROM ix_collections ORDER BY collection_id`);
  expect(collections.map((r) => Number(r.collection_id)), "collections").to.deep.equal(Array.from({ length: count }, (_, i) => i + 1));
  let tokensExpected = 0;
  for (const r of collections) {
    const c = await rights.getCollection(Number(r.collection_id));
    expect(
      {
        issuer: r.issuer,
        contentHash: r.content_hash,
        metadataCID: r.metadata_cid,
        complianceRef: r.compliance_ref,
        maxSupply: Number(r.max_supply),
        minted: Number(r.minted),
        burned: Number(r.burned),
        mode: Number(r.mode),
        holdingPeriod: Number(r.holding_period),
        minLevel: Number(r.min_level),
        rights: Number(r.rights),
        createdTime: Number(r.created_time),
      },
      `collection ${r.collection_id}`,
    ).to.deep.equal({
      issuer: lower(c.issuer),
      contentHash: lower(c.contentHash),
      metadataCID: c.metadataCID,
      complianceRef: lower(c.complianceRef),
      maxSupply: Number(c.maxSupply),
      minted: Number(c.minted),
      burned: Number(c.burned),
      mode: Number(c.mode),
      holdingPeriod: Number(c.holdingPeriod),
      minLevel: Number(c.minLevel),
      rights: Number(c.rights),
      createdTime: Number(c.createdAt),
    });
    const holdings = new Map<string, number>();
    for (let s = 1; s <= Number(c.minted); s++) {
      tokensExpected += 1;
      const id = tokenIdOf(Number(r.collection_id), s);
      const t = await rights.tokenState(id);
      const row = (await q(`SELECT * FROM ix_tokens WHERE token_id = $1`, [id.toString()]))[0];
      expect(row, `token ${id}`).to.not.equal(undefined);
      const burned = t.owner === ethers.ZeroAddress;
      if (!burned) holdings.set(lower(t.owner), (holdings.get(lower(t.owner)) ?? 0) + 1);
      expect(
        { owner: row.owner ?? null, burned: Number(row.burned) === 1, frozen: Number(row.frozen) === 1, epoch: Number(row.epoch), ...(burned ? {} : { acquired: Number(row.acquired_time) }) },
        `token ${id}`,
      ).to.deep.equal({ owner: burned ? null : lower(t.owner), burned, frozen: t.frozen, epoch: Number(t.epoch), ...(burned ? {} : { acquired: Number(t.acquiredAt) }) });
    }
    expect(Number(r.holders), `holders of collection ${r.collection_id}`).to.equal(holdings.size);
    const counted = await q(`SELECT owner, tokens FROM ix_holdings WHERE collection_id = $1`, [r.collection_id]);
    expect(Object.fromEntries(counted.map((h) => [h.owner, Number(h.tokens)])), `holdings in collection ${r.collection_id}`).to.deep.equal(Object.fromEntries(holdings));
  }
  expect(Number((await q(`SELECT COUNT(*) AS n FROM ix_tokens`))[0].n), "tokens").to.equal(tokensExpected);

  // Identities and wallets: every identity the chain registered.
  const registered = await identity.queryFilter(identity.filters.IdentityRegistered(), fx.deployment.deployBlock);
  const ids = [...new Set(registered.map((e) => lower(e.args.identityId)))].sort();
  const rows = await q(`SELECT * FROM ix_identities ORDER BY identity_id`);
  expect(rows.map((r) => r.identity_id), "identities").to.deep.equal(ids);
  for (const r of rows) {
    const c = await identity.getIdentity(String(r.identity_id));
    expect(
      { level: Number(r.level), jurisdiction: Number(r.jurisdiction), status: Number(r.status), expiresAt: Number(r.expires_at), attestor: r.attestor, evidenceHash: r.evidence_hash },
      `identity ${r.identity_id}`,
    ).to.deep.equal({ level: Number(c.level), jurisdiction: Number(c.jurisdiction), status: Number(c.status), expiresAt: Number(c.expiresAt), attestor: lower(c.attestor), evidenceHash: lower(c.evidenceHash) });
    const wallets = (await q(`SELECT wallet FROM ix_wallets WHERE identity_id = $1`, [r.identity_id])).map((w) => w.wallet).sort();
    expect(wallets, `wallets of ${r.identity_id}`).to.deep.equal((await identity.walletsOf(String(r.identity_id))).map(lower).sort());
  }

  // Frozen wallets: every wallet the regulator ever froze.
  const frozenEver = [...new Set((await rights.queryFilter(rights.filters.WalletFrozen(), fx.deployment.deployBlock)).map((e) => e.args.wallet))];
  const frozenNow: string[] = [];
  for (const w of frozenEver) if (await rights.isWalletFrozen(w)) frozenNow.push(lower(w));
  expect((await q(`SELECT wallet FROM ix_frozen_wallets`)).map((r) => r.wallet).sort(), "frozen wallets").to.deep.equal(frozenNow.sort());

  // Licences: a row in force (its epoch is the token's) is the chain's licence; granted pairs without one have none in force.
  const grants = await rights.queryFilter(rights.filters.LicenceGranted(), fx.deployment.deployBlock);
  for (const key of new Set(grants.map((g) => `${g.args.tokenId}:${g.args.licensee}`))) {
    const [tokenId, licensee] = key.split(":");
    const onChain = await rights.licenceOf(tokenId, licensee);
    const state = await rights.tokenState(tokenId);
    const chainInForce = onChain.expiresAt > 0n && onChain.epoch === state.epoch && state.owner !== ethers.ZeroAddress;
    const row = (await q(`SELECT l.*, t.epoch AS token_epoch FROM ix_licences l JOIN ix_tokens t ON t.token_id = l.token_id WHERE l.token_id = $1 AND l.licensee = $2`, [tokenId, lower(licensee)]))[0];
    const indexInForce = !!row && Number(row.epoch) === Number(row.token_epoch) && Number(state.epoch) === Number(row.token_epoch);
    expect(indexInForce, `licence ${key} in force`).to.equal(chainInForce);
    if (chainInForce) expect({ scope: Number(row.scope), expiresAt: Number(row.expires_at) }).to.deep.equal({ scope: Number(onChain.scope), expiresAt: Number(onChain.expiresAt) });
  }

  // Roles: every (contract, role, account) ever granted is held now exactly when the index says so.
  for (const [name, contract] of [
    ["identity", identity],
    ["rights", rights],
    ["evidence", evidence],
  ] as const) {
    const granted = await (contract as typeof rights).queryFilter((contract as typeof rights).filters.RoleGranted(), fx.deployment.deployBlock);
    const held: string[] = [];
    for (const key of new Set(granted.map((g) => `${lower(g.args.role)}|${lower(g.args.account)}`))) {
      const [role, account] = key.split("|");
      if (await (contract as typeof rights).hasRole(role, account)) held.push(key);
    }
    const indexed = (await q(`SELECT role_hash, account FROM ix_roles WHERE contract = $1`, [name])).map((r) => `${r.role_hash}|${r.account}`);
    expect(indexed.sort(), `roles on ${name}`).to.deep.equal(held.sort());
  }

  // Evidence: every version of every record.
  const recorded = await evidence.queryFilter(evidence.filters.EvidenceRecorded(), fx.deployment.deployBlock);
  for (const id of new Set(recorded.map((e) => e.args.id))) {
    const history = await evidence.history(id);
    const indexed = await q(`SELECT * FROM ix_evidence WHERE evidence_id = $1 ORDER BY version`, [lower(id)]);
    expect(indexed.map((r) => ({ version: Number(r.version), hash: r.hash, writer: r.writer, block: Number(r.block_number) })), `evidence ${id}`).to.deep.equal(
      history.map((h) => ({ version: Number(h.version), hash: lower(h.hash), writer: lower(h.writer), block: Number(h.blockNumber) })),
    );
  }
}
