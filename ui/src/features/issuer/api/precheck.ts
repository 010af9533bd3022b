/**
 * Pre-checks mint recipients before anything is submitted: the address's form and checksum, duplicates in
 * the list, and each one's identity (level, status, expiry) against the collection's minimum level, read
 * from GET /v1/accounts/:address?collection= (or GET /v1/identities/:address where the index is absent).
 */
import { ApiError, type ApiClient } from "../../../../../shared/api/client";
import { Address } from "../../../../../shared/api/common";
import type { IdentityView } from "../../../../../shared/api/identities";

export type RowProblem =
  | { kind: "invalid" }
  | { kind: "duplicate"; of: number }
  | { kind: "noIdentity" }
  | { kind: "status"; status: string }
  | { kind: "expired"; expiresAt: string }
  | { kind: "level"; level: number; required: number }
  | { kind: "refused"; reason: string }
  | { kind: "error"; error: unknown };

export interface RecipientRow {
  row: number;
  address: string;
  ok: boolean;
  level: number | null;
  expiresAt: string | null;
  problem: RowProblem | null;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

async function identityOf(api: ApiClient, address: string, collectionId: string): Promise<{ identity: IdentityView | null; canReceive: { ok: boolean; reason: string | null } | null }> {
  try {
    const account = await api.call("getAccount", { params: { address }, query: { collection: collectionId } });
    return { identity: account.identity, canReceive: account.canReceive };
  } catch (e) {
    if (!(e instanceof ApiError && e.code === "NOT_FOUND")) throw e;
  }
  // No index on this gateway: the identity alone.
  try {
    return { identity: await api.call("getIdentityOfWallet", { params: { address } }), canReceive: null };
  } catch (e) {
    if (e instanceof ApiError && e.code === "WALLET_NOT_LINKED") return { identity: null, canReceive: null };
    throw e;
  }
}

/** Addresses from pasted text or a CSV file: one per line, the first column; a first line that is not an address is a header. */
export function addressesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.split(/[,;\t]/)[0].trim().replace(/^"|"$/g, ""))
    .filter((a, i) => a !== "" && !(i === 0 && !/^0x/i.test(a)));
}

export async function precheckRecipients(api: ApiClient, addresses: readonly string[], collectionId: string, minLevel: number): Promise<RecipientRow[]> {
  const first = new Map<string, number>();
  const base = addresses.map((address, i): RecipientRow => {
    const row: RecipientRow = { row: i + 1, address, ok: false, level: null, expiresAt: null, problem: null };
    if (!Address.safeParse(address).success) return { ...row, problem: { kind: "invalid" } };
    const k = address.toLowerCase();
    const seen = first.get(k);
    if (seen !== undefined) return { ...row, problem: { kind: "duplicate", of: seen } };
    first.set(k, i + 1);
    return row;
  });
  return mapLimit(base, 4, async (row) => {
    if (row.problem) return row;
    try {
      const { identity, canReceive } = await identityOf(api, row.address, collectionId);
      if (!identity) return { ...row, problem: { kind: "noIdentity" } };
      const info = { ...row, level: identity.level, expiresAt: identity.expiresAt };
      if (identity.status !== "Active") return { ...info, problem: { kind: "status", status: identity.status } };
      if (identity.expired) return { ...info, problem: { kind: "expired", expiresAt: identity.expiresAt } };
      if (identity.level < minLevel) return { ...info, problem: { kind: "level", level: identity.level, required: minLevel } };
      if (canReceive && !canReceive.ok) return { ...info, problem: { kind: "refused", reason: canReceive.reason ?? "" } };
      return { ...info, ok: true };
    } catch (e) {
      return { ...row, problem: { kind: "error", error: e } };
    }
  });
}
