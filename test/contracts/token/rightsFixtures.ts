/**
 * Fixtures and small helpers shared by the CollectibleRights test files. Registers no mocha test.
 * Built on test/contracts/fixtures.ts; every fixture here is meant for `loadFixture`.
 */
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Signer } from "ethers";
import {
  CHINA,
  DAY,
  LEVEL,
  MODE,
  code,
  collectionParams,
  createApproved,
  deployRegistryFixture,
  deployWithCollectionFixture,
} from "../fixtures";
import { minedIn } from "../helpers/roles";

/** Holding period of the collection made by {deployWithCollectionFixture}. */
export const HOLDING = BigInt(180 * DAY);
export const REASON = code("court-order");
export const EVIDENCE = ethers.id("evidence:court-order-2024-001");
export const ROLES = {
  DEFAULT_ADMIN: ethers.ZeroHash,
  ISSUER: ethers.id("ISSUER_ROLE"),
  OPERATOR: ethers.id("OPERATOR_ROLE"),
  COMPLIANCE_SIGNER: ethers.id("COMPLIANCE_SIGNER_ROLE"),
  REGULATOR: ethers.id("REGULATOR_ROLE"),
} as const;

/** Same formula as the contract: `collectionId << 64 | serial`. */
export function tokenIdOf(collectionId: bigint | number, serial: bigint | number): bigint {
  return (BigInt(collectionId) << 64n) | BigInt(serial);
}

/** Timestamp of the block `tx` was mined in. */
export async function minedAt(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse): Promise<bigint> {
  return (await minedIn(await tx)).timestamp;
}

/** Distinct request nonce per label (a full-width uint256, so each lands in its own bitmap word). */
export const req = (label: string) => BigInt(ethers.id(`request:${label}`));

/** keccak256 of the recipients, each padded to 32 bytes: EditionsMinted's `recipientsHash`. */
export const recipientsHash = (recipients: readonly string[]) =>
  ethers.solidityPackedKeccak256(["address[]"], [recipients]);

/**
 * {deployWithCollectionFixture} plus: `erin` (no identity yet), `issuer2` (ISSUER_ROLE, verified level 4,
 * but not the issuer of collection 1), and the signer record the role helpers want.
 */
export async function rightsFixture() {
  const base = await loadFixture(deployWithCollectionFixture);
  const { identity, rights } = base.contracts;
  const { admin, attestor, regulator, issuer, operator, alice, outsider, rest } = base.accounts;
  const [erin, issuer2] = rest;
  const issuer2Id = ethers.id("identity:issuer2");
  await (
    await identity
      .connect(attestor)
      .registerIdentity(
        issuer2Id,
        issuer2.address,
        LEVEL.LICENSED_ISSUER,
        CHINA,
        base.expiresAt,
        ethers.id("kyc:issuer2")
      )
  ).wait();
  await (await rights.connect(admin).grantRole(ROLES.ISSUER, issuer2.address)).wait();
  const signers: Record<string, Signer> = {
    admin,
    attestor,
    regulator,
    issuer,
    operator,
    holder: alice,
    outsider,
    anchorer: base.accounts.anchorer,
  };
  return { ...base, rights, identity, erin, issuer2, issuer2Id, signers };
}

/**
 * {rightsFixture} plus three editions of collection 1 minted in one batch: serials 1 and 2 to alice, 3 to bob.
 * `unlocksAt` is the end of their holding period.
 */
export async function mintedFixture() {
  const f = await loadFixture(rightsFixture);
  const { issuer, alice, bob } = f.accounts;
  const requestNonce = req("batch-1");
  const mintedAt = await minedAt(
    f.rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address, alice.address, bob.address], requestNonce)
  );
  const tokenIds = [tokenIdOf(1, 1), tokenIdOf(1, 2), tokenIdOf(1, 3)] as const;
  return { ...f, requestNonce, tokenIds, mintedAt, unlocksAt: mintedAt + HOLDING };
}

/** {mintedFixture} with the clock moved to the end of the holding period: the editions can move. */
export async function unlockedFixture() {
  const f = await loadFixture(mintedFixture);
  await time.increaseTo(f.unlocksAt);
  return f;
}

/**
 * {rightsFixture} plus collection 2, `Locked` with no holding period (all rights, min level 2), and its
 * edition 1 minted to alice.
 */
export async function lockedCollectionFixture() {
  const f = await loadFixture(rightsFixture);
  const { issuer, alice } = f.accounts;
  const params = collectionParams({ seed: "locked", mode: MODE.Locked, holdingPeriod: 0, rights: 0x0f });
  await (await createApproved(f.rights, issuer, issuer.address, params)).wait();
  await (await f.rights.connect(issuer).mint(issuer.address, 2n, alice.address, req("locked-1"))).wait();
  return { ...f, lockedParams: params, lockedTokenId: tokenIdOf(2, 1) };
}

/** Creates a collection for the fixture's issuer and returns its id. */
export async function createCollection(
  f: Awaited<ReturnType<typeof rightsFixture>>,
  overrides: Parameters<typeof collectionParams>[0]
): Promise<bigint> {
  const { issuer } = f.accounts;
  const params = collectionParams(overrides);
  const receipt = await (await createApproved(f.rights, issuer, issuer.address, params)).wait();
  const created = receipt!.logs
    .map((l) => f.rights.interface.parseLog(l))
    .find((l) => l?.name === "CollectionCreated");
  return created!.args.collectionId as bigint;
}

/** Registers `wallet` as a new identity at `level`, expiring at `expiresAt`. */
export async function registerWallet(
  f: Awaited<ReturnType<typeof deployRegistryFixture>>,
  label: string,
  wallet: string,
  level: number,
  expiresAt: bigint
): Promise<string> {
  const identityId = ethers.id(`identity:${label}`);
  await (
    await f.contracts.identity
      .connect(f.accounts.attestor)
      .registerIdentity(identityId, wallet, level, CHINA, expiresAt, ethers.id(`kyc:${label}`))
  ).wait();
  return identityId;
}
