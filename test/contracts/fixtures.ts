import { ethers } from "hardhat";
import { setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";
import { deploySystem } from "../../scripts/lib/system";
import type { CollectibleRights, ICollectibleRights } from "../../typechain-types";
import { COMPLIANCE_KEY, approveCreate } from "./helpers/approvals";

export const DAY = 24 * 3600;
export const CHINA = 156;
export const LEVEL = { NONE: 0, PHONE: 1, REAL_NAME: 2, ENTERPRISE: 3, LICENSED_ISSUER: 4 } as const;
export const RIGHTS = { DISPLAY: 1, PERSONAL_USE: 2, COMMERCIAL_USE: 4, DERIVATIVES: 8 } as const;
export const MODE = { Locked: 0, GiftToVerified: 1 } as const;
export const STATUS = { None: 0, Active: 1, Suspended: 2, Revoked: 3 } as const;

/** A bytes32 reason or id code from a short label. */
export const code = (label: string) => ethers.encodeBytes32String(label);

/** Collection parameters with sane defaults; override any field. */
export function collectionParams(
  overrides: Partial<ICollectibleRights.CollectionParamsStruct> & { seed?: string } = {},
): ICollectibleRights.CollectionParamsStruct {
  const seed = overrides.seed ?? "work-1";
  const { seed: _seed, ...rest } = overrides;
  return {
    contentHash: ethers.sha256(ethers.toUtf8Bytes(`media:${seed}`)),
    metadataCID: `bafkreimetadata${seed}`,
    maxSupply: 100,
    royaltyReceiver: ethers.ZeroAddress,
    royaltyBps: 0,
    licenceCID: `bafkreilicence${seed}`,
    rights: RIGHTS.DISPLAY | RIGHTS.PERSONAL_USE,
    mode: MODE.GiftToVerified,
    holdingPeriod: 180 * DAY,
    minLevel: LEVEL.REAL_NAME,
    complianceRef: ethers.id(`decision:${seed}`),
    ...rest,
  };
}

/** An impersonated, funded account with a fixed address derived from `label` (beside Hardhat's 20 signers). */
export async function extraSigner(label: string): Promise<Signer & { address: string }> {
  const address = new ethers.Wallet(ethers.id(`extra-signer:${label}`)).address;
  await setBalance(address, 10n ** 21n);
  return ethers.getImpersonatedSigner(address);
}

/**
 * The whole registry with its roles wired, as T-REX's full-suite fixture does: `{ contracts, accounts }`.
 * Accounts: admin (all DEFAULT_ADMIN_ROLEs), attestor, regulator, issuer (ISSUER_ROLE, verified level 4),
 * operator (OPERATOR_ROLE + EVIDENCE_WRITER_ROLE), alice/bob/carol (verified level 2, identities
 * "alice"/"bob"/"carol"), dave (enterprise, level 3), outsider (no identity, no role), anchorer
 * (ANCHOR_ROLE, an extra funded account), and `complianceKey`, the ethers Wallet holding
 * COMPLIANCE_SIGNER_ROLE (it only signs). The policy floors are the permissive defaults.
 * Use with loadFixture.
 */
export async function deployRegistryFixture() {
  const [admin, attestor, regulator, issuer, operator, alice, bob, carol, dave, outsider, ...rest] =
    await ethers.getSigners();
  const anchorer = await extraSigner("anchorer");
  const system = await deploySystem(ethers, admin, {
    roles: {
      attestors: [attestor.address],
      regulators: [regulator.address],
      issuers: [issuer.address],
      operators: [operator.address],
      evidenceWriters: [operator.address],
      complianceSigners: [COMPLIANCE_KEY.address],
      anchorers: [anchorer.address],
    },
  });
  const { identity, rights, evidence } = system;
  const expiresAt = BigInt(await time.latest()) + BigInt(3 * 365 * DAY);
  const ids = {
    issuer: ethers.id("identity:issuer"),
    alice: ethers.id("identity:alice"),
    bob: ethers.id("identity:bob"),
    carol: ethers.id("identity:carol"),
    dave: ethers.id("identity:dave"),
  };
  const register = async (identityId: string, wallet: string, level: number) =>
    (
      await identity
        .connect(attestor)
        .registerIdentity(identityId, wallet, level, CHINA, expiresAt, ethers.id(`kyc:${identityId}`))
    ).wait();
  await register(ids.issuer, issuer.address, LEVEL.LICENSED_ISSUER);
  await register(ids.alice, alice.address, LEVEL.REAL_NAME);
  await register(ids.bob, bob.address, LEVEL.REAL_NAME);
  await register(ids.carol, carol.address, LEVEL.REAL_NAME);
  await register(ids.dave, dave.address, LEVEL.ENTERPRISE);

  return {
    contracts: { identity, rights, evidence, rightsLogic: system.rightsLogic },
    accounts: { admin, attestor, regulator, issuer, operator, alice, bob, carol, dave, outsider, anchorer, rest },
    complianceKey: COMPLIANCE_KEY,
    ids,
    expiresAt,
  };
}

/**
 * Sends `createCollection(issuer, params, approval)` from `sender` (default: the issuer itself) with an
 * approval of exactly these parameters by the fixture's compliance key.
 */
export async function createApproved(
  rights: CollectibleRights,
  sender: Signer,
  issuer: string,
  params: ICollectibleRights.CollectionParamsStruct,
): Promise<ContractTransactionResponse> {
  const approval = await approveCreate(rights as unknown as BaseContract, COMPLIANCE_KEY, issuer, params);
  return rights.connect(sender).createCollection(issuer, params, approval);
}

/** {deployRegistryFixture} plus one GiftToVerified collection (id 1, 180-day holding, min level 2). */
export async function deployWithCollectionFixture() {
  const base = await deployRegistryFixture();
  const { rights } = base.contracts;
  const { issuer } = base.accounts;
  const params = collectionParams({ royaltyReceiver: issuer.address, royaltyBps: 500 });
  await (await createApproved(rights, issuer, issuer.address, params)).wait();
  return { ...base, collectionId: 1n, params };
}
