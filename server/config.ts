import { z } from "zod";
import { isHexString } from "ethers";

/**
 * Hardhat's (and anvil's) well-known development keys, accounts 1, 2, 4, 5 and 6: the defaults of the
 * local stack only. On any other chain they are refused (see resolveSigningKeys).
 */
export const DEV_KEYS = {
  attestor: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  regulator: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  operator: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  complianceSigner: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  anchorer: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
} as const;

/** Chain ids of local development chains (Hardhat, anvil, Ganache), where the dev keys are allowed. */
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337];

/** Whether a key is one of the development keys above (the defaults of the local stack). */
const isDevKey = (key: string) => Object.values(DEV_KEYS).includes(key.toLowerCase() as never);

const privateKey = z
  .string()
  .refine((v) => isHexString(v, 32), { message: "must be a 0x-prefixed 32-byte hex private key" });
const positiveInt = z.coerce.number().int().positive();

export const ConfigSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default("./data"),
  /** postgres://… selects PostgreSQL (several gateways may share it); unset: SQLite in DATA_DIR/gateway.db. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** SQLite durability: FULL survives power loss; NORMAL (WAL) survives a crash of the process (kill -9). */
  SQLITE_SYNCHRONOUS: z.enum(["FULL", "NORMAL"]).default("FULL"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** false: JSON logs go to DATA_DIR/logs/gateway.log, so a terminal shows only what a person needs; true: stdout. */
  LOG_TO_STDOUT: z.stringbool().default(false),
  /** Network name: the gateway reads deployments/<NETWORK>.json. */
  NETWORK: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only").default("localhost"),
  DEPLOYMENTS_DIR: z.string().min(1).default("./deployments"),
  RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }).default("http://127.0.0.1:8545"),
  /**
   * One signing key per on-chain role. Unset: on a local chain, Hardhat's development keys; elsewhere the
   * role signs outside the gateway (regulator, attestor: requests answer with the unsigned transaction)
   * or the gateway refuses to start (operator, compliance signer, anchorer).
   */
  OPERATOR_KEY: privateKey.optional(),
  ATTESTOR_KEY: privateKey.optional(),
  REGULATOR_KEY: privateKey.optional(),
  /** Signs the EIP-712 compliance approvals (COMPLIANCE_SIGNER_ROLE), never transactions. */
  COMPLIANCE_SIGNER_KEY: privateKey.optional(),
  /** Anchors the sandbox log's checkpoints (ANCHOR_ROLE). */
  ANCHOR_KEY: privateKey.optional(),
  /** Empty: embedded Helia under DATA_DIR/ipfs. Set: any Kubo-RPC node, e.g. http://127.0.0.1:5001. */
  IPFS_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  POLICY_FILE: z.string().min(1).default("./policy/default.yaml"),
  DID_METHOD: z.string().regex(/^[a-z0-9]+$/, "lower-case letters and digits only").default("dareg"),
  MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  MAX_FILE_BYTES: positiveInt.default(20 * 1024 * 1024),
  /** Editions per mintBatch transaction; ≤ 200 keeps a batch (≈54k gas per edition) under a 16.7M-gas transaction cap. */
  MINT_BATCH_SIZE: positiveInt.max(200).default(100),
  MAX_RECIPIENTS: positiveInt.max(10_000).default(1000),
  /** Mint batches sent and not yet mined at once, per job (nonce pipelining fills the chain's blocks). */
  MINT_IN_FLIGHT: positiveInt.max(64).default(4),
  /** Mint jobs a gateway works on at once (their batches are sent and settled side by side, so jobs of 100 fill blocks too). */
  MINT_JOBS_AT_ONCE: positiveInt.max(64).default(8),
  ANCHOR_EVERY_ENTRIES: positiveInt.default(100),
  ANCHOR_EVERY_MINUTES: positiveInt.default(10),
  /** Seconds a request waits for its transactions to be mined before answering 202 with an operation to poll. */
  TX_TIMEOUT_SECONDS: positiveInt.default(15),
  /** Time limit of every JSON-RPC call to the node (a frozen node then answers 503 quickly). */
  CHAIN_TIMEOUT_MS: positiveInt.default(5_000),
  /** Time limit of every call to IPFS. */
  IPFS_TIMEOUT_MS: positiveInt.default(5_000),
  /** Time budget of the compliance rules of one request, run off the request thread. */
  COMPLIANCE_TIMEOUT_MS: positiveInt.default(5_000),
  /** Worker threads running the compliance rules' text checks (0: run them on the main thread). */
  COMPLIANCE_THREADS: z.coerce.number().int().min(0).max(16).default(2),
  /** Requests per minute from one source address, and per API key; beyond: 429 with Retry-After. */
  RATE_LIMIT_PER_IP: positiveInt.default(1200),
  RATE_LIMIT_PER_KEY: positiveInt.default(600),
  /** Multipart requests received at once; beyond: 429. */
  MAX_CONCURRENT_UPLOADS: positiveInt.max(64).default(4),
  /** The sandbox log's checkpoint key (PRIVATE+KEY+…, Ed25519 signed-note); default: generated on first start and kept in the store. */
  LOG_SIGNING_KEY: z.string().startsWith("PRIVATE+KEY+").optional(),
  /** Bearer token a Prometheus scraper sends to /metrics (else an admin, regulator or auditor key). */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /** Serve /metrics without a key on this separate listener (METRICS_HOST, default 127.0.0.1). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * The index follows the chain up to head minus this many blocks. 0 suits a local chain and BFT consortium
   * chains (Besu QBFT, FISCO BCOS, ChainMaker: a block is final once committed); use 12 or more on a
   * proof-of-work-style chain where blocks can be replaced.
   */
  CONFIRMATIONS: z.coerce.number().int().min(0).max(1000).default(0),
  /** Blocks the index keeps hashes of, to detect a re-org and rewind. */
  REORG_WINDOW: positiveInt.max(10_000).default(128),
  /** This gateway's name in the leases of jobs and operations (default: host, pid and a random suffix). */
  GATEWAY_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/).optional(),
  /** How long a gateway's lease on a job or an operation lasts without renewal; a dead gateway's work is taken over after it. */
  LEASE_SECONDS: positiveInt.max(3600).default(30),
  /** Regulator, attestor and admin API keys need a second admin: "auto" = on, except on a local chain. */
  KEY_CONFIRMATION: z.enum(["auto", "required", "off"]).default("auto"),
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

