/**
 * EIP-712 compliance approvals for CollectibleRights, built with ethers' TypedDataEncoder exactly as an
 * off-chain compliance signer would. Registers no mocha test.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, TypedDataDomain, TypedDataField } from "ethers";
import type { ICollectibleRights } from "../../../typechain-types";
import { approvalDomain as domainOf, approvalTypes } from "../../../shared/approval";

/** EIP-712 types of CollectibleRights' approvals (the one definition, in shared/). */
export const APPROVAL_TYPES: Record<"CreateCollection" | "UpdateMetadata", TypedDataField[]> = {
  CreateCollection: approvalTypes("CreateCollection").CreateCollection,
  UpdateMetadata: approvalTypes("UpdateMetadata").UpdateMetadata,
};

/** Something that signs EIP-712 data: an ethers Wallet or a Hardhat signer. */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** The EIP-712 domain of a deployed CollectibleRights. */
export async function approvalDomain(rights: BaseContract): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return domainOf(chainId, await rights.getAddress());
}

/** A deadline `seconds` after the latest block (default one hour). */
export async function deadlineIn(seconds = 3600): Promise<bigint> {
  return BigInt(await time.latest()) + BigInt(seconds);
}

export interface ApprovalOptions {
  /** Defaults to one hour after the latest block. */
  deadline?: bigint;
  /** Address put in the approval's `signer` field (defaults to the key's own address). */
  claimedSigner?: string;
}

/** The CreateCollection typed value of `params` for `issuer`. */
export function createCollectionValue(
  issuer: string,
  params: ICollectibleRights.CollectionParamsStruct,
  deadline: bigint,
): Record<string, unknown> {
  return { ...params, issuer, deadline };
}

/** Signs an approval of `createCollection(issuer, params, …)` with `key`. */
export async function approveCreate(
  rights: BaseContract,
  key: TypedDataSigner,
  issuer: string,
  params: ICollectibleRights.CollectionParamsStruct,
  options: ApprovalOptions = {},
): Promise<ICollectibleRights.ComplianceApprovalStruct> {
  const deadline = options.deadline ?? (await deadlineIn());
  const signature = await key.signTypedData(
    await approvalDomain(rights),
    { CreateCollection: APPROVAL_TYPES.CreateCollection },
    createCollectionValue(issuer, params, deadline),
  );
  return { signer: options.claimedSigner ?? (await key.getAddress()), deadline, signature };
}

/** Signs an approval of `setMetadataCID(collectionId, metadataCID, complianceRef, …)` with `key`. */
export async function approveMetadata(
  rights: BaseContract,
  key: TypedDataSigner,
  collectionId: bigint,
  issuer: string,
  metadataCID: string,
  complianceRef: string,
  options: ApprovalOptions = {},
): Promise<ICollectibleRights.ComplianceApprovalStruct> {
  const deadline = options.deadline ?? (await deadlineIn());
  const signature = await key.signTypedData(
    await approvalDomain(rights),
    { UpdateMetadata: APPROVAL_TYPES.UpdateMetadata },
    { collectionId, issuer, metadataCID, complianceRef, deadline },
  );
  return { signer: options.claimedSigner ?? (await key.getAddress()), deadline, signature };
}

/** The compliance signer key every test fixture grants COMPLIANCE_SIGNER_ROLE to (it never sends a transaction). */
export const COMPLIANCE_KEY = new ethers.Wallet(ethers.id("test:compliance-signer"));
