import { z } from "zod";

/** One deployed contract in deployments/<network>.json. */
export const DeployedContractSchema = z.object({
  contractName: z.string(),
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  deployTxHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  blockNumber: z.number().int().nonnegative(),
  blockHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  abi: z.array(z.unknown()),
});

/** deployments/<network>.json, written by scripts/deploy.ts and read by the gateway, the verifier and the UI. */
export const DeploymentSchema = z.object({
  _comment: z.string().optional(),
  network: z.string(),
  chainId: z.number().int().positive(),
  deployer: z.string(),
  admin: z.string(),
  deployBlock: z.number().int().nonnegative(),
  generatedAt: z.string(),
  roles: z.record(z.string(), z.array(z.string())),
  contracts: z.object({
    identityRegistry: DeployedContractSchema,
    collectibleRights: DeployedContractSchema,
    evidenceRegistry: DeployedContractSchema,
  }),
});

export type Deployment = z.infer<typeof DeploymentSchema>;
export type DeployedContract = z.infer<typeof DeployedContractSchema>;
