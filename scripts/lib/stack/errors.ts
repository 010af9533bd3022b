/**
 * A failure of `npm start` that a person can act on: its message is one line saying what is wrong and
 * what to do, and it is printed without a stack trace.
 */
export class StackError extends Error {
  override name = "StackError";
  constructor(
    message: string,
    /** The process exit code. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
