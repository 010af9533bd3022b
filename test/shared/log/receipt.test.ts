/** JSON receipts: build from the store, verify against entry bytes and a signed checkpoint. */
import { expect } from "chai";
import {
  appendLeaf,
  consistencyProof,
  consistencyProofBytes,
  ConsistencyProofSchema,
  defaultHasher,
  generateNoteKey,
  inclusionProof,
  InclusionReceiptSchema,
  MemoryNodeStore,
  rootAt,
  signCheckpoint,
  toConsistencyProofJson,
  toInclusionReceipt,
  utf8,
  verifyConsistency,
  verifyReceipt,
  type InclusionReceipt,
} from "../../../shared/log";

const ORIGIN = "registry.example/sandbox-log";
const keys = generateNoteKey(ORIGIN, new Uint8Array(32).fill(5));
const other = generateNoteKey(ORIGIN, new Uint8Array(32).fill(6));
const entries = Array.from({ length: 37 }, (_, i) => utf8(JSON.stringify({ seq: i + 1, action: "compliance.check", decision: i % 3 ? "allow" : "deny" })));

describe("shared/log receipts", () => {
  const store = new MemoryNodeStore();
  entries.forEach((e, i) => store.put(appendLeaf(i, defaultHasher.hashLeaf(e), store).newNodes));
  const size = entries.length;
  const root = rootAt(size, store);
  const checkpoint = signCheckpoint({ origin: ORIGIN, size, root }, keys.signerKey);
  const receiptOf = (index: number, treeSize = size, cp: string | null = checkpoint): InclusionReceipt =>
    toInclusionReceipt({
      index,
      treeSize,
      leafHash: defaultHasher.hashLeaf(entries[index]),
      proof: inclusionProof(index, treeSize, store),
      root: rootAt(treeSize, store),
      checkpoint: cp ?? undefined,
    });

  it("builds schema-valid receipts that survive a JSON round trip and verify with the checkpoint", () => {
    for (const index of [0, 1, 17, 36]) {
      const receipt = JSON.parse(JSON.stringify(receiptOf(index)));
      expect(InclusionReceiptSchema.safeParse(receipt).success).to.equal(true);
      const r = verifyReceipt(receipt, entries[index], keys.verifierKey);
      expect(r, JSON.stringify(r)).to.deep.include({ ok: true, index, treeSize: size, checkpointVerified: true });
    }
  });

  it("verifies without a verifier key, saying the checkpoint was not checked", () => {
    expect(verifyReceipt(receiptOf(3, size, null), entries[3])).to.deep.include({ ok: true, checkpointVerified: false });
  });

  it("rejects an edited entry", () => {
    const edited = utf8(new TextDecoder().decode(entries[4]).replace("allow", "deny!"));
    expect(verifyReceipt(receiptOf(4), edited, keys.verifierKey)).to.include({ ok: false, reason: "leaf-mismatch" });
  });

  it("rejects the receipt of another entry", () => {
    expect(verifyReceipt(receiptOf(5), entries[6], keys.verifierKey)).to.include({ ok: false, reason: "leaf-mismatch" });
    // …and a receipt whose leaf hash was swapped to the presented entry's, keeping the proof.
    const swapped = { ...receiptOf(5), leafHash: receiptOf(6).leafHash };
    expect(verifyReceipt(swapped, entries[6], keys.verifierKey)).to.include({ ok: false, reason: "root-mismatch" });
  });

  it("rejects a checkpoint signed by another key, a missing checkpoint, and a checkpoint of another tree", () => {
    const foreign = signCheckpoint({ origin: ORIGIN, size, root }, other.signerKey);
    expect(verifyReceipt(receiptOf(7, size, foreign), entries[7], keys.verifierKey)).to.include({ ok: false, reason: "unknown-key" });
    expect(verifyReceipt(receiptOf(7, size, null), entries[7], keys.verifierKey)).to.include({ ok: false, reason: "checkpoint-missing" });
    // A valid proof in the tree of size 20, presented with the (valid) checkpoint of size 37.
    expect(verifyReceipt(receiptOf(7, 20, checkpoint), entries[7], keys.verifierKey)).to.include({ ok: false, reason: "checkpoint-mismatch" });
    const tampered = checkpoint.replace(`\n${size}\n`, `\n${size + 1}\n`);
    expect(verifyReceipt(receiptOf(7, size, tampered), entries[7], keys.verifierKey)).to.include({ ok: false, reason: "bad-signature" });
  });

  it("rejects malformed receipts without throwing", () => {
    const good = receiptOf(8);
    const bad: unknown[] = [
      null,
      "receipt",
      { ...good, scheme: "keccak256-positional-duplast-v1" },
      { ...good, index: -1 },
      { ...good, index: 1.5 },
      { ...good, treeSize: 0 },
      { ...good, root: good.root.slice(0, -2) },
      { ...good, proof: [...good.proof.slice(0, -1), "0x1234"] },
      { ...good, leafHash: good.leafHash.slice(2) },
    ];
    for (const b of bad) expect(verifyReceipt(b, entries[8], keys.verifierKey), JSON.stringify(b)?.slice(0, 60)).to.include({ ok: false, reason: "malformed-receipt" });
    expect(verifyReceipt(good, "not bytes" as unknown as Uint8Array)).to.include({ ok: false, reason: "bad-argument" });
    expect(verifyReceipt({ ...good, index: 37 }, entries[8])).to.include({ ok: false, reason: "index-out-of-range" });
    expect(verifyReceipt({ ...good, proof: good.proof.slice(1) }, entries[8])).to.include({ ok: false, reason: "proof-length" });
  });

  it("round-trips a consistency proof through JSON", () => {
    const json = JSON.parse(JSON.stringify(toConsistencyProofJson(13, 37, consistencyProof(13, 37, store))));
    const parsed = ConsistencyProofSchema.parse(json);
    expect(verifyConsistency(parsed.from, parsed.to, rootAt(13, store), rootAt(37, store), consistencyProofBytes(parsed)).ok).to.equal(true);
    expect(ConsistencyProofSchema.safeParse({ ...json, proof: ["0xzz"] }).success).to.equal(false);
  });
});
