import type { Provider } from "ethers";
import {
  CollectibleRights__factory,
  EvidenceRegistry__factory,
  IdentityRegistry__factory,
  type CollectibleRights,
  type EvidenceRegistry,
  type IdentityRegistry,
} from "../../typechain-types";
import type { Deployment } from "../deployment";

/**
 * What the checks read the chain through: read-only contract handles on a provider, plus the deployment
 * file. The gateway's Chain (server/chain/chain.ts) has this shape, so it is passed as is; an auditor
 * builds one with {@link connectVerifierChain} from a JSON-RPC endpoint and the deployment file alone.
 */
export interface VerifierChain {
  readonly provider: Provider;
  readonly deployment: Deployment;
  readonly chainId: number;
  readonly identity: IdentityRegistry;
  readonly rights: CollectibleRights;
  readonly evidence: EvidenceRegistry;
}

export function connectVerifierChain(provider: Provider, deployment: Deployment): VerifierChain {
  const c = deployment.contracts;
  return {
    provider,
    deployment,
    chainId: deployment.chainId,
    identity: IdentityRegistry__factory.connect(c.identityRegistry.address, provider),
    rights: CollectibleRights__factory.connect(c.collectibleRights.address, provider),
    evidence: EvidenceRegistry__factory.connect(c.evidenceRegistry.address, provider),
  };
}

/** The error's short message (ethers' shortMessage, an AppError's, else message). */
export function errorText(e: unknown): string {
  const err = e as { shortMessage?: string; message?: string };
  return err?.shortMessage ?? err?.message ?? String(e);
}
