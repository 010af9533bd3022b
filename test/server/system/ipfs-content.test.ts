import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { png } from "../support/issuer";

/**
 * Issue 14, finding 8: GET /ipfs/:cid serves pinned content on the gateway's own origin, which also serves
 * the console. Only passive media is shown inline (images as images, text as text/plain); SVG, HTML, XML and
 * anything unknown come as attachments; every answer carries nosniff and a sandboxing CSP, so stored
 * content can never run script there.
 */

const SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";
const enc = (s: string) => new TextEncoder().encode(s);

describe("GET /ipfs/:cid: content served safely on the gateway's origin", function () {
  this.timeout(120_000);
  let gw: TestGateway;

  before(async function () {
    const fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment, { startWorker: false, startIndexer: false });
  });
  after(async () => gw?.close());

  const cases: Array<[string, Uint8Array, string, "inline" | "attachment"]> = [
    ["an SVG with a script", enc('<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/v1/keys\')"><script>alert(document.cookie)</script></svg>'), "image/svg+xml", "attachment"],
    ["an HTML page", enc("<!DOCTYPE html><html><body><script>fetch('/v1/keys',{credentials:'include'})</script></body></html>"), "text/html; charset=utf-8", "attachment"],
    ["an XML document (XSLT could script it)", enc('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="#x"?><doc/>'), "application/xml", "attachment"],
    ["a licence text", enc("持有者可个人展示本作品。Personal display licence.\n"), "text/plain; charset=utf-8", "inline"],
    ["a PNG image", png("served-inline"), "image/png", "inline"],
    ["ERC-721 metadata (JSON)", enc('{"name":"长城日出","image":"ipfs://bafkrei..."}'), "application/json; charset=utf-8", "inline"],
    ["unknown binary", Uint8Array.from([0, 1, 2, 3, 0xfe, 0xff]), "application/octet-stream", "attachment"],
  ];

  for (const [what, bytes, type, disposition] of cases) {
    it(`${what}: ${type}, ${disposition}, nosniff and a sandboxing CSP`, async function () {
      const cid = await gw.services.ipfs.add(bytes);
      const res = await fetch(`${gw.url}/ipfs/${cid}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal(type);
      expect(res.headers.get("content-disposition")).to.equal(disposition === "inline" ? "inline" : `attachment; filename="${cid}"`);
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(res.headers.get("content-security-policy")).to.equal(SANDBOX);
      expect(res.headers.get("etag")).to.equal(`"${cid}"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).to.equal(true);
    });
  }

  it("a CID the node does not hold is 404 CONTENT_NOT_FOUND, a malformed one 400, both with the same headers", async function () {
    const absent = await gw.call("GET", "/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");
    expect(absent.status).to.equal(404);
    expect(absent.body.error.code).to.equal("CONTENT_NOT_FOUND");
    expect(absent.headers.get("x-content-type-options")).to.equal("nosniff");
    const malformed = await gw.call("GET", "/ipfs/not-a-cid");
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.code).to.equal("VALIDATION_FAILED");
    expect(malformed.body.error.params.where).to.equal("path");
  });
});
