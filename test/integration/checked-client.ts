/**
 * The shared typed client (shared/api/client.ts) for a gateway in another process, every reply checked
 * against its route contract as test/server/support/gateway.ts checks an in-process gateway's replies.
 * Registers no mocha test.
 */
import { createClient, type ApiClient } from "../../shared/api/client";
import { checkReply } from "../server/support/gateway";

const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  checkReply(String(init?.method ?? "GET"), new URL(String(input)).pathname, res.status, res.headers.get("content-type") ?? "", await res.clone().text());
  return res;
};

/** A typed client of the gateway at `baseUrl`, with `apiKey`. */
export const checkedClient = (baseUrl: string, apiKey?: string): ApiClient => createClient({ baseUrl, apiKey, fetch: checkedFetch });
