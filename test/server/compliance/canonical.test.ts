import { expect } from "chai";
import { canonicalJson } from "../../../server/compliance/canonical";

describe("server/compliance/canonical: canonicalJson", function () {
  it("sorts keys at every depth and writes no whitespace", function () {
    const a = canonicalJson({ b: { y: 1, x: [3, { d: 1, c: 2 }] }, a: "名称" });
    const b = canonicalJson({ a: "名称", b: { x: [3, { c: 2, d: 1 }], y: 1 } });
    expect(a).to.equal('{"a":"名称","b":{"x":[3,{"c":2,"d":1}],"y":1}}');
    expect(b).to.equal(a);
  });

  it("writes bigints as decimal strings and drops undefined properties", function () {
    expect(canonicalJson({ n: 2n ** 70n, u: undefined, arr: [undefined, 1] })).to.equal(
      '{"arr":[null,1],"n":"1180591620717411303424"}',
    );
  });

  it("serialises Dates through toJSON", function () {
    expect(canonicalJson({ at: new Date("2026-11-01T00:00:00Z") })).to.equal('{"at":"2026-11-01T00:00:00.000Z"}');
  });

  it("rejects raw bytes (Uint8Array, Buffer, ArrayBuffer) with the path", function () {
    expect(() => canonicalJson({ media: { bytes: new Uint8Array([1, 2]) } })).to.throw(TypeError, /\$\.media\.bytes is raw bytes/);
    expect(() => canonicalJson([Buffer.from("x")])).to.throw(TypeError, /raw bytes/);
    expect(() => canonicalJson(new ArrayBuffer(2))).to.throw(TypeError, /raw bytes/);
  });

  it("rejects non-finite numbers, functions, Maps, cycles and a top-level undefined", function () {
    expect(() => canonicalJson({ x: NaN })).to.throw(TypeError, /finite/);
    expect(() => canonicalJson({ f: () => 1 })).to.throw(TypeError, /function/);
    expect(() => canonicalJson(new Map())).to.throw(TypeError, /Map/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).to.throw(TypeError, /cycle/);
    expect(() => canonicalJson(undefined)).to.throw(TypeError, /undefined/);
  });
});
