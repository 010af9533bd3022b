import { expect } from "chai";
import { contentReview, type TermMatch } from "../../../../server/compliance/rules/content-review";
import { sniffMediaType } from "../../../../server/compliance/media";
import { normaliseForMatch } from "../../../../server/compliance/text";
import type { ComplianceInput } from "../../../../server/compliance/types";
import {
  collectionInput,
  defaultPolicy,
  exe,
  gif,
  glb,
  jpeg,
  mp3Frame,
  mp3Id3,
  mp4,
  offlineContext,
  png,
  policyWith,
  svg,
  validRequest,
  webp,
} from "../helpers";

const WALLET = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

describe("server/compliance/rules/content-review (内容监管)", function () {
  const policy = defaultPolicy();
  const run = (input: ComplianceInput, p = policy) => contentReview.check(input, offlineContext(), p);
  const withText = (patch: Parameters<typeof validRequest>[0]) => collectionInput(WALLET, { request: validRequest(patch) });
  const matchesOf = (details: unknown) => (details as { matches: TermMatch[] }).matches;

  it("applies to collections and metadata changes", function () {
    expect(contentReview.appliesTo).to.deep.equal(["collection", "metadata"]);
  });

  it("passes clean Chinese and English metadata with a PNG", async function () {
    const r = await run(collectionInput(WALLET));
    expect(r.rule).to.equal("content-review");
    expect(r.passed, r.reason).to.equal(true);
    expect(matchesOf(r.details)).to.deep.equal([]);
    expect((r.details as { media: { detectedType: string } }).media.detectedType).to.equal("image/png");
  });

  describe("banned terms on normalised text", function () {
    it("normalises full-width, case, spacing and punctuation", function () {
      expect(normaliseForMatch("赌 博")).to.equal("赌博");
      expect(normaliseForMatch("赌-博")).to.equal("赌博");
      expect(normaliseForMatch("赌，博！")).to.equal("赌博");
      expect(normaliseForMatch("赌\u200b博")).to.equal("赌博");
      expect(normaliseForMatch("ＧＡＭＢＬＩＮＧ")).to.equal("gambling");
      expect(normaliseForMatch("g.a.m.b.l.i.n.g")).to.equal("gambling");
      expect(normaliseForMatch("Ｇ　ａ　ｍ")).to.equal("gam");
    });

    const cases: Array<[string, Parameters<typeof validRequest>[0], string, string]> = [
      ["Chinese with an inserted space", { name: "线上赌 博 专区" }, "name", "赌博"],
      ["Chinese with an inserted dash", { description: "欢迎参与赌-博游戏" }, "description", "赌博"],
      ["Chinese with full-width punctuation", { description: "赌，博·娱乐" }, "description", "赌博"],
      ["Chinese with a zero-width space", { name: "赌\u200b博" }, "name", "赌博"],
      ["traditional Chinese", { name: "賭博天堂" }, "name", "賭博"],
      ["full-width English", { name: "ＧＡＭＢＬＩＮＧ ＮＩＧＨＴ" }, "name", "gambling"],
      ["dotted English", { description: "pure g.a.m.b.l.i.n.g fun" }, "description", "gambling"],
      ["a multi-word term split oddly", { description: "Money-Laun dering service" }, "description", "money laundering"],
      ["investment hype (稳赚)", { description: "稳 赚 不 赔" }, "description", "稳赚"],
    ];
    for (const [title, patch, field, term] of cases) {
      it(`finds ${title}`, async function () {
        const r = await run(withText(patch));
        expect(r.passed).to.equal(false);
        expect(matchesOf(r.details)).to.deep.include({ field, term });
        expect(r.reason).to.include(term);
      });
    }

    it("checks attribute trait_types and values, and reports every match with its field", async function () {
      const r = await run(
        withText({
          name: "赌场之夜",
          attributes: [
            { trait_type: "色 情", value: "no" },
            { trait_type: "Theme", value: "Ｃａｓｉｎｏ Royale" },
            { trait_type: "Rarity", value: "Common" },
          ],
        }),
      );
      expect(r.passed).to.equal(false);
      expect(matchesOf(r.details)).to.have.deep.members([
        { field: "name", term: "赌场" },
        { field: "attributes[0].trait_type", term: "色情" },
        { field: "attributes[1].value", term: "casino" },
      ]);
    });

    it("does not search the licence text (licences say what is forbidden)", async function () {
      const r = await run(withText({ licence: { text: "本作品不得用于赌博或色情用途。", rights: ["display"] } }));
      expect(r.passed, r.reason).to.equal(true);
    });
  });

  describe("media allow-listed by magic bytes", function () {
    const files: Array<[string, () => Uint8Array, string]> = [
      ["PNG", png, "image/png"],
      ["JPEG", jpeg, "image/jpeg"],
      ["GIF", gif, "image/gif"],
      ["WEBP", webp, "image/webp"],
      ["MP4 (ftyp isom)", mp4, "video/mp4"],
      ["MP3 (ID3 tag)", mp3Id3, "audio/mpeg"],
      ["MP3 (frame sync)", mp3Frame, "audio/mpeg"],
      ["GLB", glb, "model/gltf-binary"],
    ];
    for (const [name, make, type] of files) {
      it(`accepts a ${name} file whatever its name says`, async function () {
        expect(sniffMediaType(make())).to.equal(type);
        const r = await run(collectionInput(WALLET, { media: { bytes: make(), filename: "upload.bin", declaredType: "application/octet-stream" } }));
        expect(r.passed, r.reason).to.equal(true);
        expect(r.details).to.have.nested.property("media.detectedType", type);
        expect(r.details).to.have.nested.property("media.declaredTypeMatches", false);
      });
    }

    it("tells QuickTime and HEIF apart from MP4 by the ftyp brand", function () {
      expect(sniffMediaType(mp4("qt  "))).to.equal("video/quicktime");
      expect(sniffMediaType(mp4("heic"))).to.equal("image/heif");
      expect(sniffMediaType(mp4("M4A "))).to.equal("audio/mp4");
    });

    it("refuses an executable named .png and declared image/png", async function () {
      const r = await run(collectionInput(WALLET, { media: { bytes: exe(), filename: "cat.png", declaredType: "image/png" } }));
      expect(r.passed).to.equal(false);
      expect(r.reason).to.match(/not of a recognised type/);
      expect(r.details).to.have.nested.property("media.detectedType", null);
    });

    it("refuses SVG (text) and a type the policy does not allow", async function () {
      const asSvg = await run(collectionInput(WALLET, { media: { bytes: svg(), filename: "a.svg", declaredType: "image/svg+xml" } }));
      expect(asSvg.passed).to.equal(false);
      const noGif = policyWith((p) => {
        p.media.allowedTypes = ["image/png"];
      });
      const r = await run(collectionInput(WALLET, { media: { bytes: gif(), filename: "a.gif" } }), noGif);
      expect(r.passed).to.equal(false);
      expect(r.reason).to.include("media type image/gif is not allowed");
      expect(r.details).to.have.nested.property("media.typeAllowed", false);
    });

    it("refuses a file above media.maxBytes", async function () {
      const small = policyWith((p) => {
        p.media.maxBytes = 40;
      });
      const big = png();
      expect(big.length).to.be.above(40);
      const r = await run(collectionInput(WALLET, { media: { bytes: big } }), small);
      expect(r.passed).to.equal(false);
      expect(r.reason).to.include(`${big.length} bytes, above the limit of 40`);
      const ok = await run(collectionInput(WALLET, { media: { bytes: webp() } }), small);
      expect(webp().length).to.be.at.most(40);
      expect(ok.passed, ok.reason).to.equal(true);
    });

    it("fails when the media is missing or empty", async function () {
      const missing = await run(collectionInput(WALLET, { media: undefined }));
      expect(missing.passed).to.equal(false);
      expect(missing.reason).to.include("media file is missing");
      const empty = await run(collectionInput(WALLET, { media: { bytes: new Uint8Array() } }));
      expect(empty.passed).to.equal(false);
      expect(empty.reason).to.include("media file is empty");
    });

    it("does not take a truncated or look-alike header for media", function () {
      expect(sniffMediaType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).to.equal(undefined);
      expect(sniffMediaType(Buffer.from("GIF90a", "latin1"))).to.equal(undefined);
      expect(sniffMediaType(Buffer.from("RIFF\0\0\0\0WAVE", "latin1"))).to.equal(undefined);
      expect(sniffMediaType(Uint8Array.from([0xff, 0xf1, 0x50, 0x80]))).to.equal(undefined); // AAC ADTS, layer 00
    });
  });

  it("lists text and media failures together", async function () {
    const r = await run(collectionInput(WALLET, { request: validRequest({ name: "博彩" }), media: undefined }));
    expect(r.passed).to.equal(false);
    expect(r.reason).to.include("博彩").and.to.include("media file is missing");
  });
});
