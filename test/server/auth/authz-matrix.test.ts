import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { API, type AnyContract } from "../../../shared/api";
import { ANONYMOUS_ACTOR } from "../../../shared/domain";
import { ALL_ROUTES } from "../../../server/app";
import { createApiKey } from "../../../server/auth/api-keys";
import { API_ROLES, type ApiKeyRecord, type ApiRole } from "../../../server/store/store";
import type { LogEntry } from "../../../server/store/store";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup, waitForJob } from "../support/issuer";
import { sampleRequest, type Candidates, type SampleRequest } from "../http/contract-samples";

/**
 * The authorization matrix, generated from the route contracts of shared/api (so a new route is covered
 * without touching this file): every route is called with a valid request (built from its schemas) and no
 * key, a malformed header, an unknown key, revoked keys and a key of each role. Protected routes answer 401
 * without a valid key, 403 ROLE_FORBIDDEN to a role they do not name, and neither 401 nor 403 (nor a 5xx)
 * to a role they name. Every 401 and 403 is on the sandbox log, counted per source, actor and minute.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
type Credential =
  | { kind: "missing" }
  | { kind: "malformed"; header: string }
  | { kind: "unknown" }
  | { kind: "revoked"; role: ApiRole }
  | { kind: "role"; role: ApiRole };

const CONTRACTS = Object.values(API) as AnyContract[];
const label = (c: AnyContract) => `${c.method.toUpperCase()} ${c.path}`;
/** /metrics is public at the route level: its handler takes METRICS_TOKEN or a key of these roles. */
const GUARDED_IN_HANDLER: Record<string, readonly ApiRole[]> = { "GET /metrics": ["admin", "regulator", "auditor"] };
const rolesOf = (c: AnyContract): readonly ApiRole[] | "public" => GUARDED_IN_HANDLER[label(c)] ?? c.roles;
const MALFORMED = ["Basic dXNlcjpwYXNzd29yZA==", "Bearer", "Bearer two tokens", "dar_admin_no_scheme", "Token abc"];

