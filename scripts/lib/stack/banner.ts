/** The text npm start prints once the stack is up: where everything is, the admin key, what to do next. */
import type { Deployment } from "../../../shared/deployment";
import { displayPath, type StackSettings } from "./settings";

export interface BannerInput {
  settings: StackSettings;
  gatewayUrl: string;
  chainLabel: string;
  deployment: Deployment;
  /** Set on the first start of a data directory: the admin key created now, shown once. */
  newAdminKey?: string;
  /** Where the gateway's logs go: a file, or undefined for stdout. */
  logFile?: string;
  /** Lines of the demo's summary, when --demo ran. */
  demo?: string[];
  /** The demo's admin key, used in the examples when no new admin key was made. */
  demoAdminKey?: string;
  /** How far the chain's clock is ahead of this machine's (after the demo's time travel), in days. */
  chainClockAheadDays?: number;
  /** The variables this start was given (`PORT=… DATA_DIR=… `), to repeat in the commands shown. */
  startEnv: string;
}

const RULE = "═".repeat(78);

/** The variables npm start reads, in the order they are shown. */
export const START_VARIABLES = ["DATA_DIR", "HOST", "PORT", "CHAIN", "CHAIN_RPC_URL", "LOCAL_RPC_HOST", "LOCAL_RPC_PORT", "DEPLOYMENTS_DIR"];

/** `PORT=18080 DATA_DIR=/tmp/x ` for the variables set in `env` (empty for the defaults). */
export function startEnvOf(env: Record<string, string | undefined>): string {
  return START_VARIABLES.filter((k) => env[k]).map((k) => `${k}=${env[k]} `).join("");
}

export function formatBanner(b: BannerInput): string {
  const { settings: s, deployment: d } = b;
  const c = d.contracts;
  const row = (label: string, value: string) => `  ${label.padEnd(12)} ${value}`;
  const lines = [
    "",
    RULE,
    "  Digital Asset Registry: the local stack is running",
    RULE,
    row("Console", `${b.gatewayUrl}/    (web console 网页控制台: sign in with an API key)`),
    row("Gateway", `${b.gatewayUrl}    (health: ${b.gatewayUrl}/healthz)`),
    row("OpenAPI", `${b.gatewayUrl}/v1/openapi.json`),
    row("Chain RPC", `${s.chain.url}    (${b.chainLabel})`),
    ...(b.chainClockAheadDays && b.chainClockAheadDays >= 1
      ? [row("", `the chain's clock is ${Math.round(b.chainClockAheadDays)} days ahead of this machine's (the demo travelled past a holding period)`)]
      : []),
    row("Contracts", `IdentityRegistry   ${c.identityRegistry.address}`),
    row("", `CollectibleRights  ${c.collectibleRights.address}`),
    row("", `EvidenceRegistry   ${c.evidenceRegistry.address}`),
    row("", `deployed at block ${d.deployBlock}, recorded in ${displayPath(s.deploymentFile)}`),
    row("Data", `${s.dataDirLabel}/ (store, IPFS blocks)`),
    row("Logs", b.logFile ? `${displayPath(b.logFile)} (LOG_TO_STDOUT=true prints them here)` : "printed here (LOG_TO_STDOUT=true)"),
    "",
  ];
  const admin = b.newAdminKey ?? b.demoAdminKey ?? "$ADMIN";
  const gw = b.gatewayUrl === "http://127.0.0.1:8080" ? "" : `GW=${b.gatewayUrl} `;
  const dataDir = s.defaultDataDir ? "" : `DATA_DIR=${s.dataDirLabel} `;
  if (b.newAdminKey) {
    lines.push("  Admin API key, shown once (only its hash is stored): copy it now", "", `      ${b.newAdminKey}`, "");
  } else {
    lines.push(
      "  Admin API key: made on the first start and not shown again. To make another one:",
      `      ${dataDir}npm run keys -- create --role admin`,
      "",
    );
  }
  if (b.demo) lines.push(...b.demo, "");
  lines.push(
    "  Next",
    `    ${gw}ADMIN=${admin} bash examples/walkthrough.sh`,
    "        onboarding, a collection, a mint and its provenance, with curl",
  );
  if (!b.demo) {
    lines.push(`    ${b.startEnv}npm start -- --demo`, "        this stack with demo content: collections, collectors, a gift, a frozen token (after Ctrl-C)");
  }
  lines.push(
    `    curl -H "authorization: Bearer ${admin}" ${b.gatewayUrl}/v1/sandbox/verify`,
    "",
    s.chain.kind === "hardhat"
      ? "  Ctrl-C stops the gateway and the chain. CHAIN=hardhat forgets its chain: the next start moves this data aside."
      : s.chain.kind === "external"
        ? "  Ctrl-C stops the gateway (the chain at CHAIN_RPC_URL keeps running)."
        : "  Ctrl-C stops the gateway and the chain; the next npm start brings the same chain and data back.",
    RULE,
  );
  return lines.join("\n");
}
