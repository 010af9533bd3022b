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
}

const RULE = "═".repeat(78);

/** The environment prefix a command needs to reach this stack (empty for the defaults). */
function envPrefix(s: StackSettings, gatewayUrl: string, withGateway: boolean): string {
  const parts: string[] = [];
  if (!s.defaultDataDir) parts.push(`DATA_DIR=${s.dataDirLabel}`);
  if (withGateway && gatewayUrl !== "http://127.0.0.1:8080") parts.push(`GW=${gatewayUrl}`);
  return parts.length ? `${parts.join(" ")} ` : "";
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
    row("Gateway", `${b.gatewayUrl}    (health: ${b.gatewayUrl}/healthz)`),
    row("OpenAPI", `${b.gatewayUrl}/v1/openapi.json`),
    row("Chain RPC", `${s.chain.url}    (${b.chainLabel})`),
    row("Contracts", `IdentityRegistry   ${c.identityRegistry.address}`),
    row("", `CollectibleRights  ${c.collectibleRights.address}`),
    row("", `EvidenceRegistry   ${c.evidenceRegistry.address}`),
    row("", `deployed at block ${d.deployBlock}, recorded in ${displayPath(s.deploymentFile)}`),
    row("Data", `${s.dataDirLabel}/ (store, IPFS blocks)`),
    row("Logs", b.logFile ? `${displayPath(b.logFile)} (LOG_TO_STDOUT=true prints them here)` : "printed here (LOG_TO_STDOUT=true)"),
    "",
  ];
  const admin = b.newAdminKey ?? "$ADMIN";
  if (b.newAdminKey) {
    lines.push("  Admin API key, shown once (only its hash is stored): copy it now", "", `      ${b.newAdminKey}`, "");
  } else {
    lines.push(
      "  Admin API key: made on the first start and not shown again. To make another one:",
      `      ${envPrefix(s, b.gatewayUrl, false)}npm run keys -- create --role admin`,
      "",
    );
  }
  if (b.demo) lines.push(...b.demo, "");
  lines.push(
    "  Next",
    `    ${envPrefix(s, b.gatewayUrl, true)}ADMIN=${admin} bash examples/walkthrough.sh`,
    "        onboarding, a collection, a mint and its provenance, with curl",
  );
  if (!b.demo) lines.push("    npm start -- --demo        this stack with demo content (collections, collectors, a gift, a frozen token)");
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
