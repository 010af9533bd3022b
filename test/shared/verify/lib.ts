export * from "../../../shared/verify";
export { verifyMerkleProof as verifyMerkleProofFree } from "../../../shared/log-chain";
