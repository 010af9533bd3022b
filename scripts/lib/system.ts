import type { Signer } from "ethers";
import { artifacts } from "hardhat";
import type { HardhatEthersHelpers } from "@nomicfoundation/hardhat-ethers/types";
import type {
  CollectibleRights,
  CollectibleRightsLogic,
  EvidenceRegistry,
  IdentityRegistry,
} from "../../typechain-types";

/** Who gets which role when the registry is deployed. Every list may be empty. */
export interface RoleAssignment {
  attestors: string[];
  regulators: string[];
  issuers: string[];
  operators: string[];
  evidenceWriters: string[];
  /** CollectibleRights.COMPLIANCE_SIGNER_ROLE: sign compliance approvals (EOAs or ERC-1271 contracts). */
  complianceSigners: string[];
  /** EvidenceRegistry.ANCHOR_ROLE: anchor log checkpoints. */
  anchorers: string[];
}

/** The regulator's floors for new collections (CollectibleRights.PolicyFloors). */
export interface PolicyFloors {
  /** Seconds. */
  minHoldingPeriod: number;
  maxEditions: number;
  /** Bitmask: 1 Locked, 2 GiftToVerified. */
  allowedModes: number;
  minHolderLevel: number;
}

/** The floors a fresh CollectibleRights starts with: no floor at all. */
export const PERMISSIVE_FLOORS: Readonly<PolicyFloors> = {
  minHoldingPeriod: 0,
  maxEditions: 2 ** 24 - 1,
  allowedModes: 3,
  minHolderLevel: 1,
};

export interface SystemOptions {
  /** Account that is to hold DEFAULT_ADMIN_ROLE on the three contracts (defaults to the deployer). */
  admin?: string;
  /** Delay, in seconds, of a DEFAULT_ADMIN_ROLE hand-over (AccessControlDefaultAdminRules); default 0. */
  adminDelay?: number;
  name?: string;
  symbol?: string;
  roles?: Partial<RoleAssignment>;
  /** Policy floors to set at deployment; the permissive constructor defaults when absent. */
  floors?: PolicyFloors;
  /** Reason code and evidence hash recorded with the floors (PolicyFloorsSet). */
  floorsReason?: string;
  floorsEvidence?: string;
}

export interface RegistrySystem {
  identity: IdentityRegistry;
  rights: CollectibleRights;
  evidence: EvidenceRegistry;
  /** The external library CollectibleRights is linked to. */
  rightsLogic: CollectibleRightsLogic;
  /** Transactions that deployed each contract, for block numbers and hashes. */
  deployTx: { identity: string; rights: string; evidence: string; rightsLogic: string };
  /** When `admin` is not the deployer: the hand-over begun on each contract, which `admin` must accept. */
  adminTransfer?: { newAdmin: string; acceptSchedule: number };
}

const ZERO_HASH = "0x" + "00".repeat(32);

/**
 * Deploys IdentityRegistry, CollectibleRightsLogic, CollectibleRights (linked to it) and EvidenceRegistry,
 * grants the roles, registers CollectibleRights as a custody registry of IdentityRegistry and sets the policy
 * floors. The deployer is the first admin, so that it can grant roles; when another `admin` is wanted, it
 * then begins the two-step DEFAULT_ADMIN_ROLE transfer on each contract (AccessControlDefaultAdminRules):
 * the deployer stays admin until `admin` calls `acceptDefaultAdminTransfer()` after the delay.
 *
 * @example
 * const system = await deploySystem(hre.ethers, deployer, { roles: { attestors: [kyc.address] } });
 */
