import type { Signer } from "ethers";
import type { HardhatEthersHelpers } from "@nomicfoundation/hardhat-ethers/types";
import type { CollectibleRights, EvidenceRegistry, IdentityRegistry } from "../../typechain-types";

/** Who gets which role when the registry is deployed. Every list may be empty. */
export interface RoleAssignment {
  attestors: string[];
  regulators: string[];
  issuers: string[];
  operators: string[];
  evidenceWriters: string[];
}

export interface SystemOptions {
  /** Account that receives DEFAULT_ADMIN_ROLE on the three contracts (defaults to the deployer). */
  admin?: string;
  name?: string;
  symbol?: string;
  roles?: Partial<RoleAssignment>;
}

export interface RegistrySystem {
  identity: IdentityRegistry;
  rights: CollectibleRights;
  evidence: EvidenceRegistry;
  /** Transactions that deployed each contract, for block numbers and hashes. */
  deployTx: { identity: string; rights: string; evidence: string };
}

/**
 * Deploys IdentityRegistry, CollectibleRights and EvidenceRegistry and wires the roles.
 * The deployer must be the admin when roles are granted, so role grants are skipped for an external admin.
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
  // Deploy with the deployer as admin, grant roles, then hand over admin if another account should hold it.
  const identity = (await (await ethers.getContractFactory("IdentityRegistry", deployer)).deploy(
    deployerAddress,
  )) as unknown as IdentityRegistry;
  await identity.waitForDeployment();
  const rights = (await (await ethers.getContractFactory("CollectibleRights", deployer)).deploy(
    options.name ?? "Digital Collectibles",
    options.symbol ?? "DCOL",
    await identity.getAddress(),
    deployerAddress,
  )) as unknown as CollectibleRights;
  await rights.waitForDeployment();
  const evidence = (await (await ethers.getContractFactory("EvidenceRegistry", deployer)).deploy(
    deployerAddress,
  )) as unknown as EvidenceRegistry;
  await evidence.waitForDeployment();

  const roles: RoleAssignment = {
    attestors: [],
    regulators: [],
    issuers: [],
    operators: [],
    evidenceWriters: [],
    ...options.roles,
  };
  const grants: Array<[{ grantRole(role: string, account: string): Promise<unknown> }, string, string[]]> = [
    [identity, await identity.ATTESTOR_ROLE(), roles.attestors],
    [identity, await identity.REGULATOR_ROLE(), roles.regulators],
    [rights, await rights.REGULATOR_ROLE(), roles.regulators],
    [rights, await rights.ISSUER_ROLE(), roles.issuers],
    [rights, await rights.OPERATOR_ROLE(), roles.operators],
    [evidence, await evidence.EVIDENCE_WRITER_ROLE(), roles.evidenceWriters],
  ];
  for (const [contract, role, accounts] of grants) {
    for (const account of new Set(accounts)) {
      const tx = (await contract.grantRole(role, account)) as { wait(): Promise<unknown> };
      await tx.wait();
    }
  }
  if (admin.toLowerCase() !== deployerAddress.toLowerCase()) {
    for (const contract of [identity, rights, evidence]) {
      const adminRole = await contract.DEFAULT_ADMIN_ROLE();
      await (await contract.grantRole(adminRole, admin)).wait();
      await (await contract.renounceRole(adminRole, deployerAddress)).wait();
    }
  }
  return {
    identity,
    rights,
    evidence,
    deployTx: {
      identity: identity.deploymentTransaction()?.hash ?? "",
      rights: rights.deploymentTransaction()?.hash ?? "",
      evidence: evidence.deploymentTransaction()?.hash ?? "",
    },
  };
}
