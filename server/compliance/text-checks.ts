import { financialTextFailures } from "./rules/anti-financialization";
import { bannedTermMatches } from "./rules/content-review";
import { personalDataFindings } from "./rules/privacy";

/**
 * The rules' pure text checks, by rule id: what the compliance worker threads run (text-worker.cjs), and
 * what the main thread runs when no pool is configured. Each takes plain JSON and returns plain JSON.
 */
export const TEXT_CHECKS: Record<string, (...args: never[]) => unknown> = {
  "content-review": bannedTermMatches,
  privacy: personalDataFindings,
  "anti-financialization": financialTextFailures,
};

export interface TextCheckTask {
  check: string;
  args: unknown[];
}

/** A task that only proves a worker thread has loaded the checks (see textPool). */
export const READY_CHECK = "ready";

/** Runs one text check (in a worker thread, or inline). */
export function runTextCheck(task: TextCheckTask): unknown {
  if (task.check === READY_CHECK) return true;
  const fn = TEXT_CHECKS[task.check] as ((...args: unknown[]) => unknown) | undefined;
  if (!fn) throw new Error(`no text check named ${task.check}`);
  return fn(...task.args);
}
