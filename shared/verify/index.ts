/**
 * The independent verifier: everything the gateway claims, re-derived from a JSON-RPC endpoint, an IPFS
 * source and the deployment file. The gateway's own verdicts (provenance integrity, /v1/verify, the
 * sandbox log's anchor check) call these same functions; scripts/verify.ts is the auditor's CLI.
 */
export * from "./chain";
export * from "./sources";
export * from "./custody";
export * from "./checks";
export * from "./token";
export * from "./log";