export async function deploySystem(
  ethers: HardhatEthersHelpers,
  deployer: Signer,
  options: SystemOptions = {},
): Promise<RegistrySystem> {
  const deployerAddress = await deployer.getAddress();
  const admin = options.admin ?? deployerAddress;
  const delay = options.adminDelay ?? 0;
  const identity = (await (await ethers.getContractFactory("IdentityRegistry", deployer)).deploy(
    delay,
    deployerAddress,
  )) as unknown as IdentityRegistry;
  await identity.waitForDeployment();
  // Deployed without its ABI: a library's ABI names enums by their Solidity names, which ethers warns about.
  const logicArtifact = await artifacts.readArtifact("CollectibleRightsLogic");
  const rightsLogic = (await (
    await ethers.getContractFactory([], logicArtifact.bytecode, deployer)
  ).deploy()) as unknown as CollectibleRightsLogic;
  await rightsLogic.waitForDeployment();
  const rightsFactory = await ethers.getContractFactory("CollectibleRights", {
    signer: deployer,
    libraries: { CollectibleRightsLogic: await rightsLogic.getAddress() },
  });
  const rights = (await rightsFactory.deploy(
    delay,
    deployerAddress,
    options.name ?? "Digital Collectibles",
    options.symbol ?? "DCOL",
    await identity.getAddress(),
  )) as unknown as CollectibleRights;
  await rights.waitForDeployment();
  const evidence = (await (await ethers.getContractFactory("EvidenceRegistry", deployer)).deploy(
    delay,
    deployerAddress,
  )) as unknown as EvidenceRegistry;
  await evidence.waitForDeployment();

  const roles: RoleAssignment = {
    attestors: [],
    regulators: [],
    issuers: [],
    operators: [],
    evidenceWriters: [],
    complianceSigners: [],
    anchorers: [],
    ...options.roles,
  };
  const grants: Array<[{ grantRole(role: string, account: string): Promise<unknown> }, string, string[]]> = [
    [identity, await identity.ATTESTOR_ROLE(), roles.attestors],
    [identity, await identity.REGULATOR_ROLE(), roles.regulators],
    [rights, await rights.REGULATOR_ROLE(), roles.regulators],
    [rights, await rights.ISSUER_ROLE(), roles.issuers],
    [rights, await rights.OPERATOR_ROLE(), roles.operators],
    [rights, await rights.COMPLIANCE_SIGNER_ROLE(), roles.complianceSigners],
    [evidence, await evidence.EVIDENCE_WRITER_ROLE(), roles.evidenceWriters],
    [evidence, await evidence.ANCHOR_ROLE(), roles.anchorers],
  ];
  for (const [contract, role, accounts] of grants) {
    for (const account of new Set(accounts)) {
      const tx = (await contract.grantRole(role, account)) as { wait(): Promise<unknown> };
      await tx.wait();
    }
  }
  await (await identity.setCustodyRegistries([await rights.getAddress()])).wait();

  if (options.floors !== undefined) {
    // setPolicyFloors is the regulator's: the deployer holds REGULATOR_ROLE for this one call only.
    const regulatorRole = await rights.REGULATOR_ROLE();
    const keepRole = roles.regulators.some((r) => r.toLowerCase() === deployerAddress.toLowerCase());
    if (!keepRole) await (await rights.grantRole(regulatorRole, deployerAddress)).wait();
    await (
      await rights.setPolicyFloors(
        options.floors,
        options.floorsReason ?? ZERO_HASH,
        options.floorsEvidence ?? ZERO_HASH,
      )
    ).wait();
    if (!keepRole) await (await rights.renounceRole(regulatorRole, deployerAddress)).wait();
  }

  let adminTransfer: RegistrySystem["adminTransfer"];
  if (admin.toLowerCase() !== deployerAddress.toLowerCase()) {
    let acceptSchedule = 0;
    for (const contract of [identity, rights, evidence]) {
      await (await contract.beginDefaultAdminTransfer(admin)).wait();
      const [, schedule] = await contract.pendingDefaultAdmin();
      acceptSchedule = Math.max(acceptSchedule, Number(schedule));
    }
    adminTransfer = { newAdmin: admin, acceptSchedule };
  }
  return {
    identity,
    rights,
    evidence,
    rightsLogic,
    deployTx: {
      identity: identity.deploymentTransaction()?.hash ?? "",
      rights: rights.deploymentTransaction()?.hash ?? "",
      evidence: evidence.deploymentTransaction()?.hash ?? "",
      rightsLogic: rightsLogic.deploymentTransaction()?.hash ?? "",
    },
    adminTransfer,
  };
}
