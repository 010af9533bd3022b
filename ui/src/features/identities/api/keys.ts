import { sha256Hex } from "../../../lib/files";

/**
 * An Idempotency-Key derived from what is sent: sending the same registration or action again (a retry
 * after a dropped connection, a CSV uploaded twice) is answered with the first outcome, never done twice.
 */
export async function contentKey(prefix: string, ...parts: unknown[]): Promise<string> {
  return `${prefix}-${(await sha256Hex(JSON.stringify(parts))).slice(2, 42)}`;
}

/** A date typed as YYYY-MM-DD (CSV) or any ISO date-time, as the ISO date-time with offset the API wants. */
export function isoDateTime(v: string): string {
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00Z`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
