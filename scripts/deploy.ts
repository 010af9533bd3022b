/**
 * Deploys IdentityRegistry, CollectibleRights and EvidenceRegistry, grants the roles and writes
 * deployments/<network>.json (addresses, deploy transactions and blocks, ABIs, roles).
 *
 *   npx hardhat run scripts/deploy.ts                       # in-process network (gone when the script ends)
 *   npx hardhat run scripts/deploy.ts --network localhost   # a running `npx hardhat node`
 *   RPC_URL=https://… DEPLOYER_KEY=0x… CHAIN_ID=… npx hardhat run scripts/deploy.ts --network custom
 *
 * The deployer is the first signer. Roles come from comma-separated address lists in ATTESTORS,
 * REGULATORS, ISSUERS, OPERATORS and EVIDENCE_WRITERS (set to "" for nobody). When unset, on hardhat and
 * localhost they default to Hardhat's signers [1] attestor, [2] regulator, [3] issuer, [4] operator and
 * evidence writer; on other networks to nobody. ADMIN (default: the deployer) receives DEFAULT_ADMIN_ROLE
 * on the three contracts. Every address is validated before any transaction is sent. DEPLOYMENTS_DIR
 * (default ./deployments) is where the file goes; npm start sets it per data directory.
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
