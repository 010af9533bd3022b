/**
 * The EIP-712 vocabulary of CollectibleRights' compliance approvals: the domain and the two types, field
 * order exactly as in the contract's type strings (contracts/token/CollectibleRightsLogic.sol). The
 * gateway's compliance signer, the tests, the benchmarks and any off-chain signer build approvals from
 * these, so there is one definition to keep in step with the contract.
 *
 * Browser-safe: imports nothing.
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
} as const satisfies Record<string, ReadonlyArray<{ name: string; type: string }>>;

/** The typed-data types of one approval kind, in the mutable shape signing libraries take. */
export const approvalTypes = (kind: keyof typeof APPROVAL_TYPES): Record<string, Array<{ name: string; type: string }>> => ({
  [kind]: APPROVAL_TYPES[kind].map((f) => ({ ...f })),
});

/** The EIP-712 domain of a deployed CollectibleRights. */
export const approvalDomain = (chainId: number | bigint, verifyingContract: string) => ({
  name: "CollectibleRights",
  version: "1",
  chainId,
  verifyingContract,
});