describe("gateway: authorization matrix (every route of shared/api × every credential)", function () {
  this.timeout(600_000);
  let gw: TestGateway;
  let fx: Fx;
  const keys = {} as Record<ApiRole, { token: string; record: ApiKeyRecord }>;
  const revoked = {} as Record<ApiRole, { token: string; record: ApiKeyRecord }>;
  let storedCid: string;
  let evidenceHash: string;
  let pendingKeyRequest: string;
  let tokenId: string;
  let jobId: string;
  let issuerForm: Awaited<ReturnType<typeof issuerSetup>>["form"];
  const rightRoleStatuses = new Map<string, number[]>();

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    // Privileged keys wait for a second admin here, so that the confirmation route has a request to confirm.
    gw = await startTestGateway(fx.deployment, { env: { KEY_CONFIRMATION: "required" } });
    for (const role of API_ROLES) {
      const wallet = role === "issuer" ? fx.accounts.issuer.address : undefined;
      keys[role] = await createApiKey(gw.services.store, { role, label: `matrix ${role}`, wallet });
      revoked[role] = await createApiKey(gw.services.store, { role, label: `matrix revoked ${role}`, wallet });
      expect(await gw.services.store.apiKeys.revoke(revoked[role].record.id, new Date().toISOString())).to.equal(true);
    }
    storedCid = await gw.services.ipfs.add(new TextEncoder().encode("authz matrix content 存证"));
    const issuer = await issuerSetup(gw, fx);
    issuerForm = issuer.form;
    // Collection 1, of the fixture's issuer (the matrix's issuer key acts for the same wallet).
    const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form: (await issuerForm("matrix-1")).form });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const mint = await gw.call("POST", "/v1/collections/1/mint", { token: issuer.token, json: { recipients: [fx.accounts.alice.address] }, headers: { "idempotency-key": "matrix-mint" } });
    expect(mint.status, JSON.stringify(mint.body)).to.equal(202);
    const job = await waitForJob(gw, issuer.token, mint.body.jobId);
    expect(job.state, JSON.stringify(job)).to.equal("done");
    jobId = job.id;
    tokenId = job.items[0].tokenId;
    const ev = new FormData();
    ev.set("data", JSON.stringify({ kind: "other", description: "matrix evidence" }));
    ev.set("file", new Blob([Buffer.from("matrix evidence file")]), "e.txt");
    const recorded = await gw.call("POST", "/v1/evidence", { token: keys.admin.token, form: ev });
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    evidenceHash = recorded.body.hash;
    // A privileged key requested by another administrator: the matrix's admin confirms it.
    const other = await gw.key("admin", { label: "second admin" });
    const requested = await gw.call("POST", "/v1/keys", { token: other, json: { role: "auditor", label: "requested by another admin" } });
    expect(requested.status, JSON.stringify(requested.body)).to.equal(201); // auditor keys are not privileged
    const privileged = await gw.call("POST", "/v1/keys", { token: other, json: { role: "regulator", label: "needs a second admin" } });
    expect(privileged.status, JSON.stringify(privileged.body)).to.equal(202);
    pendingKeyRequest = privileged.body.requestId;
  });

  after(async function () {
    if (rightRoleStatuses.size) {
      const lines = [...rightRoleStatuses.entries()].map(([route, statuses]) => `${route.padEnd(48)} ${statuses.join(" ")}`);
      console.log(`\n  statuses answered to the roles a route names (valid requests):\n  ${lines.join("\n  ")}\n`);
    }
    await gw?.close();
  });

  /** Candidate values by field name (each checked against the field's schema before use). */
  function candidates(c: AnyContract): Candidates {
    const { alice, bob, issuer } = fx.accounts;
    const fresh32 = () => `0x${randomBytes(32).toString("hex")}`;
    const base: Candidates = {
      address: () => [alice.address],
      identityId: () => [fx.ids.alice],
      hash: () => [evidenceHash],
      id: () => ["1", randomUUID()],
      did: () => [`did:dareg:31337:${fx.ids.alice}`],
      cid: () => [storedCid],
      seq: () => [1],
      q: () => ["1"],
      wallet: () => [ethers.Wallet.createRandom().address],
      receiver: () => [issuer.address],
      recipients: () => [[alice.address]],
      from: () => [1, bob.address],
      to: () => [1, alice.address],
      level: () => [2],
      jurisdiction: () => [156],
      kycEvidenceHash: () => [fresh32()],
      reason: () => ["authorization matrix: 审查 review"],
      tokenIds: () => [["1"]],
    };
    const overrides: Record<string, Candidates> = {
      "POST /v1/identities": { identityId: () => [fresh32()] },
      "POST /v1/keys/requests/:id/confirm": { id: () => [pendingKeyRequest] },
      "GET /v1/jobs/:id": { id: () => [jobId] },
      "POST /v1/regulator/tokens/:id/force-transfer": { id: () => [tokenId], from: () => [alice.address], to: () => [bob.address] },
      "POST /v1/regulator/takedown": { tokenIds: () => [[tokenId]] },
    };
    const tokenRoute: Candidates = c.path.includes("/tokens/:id") ? { id: () => [tokenId] } : {};
    return { ...base, ...tokenRoute, ...overrides[label(c)] };
  }

  /** A valid request; the collection routes get a compliant collection (media, recorded copyright evidence). */
  async function validRequest(c: AnyContract): Promise<SampleRequest> {
    const sample = sampleRequest(c, candidates(c));
    if (label(c) === "POST /v1/collections" || label(c) === "POST /v1/collections/check") {
      return { ...sample, form: (await issuerForm(`matrix-${randomUUID()}`)).form };
    }
    return sample;
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

  /** What a protected route answers to a credential: a refusal (status, code, actor), or undefined when allowed. */
  function expected(roles: readonly ApiRole[], cred: Credential): { status: 401 | 403; code: string; actor: string } | undefined {
    switch (cred.kind) {
      case "missing":
        return { status: 401, code: "AUTH_MISSING", actor: ANONYMOUS_ACTOR };
      case "malformed":
        return { status: 401, code: "AUTH_MALFORMED", actor: ANONYMOUS_ACTOR };
      case "unknown":
        return { status: 401, code: "AUTH_INVALID", actor: ANONYMOUS_ACTOR };
      case "revoked":
        return { status: 401, code: "AUTH_REVOKED", actor: revoked[cred.role].record.id };
      case "role":
        return roles.includes(cred.role) ? undefined : { status: 403, code: "ROLE_FORBIDDEN", actor: keys[cred.role].record.id };
    }
  }

  function credentialsFor(roles: readonly ApiRole[] | "public"): Credential[] {
    const allowed = roles === "public" ? API_ROLES : roles;
    return [
      { kind: "missing" },
      ...MALFORMED.map((header) => ({ kind: "malformed" as const, header })),
      { kind: "unknown" },
      // a revoked key whose role would be allowed here, and one whose role would not: revocation comes first
      { kind: "revoked", role: allowed[0] },
      ...API_ROLES.filter((r) => !allowed.includes(r)).slice(0, 1).map((role) => ({ kind: "revoked" as const, role })),
      ...API_ROLES.map((role) => ({ kind: "role" as const, role })),
    ];
  }

  /** The auth entries written since `afterSeq`, once the aggregated counts are flushed. */
  async function authEntriesAfter(afterSeq: number): Promise<LogEntry[]> {
    await gw.services.authFailures.flush(true);
    const failures = await gw.services.store.log.list({ action: "auth.failure", afterSeq });
    const forbidden = await gw.services.store.log.list({ action: "auth.forbidden", afterSeq });
    return [...failures, ...forbidden];
  }

  it("mounts every route contract of shared/api exactly once, and nothing else", () => {
    const mounted = ALL_ROUTES.map((r) => r.contract);
    expect(mounted.map(label).sort()).to.deep.equal(CONTRACTS.map(label).sort());
    for (const c of CONTRACTS) expect(mounted.filter((m) => m === c), label(c)).to.have.length(1);
  });

  it("every protected route names known roles, and every role is used", () => {
    const used = new Set<ApiRole>();
    for (const c of CONTRACTS) {
      const roles = rolesOf(c);
      if (roles === "public") continue;
      expect(roles, label(c)).to.be.an("array").that.is.not.empty;
      for (const role of roles) {
        expect(API_ROLES, `${label(c)} names unknown role ${role}`).to.include(role);
        used.add(role);
      }
    }
    expect([...used].sort()).to.deep.equal([...API_ROLES].sort());
  });

  for (const contract of CONTRACTS) {
    const roles = rolesOf(contract);
    const title = roles === "public" ? `${label(contract)} [public]` : `${label(contract)} [${roles.join(", ")}]`;
    it(title, async () => {
      await gw.services.authFailures.flush(true);
      const lastSeq = (await gw.services.store.log.last())?.seq ?? 0;
      const problems: string[] = [];
      const refusals: Array<{ status: number; code: string; actor: string }> = [];
      const statuses: number[] = [];
      for (const cred of credentialsFor(roles)) {
        const req = await validRequest(contract);
        const res = await gw.call(contract.method.toUpperCase(), req.path, { json: req.json, form: req.form, headers: { ...req.headers, ...headersOf(cred) } });
        const what = `${describeCred(cred)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
        if (res.status >= 500 && !(contract.path === "/healthz" && res.status === 503)) problems.push(`server error: ${what}`);
        const want = roles === "public" ? undefined : expected(roles, cred);
        if (!want) {
          if (res.status === 401 || res.status === 403) problems.push(`${roles === "public" ? "public route" : "allowed role"} refused: ${what}`);
          const success = [contract.status ?? 200, ...Object.keys(contract.alternatives ?? {}).map(Number)];
          if (!success.includes(res.status) && ![400, 404, 409, 422].includes(res.status)) problems.push(`unexpected status: ${what}`);
          if (cred.kind === "role") statuses.push(res.status);
          continue;
        }
        if (res.status !== want.status || res.body?.error?.code !== want.code) problems.push(`expected ${want.status} ${want.code}: ${what}`);
        const err = res.body?.error;
        if (!err || typeof err.message !== "string" || !("details" in err)) problems.push(`error body shape: ${what}`);
        refusals.push(want);
      }
      rightRoleStatuses.set(label(contract), statuses);

      // On the record: per actor and status, the count and codes of the refusals, with this route's path.
      const entries = await authEntriesAfter(lastSeq);
      const tally = (items: Array<{ status: number; code: string; actor: string }>) => {
        const out: Record<string, Record<string, number>> = {};
        for (const r of items) {
          const k = `${r.actor} ${r.status}`;
          out[k] ??= {};
          out[k][r.code] = (out[k][r.code] ?? 0) + 1;
        }
        return out;
      };
      const logged: Record<string, Record<string, number>> = {};
      for (const e of entries) {
        const p = e.payload as { status: number; count: number; codes: Record<string, number>; paths: string[] };
        expect(e.decision).to.equal("denied");
        expect(e.action).to.equal(p.status === 401 ? "auth.failure" : "auth.forbidden");
        expect(p.count).to.equal(Object.values(p.codes).reduce((a, b) => a + b, 0));
        expect(p.paths, JSON.stringify(p)).to.deep.equal([`${contract.method.toUpperCase()} ${contract.path}`]);
        const k = `${e.actor} ${p.status}`;
        logged[k] ??= {};
        for (const [code, n] of Object.entries(p.codes)) logged[k][code] = (logged[k][code] ?? 0) + n;
      }
      expect(logged, `${label(contract)}: auth entries on the sandbox log`).to.deep.equal(tally(refusals));
      expect(problems, `${label(contract)}:\n  ${problems.join("\n  ")}`).to.deep.equal([]);
    });
  }

  it("a key revoked through the API is refused at once, and the refusal names the key", async () => {
    const { token, record } = await createApiKey(gw.services.store, { role: "auditor", label: "to revoke" });
    const lastSeq = (await gw.services.store.log.last())?.seq ?? 0;
    const forbidden = await gw.call("GET", "/v1/sandbox/verify", { token });
    expect(forbidden.status).to.equal(403); // auditors may not read the sandbox verification
    expect(forbidden.body.error).to.include({ code: "ROLE_FORBIDDEN" });
    expect(forbidden.body.error.params.required).to.deep.equal(["regulator", "admin"]);
    const rev = await gw.call("POST", `/v1/keys/${record.id}/revoke`, { token: keys.admin.token });
    expect(rev.status, JSON.stringify(rev.body)).to.equal(200);
    expect(rev.body).to.deep.equal({ id: record.id, revoked: true });
    const res = await gw.call("GET", `/v1/identities/${fx.accounts.alice.address}`, { token });
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal("AUTH_REVOKED");
    const entries = (await authEntriesAfter(lastSeq)).filter((e) => e.actor === record.id);
    expect(entries.map((e) => [e.action, (e.payload as { codes: unknown }).codes])).to.have.deep.members([
      ["auth.forbidden", { ROLE_FORBIDDEN: 1 }],
      ["auth.failure", { AUTH_REVOKED: 1 }],
    ]);
  });
});
