/**
 * server/ipfs/get-verified-content.ts: bytes from the node are checked against the CID.
 *   npx hardhat test test/server/ipfs/get-verified-content.test.ts
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CID } from "multiformats/cid";
import { cidOf } from "../../../shared/cid";
import { AppError } from "../../../server/errors";
import { getVerifiedContent, servingPolicy, sniffContentType } from "../../../server/ipfs/get-verified-content";
import { openEmbeddedIpfs } from "../../../server/ipfs/helia";
import { checkMaxBytes, contentTooLarge, requireCid, type IpfsBackend } from "../../../server/ipfs/ipfs";
import { rejection } from "../../support/rejects";

/**
 * A forged node: answers `get` from a table it was given, whatever the CID really names.
 * (Not a stand-in for the real backends, which are tested on their own: a node that lies.)
 */
function forgedNode(table: Map<string, Uint8Array>): IpfsBackend & { gets: string[] } {
  const gets: string[] = [];
  return {
    kind: "remote",
    gets,
    async add() {
      throw new Error("not used");
    },
    async get(cid, opts = {}) {
      const key = requireCid(cid).toV1().toString();
      gets.push(cid);
      const bytes = table.get(key);
      if (!bytes) throw new AppError("CONTENT_NOT_FOUND", { cid: key });
      const max = checkMaxBytes(opts.maxBytes);
      if (bytes.byteLength > max) throw contentTooLarge(key, max, bytes.byteLength);
      return bytes;
    },
    async isPinned(cid) {
      return table.has(requireCid(cid).toV1().toString());
    },
    async unpin(cid) {
      table.delete(requireCid(cid).toV1().toString());
    },
    async ping() {},
    async stop() {},
  };
}

const HELLO = new TextEncoder().encode("hello world\n");
const HELLO_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

