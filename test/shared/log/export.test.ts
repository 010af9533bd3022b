/** shared/log/export.ts: the export's line format (the offline bundle), its parser, and the CSV form. */
import { expect } from "chai";
import { canonicalJson } from "../../../shared/log/canonical";
import { entryHash, GENESIS_HASH, type LogEntry } from "../../../shared/log/entry";
import { CSV_COLUMNS, csvField, csvRow, EXPORT_FORMAT, EXPORT_VERSION, exportLine, parseExport, TREE_SCHEME, type ExportHeader } from "../../../shared/log/export";
import { anchorEvidenceId } from "../../../shared/log/legacy";
import { generateNoteKey, signCheckpoint } from "../../../shared/log";

const hash32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

function entries(n: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const body = { seq, ts: `2025-01-01T00:00:0${seq}.000Z`, actor: "key-issuer", action: "collection.create", rule: null, decision: "passed", collectionId: "1", tokenId: null, policyVersion: null, inputHash: null, ref: null, payload: { q: `say "hi", ok\r\n${seq}` }, prevHash: out.at(-1)?.hash ?? GENESIS_HASH };
    out.push({ ...body, hash: entryHash(body) });
  }
  return out;
}

const KEY = generateNoteKey("example.org/log");
const header = (over: Partial<ExportHeader> = {}): ExportHeader => ({
  type: "header",
  format: EXPORT_FORMAT,
  version: EXPORT_VERSION,
  generatedAt: "2025-01-01T00:00:00.000Z",
  chainId: 31337,
  evidenceRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  origin: "example.org/log",
  logId: hash32(9),
  verifierKey: KEY.verifierKey,
  leafHashFrom: 1,
  tree: TREE_SCHEME,
  size: 3,
  filter: {},
  ...over,
});

describe("shared/log/export: the export and bundle format", function () {
  it("writes one canonical JSON object per line and parses every line type back", function () {
    const es = entries(3);
    const note = signCheckpoint({ origin: "example.org/log", size: 3, root: new Uint8Array(32).fill(7) }, KEY.signerKey);
    const lines = [
      exportLine(header()),
      ...es.map((e) => exportLine({ type: "entry", ...e })),
      exportLine({ type: "checkpoint", size: 3, root: hash32(7), note, anchor: { index: 0, txHash: hash32(1), blockNumber: 12 } }),
      exportLine({ type: "checkpoint", size: 3, root: hash32(7), note, anchor: null }),
      exportLine({ type: "consistency", from: 2, to: 3, proof: [hash32(3), hash32(4)] }),
      exportLine({ type: "anchor", fromSeq: 1, toSeq: 3, root: hash32(5), evidenceId: anchorEvidenceId(1, 3), txHash: hash32(6), blockNumber: 8, createdAt: "2025-01-01T00:00:00.000Z" }),
    ];
    for (const l of lines) expect(l).to.equal(canonicalJson(JSON.parse(l)));
    const parsed = parseExport(`${lines.join("\n")}\n\n`);
    expect(parsed.header).to.deep.equal(header());
    expect(parsed.entries).to.deep.equal(es);
    expect(parsed.checkpoints.map((c) => c.anchor)).to.deep.equal([{ index: 0, txHash: hash32(1), blockNumber: 12 }, null]);
    expect(parsed.consistency).to.deep.equal([{ type: "consistency", from: 2, to: 3, proof: [hash32(3), hash32(4)] }]);
    expect(parsed.anchors).to.deep.equal([{ fromSeq: 1, toSeq: 3, root: hash32(5), evidenceId: anchorEvidenceId(1, 3), txHash: hash32(6), blockNumber: 8, createdAt: "2025-01-01T00:00:00.000Z" }]);
    // CRLF line ends parse the same.
    expect(parseExport(lines.join("\r\n")).entries).to.deep.equal(es);
  });

  it("names the first bad line (1-based) and why", function () {
    const h = exportLine(header());
    expect(() => parseExport(`${h}\nnot json`)).to.throw(SyntaxError, "line 2: not JSON");
    expect(() => parseExport(`${h}\n{"type":"entry","seq":1}`)).to.throw(SyntaxError, /^line 2: /);
    expect(() => parseExport(`${h}\n{"type":"page"}`)).to.throw(SyntaxError, /^line 2: type: /);
    expect(() => parseExport(exportLine({ ...header(), version: 1 as never }))).to.throw(SyntaxError, /^line 1: version: /);
    expect(() => parseExport(`${h}\n${exportLine({ type: "consistency", from: 1, to: 2, proof: ["0x12"] })}`)).to.throw(SyntaxError, /^line 2: proof\.0: must be a 0x-prefixed 32-byte hex value/);
    expect(parseExport("").header).to.equal(undefined);
  });

  it("CSV: RFC 4180 fields, null and empty kept apart, one record per entry in the documented columns", function () {
    expect(csvField("plain")).to.equal("plain");
    expect(csvField('a,"b"\r\nc')).to.equal('"a,""b""\r\nc"');
    expect(csvField(null)).to.equal("");
    expect(csvField("")).to.equal('""');
    expect(csvField(42)).to.equal("42");
    expect(CSV_COLUMNS).to.deep.equal(["seq", "ts", "actor", "action", "rule", "decision", "collectionId", "tokenId", "policyVersion", "inputHash", "ref", "payload", "prevHash", "hash"]);
    const [e] = entries(1);
    expect(csvRow(e)).to.equal(
      ["1", "2025-01-01T00:00:01.000Z", "key-issuer", "collection.create", "", "passed", "1", "", "", "", "", `"${canonicalJson(e.payload).replace(/"/g, '""')}"`, e.prevHash, e.hash].join(","),
    );
  });
});
