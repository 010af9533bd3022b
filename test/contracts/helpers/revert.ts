/** Revert data of failed calls and transactions, as hex. Registers no mocha test. */

/** The revert data (`0x…`) carried by an ethers / Hardhat error, or undefined when there is none. */
export function revertData(e: unknown, depth = 0): string | undefined {
  if (e === null || typeof e !== "object" || depth > 6) return undefined;
  const o = e as Record<string, unknown>;
  if (typeof o.data === "string" && /^0x[0-9a-fA-F]*$/.test(o.data)) return o.data;
  for (const key of ["error", "info", "cause", "data", "revert"]) {
    const found = revertData(o[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What a call did: returned `value`, or reverted with `data`. Any other failure (network, no data) throws. */
export type CallOutcome = { ok: true; value: unknown; data?: undefined } | { ok: false; data: string; value?: undefined };

/** Runs `call` (a static call or a view) and returns its outcome. */
export async function callOutcome(call: () => Promise<unknown>): Promise<CallOutcome> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    const data = revertData(e);
    if (data === undefined) throw e;
    return { ok: false, data: data.toLowerCase() };
  }
}
