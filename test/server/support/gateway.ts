import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import type { Provider } from "ethers";
import pino from "pino";
import type { Deployment } from "../../../shared/deployment";
import { createApiKey } from "../../../server/auth/api-keys";
import { loadConfig } from "../../../server/config";
import { startGateway, type Gateway, type GatewayOptions } from "../../../server/gateway";
import type { ApiRole } from "../../../server/store/store";
import { deployRegistryFixture } from "../../contracts/fixtures";
import { COMPLIANCE_KEY } from "../../contracts/helpers/approvals";
import { API, type AnyContract } from "../../../shared/api";
import { createClient, type ApiClient } from "../../../shared/api/client";
import { ErrorBody } from "../../../shared/errors";

type Contracts = Awaited<ReturnType<typeof deployRegistryFixture>>["contracts"];

/** The deployment file the gateway would read, built from contracts deployed in this process. */
export async function deploymentOf(contracts: Contracts): Promise<Deployment> {
  const entry = async (contractName: string, c: Contracts[keyof Contracts]) => {
    const tx = c.deploymentTransaction();
    const receipt = await ethers.provider.getTransactionReceipt(tx!.hash);
    return {
      contractName,
      address: await c.getAddress(),
      deployTxHash: tx!.hash,
      blockNumber: receipt!.blockNumber,
      blockHash: receipt!.blockHash,
      abi: (await hre.artifacts.readArtifact(contractName)).abi as unknown[],
    };
  };
  const contractsEntry = {
    identityRegistry: await entry("IdentityRegistry", contracts.identity),
    collectibleRights: await entry("CollectibleRights", contracts.rights),
    evidenceRegistry: await entry("EvidenceRegistry", contracts.evidence),
    collectibleRightsLogic: await entry("CollectibleRightsLogic", contracts.rightsLogic),
  };
  const [deployer] = await ethers.getSigners();
  return {
    network: "hardhat",
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    deployer: deployer.address,
    admin: deployer.address,
    deployBlock: Math.min(...Object.values(contractsEntry).map((c) => c.blockNumber)),
    generatedAt: new Date().toISOString(),
    roles: {},
    contracts: contractsEntry,
  };
}

/** The private key of the fixture's anchorer (`extraSigner("anchorer")`). */
export const ANCHORER_KEY = ethers.id("extra-signer:anchorer");

/** {deployRegistryFixture} plus its deployment file; use with loadFixture. */
export async function gatewayChainFixture() {
  const base = await deployRegistryFixture();
  return { ...base, deployment: await deploymentOf(base.contracts) };
}

export interface TestGateway extends Gateway {
  dataDir: string;
  /** Creates an API key and returns its bearer token. */
  key(role: ApiRole, opts?: { wallet?: string; label?: string }): Promise<string>;
  /**
   * fetch against the gateway with an optional bearer token. Every reply is parsed by the schema its route
   * contract declares (success, alternative or ErrorBody); a reply that does not match fails the test.
   */
  call(method: string, path: string, opts?: { token?: string; json?: unknown; form?: FormData; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** The typed client of shared/api with a key, its replies checked the same way. */
  api(token?: string): ApiClient;
  /** Stops and removes the data directory unless `keepData`. */
  close(keepData?: boolean): Promise<void>;
}

/**
 * Starts the real gateway on port 0 against the in-process Hardhat chain, with embedded IPFS and SQLite
 * in a fresh (or given) data directory.
 */
export async function startTestGateway(
  deployment: Deployment,
  opts: GatewayOptions & { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestGateway> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "gw-test-"));
  const config = loadConfig({
    PORT: "0",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    POLICY_FILE: join(__dirname, "..", "..", "..", "policy", "default.yaml"),
    // Text checks inline (one suite tests the worker threads), and no rate limits in the way of the suites.
    COMPLIANCE_THREADS: "0",
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_KEY: "1000000",
    // The fixture's compliance signer and anchorer (Hardhat's accounts 5 and 6 are the fixture's alice and bob).
    COMPLIANCE_SIGNER_KEY: COMPLIANCE_KEY.privateKey,
    ANCHOR_KEY: ANCHORER_KEY,
    ...opts.env,
  });
  // The in-process Hardhat chain through hardhat-ethers' provider, the same one the tests read with.
  const provider = ethers.provider as unknown as Provider;
  const gw = await startGateway(config, { provider, deployment, logger: pino({ level: "silent" }), ...opts });
  return {
    ...gw,
    dataDir,
    async key(role, o = {}) {
      const { token } = await createApiKey(gw.services.store, { role, label: o.label ?? `${role} key`, wallet: o.wallet });
      return token;
    },
    api(token) {
      return createClient({
        baseUrl: gw.url,
        apiKey: token,
        fetch: async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
          const res = await fetch(input, init);
          const text = await res.clone().text();
          const url = new URL(String(input));
          checkReply(String(init?.method ?? "GET"), url.pathname, res.status, res.headers.get("content-type") ?? "", text);
          return res;
        },
      });
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | FormData | undefined;
      if (o.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(o.json);
      } else if (o.form) body = o.form;
      const res = await fetch(`${gw.url}${path}`, { method, headers, body });
      const text = await res.text();
      checkReply(method, new URL(`${gw.url}${path}`).pathname, res.status, res.headers.get("content-type") ?? "", text);
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // non-JSON reply (metrics, CSV, media)
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close(keepData = false) {
      await gw.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Block time of the in-process chain in ms (other suites travel in time, so never use Date.now()). */
export async function chainNowMs(): Promise<number> {
  const block = await ethers.provider.getBlock("latest");
  return block!.timestamp * 1000;
}

const CONTRACTS = Object.values(API) as AnyContract[];
const pattern = (c: AnyContract) => new RegExp(`^${c.path.replace(/:[A-Za-z]+/g, "[^/]+")}$`);

/** The route contract a request matches, if any. */
export function contractOf(method: string, pathname: string): AnyContract | undefined {
  return CONTRACTS.find((c) => c.method === method.toLowerCase() && pattern(c).test(pathname));
}

/**
 * Parses a reply with the schema its contract declares: the success body, an alternative status's body,
 * or the error body. Throws (failing the test) when the gateway answers with a shape it did not declare.
 */
export function checkReply(method: string, pathname: string, status: number, contentType: string, text: string): void {
  if (!contentType.includes("application/json")) return;
  const body = text ? JSON.parse(text) : undefined;
  const c = contractOf(method, pathname);
  const fail = (what: string, issues: unknown) => {
    throw new Error(`${method} ${pathname} answered ${status} with a body that does not match ${what}: ${JSON.stringify(issues).slice(0, 800)}`);
  };
  // A status the route declares (such as /healthz's 503 with its report) has its own body; other errors the ErrorBody.
  const schema = !c ? undefined : status === (c.status ?? 200) ? c.response : c.alternatives?.[status];
  if (!schema && status >= 400) {
    const r = ErrorBody.safeParse(body);
    if (!r.success) fail("ErrorBody", r.error.issues);
    return;
  }
  if (!c) return;
  if (!schema) fail(`a declared status (${c.status ?? 200}${c.alternatives ? `, ${Object.keys(c.alternatives).join(", ")}` : ""})`, { status });
  const r = schema!.safeParse(body);
  if (!r.success) fail(`the ${c.method.toUpperCase()} ${c.path} response schema`, r.error.issues);
}
