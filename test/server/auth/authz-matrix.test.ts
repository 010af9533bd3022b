import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { z } from "zod";
import { ALL_ROUTES } from "../../../server/app";
import { createApiKey } from "../../../server/auth/api-keys";
import type { AnyRoute } from "../../../server/http/route";
import { API_ROLES, type ApiKeyRecord, type ApiRole } from "../../../server/store/store";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * The authorization matrix: every route of ALL_ROUTES (so a new route is covered without touching this
 * file) is called without a key, with a malformed header, an unknown key, a revoked key and a key of
 * each role. Every 401/403 must also land in the sandbox log as an `auth.failure` entry.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
type Credential =
  | { kind: "missing" }
  | { kind: "malformed"; header: string }
  | { kind: "unknown" }
  | { kind: "revoked"; role: ApiRole }
  | { kind: "role"; role: ApiRole };

interface Outcome {
  status: number;
  code?: string;
}

const isProtected = (r: AnyRoute): r is AnyRoute & { roles: readonly ApiRole[] } => r.roles !== "public";
const label = (r: AnyRoute) => `${r.method.toUpperCase()} ${r.path}`;
/** Whether `schema` accepts `v` (a schema that throws on some input, as a refine may, does not). */
const accepts = (schema: z.ZodType, v: unknown) => {
  try {
    return schema.safeParse(v).success;
  } catch {
    return false;
  }
};
const paramNames = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);

