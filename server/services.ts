import type { Logger } from "pino";
import type { Chain } from "./chain/chain";
import type { ComplianceEngine } from "./compliance/engine";
import type { Config } from "./config";
import type { Metrics } from "./http/metrics";
import type { IpfsBackend } from "./ipfs/ipfs";
import type { SandboxLog } from "./sandbox/sandbox-log";
import type { Store } from "./store/store";
import type { AuthFailureLog } from "./audit/auth-failures";
import type { OperationRunner } from "./operations/operation-runner";
import type { ApprovalSigner } from "./compliance/approval";
import type { Indexer } from "./indexer/indexer";
import type { Cursors } from "./queries/cursor";

/** What the mint routes need of the worker: a nudge, and (tests, benchmarks) a wait until it is idle. */
export interface MintQueue {
  wake(): void;
  idle(): Promise<void>;
}

/**
 * What the gateway is made of; built once by startGateway. Use cases take only the parts they use
 * (`Pick<Services, "chain" | "store">`); nothing that this file imports may import it back.
 */
export interface Services {
  config: Config;
  logger: Logger;
  store: Store;
  chain: Chain;
  ipfs: IpfsBackend;
  sandbox: SandboxLog;
  compliance: ComplianceEngine;
  metrics: Metrics;
  worker: MintQueue;
  operations: OperationRunner;
  authFailures: AuthFailureLog;
  /** Signs compliance approvals (EIP-712) with the compliance signer's key. */
  approvals: ApprovalSigner;
  /** Follows the chain's events into the store's projections (server/indexer). */
  indexer: Indexer;
  /** Signs the list endpoints' pagination cursors. */
  cursors: Cursors;
}
