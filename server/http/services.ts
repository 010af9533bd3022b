import type { Logger } from "pino";
import type { Config } from "../config";
import type { Chain } from "../chain/chain";
import type { IpfsBackend } from "../ipfs/ipfs";
import type { Store } from "../store/store";
import type { SandboxLog } from "../sandbox/sandbox-log";
import type { ComplianceEngine } from "../compliance/engine";
import type { Metrics } from "./metrics";
import type { MintWorker } from "../mint/worker";

/** Everything a use case may need; built once by startGateway. */
export interface Services {
  config: Config;
  logger: Logger;
  store: Store;
  chain: Chain;
  ipfs: IpfsBackend;
  sandbox: SandboxLog;
  compliance: ComplianceEngine;
  metrics: Metrics;
  worker: MintWorker;
}
