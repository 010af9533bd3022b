/**
 * Typed errors of the verifiable log. Only the PROVING side throws (a store that lacks a node it must
 * hold, arguments outside the tree, a malformed key given by the operator); every verify* function
 * returns a typed result instead and never throws on bad input.
 *
 * Shape follows the codebase's AppError / viem BaseError: a stable `code`, a `shortMessage` for humans,
 * structured `details` and a `cause`, plus a walk through the causes.
 */

export interface LogErrorOptions {
  details?: unknown;
  cause?: unknown;
}

/**
 * Base of every error thrown by shared/log.
 *
 * @example
 * try {
 *   inclusionProof(index, size, store);
 * } catch (e) {
 *   if (e instanceof LogError && e.code === "LOG_NODE_MISSING") alertOperator(e.details);
 * }
 */
export class LogError extends Error {
  override name = "LogError";
  readonly details: unknown;

  constructor(
    readonly code: string,
    readonly shortMessage: string,
    options: LogErrorOptions = {},
  ) {
    super(shortMessage, { cause: options.cause });
    this.details = options.details;
  }

  /** Walks the cause chain and returns the first error matching `fn` (null if none), or the innermost one. */
  walk(fn?: (e: unknown) => boolean): unknown {
    let e: unknown = this;
    for (;;) {
      if (fn?.(e)) return e;
      const next = (e as { cause?: unknown })?.cause;
      if (next === undefined || next === null) return fn ? null : e;
      e = next;
    }
  }
}

/**
 * The node store lacks a node that must exist for the requested tree size: the store is behind, or was
 * tampered with. Details: `{ level, index }`.
 */
export class MissingNodeError extends LogError {
  override name = "MissingNodeError";
  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super("LOG_NODE_MISSING", `the node store has no node at level ${level}, index ${index}`, { details: { level, index } });
  }
}

/** The node store returned a value that is not a 32-byte hash. Details: `{ level, index, length }`. */
export class CorruptNodeError extends LogError {
  override name = "CorruptNodeError";
  constructor(level: number, index: number, length: number) {
    super("LOG_NODE_CORRUPT", `the node store's node at level ${level}, index ${index} is ${length} bytes, not a 32-byte hash`, {
      details: { level, index, length },
    });
  }
}

/** A tree size, leaf index or range is not valid for the request (e.g. index ≥ size, m > n). */
export class TreeArgumentError extends LogError {
  override name = "TreeArgumentError";
  constructor(message: string, details?: unknown) {
    super("LOG_BAD_ARGUMENT", message, { details });
  }
}

/** A note key (signer or verifier key string) or a key name is malformed. */
export class NoteKeyError extends LogError {
  override name = "NoteKeyError";
  constructor(message: string, options?: LogErrorOptions) {
    super("NOTE_BAD_KEY", message, options);
  }
}

/** A note text cannot be signed (does not end in a newline, contains control characters, …). */
export class NoteFormatError extends LogError {
  override name = "NoteFormatError";
  constructor(message: string, options?: LogErrorOptions) {
    super("NOTE_MALFORMED", message, options);
  }
}
