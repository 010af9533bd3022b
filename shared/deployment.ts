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

/** CollectibleRights' policy floors for new collections, as set at deployment. */
export const PolicyFloorsSchema = z.object({
  /** Seconds. */
  minHoldingPeriod: z.number().int().nonnegative(),
  maxEditions: z.number().int().positive(),
  /** Bitmask over the transfer modes: 1 Locked, 2 GiftToVerified. */
  allowedModes: z.number().int().min(1).max(3),
  minHolderLevel: z.number().int().min(1).max(4),
});

/**
 * deployments/<network>.json, written by scripts/deploy.ts and read by the gateway, the verifier and the UI.
 * Fields added after the first version are optional, so older files still parse.
 */
export const DeploymentSchema = z.object({
  _comment: z.string().optional(),
  network: z.string(),
  chainId: z.number().int().positive(),
  deployer: z.string(),
  /** Holder of DEFAULT_ADMIN_ROLE when the file was written (the deployer while a hand-over is pending). */
  admin: z.string(),
  /** Delay of a DEFAULT_ADMIN_ROLE hand-over, in seconds (AccessControlDefaultAdminRules). */
  adminDelaySeconds: z.number().int().nonnegative().optional(),
  /** A DEFAULT_ADMIN_ROLE hand-over begun at deployment: `newAdmin` must call acceptDefaultAdminTransfer(). */
  adminTransfer: z
    .object({
      newAdmin: z.string(),
      /** Unix time (seconds) after which the new admin may accept. */
      acceptSchedule: z.number().int().nonnegative(),
    })
    .optional(),
  deployBlock: z.number().int().nonnegative(),
  generatedAt: z.string(),
  /** Role lists by name: attestors, regulators, issuers, operators, evidenceWriters, complianceSigners, anchorers. */
  roles: z.record(z.string(), z.array(z.string())),
  policyFloors: PolicyFloorsSchema.optional(),
  contracts: z.object({
    identityRegistry: DeployedContractSchema,
    collectibleRights: DeployedContractSchema,
    evidenceRegistry: DeployedContractSchema,
    /** The external library CollectibleRights is linked to (its code runs in CollectibleRights' storage). */
    collectibleRightsLogic: DeployedContractSchema.optional(),
  }),
});

export type Deployment = z.infer<typeof DeploymentSchema>;
export type DeployedContract = z.infer<typeof DeployedContractSchema>;
export type PolicyFloorsRecord = z.infer<typeof PolicyFloorsSchema>;

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
