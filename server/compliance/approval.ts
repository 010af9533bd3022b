import { Wallet, type TypedDataDomain } from "ethers";
import { approvalDomain, approvalTypes } from "../../shared/approval";

export { approvalDomain };

/**
 * Compliance approvals: the EIP-712 signature of a holder of COMPLIANCE_SIGNER_ROLE over exactly what a
 * compliance decision approved. CollectibleRights refuses to create a collection or change its metadata
 * without one, whoever sends the transaction, so the checks cannot be skipped by calling the contract
 * directly. The signing key is the compliance signer's, never the operator's.
 */

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
    const signature = await this.wallet.signTypedData(this.domain, approvalTypes("CreateCollection"), { issuer, ...p, deadline });
    return { signer: this.wallet.address, deadline, signature };
  }

  async approveMetadata(collectionId: bigint, issuer: string, metadataCID: string, complianceRef: string, deadline: bigint): Promise<ComplianceApproval> {
    const signature = await this.wallet.signTypedData(
      this.domain,
      approvalTypes("UpdateMetadata"),
      { collectionId, issuer, metadataCID, complianceRef, deadline },
    );
    return { signer: this.wallet.address, deadline, signature };
  }
}

/** How long a compliance approval stays valid on chain: its transaction must be mined before. */
export const APPROVAL_TTL_SECONDS = 3_600n;

/** An approval's deadline, on the chain's clock (the contract compares it with block.timestamp). */
export async function approvalDeadline(chain: { now(): Promise<bigint> }): Promise<bigint> {
  return (await chain.now()) + APPROVAL_TTL_SECONDS;
}
