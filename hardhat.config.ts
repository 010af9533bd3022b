import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

/** Compiler version; must equal the version of the npm `solc` package (the build never downloads a compiler). */
const SOLC_VERSION = "0.8.28";

// The build must work with no network: use the solc-js compiler shipped in node_modules
// instead of letting Hardhat download a native build.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

const rpcUrl = process.env.RPC_URL;
const deployerKey = process.env.DEPLOYER_KEY;

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 1_000 },
      // Paris (no PUSH0, no transient storage) so the same bytecode runs on consortium
      // chains (Besu/Geth in older forks, ChainMaker's EVM) as well as on Hardhat.
      evmVersion: "paris",
    },
  },
  networks: {
    hardhat: {},
    localhost: { url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    // Any EVM JSON-RPC endpoint: RPC_URL=https://… DEPLOYER_KEY=0x… npx hardhat run scripts/deploy.ts --network custom
    custom: {
      url: rpcUrl ?? "http://127.0.0.1:8545",
      accounts: deployerKey ? [deployerKey] : [],
      ...(process.env.CHAIN_ID ? { chainId: Number(process.env.CHAIN_ID) } : {}),
    },
  },
  paths: {
    sources: "./contracts",
    tests: "./test",
    cache: "./cache",
    artifacts: "./artifacts",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true" },
  mocha: { timeout: 120_000 },
};

export default config;
