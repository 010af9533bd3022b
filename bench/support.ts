/** What every benchmark script shares: its knobs from the environment, its progress lines, its figures. */

/** An integer knob from the environment (`BENCH_N=100_000`), or `fallback`; a bad value stops the run with its name. */
export function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return v;
}

/** A progress line with the time of day, so a long run shows where it is. */
export const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Nearest-rank percentile of an already sorted sample. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Nearest-rank percentile of a sample in any order. */
export const percentile = (sample: readonly number[], p: number) => percentileSorted([...sample].sort((a, b) => a - b), p);
