/** One canonical JSON for every hash the gateway and auditors compute: see shared/log-chain.ts. */
export { canonicalJson } from "../../shared/log/canonical";