describe("gateway: authorization matrix (every route × every credential)", function () {
  this.timeout(300_000);
  let gw: TestGateway;
  let fx: Fx;
  const keys = {} as Record<ApiRole, { token: string; record: ApiKeyRecord }>;
  const revoked = {} as Record<ApiRole, { token: string; record: ApiKeyRecord }>;
  let samples: Record<string, string[]>;
  let storedCid: string;

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
    for (const role of API_ROLES) {
      const wallet = role === "issuer" ? fx.accounts.issuer.address : undefined;
      keys[role] = await createApiKey(gw.services.store, { role, label: `matrix ${role}`, wallet });
      revoked[role] = await createApiKey(gw.services.store, { role, label: `matrix revoked ${role}`, wallet });
      expect(await gw.services.store.apiKeys.revoke(revoked[role].record.id, new Date().toISOString())).to.equal(true);
    }
    storedCid = await gw.services.ipfs.add(new TextEncoder().encode("authz matrix content 存证"));
    // Syntactically valid values per path parameter name; the first one the route's params schema accepts is used.
    samples = {
      address: [fx.accounts.alice.address],
      identityId: [fx.ids.alice],
      hash: [ethers.id("authz-matrix")],
      id: ["1", randomUUID()], // collection and token ids are decimal; job and key ids are uuids
      did: [`did:dareg:31337:${fx.ids.alice}`],
      cid: [storedCid],
    };
  });
  after(async () => gw?.close());

  /** The concrete path of a route, each :param replaced by a value its zod params schema accepts. */
  function concretePath(route: AnyRoute): string {
    const names = paramNames(route.path);
    const values: Record<string, string> = {};
    const shape = (route.params as z.ZodObject | undefined)?.shape as Record<string, z.ZodType> | undefined;
    for (const name of names) {
      const candidates = [
        ...(samples[name] ?? []),
        // unknown parameter name: try every sample we have
        ...Object.values(samples).flat(),
      ];
      const ok = candidates.find((c) => !shape?.[name] || accepts(shape[name], c));
      if (ok === undefined) throw new Error(`${label(route)}: no sample value for :${name}; add one to the samples table`);
      values[name] = ok;
    }
    if (route.params) {
      const parsed = route.params.safeParse(values);
      expect(parsed.success, `${label(route)}: sample params ${JSON.stringify(values)} rejected by the route's schema`).to.equal(true);
    }
    return route.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(values[name]));
  }

  /** A harmless body: an empty JSON object, or a multipart form with `data: {}` and no files. */
  function bodyOf(route: AnyRoute): { json?: unknown; form?: FormData } {
    if (route.method === "get" || route.method === "delete") return {};
    if (route.multipart) {
      const form = new FormData();
      form.set("data", "{}");
      return { form };
    }
    return route.body ? { json: {} } : {};
  }

  function headersOf(cred: Credential): Record<string, string> {
    switch (cred.kind) {
      case "missing":
        return {};
      case "malformed":
        return { authorization: cred.header };
      case "unknown":
        return { authorization: `Bearer dar_admin_${randomBytes(24).toString("base64url")}` };
      case "revoked":
        return { authorization: `Bearer ${revoked[cred.role].token}` };
      case "role":
        return { authorization: `Bearer ${keys[cred.role].token}` };
    }
  }

  const describeCred = (c: Credential) => (c.kind === "role" || c.kind === "revoked" ? `${c.kind}:${c.role}` : c.kind === "malformed" ? `malformed(${c.header})` : c.kind);

  /** What a protected route must answer for a credential; undefined: anything but 401/403/5xx. */
  function expected(route: AnyRoute & { roles: readonly ApiRole[] }, cred: Credential): (Outcome & { actor: string }) | undefined {
    switch (cred.kind) {
      case "missing":
        return { status: 401, code: "AUTH_MISSING", actor: "anonymous" };
      case "malformed":
        return { status: 401, code: "AUTH_MALFORMED", actor: "anonymous" };
      case "unknown":
        return { status: 401, code: "AUTH_INVALID", actor: "anonymous" };
      case "revoked":
        return { status: 401, code: "AUTH_REVOKED", actor: revoked[cred.role].record.id };
      case "role":
        return route.roles.includes(cred.role) ? undefined : { status: 403, code: "ROLE_FORBIDDEN", actor: keys[cred.role].record.id };
    }
  }

  const MALFORMED = ["Basic dXNlcjpwYXNzd29yZA==", "Bearer", "Bearer two tokens", "dar_admin_no_scheme", "Token abc"];

  function credentialsFor(route: AnyRoute): Credential[] {
    const allowed = isProtected(route) ? route.roles : API_ROLES;
    return [
      { kind: "missing" },
      ...MALFORMED.map((header) => ({ kind: "malformed" as const, header })),
      { kind: "unknown" },
      // revoked keys whose role would be allowed here and one whose role would not: revocation comes first
      { kind: "revoked", role: allowed[0] },
      ...API_ROLES.filter((r) => !allowed.includes(r)).slice(0, 1).map((role) => ({ kind: "revoked" as const, role })),
      ...API_ROLES.map((role) => ({ kind: "role" as const, role })),
    ];
  }

  it("the route table is non-empty, every protected route names known roles, and every role is used", () => {
    expect(ALL_ROUTES.length).to.be.greaterThan(10);
    const used = new Set<ApiRole>();
    for (const r of ALL_ROUTES) {
      if (!isProtected(r)) continue;
      expect(r.roles, label(r)).to.be.an("array").that.is.not.empty;
      for (const role of r.roles) {
        expect(API_ROLES, `${label(r)} names unknown role ${role}`).to.include(role);
        used.add(role);
      }
    }
    expect([...used].sort()).to.deep.equal([...API_ROLES].sort());
    // every (method, path) appears once
    const seen = ALL_ROUTES.map(label);
    expect(new Set(seen).size, "duplicate routes").to.equal(seen.length);
  });

  for (const route of ALL_ROUTES) {
    const title = isProtected(route) ? `${label(route)} [${route.roles.join(", ")}]` : `${label(route)} [public]`;
    it(title, async () => {
      const path = concretePath(route);
      const problems: string[] = [];
      for (const cred of credentialsFor(route)) {
        const lastSeq = (await gw.services.store.log.last())?.seq ?? 0;
        const res = await gw.call(route.method.toUpperCase(), path, { ...bodyOf(route), headers: headersOf(cred) });
        const what = `${describeCred(cred)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
        const after = await gw.services.store.log.list({ action: "auth.failure", afterSeq: lastSeq });

        if (res.status >= 500 && !(route.path === "/healthz" && res.status === 503)) problems.push(`server error: ${what}`);
        if (!isProtected(route)) {
          if (res.status === 401 || res.status === 403) problems.push(`public route refused: ${what}`);
          if (after.length) problems.push(`public route wrote auth.failure: ${what}`);
          continue;
        }
        const want = expected(route, cred);
        if (!want) {
          if (res.status === 401 || res.status === 403) problems.push(`allowed role refused: ${what}`);
          else if (res.status >= 400 && ![400, 404, 409, 413, 415, 422].includes(res.status)) problems.push(`unexpected status: ${what}`);
          if (after.length) problems.push(`allowed role wrote auth.failure: ${what}`);
          continue;
        }
        if (res.status !== want.status || res.body?.error?.code !== want.code) {
          problems.push(`expected ${want.status} ${want.code}: ${what}`);
        }
        const err = res.body?.error;
        if (!err || typeof err.message !== "string" || !("details" in err)) problems.push(`error body shape: ${what}`);
        // The failure is in the sandbox log, with the right code, status, method, path and actor.
        if (after.length !== 1) {
          problems.push(`expected exactly one new auth.failure log entry, got ${after.length}: ${what}`);
        } else {
          const entry = after[0];
          const payload = entry.payload as { code: string; status: number; method: string; path: string };
          const got = { code: payload.code, status: payload.status, method: payload.method, path: payload.path, actor: entry.actor, decision: entry.decision };
          const wanted = { code: want.code, status: want.status, method: route.method.toUpperCase(), path, actor: want.actor, decision: "denied" };
          if (JSON.stringify(got) !== JSON.stringify(wanted)) {
            problems.push(`log entry ${JSON.stringify(got)} != ${JSON.stringify(wanted)} for ${what}`);
          }
        }
      }
      expect(problems, `${label(route)} at ${path}:\n  ${problems.join("\n  ")}`).to.deep.equal([]);
    });
  }

  it("a key revoked through the API is refused at once, and the refusal names the key", async () => {
    const { token, record } = await createApiKey(gw.services.store, { role: "auditor", label: "to revoke" });
    const ok = await gw.call("GET", "/v1/sandbox/verify", { token });
    expect(ok.status).to.equal(403); // auditors may not read the sandbox verification
    const rev = await gw.call("POST", `/v1/keys/${record.id}/revoke`, { token: keys.admin.token });
    expect(rev.status, JSON.stringify(rev.body)).to.equal(200);
    const res = await gw.call("GET", `/v1/identities/${fx.accounts.alice.address}`, { token });
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal("AUTH_REVOKED");
    const entries = await gw.services.store.log.list({ action: "auth.failure", actor: record.id });
    expect(entries.map((e) => (e.payload as { code: string }).code)).to.deep.equal(["ROLE_FORBIDDEN", "AUTH_REVOKED"]);
  });
});
