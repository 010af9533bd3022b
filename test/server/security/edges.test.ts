import { randomBytes } from "node:crypto";
import { request as httpRequest, type ClientRequest } from "node:http";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { UploadGate } from "../../../server/http/route";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

/**
 * Issue 14, finding 10 (and the header part of finding 8): security headers on every response, JSON parsed
 * only after authentication, uploads streamed to disk under a size cap and a bounded number at once (the rest
 * wait their turn), rate limits per source address and per key answered with 429 and Retry-After, and
 * /metrics behind a token or on its own listener.
 */

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

/** What helmet sets on every answer of the app (the CSP of /ipfs/ is the stricter sandbox). */
const SECURITY_HEADERS: Record<string, string | RegExp> = {
  "content-security-policy": /default-src 'self'|^sandbox;/,
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "strict-transport-security": /max-age=\d+/,
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

function expectSecurityHeaders(what: string, headers: Headers) {
  for (const [name, want] of Object.entries(SECURITY_HEADERS)) {
    const got = headers.get(name);
    expect(got, `${what}: ${name}`).to.be.a("string");
    if (typeof want === "string") expect(got, `${what}: ${name}`).to.equal(want);
    else expect(got, `${what}: ${name}`).to.match(want);
  }
  expect(headers.get("x-powered-by"), `${what}: x-powered-by`).to.equal(null);
  expect(headers.get("x-request-id"), `${what}: x-request-id`).to.be.a("string");
}

const BOUNDARY = "heldUploadBoundary93xQ";
/** The multipart body of POST /v1/verify with one file, split where the file's bytes begin. */
function verifyBody(bytes: Uint8Array): [Buffer, Buffer] {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return [head, Buffer.concat([Buffer.from(bytes), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)])];
}

interface HeldUpload {
  /** Sends the rest of the body. */
  finish(): void;
  /** The status, once answered. */
  answered: Promise<number>;
  /** Whether it has been answered yet. */
  done(): boolean;
  req: ClientRequest;
}

