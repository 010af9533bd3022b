/** shared/log/entry.ts: an entry's bytes (the tree's leaf), its hash, and the hash chain beside the tree. */
import { createHash } from "node:crypto";
import { expect } from "chai";
import { canonicalJson } from "../../../shared/log/canonical";
import { entryBytes, entryHash, entryLeafHash, GENESIS_HASH, HASHED_FIELDS, verifyHashChain, type LogEntry } from "../../../shared/log/entry";
import { toHex } from "../../../shared/log/bytes";

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return `0x${h.digest("hex")}`;
};

/** A valid log of `n` entries; entries before `leafHashFrom` carry the first release's hash (sha256 of the bytes). */
function makeLog(n: number, leafHashFrom = 1): LogEntry[] {
  const out: LogEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const body: Omit<LogEntry, "hash"> = {
      seq,
      ts: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
      actor: seq % 2 ? "key-issuer" : "key-regulator",
      action: "compliance.rule",
      rule: seq % 3 === 0 ? "minLevel" : null,
      decision: seq % 3 === 0 ? "failed" : "passed",
      collectionId: "1",
      tokenId: null,
      policyVersion: "2025-01",
      inputHash: `0x${String(seq).padStart(64, "0")}`,
      ref: null,
      payload: { n: seq, nested: { b: [1, "二"], a: true } },
      prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
    };
    out.push({ ...body, hash: entryHash(body, { leafHashFrom }) });
  }
  return out;
}

/** Re-hashes entries from index `from` on, as a forger who edits and recomputes would. */
function rehash(entries: LogEntry[], from: number): LogEntry[] {
  const out = entries.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    out[i].prevHash = i === 0 ? GENESIS_HASH : out[i - 1].hash;
    const { hash: _h, ...body } = out[i];
    out[i].hash = entryHash(body);
  }
  return out;
}

describe("shared/log/entry: entries, leaves and the hash chain", function () {
  it("an entry's bytes are the UTF-8 canonical JSON of every field but hash; extra properties are ignored", function () {
    const [e] = makeLog(1);
    const { hash: _h, ...body } = e;
    expect(new TextDecoder().decode(entryBytes(e))).to.equal(canonicalJson(body));
    expect(HASHED_FIELDS).to.have.length(13);
    expect(toHex(entryBytes({ ...body, extra: "ignored" } as typeof body))).to.equal(toHex(entryBytes(body)));
    expect(toHex(entryBytes({ ...body, ref: "0x01" }))).to.not.equal(toHex(entryBytes(body)));
    expect(GENESIS_HASH).to.equal(`0x${"0".repeat(64)}`);
  });

  it("its leaf hash is SHA-256(0x00 ‖ bytes) (RFC 9162), and its hash is the leaf hash, or SHA-256(bytes) before the tree", function () {
    const [e] = makeLog(1);
    const leaf = sha256(Uint8Array.of(0), entryBytes(e));
    expect(`0x${toHex(entryLeafHash(e))}`).to.equal(leaf);
    expect(e.hash).to.equal(leaf);
    expect(entryHash(e, { leafHashFrom: 2 })).to.equal(sha256(entryBytes(e)));
    expect(entryHash(e, { leafHashFrom: 1 })).to.equal(leaf);
  });

  it("verifyHashChain accepts an intact log, an empty one, and a migrated one (first-release hashes, then leaf hashes)", function () {
    const log = makeLog(10);
    expect(verifyHashChain(log)).to.deep.include({ ok: true, count: 10, lastSeq: 10, lastHash: log[9].hash });
    expect(verifyHashChain([])).to.deep.include({ ok: true, count: 0, lastSeq: null });
    const migrated = makeLog(10, 6);
    expect(migrated[4].hash).to.equal(sha256(entryBytes(migrated[4])));
    expect(migrated[5].hash).to.equal(`0x${toHex(entryLeafHash(migrated[5]))}`);
    expect(verifyHashChain(migrated, { leafHashFrom: 6 }).ok).to.equal(true);
    expect(verifyHashChain(migrated, { leafHashFrom: 1 })).to.deep.equal({ ok: false, firstBad: { seq: 1, reason: "hash-mismatch" } });
  });

  it("names an edited entry (hash-mismatch), a re-linked one (prev-mismatch), the first of several, a deleted one (seq-gap)", function () {
    const edited = makeLog(10);
    edited[4] = { ...edited[4], payload: { n: 999 } };
    expect(verifyHashChain(edited)).to.deep.equal({ ok: false, firstBad: { seq: 5, reason: "hash-mismatch" } });

    const relinked = makeLog(10);
    const { hash: _h, ...body } = { ...relinked[6], prevHash: sha256(Uint8Array.of(1)) };
    relinked[6] = { ...body, hash: entryHash(body) };
    expect(verifyHashChain(relinked)).to.deep.equal({ ok: false, firstBad: { seq: 7, reason: "prev-mismatch" } });

    const several = makeLog(10);
    several[2] = { ...several[2], actor: "mallory" };
    several[7] = { ...several[7], actor: "mallory" };
    expect(verifyHashChain(several)).to.deep.equal({ ok: false, firstBad: { seq: 3, reason: "hash-mismatch" } });

    const gap = makeLog(10);
    gap.splice(5, 1);
    expect(verifyHashChain(gap)).to.deep.equal({ ok: false, firstBad: { seq: 6, reason: "seq-gap" } });
    expect(verifyHashChain(makeLog(3).slice(1))).to.deep.equal({ ok: false, firstBad: { seq: 1, reason: "seq-gap" } });
    expect(verifyHashChain([{ ...makeLog(1)[0], hash: 42 as unknown as string }])).to.deep.equal({ ok: false, firstBad: { seq: 1, reason: "hash-mismatch" } });
  });

  it("a recomputed chain is self-consistent: only what was signed or anchored before can tell", function () {
    const log = makeLog(10);
    const forged = rehash(
      log.map((e, i) => (i === 4 ? { ...e, actor: "mallory" } : e)),
      4,
    );
    expect(verifyHashChain(forged).ok).to.equal(true);
    expect(forged[9].hash).to.not.equal(log[9].hash);
  });

  it("checks a slice given the hash before it, and pages compose", function () {
    const log = makeLog(12);
    const first = verifyHashChain(log.slice(0, 5));
    expect(first.ok).to.equal(true);
    if (!first.ok) return;
    expect(verifyHashChain(log.slice(5), { startPrevHash: first.lastHash, startSeq: 6 }).ok).to.equal(true);
    expect(verifyHashChain(log.slice(5), { startPrevHash: GENESIS_HASH, startSeq: 6 })).to.deep.equal({ ok: false, firstBad: { seq: 6, reason: "prev-mismatch" } });
    expect(verifyHashChain(log.slice(5), { startPrevHash: first.lastHash, startSeq: 5 })).to.deep.equal({ ok: false, firstBad: { seq: 5, reason: "seq-gap" } });
  });
});
