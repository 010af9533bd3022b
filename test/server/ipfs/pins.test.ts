import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { cidOf } from "../../../shared/cid";
import { AppError } from "../../../server/errors";
import { openEmbeddedIpfs } from "../../../server/ipfs/helia";
import type { IpfsBackend } from "../../../server/ipfs/ipfs";
import { pinFiles, releasePins } from "../../../server/ipfs/pins";
import { rejection } from "../../support/rejects";

/**
 * server/ipfs/pins.ts on the embedded node: a failed request undoes exactly the pins it made, never content
 * another collection (or a request still running) uses. The frozen-node case runs on js-ipfs in
 * frozen-node.test.ts.
 */
describe("server/ipfs/pins: which pins a failed request may undo", function () {
  this.timeout(60_000);
  let dir: string;
  let ipfs: IpfsBackend;
  const logged: string[] = [];
  const opts = { timeoutMs: 5_000, logger: { warn: (_o: object, m: string) => void logged.push(m), info: (_o: object, m: string) => void logged.push(m) } };

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "registry-pins-"));
    ipfs = await openEmbeddedIpfs(dir);
  });
  after(async function () {
    await ipfs?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Waits until the background unpin has run. */
  async function eventuallyUnpinned(cid: string) {
    for (let i = 0; i < 50 && (await ipfs.isPinned(cid)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await ipfs.isPinned(cid), cid).to.equal(false);
  }

  it("pins new content, returns it as this request's, and a release unpins it", async function () {
    const files = [randomBytes(1_000), randomBytes(2_000)];
    const cids = await Promise.all(files.map(cidOf));
    const mine = await pinFiles(ipfs, files, cids, opts);
    expect([...mine].sort()).to.deep.equal([...cids].sort());
    for (const cid of cids) expect(await ipfs.isPinned(cid)).to.equal(true);
    releasePins(ipfs, mine, opts);
    for (const cid of cids) await eventuallyUnpinned(cid);
  });

  it("leaves content already pinned (another collection's licence) out of the request's pins", async function () {
    const shared = new TextEncoder().encode("the standard licence text 标准许可 " + Date.now());
    const sharedCid = await ipfs.add(shared); // pinned by an earlier collection
    const own = randomBytes(500);
    const ownCid = await cidOf(own);
    const mine = await pinFiles(ipfs, [shared, own], [sharedCid, ownCid], opts);
    expect(mine).to.deep.equal([ownCid]);
    releasePins(ipfs, mine, opts);
    await eventuallyUnpinned(ownCid);
    expect(await ipfs.isPinned(sharedCid)).to.equal(true);
  });

  it("of two requests pinning the same new bytes, the one that fails leaves the pin to the other", async function () {
    const bytes = randomBytes(3_000);
    const cid = await cidOf(bytes);
    const [a, b] = await Promise.all([pinFiles(ipfs, [bytes], [cid], opts), pinFiles(ipfs, [bytes], [cid], opts)]);
    expect(a).to.deep.equal([cid]);
    expect(b).to.deep.equal([cid]);
    releasePins(ipfs, a, opts); // request a failed
    await new Promise((r) => setTimeout(r, 200));
    expect(await ipfs.isPinned(cid)).to.equal(true); // request b still uses it
    releasePins(ipfs, b, opts); // and b failed too
    await eventuallyUnpinned(cid);
  });

  it("a CID that does not match the bytes fails the request, and the request's other pins are undone", async function () {
    const good = randomBytes(400);
    const goodCid = await cidOf(good);
    const wrongCid = await cidOf(randomBytes(400));
    const err = await rejection(pinFiles(ipfs, [good, randomBytes(400)], [goodCid, wrongCid], opts), AppError, "IPFS_CID_MISMATCH");
    expect(err.params).to.deep.equal({ cid: wrongCid });
    await eventuallyUnpinned(goodCid);
  });

  it("a node that is down fails the request at once with a 503", async function () {
    const down = await openEmbeddedIpfs(await mkdtemp(path.join(tmpdir(), "registry-pins-down-")));
    await down.stop();
    const bytes = randomBytes(100);
    const err = await rejection(pinFiles(down, [bytes], [await cidOf(bytes)], opts), AppError, "IPFS_UNAVAILABLE");
    expect(err.httpStatus).to.equal(503);
  });
});
