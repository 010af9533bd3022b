/**
 * server/ipfs/helia.ts: the embedded Helia backend on a temp folder (no network).
 *   npx hardhat test test/server/ipfs/helia.test.ts
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CID } from "multiformats/cid";
import { cidOf } from "../../../shared/cid";
import { AppError } from "../../../server/errors";
import { openEmbeddedIpfs } from "../../../server/ipfs/helia";
import { openIpfs } from "../../../server/ipfs";
import type { IpfsBackend } from "../../../server/ipfs/ipfs";
import { rejection } from "../../support/rejects";

const HELLO = new TextEncoder().encode("hello world\n");
const HELLO_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
/** A CID nobody added here (sha2-256 of "nothing here"). */
const ABSENT_CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

describe("server/ipfs/helia (embedded backend)", function () {
  this.timeout(60_000);
  let dir: string;
  let ipfs: IpfsBackend;

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "registry-helia-"));
    ipfs = await openEmbeddedIpfs(dir);
  });
  after(async function () {
    await ipfs?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("is embedded and answers ping", async function () {
    expect(ipfs.kind).to.equal("embedded");
    await ipfs.ping();
  });

  it("adds, pins and reads back bytes under Kubo's CIDv1", async function () {
    const cid = await ipfs.add(HELLO);
    expect(cid).to.equal(HELLO_CID);
    expect(await ipfs.isPinned(cid)).to.equal(true);
    expect(Buffer.from(await ipfs.get(cid)).toString()).to.equal("hello world\n");
  });

  it("gives the CIDs of cidOf for several sizes, multi-chunk included", async function () {
    for (const size of [0, 1, 1000, 262_144, 262_145, 700_000]) {
      const bytes = randomBytes(size);
      const cid = await ipfs.add(bytes);
      expect(cid, `size ${size}`).to.equal(await cidOf(bytes));
      expect(await ipfs.isPinned(cid), `size ${size}`).to.equal(true);
      const back = await ipfs.get(cid);
      expect(Buffer.from(back).equals(bytes), `size ${size}`).to.equal(true);
    }
  });

  it("unpins: the pin is gone, and unpinning what is not pinned is fine", async function () {
    const bytes = randomBytes(2_000);
    const cid = await ipfs.add(bytes);
    expect(await ipfs.isPinned(cid)).to.equal(true);
    await ipfs.unpin(cid);
    expect(await ipfs.isPinned(cid)).to.equal(false);
    await ipfs.unpin(cid);
    await ipfs.unpin(ABSENT_CID);
    expect(await ipfs.isPinned(ABSENT_CID)).to.equal(false);
  });

  it("adding the same bytes twice is fine", async function () {
    const bytes = randomBytes(300_000);
    const a = await ipfs.add(bytes);
    const b = await ipfs.add(bytes);
    expect(a).to.equal(b);
    expect(await ipfs.isPinned(a)).to.equal(true);
  });

  it("accepts the CIDv0 / other encodings of content it holds", async function () {
    const bytes = randomBytes(600_000); // dag-pb root: has a CIDv0 form
    const cid = await ipfs.add(bytes);
    const v0 = CID.parse(cid).toV0().toString();
    expect(v0).to.match(/^Qm/);
    expect(Buffer.from(await ipfs.get(v0)).equals(bytes)).to.equal(true);
    expect(await ipfs.isPinned(v0)).to.equal(true);
  });

  it("throws CONTENT_NOT_FOUND at once for a CID it does not hold", async function () {
    const t0 = Date.now();
    const err = await rejection(ipfs.get(ABSENT_CID), AppError, "CONTENT_NOT_FOUND");
    expect(err.httpStatus).to.equal(404);
    expect(Date.now() - t0).to.be.lessThan(2_000);
    expect(await ipfs.isPinned(ABSENT_CID)).to.equal(false);
  });

  it("throws CONTENT_NOT_FOUND for a dag-cbor CID (never stored here)", async function () {
    const dagCbor = CID.create(1, 0x71, CID.parse(ABSENT_CID).multihash).toString();
    await rejection(ipfs.get(dagCbor), AppError, "CONTENT_NOT_FOUND");
  });

  it("enforces maxBytes", async function () {
    const bytes = randomBytes(700_000);
    const cid = await ipfs.add(bytes);
    const err = await rejection(ipfs.get(cid, { maxBytes: 699_999 }), AppError, "CONTENT_TOO_LARGE");
    expect(err.httpStatus).to.equal(413);
    expect((await ipfs.get(cid, { maxBytes: 700_000 })).byteLength).to.equal(700_000);
    // single raw block too
    await rejection(ipfs.get(HELLO_CID, { maxBytes: 11 }), AppError, "CONTENT_TOO_LARGE");
    expect((await ipfs.get(HELLO_CID, { maxBytes: 12 })).byteLength).to.equal(12);
  });

  it("rejects invalid CIDs with INVALID_CID", async function () {
    for (const bad of ["", "hello", "Qm123", "bafy!!!", "x".repeat(500)]) {
      const err = await rejection(ipfs.get(bad), AppError, "INVALID_CID");
      expect(err.httpStatus).to.equal(400);
      await rejection(ipfs.isPinned(bad), AppError, "INVALID_CID");
    }
  });

  it("keeps content and pins across a restart on the same folder", async function () {
    const bytes = randomBytes(500_000);
    const cid = await ipfs.add(bytes);
    await ipfs.stop();
    await rejection(ipfs.get(cid), AppError, "IPFS_UNAVAILABLE");
    await rejection(ipfs.ping(), AppError, "IPFS_UNAVAILABLE");

    ipfs = await openEmbeddedIpfs(dir);
    expect(await ipfs.isPinned(cid)).to.equal(true);
    expect(await ipfs.isPinned(HELLO_CID)).to.equal(true);
    expect(Buffer.from(await ipfs.get(cid)).equals(bytes)).to.equal(true);
    expect(Buffer.from(await ipfs.get(HELLO_CID)).toString()).to.equal("hello world\n");
  });

  it("openIpfs without IPFS_API_URL opens the embedded node under DATA_DIR/ipfs", async function () {
    const dataDir = await mkdtemp(path.join(tmpdir(), "registry-data-"));
    try {
      const node = await openIpfs({ DATA_DIR: dataDir, IPFS_API_URL: "" });
      try {
        expect(node.kind).to.equal("embedded");
        expect(await node.add(HELLO)).to.equal(HELLO_CID);
      } finally {
        await node.stop();
      }
      const reopened = await openEmbeddedIpfs(path.join(dataDir, "ipfs"));
      try {
        expect(await reopened.isPinned(HELLO_CID)).to.equal(true);
      } finally {
        await reopened.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
