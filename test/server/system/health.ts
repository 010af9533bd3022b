/**
 * GET /healthz, its body parsed with the route contract (200 and 503 both answer a Health body; the shared
 * test client takes every status ≥ 400 for an error body). Registers no mocha test.
 */
import { API } from "../../../shared/api";
import type { Health } from "../../../shared/api/system";

export async function getHealth(gw: { url: string }): Promise<{ status: number; body: Health; headers: Headers }> {
  const res = await fetch(`${gw.url}/healthz`);
  const schema = res.status === 200 ? API.health.response : API.health.alternatives?.[res.status];
  if (!schema) throw new Error(`/healthz answered ${res.status}, a status its contract does not declare`);
  return { status: res.status, body: schema.parse(await res.json()) as Health, headers: res.headers };
}
