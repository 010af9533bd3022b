/**
 * Deploys IdentityRegistry, CollectibleRights and EvidenceRegistry, grants the roles and writes
 * deployments/<network>.json (addresses, deploy transactions and blocks, ABIs, roles).
 *
 *   npx hardhat run scripts/deploy.ts                       # in-process network (gone when the script ends)
 *   npx hardhat run scripts/deploy.ts --network localhost   # a running `npx hardhat node`
 *   RPC_URL=https://… DEPLOYER_KEY=0x… CHAIN_ID=… npx hardhat run scripts/deploy.ts --network custom
 *
 * The deployer is the first signer. Roles come from comma-separated address lists in ATTESTORS,
 * REGULATORS, ISSUERS, OPERATORS, EVIDENCE_WRITERS, COMPLIANCE_SIGNERS and ANCHORERS (set to "" for nobody).
 * When unset, on hardhat and localhost they default to Hardhat's signers [1] attestor, [2] regulator,
 * [3] issuer, [4] operator and evidence writer, [5] compliance signer, [6] anchorer; on other networks to
 * nobody. CollectibleRights is registered as IdentityRegistry's custody registry. The policy floors come
 * from FLOOR_MIN_HOLDING_SECONDS, FLOOR_MAX_EDITIONS, FLOOR_ALLOWED_MODES and FLOOR_MIN_HOLDER_LEVEL, or else
 * from the compliance policy (POLICY_FILE, default policy/default.yaml).
 *
 * The deployer is the first DEFAULT_ADMIN_ROLE holder (AccessControlDefaultAdminRules, hand-over delay
 * ADMIN_DELAY_SECONDS: default 0 on hardhat/localhost, 2 days elsewhere). With ADMIN set to another account,
 * the script begins the two-step hand-over on the three contracts; ADMIN must then call
 * acceptDefaultAdminTransfer() on each after the delay. Every value is validated before any transaction.
 * DEPLOYMENTS_DIR (default ./deployments) is where the file goes; npm start sets it per data directory.
 */
import hre from "hardhat";
import { DeploymentConfigError, deployAndRecord, formatSummary } from "./lib/deployment";

async function main() {
  const { deployment, file } = await deployAndRecord(hre, {
    env: process.env,
    outDir: process.env.DEPLOYMENTS_DIR || undefined,
    log: (line) => console.log(line),
  });
  console.log("");
  console.log(formatSummary(deployment, file));
}

main().catch((error: unknown) => {
  if (error instanceof DeploymentConfigError) {
    console.error(`deploy: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
