import { ANONYMOUS_ACTOR as ANONYMOUS } from "../../shared/domain";
import type { Journal } from "./journal";

interface Bucket {
  actor: string;
  source: string;
  minute: string;
  status: number;
  count: number;
  codes: Record<string, number>;
  paths: Set<string>;
}

/**
 * Every 401 and 403 is on the record, without letting anyone flood the log: failures are counted per
 * source address, actor (key id, or anonymous) and minute, and each minute's counts are written as one
 * entry when the minute is over (and when the gateway stops). Entries of anonymous callers never trigger
 * anchoring, so nothing an unauthenticated caller does makes the gateway send a transaction.
 * A crash loses at most the current minute's counts.
 */
export class AuthFailureLog {
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sandbox: Journal,
    private readonly opts: { now?: () => Date; flushEveryMs?: number; onError?: (e: unknown) => void } = {},
  ) {}

  record(f: { source: string; keyId: string | null; status: number; code: string; method: string; path: string }): void {
    const minute = (this.opts.now?.() ?? new Date()).toISOString().slice(0, 16);
    const actor = f.keyId ?? ANONYMOUS;
    const key = `${minute}|${f.source}|${actor}|${f.status}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = { actor, source: f.source, minute, status: f.status, count: 0, codes: {}, paths: new Set() };
      this.buckets.set(key, b);
    }
    b.count += 1;
    b.codes[f.code] = (b.codes[f.code] ?? 0) + 1;
    if (b.paths.size < 10) b.paths.add(`${f.method} ${f.path.slice(0, 120)}`);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(false), this.opts.flushEveryMs ?? 15_000);
    this.timer.unref();
  }

  /** Writes the buckets of minutes that are over (all of them when `all`). */
  flush(all = true): Promise<void> {
    const run = async () => {
      const current = (this.opts.now?.() ?? new Date()).toISOString().slice(0, 16);
      for (const [key, b] of [...this.buckets]) {
        if (!all && b.minute >= current) continue;
        this.buckets.delete(key);
        try {
          await this.sandbox.append({
            actor: b.actor,
            action: b.status === 401 ? "auth.failure" : "auth.forbidden",
            decision: "denied",
            payload: { source: b.source, minute: b.minute, status: b.status, count: b.count, codes: b.codes, paths: [...b.paths] },
          });
        } catch (e) {
          this.opts.onError?.(e);
        }
      }
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush(true);
  }
}
