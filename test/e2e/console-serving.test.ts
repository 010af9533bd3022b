import { expect } from "chai";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ensureConsoleBuilt, UI_DIST } from "../../scripts/lib/console-build";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../server/support/gateway";

/** How the gateway serves the built console beside the API (server/http/console.ts). */
describe("the gateway serves the console", function () {
  this.timeout(180_000);
  let gw: TestGateway;
  const html = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
  let asset = "";

  before(async () => {
    await ensureConsoleBuilt((line) => console.log(`      ${line}`));
    asset = readdirSync(join(UI_DIST, "assets")).find((f) => f.startsWith("index-") && f.endsWith(".js"))!;
    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
  });
  after(() => gw?.close());

  it("answers a browser at / and at any console route with index.html, never cached", async () => {
    for (const path of ["/", "/explorer/tokens/18446744073709551617", "/regulator?x=1"]) {
      const res = await fetch(`${gw.url}${path}`, { headers: html });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^text\/html/);
      expect(res.headers.get("cache-control")).to.equal("no-cache");
      expect(await res.text()).to.contain('<div id="root">');
    }
  });

  it("serves hashed assets immutable, gzipped when the client takes gzip, under the gateway's CSP", async () => {
    const plain = await fetch(`${gw.url}/assets/${asset}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).to.equal(200);
    expect(plain.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-type")).to.match(/javascript/);
    expect(plain.headers.get("content-security-policy")).to.contain("script-src 'self'");
    const body = Buffer.from(await plain.arrayBuffer());

    // Node's fetch decodes gzip itself; ask with a raw request to see the encoding.
    const { request } = await import("node:http");
    const zipped = await new Promise<{ encoding?: string; bytes: Buffer }>((resolve, reject) => {
      request(`${gw.url}/assets/${asset}`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], bytes: Buffer.concat(chunks) }));
      })
        .on("error", reject)
        .end();
    });
    expect(zipped.encoding).to.equal("gzip");
    expect(gunzipSync(zipped.bytes).equals(body)).to.equal(true);
  });

  it("keeps the API's answers: /v1, /healthz, /metrics and /ipfs are never the console, and API clients get JSON 404s", async () => {
    const api = await fetch(`${gw.url}/v1/nothing-here`, { headers: html });
    expect(api.status).to.equal(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
    const health = await fetch(`${gw.url}/healthz`, { headers: html });
    expect(health.headers.get("content-type")).to.match(/json/);
    const ipfs = await fetch(`${gw.url}/ipfs/not-a-cid`, { headers: html });
    expect(ipfs.headers.get("content-type")).to.match(/json/);
    const client = await fetch(`${gw.url}/explorer`, { headers: { accept: "*/*" } });
    expect(client.status).to.equal(404);
    expect(((await client.json()) as { error: { code: string } }).error.code).to.equal("NOT_FOUND");
    const missingAsset = await fetch(`${gw.url}/assets/nope-123.js`, { headers: html });
    expect(missingAsset.status).to.equal(404);
    const traversal = await fetch(`${gw.url}/assets/..%2f..%2fpackage.json`, { headers: html });
    expect(traversal.status).to.equal(404);
    const dotfile = await fetch(`${gw.url}/.vite/manifest.json`, { headers: html });
    expect(dotfile.status).to.equal(404);
  });
});