/** An upload whose body is sent only in part until `finish()`: it holds an upload slot meanwhile. */
function heldUpload(gw: TestGateway, token: string): HeldUpload {
  const [head, rest] = verifyBody(randomBytes(256));
  const url = new URL(`${gw.url}/v1/verify`);
  let done = false;
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "transfer-encoding": "chunked" },
  });
  const answered = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        done = true;
        resolve(res.statusCode ?? 0);
      });
    });
    req.on("error", reject);
  });
  req.write(head);
  return {
    finish: () => req.end(rest),
    answered,
    done: () => done,
    req,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("gateway edges: headers, parsing after auth, upload limits, rate limits, /metrics", function () {
  this.timeout(180_000);
  let fx: Fx;

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
  });

  describe("security headers and JSON parsed only after authentication", function () {
    let gw: TestGateway;
    let admin: string;
    let auditor: string;
    before(async function () {
      gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { METRICS_TOKEN: "metrics-token-0123456789" } });
      admin = await gw.key("admin");
      auditor = await gw.key("auditor");
    });
    after(async () => gw?.close());

    it("every kind of answer carries the security headers and no x-powered-by", async function () {
      const cid = await gw.services.ipfs.add(new TextEncoder().encode("headers"));
      const answers: Array<[string, { status: number; headers: Headers }]> = [
        ["healthz", await gw.call("GET", "/healthz")],
        ["public JSON", await gw.call("GET", "/v1/network")],
        ["OpenAPI", await gw.call("GET", "/v1/openapi.json")],
        ["404", await gw.call("GET", "/no/such/route")],
        ["401", await gw.call("GET", "/v1/keys")],
        ["403", await gw.call("GET", "/v1/keys", { token: auditor })],
        ["400", await gw.call("POST", "/v1/keys", { token: admin, json: { role: "nobody" } })],
        ["415", await fetch(`${gw.url}/v1/keys`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "text/plain" }, body: "role=admin" })],
        ["IPFS content", await gw.call("GET", `/ipfs/${cid}`)],
        ["metrics", await gw.call("GET", "/metrics", { headers: { authorization: "Bearer metrics-token-0123456789" } })],
        ["a stream (CSV export)", await gw.call("GET", "/v1/sandbox/export?format=csv", { token: admin })],
      ];
      for (const [what, res] of answers) expectSecurityHeaders(`${what} (${res.status})`, res.headers);
      expect(answers.map(([, r]) => r.status)).to.deep.equal([200, 200, 200, 404, 401, 403, 400, 415, 200, 200, 200]);
      // The console's policy: nothing but this origin, no framing.
      const csp = answers[1][1].headers.get("content-security-policy")!;
      expect(csp).to.include("default-src 'self'").and.to.include("frame-ancestors 'none'").and.to.include("object-src 'none'").and.to.include("script-src 'self'");
    });

    it("an unauthenticated body is never parsed: huge or invalid JSON without a key is 401, not 413 or 400", async function () {
      const huge = JSON.stringify({ role: "admin", label: "x".repeat(5 * 1024 * 1024) });
      for (const [what, body] of [
        ["5 MB of JSON", huge],
        ["invalid JSON", '{"role": "admin", '],
        ["JSON nested 100,000 deep", "[".repeat(100_000)],
      ] as const) {
        const res = await fetch(`${gw.url}/v1/keys`, { method: "POST", headers: { "content-type": "application/json" }, body });
        const json = (await res.json()) as { error: { code: string } };
        expect(res.status, what).to.equal(401);
        expect(json.error.code, what).to.equal("AUTH_MISSING");
        // …nor with a key of the wrong role: 403 before the body is read.
        const forbidden = await fetch(`${gw.url}/v1/keys`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${auditor}` }, body });
        expect(forbidden.status, what).to.equal(403);
        expect(((await forbidden.json()) as { error: { code: string } }).error.code).to.equal("ROLE_FORBIDDEN");
      }
      // With the right key the body is read, and judged.
      const tooLarge = await gw.call("POST", "/v1/keys", { token: admin, headers: { "content-type": "application/json" }, json: JSON.parse(huge) });
      expect(tooLarge.status).to.equal(413);
      expect(tooLarge.body.error).to.include({ code: "BODY_TOO_LARGE" });
      expect(tooLarge.body.error.params).to.deep.equal({ limit: 1024 * 1024 });
      const invalid = await fetch(`${gw.url}/v1/keys`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${admin}` }, body: '{"role": "admin", ' });
      expect(invalid.status).to.equal(400);
      expect(((await invalid.json()) as { error: { code: string } }).error.code).to.equal("MALFORMED_JSON");
    });

    it("an unauthenticated upload is refused before its body is read or stored", async function () {
      const form = new FormData();
      form.set("file", new Blob([randomBytes(2 * 1024 * 1024)]), "big.bin");
      const res = await gw.call("POST", "/v1/verify", { form });
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal("AUTH_MISSING");
    });
  });

  describe("uploads: a size cap, and a bounded number at once", function () {
    let gw: TestGateway;
    let auditor: string;
    const MAX_FILE_BYTES = 64 * 1024;
    before(async function () {
      gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { MAX_FILE_BYTES: String(MAX_FILE_BYTES), MAX_CONCURRENT_UPLOADS: "2" } });
      auditor = await gw.key("auditor");
    });
    after(async () => gw?.close());

    it("a file over MAX_FILE_BYTES is 413 FILE_TOO_LARGE naming the part and the limit; one at the limit is read", async function () {
      const over = new FormData();
      over.set("file", new Blob([randomBytes(MAX_FILE_BYTES + 1)]), "over.bin");
      const res = await gw.call("POST", "/v1/verify", { token: auditor, form: over });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal("FILE_TOO_LARGE");
      expect(res.body.error.params).to.deep.equal({ field: "file", limit: MAX_FILE_BYTES });
      const at = new FormData();
      at.set("file", new Blob([randomBytes(MAX_FILE_BYTES)]), "at.bin");
      const ok = await gw.call("POST", "/v1/verify", { token: auditor, form: at });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body.registered).to.equal(false);
    });

    it("uploads beyond MAX_CONCURRENT_UPLOADS wait their turn, then proceed", async function () {
      const held = [heldUpload(gw, auditor), heldUpload(gw, auditor)];
      await sleep(1_000); // both reach the gateway and take the two slots
      const waiting = [0, 1, 2].map(() => {
        const form = new FormData();
        form.set("file", new Blob([randomBytes(1_000)]), "w.bin");
        let answered = false;
        const p = gw.call("POST", "/v1/verify", { token: auditor, form }).then((r) => {
          answered = true;
          return r;
        });
        return { p, answered: () => answered };
      });
      await sleep(1_500);
      expect(waiting.map((w) => w.answered()), "no upload is let in while both slots are held").to.deep.equal([false, false, false]);
      expect(held.map((h) => h.done())).to.deep.equal([false, false]);
      for (const h of held) h.finish();
      expect(await Promise.all(held.map((h) => h.answered))).to.deep.equal([200, 200]);
      const results = await Promise.all(waiting.map((w) => w.p));
      expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200]);
    });
  });

  describe("uploads: a queue that is full answers 429 UPLOADS_BUSY with Retry-After", function () {
    let gw: TestGateway;
    let auditor: string;
    before(async function () {
      gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { MAX_CONCURRENT_UPLOADS: "1" } });
      auditor = await gw.key("auditor");
    });
    after(async () => gw?.close());

    it("one in progress and sixteen waiting: the next is refused at once, and the others all proceed", async function () {
      const held = [heldUpload(gw, auditor)];
      await sleep(500);
      for (let i = 0; i < 16; i++) held.push(heldUpload(gw, auditor));
      await sleep(1_500); // all sixteen are queued behind the first
      const form = new FormData();
      form.set("file", new Blob([randomBytes(100)]), "late.bin");
      const refused = await gw.call("POST", "/v1/verify", { token: auditor, form });
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal("UPLOADS_BUSY");
      expect(refused.headers.get("retry-after")).to.equal("2");
      expect(refused.body.error.message).to.equal("Too many uploads at once: retry after 2 s.");
      for (const h of held) h.finish();
      const statuses = await Promise.all(held.map((h) => h.answered));
      expect(statuses).to.deep.equal(new Array(17).fill(200));
    });
  });

  describe("rate limits", function () {
    it("per source address: beyond RATE_LIMIT_PER_IP a minute, 429 RATE_LIMITED with Retry-After, on public routes too", async function () {
      const gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { RATE_LIMIT_PER_IP: "20" } });
      try {
        const statuses: number[] = [];
        let limited: { status: number; body: any; headers: Headers } | undefined;
        for (let i = 0; i < 25; i++) {
          const r = await gw.call("GET", "/v1/network");
          statuses.push(r.status);
          if (r.status === 429) limited ??= r;
        }
        expect(statuses.slice(0, 20)).to.deep.equal(new Array(20).fill(200));
        expect(statuses.slice(20)).to.deep.equal(new Array(5).fill(429));
        expect(limited!.body.error.code).to.equal("RATE_LIMITED");
        const retryAfter = Number(limited!.headers.get("retry-after"));
        expect(retryAfter).to.be.within(1, 60);
        expect(limited!.body.error.params).to.deep.equal({ retryAfter });
        expectSecurityHeaders("429", limited!.headers);
        // A flood of unauthenticated requests is limited the same way.
        const anon = await gw.call("GET", "/v1/keys");
        expect(anon.status).to.equal(429);
      } finally {
        await gw.close();
      }
    });

    it("per API key: beyond RATE_LIMIT_PER_KEY a minute that key gets 429, another key is still served", async function () {
      const gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { RATE_LIMIT_PER_IP: "1000", RATE_LIMIT_PER_KEY: "10" } });
      try {
        const [busy, other] = [await gw.key("auditor"), await gw.key("auditor")];
        const statuses: number[] = [];
        let limited: { status: number; body: any; headers: Headers } | undefined;
        for (let i = 0; i < 12; i++) {
          const r = await gw.call("GET", "/v1/keys/me", { token: busy });
          statuses.push(r.status);
          if (r.status === 429) limited ??= r;
        }
        expect(statuses).to.deep.equal([...new Array(10).fill(200), 429, 429]);
        expect(limited!.body.error.code).to.equal("RATE_LIMITED");
        expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 60);
        const fine = await gw.call("GET", "/v1/keys/me", { token: other });
        expect(fine.status).to.equal(200);
        // Public routes are limited per address only.
        expect((await gw.call("GET", "/v1/network")).status).to.equal(200);
      } finally {
        await gw.close();
      }
    });
  });

  describe("/metrics", function () {
    it("needs METRICS_TOKEN or an admin, regulator or auditor key", async function () {
      const token = "scraper-token-abcdefghijkl";
      const gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { METRICS_TOKEN: token } });
      try {
        const none = await gw.call("GET", "/metrics");
        expect([none.status, none.body.error.code]).to.deep.equal([401, "AUTH_MISSING"]);
        const malformed = await gw.call("GET", "/metrics", { headers: { authorization: token } });
        expect([malformed.status, malformed.body.error.code]).to.deep.equal([401, "AUTH_MALFORMED"]);
        const wrong = await gw.call("GET", "/metrics", { headers: { authorization: `Bearer ${token}x` } });
        expect([wrong.status, wrong.body.error.code]).to.deep.equal([401, "AUTH_INVALID"]);
        const issuer = await gw.call("GET", "/metrics", { token: await gw.key("issuer", { wallet: fx.accounts.issuer.address }) });
        expect([issuer.status, issuer.body.error.code]).to.deep.equal([403, "ROLE_FORBIDDEN"]);
        for (const auth of [token, await gw.key("auditor"), await gw.key("regulator"), await gw.key("admin")]) {
          const ok = await gw.call("GET", "/metrics", { headers: { authorization: `Bearer ${auth}` } });
          expect(ok.status).to.equal(200);
          expect(ok.headers.get("content-type")).to.match(/^text\/plain/);
          expect(ok.body).to.include("# TYPE");
        }
      } finally {
        await gw.close();
      }
    });

    it("with METRICS_PORT, a separate listener serves it without a key; the main one still needs one", async function () {
      const { createServer } = await import("node:net");
      const port = await new Promise<number>((resolve) => {
        const srv = createServer().listen(0, "127.0.0.1", () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
      const gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false, env: { METRICS_PORT: String(port) } });
      try {
        const separate = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(separate.status).to.equal(200);
        expect(await separate.text()).to.include("# TYPE");
        expect((await fetch(`http://127.0.0.1:${port}/v1/keys`)).status).to.equal(404); // nothing else there
        const main = await gw.call("GET", "/metrics");
        expect(main.status).to.equal(401);
      } finally {
        await gw.close();
      }
    });
  });
});

describe("server/http/route UploadGate", function () {
  it("admits up to its bound, queues the rest in order, and refuses after the wait or when the queue is full", async function () {
    const gate = new UploadGate(1, 200, 2);
    expect(await gate.enter()).to.equal(true);
    const order: string[] = [];
    const a = gate.enter().then((ok) => order.push(`a:${ok}`));
    const b = gate.enter().then((ok) => order.push(`b:${ok}`));
    expect(await gate.enter(), "the queue holds two").to.equal(false);
    gate.leave(); // the slot passes to a
    await a;
    await b; // b waited 200 ms behind a and gave up
    expect(order).to.deep.equal(["a:true", "b:false"]);
    gate.leave(); // a is done: the gate is free again
    expect(await gate.enter()).to.equal(true);
  });
});
