import { join } from "node:path";
import { AppError } from "../errors";
import { READY_CHECK, runTextCheck, type TextCheckTask } from "./text-checks";

/** Where the rules' text checks run: a pool of worker threads, or inline (threads = 0). */
export interface TextRunner {
  run(task: TextCheckTask, deadline: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Runs text checks on the calling thread (tests, COMPLIANCE_THREADS=0). The deadline is checked before. */
export function inlineTextRunner(): TextRunner {
  return {
    async run(task, deadline) {
      const timeoutMs = Math.max(0, deadline - Date.now());
      if (timeoutMs === 0) throw new AppError("COMPLIANCE_TIMEOUT", { timeoutMs: 0 });
      return runTextCheck(task);
    },
    async close() {},
  };
}

/**
 * A piscina pool of `threads` worker threads. Each check gets what is left of its request's time budget;
 * a check that overruns it is aborted (its thread is replaced) and the request answers 503
 * COMPLIANCE_TIMEOUT, so one request cannot stall the others. A thread loads the checks (through ts-node)
 * once, when it starts, which takes seconds on a busy machine: the first requests wait for a ready thread
 * without that wait counting against their budget.
 *
 * @example
 * const pool = textPool(2); await pool.run({ check: "privacy", args: [request, now] }, Date.now() + 5000);
 */
export function textPool(threads: number, budgetMs: number): TextRunner {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Piscina } = require("piscina") as typeof import("piscina");
  const pool = new Piscina({
    filename: join(__dirname, "text-worker.cjs"),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60 * 60_000,
  });
  const ready = pool.run({ check: READY_CHECK, args: [] });
  ready.catch(() => undefined); // a thread that cannot start fails the checks that wait for it
  return {
    async run(task, deadline) {
      const waitFrom = Date.now();
      await ready;
      const startup = Date.now() - waitFrom;
      const timeoutMs = Math.max(1, Math.min(budgetMs, deadline + startup - Date.now()));
      try {
        return await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (e) {
        if ((e as Error)?.name === "AbortError" || (e as Error)?.name === "TimeoutError") throw new AppError("COMPLIANCE_TIMEOUT", { timeoutMs: budgetMs }, { cause: e });
        throw e;
      }
    },
    close: () => pool.destroy(),
  };
}
