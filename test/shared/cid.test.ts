/**
 * shared/cid.ts: CIDs computed from bytes alone must be the ones an IPFS node gives
 * (`ipfs add --cid-version=1` on Kubo, Helia's addBytes with the same options).
 *   npx hardhat test test/shared/cid.test.ts
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { CID } from "multiformats/cid";
import { CHUNK_SIZE, cidOf, kuboCompatibleImportOptions, normalizeCid, parseCid, sameCid } from "../../shared/cid";
import { ensurePromiseWithResolvers } from "../../server/ipfs/ipfs";

const HELLO = new TextEncoder().encode("hello world\n");
const HELLO_V1_RAW = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
/** `ipfs add` (CIDv0, dag-pb leaves) of "hello world\n": same bytes, other codec. */
const HELLO_V0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
/** sha2-256 of no bytes, as a raw-codec CIDv1: what Kubo gives an empty file with --cid-version=1. */
const EMPTY_V1_RAW = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

describe("shared/cid", function () {
  describe("cidOf", function () {
    it('gives the known CIDv1 of "hello world\\n"', async function () {
      expect(await cidOf(HELLO)).to.equal(HELLO_V1_RAW);
    });

    it("gives the raw CID of the empty file", async function () {
      expect(await cidOf(new Uint8Array(0))).to.equal(EMPTY_V1_RAW);
    });

    it("stores one chunk as a raw block and more as a dag-pb file", async function () {
      const one = CID.parse(await cidOf(new Uint8Array(CHUNK_SIZE).fill(1)));
      const two = CID.parse(await cidOf(new Uint8Array(CHUNK_SIZE + 1).fill(1)));
      expect(one.version).to.equal(1);
      expect(one.code).to.equal(0x55); // raw
      expect(two.version).to.equal(1);
      expect(two.code).to.equal(0x70); // dag-pb
    });

    it("depends on the bytes only", async function () {
      const bytes = randomBytes(1000);
      expect(await cidOf(bytes)).to.equal(await cidOf(Uint8Array.from(bytes)));
      const other = Uint8Array.from(bytes);
      other[999] ^= 1;
      expect(await cidOf(other)).to.not.equal(await cidOf(bytes));
    });

    describe("equals Helia's addBytes with Kubo's options", function () {
      this.timeout(60_000);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let helia: any;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let fs: any;

      before(async function () {
        ensurePromiseWithResolvers();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { createHeliaLight } = require("helia") as typeof import("helia");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { unixfs } = require("@helia/unixfs") as typeof import("@helia/unixfs");
        helia = createHeliaLight(); // in-memory stores, no network
        await helia.start();
        fs = unixfs(helia);
      });
      after(async function () {
        await helia?.stop();
      });

      const cases: Array<[string, () => Uint8Array]> = [
        ["600,000 bytes of 7s", () => new Uint8Array(600_000).fill(7)],
        ['"hello world\\n"', () => HELLO],
        ["the empty file", () => new Uint8Array(0)],
        ["exactly one chunk", () => randomBytes(CHUNK_SIZE)],
        ["one chunk and one byte", () => randomBytes(CHUNK_SIZE + 1)],
        ["700 KB of random bytes", () => randomBytes(700_000)],
      ];
      for (const [name, make] of cases) {
        it(name, async function () {
          const bytes = make();
          const fromHelia = (await fs.addBytes(bytes, kuboCompatibleImportOptions())) as CID;
          expect(await cidOf(bytes)).to.equal(fromHelia.toV1().toString());
        });
      }

      it("600,000 bytes of 7s has the expected CID", async function () {
        const cid = await cidOf(new Uint8Array(600_000).fill(7));
        expect(cid).to.equal("bafybeid3a3lcmihd3ymli2ln4m3rha6djdrh5kenaz2zqgdlpau5hyesty");
      });
    });
  });

  describe("sameCid", function () {
    it("compares a CIDv0 with the CIDv1 of the same node", function () {
      const v1 = CID.parse(HELLO_V0).toV1().toString();
      expect(v1).to.match(/^bafybei/);
      expect(sameCid(HELLO_V0, v1)).to.equal(true);
      expect(sameCid(v1, HELLO_V0)).to.equal(true);
    });

    it("compares across multibases", function () {
      const cid = CID.parse(HELLO_V1_RAW);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { base58btc } = require("multiformats/bases/base58") as typeof import("multiformats/bases/base58");
      const b58 = cid.toString(base58btc);
      expect(b58).to.match(/^z/);
      expect(sameCid(b58, HELLO_V1_RAW)).to.equal(true);
      expect(sameCid(cid, HELLO_V1_RAW)).to.equal(true);
    });

    it("tells apart other content or another codec of the same bytes", function () {
      expect(sameCid(HELLO_V1_RAW, EMPTY_V1_RAW)).to.equal(false);
      // same bytes, raw leaf vs dag-pb node: different CIDs
      expect(sameCid(HELLO_V1_RAW, HELLO_V0)).to.equal(false);
    });

    it("is false for invalid CIDs", function () {
      expect(sameCid("not-a-cid", HELLO_V1_RAW)).to.equal(false);
      expect(sameCid("", "")).to.equal(false);
    });
  });

  describe("parseCid / normalizeCid", function () {
    it("normalises to CIDv1 base32", function () {
      expect(normalizeCid(HELLO_V0)).to.equal(CID.parse(HELLO_V0).toV1().toString());
      expect(normalizeCid(HELLO_V1_RAW)).to.equal(HELLO_V1_RAW);
    });

    it("rejects garbage", function () {
      expect(parseCid("bafy-not-base32!")).to.equal(null);
      expect(parseCid("Qm123")).to.equal(null);
      expect(() => normalizeCid("nope")).to.throw(TypeError);
    });
  });
});