describe("server/ipfs/get-verified-content", function () {
  describe("getVerifiedContent", function () {
    it("returns bytes that match the CID", async function () {
      const node = forgedNode(new Map([[HELLO_CID, HELLO]]));
      const res = await getVerifiedContent(node, HELLO_CID, { maxBytes: 1000 });
      expect(res.verified).to.equal(true);
      expect(res.cid).to.equal(HELLO_CID);
      expect(Buffer.from(res.bytes).toString()).to.equal("hello world\n");
    });

    it("detects a node returning other bytes: CONTENT_CID_MISMATCH (502)", async function () {
      const tampered = new TextEncoder().encode("hello world!\n");
      const node = forgedNode(new Map([[HELLO_CID, tampered]]));
      const err = await rejection(getVerifiedContent(node, HELLO_CID, { maxBytes: 1000 }), AppError, "CONTENT_CID_MISMATCH");
      expect(err.httpStatus).to.equal(502);
      expect(err.details).to.deep.include({ cid: HELLO_CID, computed: await cidOf(tampered) });
    });

    it("detects a one-bit change in a multi-chunk file", async function () {
      const bytes = randomBytes(600_000);
      const cid = await cidOf(bytes);
      const flipped = Uint8Array.from(bytes);
      flipped[599_999] ^= 0x01;
      await rejection(
        getVerifiedContent(forgedNode(new Map([[cid, flipped]])), cid, { maxBytes: 1_000_000 }),
        AppError,
        "CONTENT_CID_MISMATCH",
      );
      const ok = await getVerifiedContent(forgedNode(new Map([[cid, bytes]])), cid, { maxBytes: 1_000_000 });
      expect(ok.verified).to.equal(true);
    });

    it("verifies a CIDv0 request and answers with the CIDv1", async function () {
      const bytes = randomBytes(300_000); // two chunks: dag-pb root, so it has a CIDv0 form
      const cid = await cidOf(bytes);
      const v0 = CID.parse(cid).toV0().toString();
      const node = forgedNode(new Map([[cid, bytes]]));
      const res = await getVerifiedContent(node, v0, { maxBytes: 1_000_000 });
      expect(res.cid).to.equal(cid);
      expect(node.gets).to.deep.equal([v0]);
    });

    it("passes the backend's errors through", async function () {
      const node = forgedNode(new Map([[HELLO_CID, HELLO]]));
      await rejection(getVerifiedContent(node, "nope", { maxBytes: 10 }), AppError, "INVALID_CID");
      expect(node.gets).to.deep.equal([]); // refused before asking the node
      await rejection(getVerifiedContent(node, HELLO_CID, { maxBytes: 5 }), AppError, "CONTENT_TOO_LARGE");
      const absent = await cidOf(new TextEncoder().encode("absent"));
      await rejection(getVerifiedContent(node, absent, { maxBytes: 10 }), AppError, "CONTENT_NOT_FOUND");
      const down: IpfsBackend = {
        ...node,
        async get() {
          throw new AppError("IPFS_UNAVAILABLE");
        },
      };
      await rejection(getVerifiedContent(down, HELLO_CID, { maxBytes: 10 }), AppError, "IPFS_UNAVAILABLE");
    });

    it("works end to end on the embedded node", async function () {
      this.timeout(60_000);
      const dir = await mkdtemp(path.join(tmpdir(), "registry-verified-"));
      const ipfs = await openEmbeddedIpfs(dir);
      try {
        const bytes = randomBytes(700_000);
        const cid = await ipfs.add(bytes);
        const res = await getVerifiedContent(ipfs, cid, { maxBytes: 1_000_000 });
        expect(res.verified).to.equal(true);
        expect(Buffer.from(res.bytes).equals(bytes)).to.equal(true);
      } finally {
        await ipfs.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("sniffContentType", function () {
    const b = (...xs: number[]) => Uint8Array.from(xs);
    const s = (text: string) => new TextEncoder().encode(text);
    const cases: Array<[string, Uint8Array, string]> = [
      ["png", b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13), "image/png"],
      ["jpeg", b(0xff, 0xd8, 0xff, 0xe0, 0, 16), "image/jpeg"],
      ["gif89a", s("GIF89a\x01\x00"), "image/gif"],
      ["gif87a", s("GIF87a\x01\x00"), "image/gif"],
      ["webp", Uint8Array.from([...s("RIFF"), 0x24, 0, 0, 0, ...s("WEBPVP8 ")]), "image/webp"],
      ["riff but wav", Uint8Array.from([...s("RIFF"), 0x24, 0, 0, 0, ...s("WAVEfmt ")]), "application/octet-stream"],
      ["mp4", Uint8Array.from([0, 0, 0, 0x20, ...s("ftypisom"), 0, 0, 2, 0]), "video/mp4"],
      ["mp3 with ID3", Uint8Array.from([...s("ID3"), 4, 0, 0, 0, 0, 0, 0]), "audio/mpeg"],
      ["mp3 frame", b(0xff, 0xfb, 0x90, 0x64, 0), "audio/mpeg"],
      ["pdf", s("%PDF-1.7\n%âãÏÓ"), "application/pdf"],
      ["json object", s('  {"name": "token #1", "image": "ipfs://x"}\n'), "application/json"],
      ["json array", s("[1,2,3]"), "application/json"],
      ["not json", s("{not json"), "text/plain; charset=utf-8"],
      ["svg", s('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'), "image/svg+xml"],
      ["svg with prolog", s('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), "image/svg+xml"],
      ["xml", s('<?xml version="1.0"?><note/>'), "application/xml"],
      ["random", Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0xfe]), "application/octet-stream"],
      ["empty", new Uint8Array(0), "application/octet-stream"],
      ["plain text", s("hello world\n"), "text/plain; charset=utf-8"],
      ["chinese text", s("仅限个人展示。\r\n\tPersonal display only."), "text/plain; charset=utf-8"],
      ["html", s("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), "text/html"],
      ["bare script", s("<script>fetch('/v1/keys')</script>"), "text/html"],
      ["text with NUL", s("looks like text\u0000but is binary"), "application/octet-stream"],
    ];
    for (const [name, bytes, type] of cases) {
      it(`${name} → ${type}`, function () {
        expect(sniffContentType(bytes)).to.equal(type);
      });
    }
  });

  describe("servingPolicy: only passive media inline on the gateway's origin", function () {
    const s = (text: string) => new TextEncoder().encode(text);
    const cases: Array<[string, Uint8Array, string, "inline" | "attachment"]> = [
      ["png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "image/png", "inline"],
      ["text", s("持有者可个人展示。"), "text/plain; charset=utf-8", "inline"],
      ["json", s('{"name":"x"}'), "application/json", "inline"],
      ["svg with script", s('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "image/svg+xml", "attachment"],
      ["html", s("<html><body onload=alert(1)></body></html>"), "text/html", "attachment"],
      ["xml", s('<?xml version="1.0"?><x/>'), "application/xml", "attachment"],
      ["pdf", s("%PDF-1.7\n"), "application/pdf", "attachment"],
      ["unknown binary", Uint8Array.from([0, 1, 2, 3, 0xfe]), "application/octet-stream", "attachment"],
    ];
    for (const [name, bytes, contentType, disposition] of cases) {
      it(`${name} → ${contentType}, ${disposition}`, function () {
        expect(servingPolicy(bytes)).to.deep.equal({ contentType, disposition });
      });
    }
  });
});
