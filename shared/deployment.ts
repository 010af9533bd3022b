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

/** Thrown when a deployment file cannot be read or is not one; the message names the file and the problem. */
export class DeploymentFileError extends Error {
  override name = "DeploymentFileError";
}

/**
 * The one reader of a deployment file's content: parses and validates it, naming `source` in errors.
 *
 * @example
 * const deployment = parseDeployment(await (await fetch("/deployments/localhost.json")).text(), "localhost.json");
 */
export function parseDeployment(text: string, source: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DeploymentFileError(`${source} is not JSON: ${(e as Error).message}`);
  }
  const parsed = DeploymentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DeploymentFileError(`${source} is not a deployment file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}
