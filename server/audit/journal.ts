import type { LogEntry } from "../store/store";

type Ref = string | number | bigint | null | undefined;

/** One entry as it is appended to the sandbox log (seq, time and hashes are added by the log). */
export interface AppendInput {
  actor: string;
  action: string;
  rule?: string | null;
  decision?: string | null;
  collectionId?: Ref;
  tokenId?: Ref;
  policyVersion?: string | null;
  inputHash?: string | null;
  ref?: string | null;
  /** Any JSON value; bigints become decimal strings, undefined properties are dropped. */
  payload: unknown;
}

/** Where the audit trail is written: the regulator's sandbox log (server/sandbox). */
export interface Journal {
  append(input: AppendInput): Promise<LogEntry>;
  /**
   * Appends unless an entry with the same action, decision and ref is on the log already (then returns
   * it): an outcome that a gateway logged before it died is not logged again by the one that takes over.
   */
  appendOnce(input: AppendInput & { ref: string }): Promise<LogEntry>;
}
