import { formatError } from "../../shared/errors";
import { ChainRevertError } from "../errors";
import type { Services } from "../services";
import { parseTokenId } from "./token-id";

/**
 * POST /v1/tokens/:id/transfer-check: may this token go to `to` now? Runs the contract's own pre-flight
 * (CollectibleRights.checkTransfer, the same rule code as a transfer), so the answer is the very error a
 * transfer would revert with, in words, in both languages.
 *
 * @example
 * const { ok, error } = await transferCheck(services, "18446744073709551617", { to: "0x…" });
 */
export async function transferCheck(services: Pick<Services, "chain">, id: string, p: { from?: string; to: string }) {
  const { chain } = services;
  const { tokenId } = parseTokenId(id);
  const state = await chain.read(() => chain.rights.tokenState(tokenId));
  const from = p.from ?? state.owner;
  const data = chain.encode("rights", "checkTransfer", [from, p.to, tokenId]);
  try {
    await chain.read(() => chain.provider.call({ to: chain.addressOf("rights"), data }));
    return { ok: true, tokenId: tokenId.toString(), from, to: p.to, error: null };
  } catch (e) {
    if (!(e instanceof ChainRevertError)) throw e;
    return {
      ok: false,
      tokenId: tokenId.toString(),
      from,
      to: p.to,
      error: {
        name: e.errorName,
        code: e.code,
        params: e.params,
        message: e.message,
        messageZh: formatError(e.code, e.params, "zh"),
        messageEn: formatError(e.code, e.params, "en"),
      },
    };
  }
}