export type SigningRole = keyof typeof DEV_KEYS;

const KEY_VARS: Record<SigningRole, keyof Config> = {
  operator: "OPERATOR_KEY",
  attestor: "ATTESTOR_KEY",
  regulator: "REGULATOR_KEY",
  complianceSigner: "COMPLIANCE_SIGNER_KEY",
  anchorer: "ANCHOR_KEY",
};

/**
 * The signing key of each role for a chain: the configured key, or on a local chain Hardhat's development
 * key. Refuses (ConfigError, one line per problem) a development key on any other chain, and a missing key
 * for a role the gateway cannot work without. Regulator and attestor keys may be absent: their actions then
 * answer with the unsigned transaction, to be signed where those keys are kept.
 */
export function resolveSigningKeys(config: Config, chainId: number): Partial<Record<SigningRole, string>> {
  const local = LOCAL_CHAIN_IDS.includes(chainId);
  const problems: string[] = [];
  const keys: Partial<Record<SigningRole, string>> = {};
  for (const role of Object.keys(KEY_VARS) as SigningRole[]) {
    const configured = config[KEY_VARS[role]] as string | undefined;
    if (configured && !local && isDevKey(configured)) {
      problems.push(`${KEY_VARS[role]}: is a well-known Hardhat development key; chain ${chainId} is not a local chain, use a key of your own`);
      continue;
    }
    const key = configured ?? (local ? DEV_KEYS[role] : undefined);
    if (!key && (role === "operator" || role === "complianceSigner" || role === "anchorer")) {
      problems.push(`${KEY_VARS[role]}: is required on chain ${chainId} (only local chains have development defaults)`);
      continue;
    }
    if (key) keys[role] = key;
  }
  if (problems.length) throw new ConfigError(problems);
  return keys;
}

/** Whether privileged API keys need a second administrator on this chain. */
export const keyConfirmationRequired = (config: Config, chainId: number): boolean =>
  config.KEY_CONFIRMATION === "required" || (config.KEY_CONFIRMATION === "auto" && !LOCAL_CHAIN_IDS.includes(chainId));
