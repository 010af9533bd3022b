import { Wallet, type TypedDataDomain } from "ethers";

/**
 * Compliance approvals: the EIP-712 signature of a holder of COMPLIANCE_SIGNER_ROLE over exactly what a
 * compliance decision approved. CollectibleRights refuses to create a collection or change its metadata
 * without one, whoever sends the transaction, so the checks cannot be skipped by calling the contract
 * directly. The signing key is the compliance signer's, never the operator's.
 */
export const APPROVAL_TYPES = {
  CreateCollection: [
    { name: "issuer", type: "address" },
    { name: "contentHash", type: "bytes32" },
    { name: "metadataCID", type: "string" },
    { name: "maxSupply", type: "uint32" },
    { name: "royaltyReceiver", type: "address" },
    { name: "royaltyBps", type: "uint16" },
    { name: "licenceCID", type: "string" },
    { name: "rights", type: "uint8" },
    { name: "mode", type: "uint8" },
    { name: "holdingPeriod", type: "uint32" },
    { name: "minLevel", type: "uint8" },
    { name: "complianceRef", type: "bytes32" },
    { name: "deadline", type: "uint64" },
  ],
  UpdateMetadata: [
    { name: "collectionId", type: "uint64" },
    { name: "issuer", type: "address" },
    { name: "metadataCID", type: "string" },
    { name: "complianceRef", type: "bytes32" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

export interface CollectionParams {
  contentHash: string;
  metadataCID: string;
  maxSupply: number;
  royaltyReceiver: string;
  royaltyBps: number;
  licenceCID: string;
  rights: number;
  mode: number;
  holdingPeriod: number;
  minLevel: number;
  complianceRef: string;
}

/** What the contract takes: the signer (an EOA or an ERC-1271 contract), the deadline and the signature. */
export interface ComplianceApproval {
  signer: string;
  deadline: bigint;
  signature: string;
}

export const approvalDomain = (chainId: number, verifyingContract: string): TypedDataDomain => ({
  name: "CollectibleRights",
  version: "1",
  chainId,
  verifyingContract,
});

/**
 * Signs approvals with the compliance signer's key.
 *
 * @example
 * const approval = await signer.approveCollection(issuer, params, deadline);
 */
export class ApprovalSigner {
  private readonly wallet: Wallet;

  constructor(
    key: string,
    private readonly domain: TypedDataDomain,
  ) {
    this.wallet = new Wallet(key);
  }

  get address(): string {
    return this.wallet.address;
  }

  async approveCollection(issuer: string, p: CollectionParams, deadline: bigint): Promise<ComplianceApproval> {
    const signature = await this.wallet.signTypedData(this.domain, { CreateCollection: [...APPROVAL_TYPES.CreateCollection] }, { issuer, ...p, deadline });
    return { signer: this.wallet.address, deadline, signature };
  }

  async approveMetadata(collectionId: bigint, issuer: string, metadataCID: string, complianceRef: string, deadline: bigint): Promise<ComplianceApproval> {
    const signature = await this.wallet.signTypedData(
      this.domain,
      { UpdateMetadata: [...APPROVAL_TYPES.UpdateMetadata] },
      { collectionId, issuer, metadataCID, complianceRef, deadline },
    );
    return { signer: this.wallet.address, deadline, signature };
  }
}
