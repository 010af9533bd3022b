/**
 * server/ipfs/kubo.ts against a real Kubo-RPC node: js-ipfs, offline, started by test/support/jsipfs.ts
 * (the first run installs it into .cache/jsipfs: several minutes).
 *   npx hardhat test test/server/ipfs/kubo.test.ts
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { cidOf } from "../../../shared/cid";
import { AppError } from "../../../server/errors";
import { openIpfs } from "../../../server/ipfs";
import { openEmbeddedIpfs } from "../../../server/ipfs/helia";
import type { IpfsBackend } from "../../../server/ipfs/ipfs";
import { openRemoteIpfs } from "../../../server/ipfs/kubo";
import { startJsIpfs, type JsIpfsNode } from "../../support/jsipfs";
import { rejection } from "../../support/rejects";

/** A TCP port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const HELLO = new TextEncoder().encode("hello world\n");
const HELLO_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
const ABSENT_CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

describe("server/ipfs/kubo (remote backend on a real js-ipfs daemon)", function () {
  this.timeout(120_000);
  let node: JsIpfsNode | undefined;
  let remote: IpfsBackend;
  let embedded: IpfsBackend;
  let embeddedDir: string;

  before(async function () {
    this.timeout(15 * 60_000); // the first run installs js-ipfs
    node = await startJsIpfs();
    process.stderr.write(
      `      js-ipfs: install ${(node.installMs / 1000).toFixed(1)} s, daemon start ${(node.startMs / 1000).toFixed(1)} s\n`,
    );
    remote = await openRemoteIpfs(node.apiUrl);
    embeddedDir = await mkdtemp(path.join(tmpdir(), "registry-helia-cmp-"));
    embedded = await openEmbeddedIpfs(embeddedDir);
  });

  after(async function () {
    this.timeout(60_000);
    await remote?.stop();
    await embedded?.stop();
    await node?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  });

  it("is remote and answers ping", async function () {
    expect(remote.kind).to.equal("remote");
    await remote.ping();
  });

  it("adds, pins and reads back bytes under Kubo's CIDv1", async function () {
    const cid = await remote.add(HELLO);
    expect(cid).to.equal(HELLO_CID);
    expect(await remote.isPinned(cid)).to.equal(true);
    expect(Buffer.from(await remote.get(cid)).toString()).to.equal("hello world\n");
  });

  const sizes: Array<[string, () => Uint8Array]> = [
    ["empty", () => new Uint8Array(0)],
    ["1 byte", () => randomBytes(1)],
    ["10 KB", () => randomBytes(10_000)],
    ["exactly one chunk", () => randomBytes(262_144)],
    ["one chunk and one byte", () => randomBytes(262_145)],
    ["600,000 bytes of 7s", () => new Uint8Array(600_000).fill(7)],
    ["700 KB random (3 chunks)", () => randomBytes(700_000)],
  ];
  for (const [name, make] of sizes) {
    it(`gives the same CID as the embedded node and cidOf: ${name}`, async function () {
      const bytes = make();
      const fromRemote = await remote.add(bytes);
      expect(fromRemote).to.equal(await cidOf(bytes));
      expect(fromRemote).to.equal(await embedded.add(bytes));
      expect(await remote.isPinned(fromRemote)).to.equal(true);
      expect(Buffer.from(await remote.get(fromRemote)).equals(Buffer.from(bytes))).to.equal(true);
    });
  }

  it("unpins: the node's pin list no longer has it, and unpinning what is not pinned is fine", async function () {
    const bytes = randomBytes(3_000);
    const cid = await remote.add(bytes);
    expect(await remote.isPinned(cid)).to.equal(true);
    await remote.unpin(cid);
    expect(await remote.isPinned(cid)).to.equal(false);
    await remote.unpin(cid);
    await remote.unpin(ABSENT_CID);
  });

  it("isPinned is false for a CID the node does not have", async function () {
    expect(await remote.isPinned(ABSENT_CID)).to.equal(false);
  });

  it("a CID the node does not hold: CONTENT_NOT_FOUND within the timeout", async function () {
    const t0 = Date.now();
    const err = await rejection(remote.get(ABSENT_CID, { timeoutMs: 1_500 }), AppError, "CONTENT_NOT_FOUND");
    expect(err.httpStatus).to.equal(404);
    expect(Date.now() - t0).to.be.lessThan(10_000);
    await remote.ping(); // the node is still fine
  });

  it("enforces maxBytes", async function () {
    const bytes = randomBytes(700_000);
    const cid = await remote.add(bytes);
    const err = await rejection(remote.get(cid, { maxBytes: 699_999 }), AppError, "CONTENT_TOO_LARGE");
    expect(err.httpStatus).to.equal(413);
    expect((await remote.get(cid, { maxBytes: 700_000 })).byteLength).to.equal(700_000);
    await rejection(remote.get(HELLO_CID, { maxBytes: 5 }), AppError, "CONTENT_TOO_LARGE");
  });

  it("rejects invalid CIDs with INVALID_CID", async function () {
    for (const bad of ["", "hello", "Qm123", "bafy!!!"]) {
      await rejection(remote.get(bad), AppError, "INVALID_CID");
      await rejection(remote.isPinned(bad), AppError, "INVALID_CID");
    }
  });

  it("openIpfs with IPFS_API_URL uses the remote node", async function () {
    const dataDir = await mkdtemp(path.join(tmpdir(), "registry-data-"));
    try {
      const ipfs = await openIpfs({ IPFS_API_URL: node!.apiUrl, DATA_DIR: dataDir });
      try {
        expect(ipfs.kind).to.equal("remote");
        expect(Buffer.from(await ipfs.get(HELLO_CID)).toString()).to.equal("hello world\n");
      } finally {
        await ipfs.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("an unreachable node: IPFS_UNAVAILABLE on every call", async function () {
    const down = await openRemoteIpfs(`http://127.0.0.1:${await closedPort()}`);
    try {
      const err = await rejection(down.ping(), AppError, "IPFS_UNAVAILABLE");
      expect(err.httpStatus).to.equal(503);
      await rejection(down.add(HELLO), AppError, "IPFS_UNAVAILABLE");
      await rejection(down.get(HELLO_CID), AppError, "IPFS_UNAVAILABLE");
      await rejection(down.isPinned(HELLO_CID), AppError, "IPFS_UNAVAILABLE");
    } finally {
      await down.stop();
    }
  });

  it("refuses a node that computes another CID than cidOf (forged node)", async function () {
    // An HTTP server answering /api/v0/add like a node configured with another layout would.
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ Name: "x", Hash: ABSENT_CID, Size: "12" }) + "\n");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const forged = await openRemoteIpfs(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const err = await rejection(forged.add(HELLO), AppError, "IPFS_CID_MISMATCH");
      expect(err.httpStatus).to.equal(502);
      expect(err.details).to.deep.include({ node: ABSENT_CID, expected: HELLO_CID });
    } finally {
      await forged.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
