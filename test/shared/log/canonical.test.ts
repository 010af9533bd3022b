/** shared/log/canonical.ts: the byte form entries are hashed in. */
import { expect } from "chai";
import { canonicalJson, toJsonSafe } from "../../../shared/log/canonical";

describe("shared/log/canonical: canonical JSON", function () {
  it("sorts keys at every depth, drops undefined, writes bigint as a decimal string, no whitespace", function () {
    expect(canonicalJson({ b: 2n, a: { d: undefined, c: [3, undefined, "x"] }, e: null })).to.equal('{"a":{"c":[3,null,"x"]},"b":"2","e":null}');
    expect(canonicalJson(12345678901234567890n)).to.equal('"12345678901234567890"');
    expect(canonicalJson(new Date("2025-01-01T00:00:00.000Z"))).to.equal('"2025-01-01T00:00:00.000Z"');
    expect(canonicalJson([true, false, 0, -1.5, 1e21])).to.equal("[true,false,0,-1.5,1e+21]");
  });

  it("escapes strings as JSON.stringify does (RFC 8785 for these inputs), Chinese text kept as UTF-8", function () {
    for (const s of ['é\n"', "\u0000\u001f", "长城 八达岭", "\u2028\u2029", "😀", "\\/"]) expect(canonicalJson(s), s).to.equal(JSON.stringify(s));
    expect(canonicalJson({ 中: 1, a: 2, B: 3 })).to.equal('{"B":3,"a":2,"中":1}');
  });

  it("gives the same text whatever the key order", function () {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).to.equal(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });

  it("refuses what JSON cannot carry faithfully, naming where", function () {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [NaN, Infinity, () => 1, Symbol("s"), new Map(), new Set(), new Uint8Array(2), Buffer.from("ab"), new ArrayBuffer(2), new SharedArrayBuffer(2), cyclic, undefined]) {
      expect(() => canonicalJson(bad), String(bad)).to.throw(TypeError);
    }
    expect(() => canonicalJson({ a: [1, { b: NaN }] })).to.throw(TypeError, "canonicalJson: $.a[1].b is not a finite number (NaN)");
    expect(() => canonicalJson({ file: Buffer.from("x") })).to.throw(TypeError, "canonicalJson: $.file is raw bytes (Buffer); hash it first");
    expect(() => canonicalJson(cyclic)).to.throw(TypeError, "canonicalJson: $.self is a cycle");
  });

  it("runs where SharedArrayBuffer is not defined (a browser page that is not cross-origin isolated)", function () {
    const g = globalThis as { SharedArrayBuffer?: unknown };
    const saved = g.SharedArrayBuffer;
    delete g.SharedArrayBuffer;
    try {
      expect(typeof (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer).to.equal("undefined");
      expect(canonicalJson({ b: [1], a: "x" })).to.equal('{"a":"x","b":[1]}');
      expect(() => canonicalJson({ a: new Uint8Array(1) })).to.throw(TypeError, /raw bytes/);
    } finally {
      g.SharedArrayBuffer = saved;
    }
  });

  it("toJsonSafe gives the plain JSON a store column keeps unchanged", function () {
    const safe = toJsonSafe({ id: 7n, list: [1n, undefined], skip: undefined, when: new Date(0) });
    expect(safe).to.deep.equal({ id: "7", list: ["1", null], when: "1970-01-01T00:00:00.000Z" });
    expect(JSON.parse(JSON.stringify(safe))).to.deep.equal(safe);
    expect(canonicalJson(JSON.parse(JSON.stringify(safe)))).to.equal(canonicalJson(safe));
    expect(toJsonSafe(undefined)).to.equal(null);
  });
});
