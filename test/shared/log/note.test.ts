/**
 * C2SP signed notes with sumdb/note Ed25519 keys. Known answer: the example of golang.org/x/mod's
 * sumdb/note package documentation (signer key, verifier key, and the exact signature line; Ed25519 is
 * deterministic, so signing must reproduce it byte for byte).
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import {
  ed25519VerifierKey,
  generateNoteKey,
  isValidKeyName,
  noteKeyId,
  NoteFormatError,
  NoteKeyError,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  toBase64,
  utf8,
} from "../../../shared/log";

const GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const GO_SIG2 = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
const GO_NOTE = `${GO_TEXT}\n${GO_SIG}`;

describe("shared/log signed notes (C2SP signed-note, sumdb/note keys)", () => {
  it("reproduces the sumdb/note documentation example byte for byte", () => {
    const signer = parseSignerKey(GO_SKEY);
    expect(signer.name).to.equal("PeterNeumann");
    expect(signer.keyId).to.equal(0xc74f20a3);
    expect(ed25519VerifierKey(signer.name, signer.publicKey)).to.equal(GO_VKEY);
    expect(signNote(GO_TEXT, signer)).to.equal(GO_NOTE);
  });

  it("opens the example with its verifier key, and ignores a second signature by an unknown key", () => {
    const v = parseVerifierKey(GO_VKEY);
    const r = openNote(GO_NOTE, [v]);
    expect(r).to.deep.include({ ok: true, text: GO_TEXT });
    const both = openNote(`${GO_NOTE}${GO_SIG2}`, [v]);
    expect(both.ok).to.equal(true);
    if (both.ok) {
      expect(both.signatures.map((s) => s.name)).to.deep.equal(["PeterNeumann"]);
      expect(both.unverified.map((s) => s.name)).to.deep.equal(["EnochRoot"]);
    }
    // Bytes in, too.
    expect(openNote(utf8(GO_NOTE), [v]).ok).to.equal(true);
  });

  it("computes the key id as SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]", () => {
    const { publicKey } = parseVerifierKey(GO_VKEY);
    const h = createHash("sha256").update("PeterNeumann\n").update(Uint8Array.of(1)).update(publicKey).digest();
    expect(noteKeyId("PeterNeumann", publicKey)).to.equal(h.readUInt32BE(0));
    expect(h.readUInt32BE(0)).to.equal(0xc74f20a3);
  });

  it("generates key pairs in the sumdb/note string formats, deterministically from a seed", () => {
    const seed = new Uint8Array(32).fill(7);
    const a = generateNoteKey("registry.example/sandbox-log", seed);
    const b = generateNoteKey("registry.example/sandbox-log", seed);
    expect(a).to.deep.equal(b);
    expect(a.signerKey).to.match(/^PRIVATE\+KEY\+registry\.example\/sandbox-log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(a.verifierKey).to.match(/^registry\.example\/sandbox-log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(a.signerKey.endsWith(toBase64(Uint8Array.of(1, ...seed)))).to.equal(true);
    const signer = parseSignerKey(a.signerKey);
    const verifier = parseVerifierKey(a.verifierKey);
    expect(signer.keyId).to.equal(verifier.keyId);
    expect(openNote(signNote("x\n", signer), [verifier]).ok).to.equal(true);
    const random = generateNoteKey("registry.example/sandbox-log");
    expect(random.verifierKey).to.not.equal(a.verifierKey);
  });

  it("rejects malformed keys with NoteKeyError", () => {
    const bad = [
      "",
      "PeterNeumann",
      "PeterNeumann+c74f20a3",
      "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // id of another key
      "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // 7 hex digits
      "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // space in the name
      "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // algorithm 2
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", // not base64
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy", // short key
    ];
    for (const k of bad) expect(() => parseVerifierKey(k), k).to.throw(NoteKeyError);
    expect(() => parseSignerKey(GO_VKEY)).to.throw(NoteKeyError);
    expect(() => parseSignerKey(GO_SKEY.replace("c74f20a3", "c74f20a4"))).to.throw(NoteKeyError, /id does not match/);
    expect(() => generateNoteKey("a+b")).to.throw(NoteKeyError);
    expect(isValidKeyName("example.com/log")).to.equal(true);
    for (const n of ["", "a b", "a\tb", "a\u00a0b", "a\u3000b", "a+b"]) expect(isValidKeyName(n), JSON.stringify(n)).to.equal(false);
  });

  it("refuses to sign a text without a final newline or with control characters", () => {
    const s = parseSignerKey(GO_SKEY);
    expect(() => signNote("no newline", s)).to.throw(NoteFormatError);
    expect(() => signNote("tab\there\n", s)).to.throw(NoteFormatError);
    expect(() => signNote("cr\r\n", s)).to.throw(NoteFormatError);
    expect(() => signNote("x\n")).to.throw(NoteFormatError);
  });

  describe("openNote rejects", () => {
    const v = parseVerifierKey(GO_VKEY);
    const other = generateNoteKey("PeterNeumann", new Uint8Array(32).fill(1)); // same name, another key

    const cases: Array<[string, string, string]> = [
      ["a tampered text", GO_NOTE.replace("cryptography", "cryptographY"), "bad-signature"],
      ["a tampered signature", GO_NOTE.replace("x08go/ZJ", "x08go/ZK"), "bad-signature"],
      ["a signature by another key of the same name", signNote(GO_TEXT, parseSignerKey(other.signerKey)), "unknown-key"],
      ["only unknown signatures", `${GO_TEXT}\n${GO_SIG2}`, "unknown-key"],
      ["no blank line", `${GO_TEXT}${GO_SIG}`, "malformed"],
      ["a hyphen instead of the em dash", GO_NOTE.replace("—", "-"), "malformed"],
      ["an en dash instead of the em dash", GO_NOTE.replace("—", "–"), "malformed"],
      ["no final newline", GO_NOTE.slice(0, -1), "malformed"],
      ["a signature without key id and signature", `${GO_TEXT}\n— PeterNeumann AAAA\n`, "malformed"],
      ["a signature that is not base64", `${GO_TEXT}\n— PeterNeumann x08go/ZJ!!\n`, "malformed"],
      ["a signature line without a name", `${GO_TEXT}\n—  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`, "malformed"],
      ["a control character", GO_NOTE.replace("answer", "ans\u0007wer"), "malformed"],
      ["a carriage return", GO_NOTE.replace("\n\n", "\r\n\n"), "malformed"],
      ["more than 100 signatures", `${GO_TEXT}\n${GO_SIG2.repeat(101)}`, "malformed"],
    ];
    for (const [what, note, reason] of cases) {
      it(what, () => {
        const r = openNote(note, [v]);
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.reason).to.equal(reason);
      });
    }

    it("invalid UTF-8 bytes", () => {
      const bytes = utf8(GO_NOTE);
      bytes[3] = 0xff;
      expect(openNote(bytes, [v])).to.include({ ok: false, reason: "malformed" });
    });

    it("two verifiers with the same name and id", () => {
      expect(openNote(GO_NOTE, [v, parseVerifierKey(GO_VKEY)])).to.include({ ok: false, reason: "ambiguous-key" });
    });
  });

  it("accepts a repeated signature line once", () => {
    const r = openNote(`${GO_NOTE}${GO_SIG}`, [parseVerifierKey(GO_VKEY)]);
    expect(r.ok && r.signatures.length).to.equal(1);
  });
});
