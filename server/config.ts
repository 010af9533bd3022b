import { z } from "zod";
import { isHexString } from "ethers";

/** Hardhat's well-known development keys (accounts 1, 2 and 4): the defaults of the local stack only. */
const HARDHAT_KEYS = {
  attestor: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  regulator: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  operator: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
} as const;

const privateKey = z
  .string()
  .refine((v) => isHexString(v, 32), { message: "must be a 0x-prefixed 32-byte hex private key" });
const positiveInt = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** false: JSON logs go to DATA_DIR/logs/gateway.log, so a terminal shows only what a person needs; true: stdout. */
  LOG_TO_STDOUT: z.stringbool().default(false),
  /** Network name: the gateway reads deployments/<NETWORK>.json. */
  NETWORK: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only").default("localhost"),
  DEPLOYMENTS_DIR: z.string().min(1).default("./deployments"),
  RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }).default("http://127.0.0.1:8545"),
  OPERATOR_KEY: privateKey.default(HARDHAT_KEYS.operator),
  ATTESTOR_KEY: privateKey.default(HARDHAT_KEYS.attestor),
  REGULATOR_KEY: privateKey.default(HARDHAT_KEYS.regulator),
  /** Empty: embedded Helia under DATA_DIR/ipfs. Set: any Kubo-RPC node, e.g. http://127.0.0.1:5001. */
  IPFS_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  POLICY_FILE: z.string().min(1).default("./policy/default.yaml"),
  DID_METHOD: z.string().regex(/^[a-z0-9]+$/, "lower-case letters and digits only").default("dareg"),
  MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  MAX_FILE_BYTES: positiveInt.default(20 * 1024 * 1024),
  /** Editions per mintBatch transaction; ≤ 200 keeps a batch (≈54k gas per edition) under a 16.7M-gas transaction cap. */
  MINT_BATCH_SIZE: positiveInt.max(200).default(100),
  MAX_RECIPIENTS: positiveInt.max(10_000).default(1000),
  ANCHOR_EVERY_ENTRIES: positiveInt.default(100),
  ANCHOR_EVERY_MINUTES: positiveInt.default(10),
  /** Seconds to wait for a receipt before the worker retries a batch. */
  TX_TIMEOUT_SECONDS: positiveInt.default(120),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Parses the configuration from `env` (default: process.env). Empty strings count as unset.
 * Throws {@link ConfigError} naming every bad variable.
 *
 * @example
 * const config = loadConfig({ PORT: "0", DATA_DIR: "/tmp/gw" });
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") input[key] = v;
  }
  const parsed = ConfigSchema.safeParse({ ...input, ...overrides });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`),
    );
  }
  return parsed.data;
}
