/** Checkpoints (c2sp.org/tlog-checkpoint) signed as C2SP notes. */
import { expect } from "chai";
import {
  formatCheckpoint,
  fromHex,
  generateNoteKey,
  NoteFormatError,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  toHex,
  verifyCheckpoint,
} from "../../../shared/log";

const ORIGIN = "registry.example/sandbox-log";
const ROOT8 = fromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
const keys = generateNoteKey(ORIGIN, new Uint8Array(32).fill(42));
const otherKeys = generateNoteKey(ORIGIN, new Uint8Array(32).fill(43));

describe("shared/log checkpoints", () => {
  it("formats the body as origin, decimal size, base64 root, each ending in a newline", () => {
    expect(formatCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 })).to.equal(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`);
    expect(formatCheckpoint({ origin: ORIGIN, size: 0, root: ROOT8, extensions: ["ext one"] })).to.equal(`${ORIGIN}\n0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next one\n`);
  });

  it("parses what it formats, extensions included", () => {
    const text = formatCheckpoint({ origin: ORIGIN, size: 1_000_000, root: ROOT8, extensions: ["a", "b c"] });
    const r = parseCheckpoint(text);
    expect(r.ok).to.equal(true);
    if (r.ok) {
      expect(r.checkpoint.origin).to.equal(ORIGIN);
      expect(r.checkpoint.size).to.equal(1_000_000);
      expect(toHex(r.checkpoint.root)).to.equal(toHex(ROOT8));
      expect(r.checkpoint.extensions).to.deep.equal(["a", "b c"]);
    }
  });

  it("refuses to format an empty origin, a newline in a line, a bad size or root", () => {
    expect(() => formatCheckpoint({ origin: "", size: 1, root: ROOT8 })).to.throw(NoteFormatError);
    expect(() => formatCheckpoint({ origin: "a\nb", size: 1, root: ROOT8 })).to.throw(NoteFormatError);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: ROOT8, extensions: [""] })).to.throw(NoteFormatError);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: -1, root: ROOT8 })).to.throw(NoteFormatError);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1.5, root: ROOT8 })).to.throw(NoteFormatError);
    expect(() => formatCheckpoint({ origin: ORIGIN, size: 1, root: ROOT8.subarray(1) })).to.throw(NoteFormatError);
  });

  it("signs and verifies a checkpoint with the log's key (key string or parsed key)", () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 }, keys.signerKey);
    expect(note).to.match(new RegExp(`^${ORIGIN}\\n8\\n\\S+=\\n\\n— ${ORIGIN} \\S+\\n$`));
    for (const v of [keys.verifierKey, parseVerifierKey(keys.verifierKey)]) {
      const r = verifyCheckpoint(note, v);
      expect(r.ok).to.equal(true);
      if (r.ok) {
        expect(r.checkpoint.size).to.equal(8);
        expect(toHex(r.checkpoint.root)).to.equal(toHex(ROOT8));
      }
    }
    expect(signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 }, parseSignerKey(keys.signerKey))).to.equal(note);
  });

  describe("verifyCheckpoint rejects", () => {
    const good = signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 }, keys.signerKey);
    const signedText = (text: string) => signNote(text, parseSignerKey(keys.signerKey));
    const cases: Array<[string, string, string, object?]> = [
      ["a checkpoint signed by another key", signCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 }, otherKeys.signerKey), "unknown-key"],
      ["a tampered size", good.replace("\n8\n", "\n9\n"), "bad-signature"],
      ["a tampered root", good.replace("Xcna", "Xcnb"), "bad-signature"],
      ["a tampered origin", good.replace(`${ORIGIN}\n8`, `${ORIGIN}x\n8`), "bad-signature"],
      ["an added extension line", good.replace("=\n\n", "=\nextra\n\n"), "bad-signature"],
      ["a note without signatures", formatCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 }), "malformed-note"],
      ["a size with a leading zero", signedText(`${ORIGIN}\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), "malformed-checkpoint"],
      ["a negative size", signedText(`${ORIGIN}\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), "malformed-checkpoint"],
      ["a size in exponent form", signedText(`${ORIGIN}\n1e3\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), "malformed-checkpoint"],
      ["a size beyond 2^53", signedText(`${ORIGIN}\n9007199254740993\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n`), "malformed-checkpoint"],
      ["a root that is not base64", signedText(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n`), "malformed-checkpoint"],
      ["a root of 31 bytes", signedText(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n`), "malformed-checkpoint"],
      ["a hex root", signedText(`${ORIGIN}\n8\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n`), "malformed-checkpoint"],
      ["two lines only", signedText(`${ORIGIN}\n8\n`), "malformed-checkpoint"],
      ["an empty extension line", signedText(`${ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\nx\n`), "malformed-checkpoint"],
      ["another origin", signCheckpoint({ origin: "other.example/log", size: 8, root: ROOT8 }, keys.signerKey), "origin-mismatch"],
      ["an origin other than the expected one", good, "origin-mismatch", { origin: "registry.example/other" }],
    ];
    for (const [what, note, reason, opts] of cases) {
      it(what, () => {
        const r = verifyCheckpoint(note, keys.verifierKey, opts);
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.reason, r.message).to.equal(reason);
      });
    }

    it("a malformed verifier key (without throwing)", () => {
      expect(verifyCheckpoint(good, "not a key")).to.include({ ok: false, reason: "bad-verifier-key" });
      expect(verifyCheckpoint(good, keys.verifierKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+"))).to.include({ ok: false, reason: "bad-verifier-key" });
    });

    it("accepts a checkpoint co-signed by an unknown witness, and the key-name origin by default", () => {
      const witness = generateNoteKey("witness.example/w1", new Uint8Array(32).fill(9));
      const body = formatCheckpoint({ origin: ORIGIN, size: 8, root: ROOT8 });
      const note = signNote(body, parseSignerKey(keys.signerKey), parseSignerKey(witness.signerKey));
      expect(verifyCheckpoint(note, keys.verifierKey).ok).to.equal(true);
      expect(verifyCheckpoint(note, witness.verifierKey)).to.include({ ok: false, reason: "origin-mismatch" });
      expect(verifyCheckpoint(note, witness.verifierKey, { origin: ORIGIN }).ok).to.equal(true);
    });
  });
});
