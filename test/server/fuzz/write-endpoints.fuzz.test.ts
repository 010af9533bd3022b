import { randomUUID } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import pino from "pino";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { z } from "zod";
import { API, type AnyContract } from "../../../shared/api";
import type { ApiRole } from "../../../server/store/store";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { issuerSetup, png } from "../support/issuer";

/**
 * Fuzzes every write endpoint (each POST route contract of shared/api, so a new one is covered automatically) with
 * random and half-valid requests: random JSON, right keys with wrong types, huge and exotic strings, deep
 * nesting, malformed JSON text, wrong content types, random multipart parts and files, malformed multipart
 * encodings (a NUL in a file name, a control character in a part header's name, a header line without a
 * colon, a truncated boundary), random path params.
 *
 * Invariants: never a 5xx other than 503; every 4xx has the `{ error: { code, message, details } }` shape;
 * the gateway is healthy afterwards.
 *
 * FUZZ_RUNS (default 400) sets the runs per endpoint, FUZZ_SEED a seed to replay, FUZZ_SHRINK=1 stops at the
 * first violation and shrinks it (by default every run is made and each distinct violation is listed).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SHRINK = process.env.FUZZ_SHRINK === "1";
const MAX_BODY_BYTES = 1024 * 1024; // the gateway's default MAX_BODY_BYTES

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
type Part = { name: string; value: string } | { name: string; filename: string; bytes: Uint8Array; type: string };
type Payload =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "raw"; contentType: string | null; text: string; encoding?: string }
  | { kind: "bytes"; contentType: string | null; bytes: Uint8Array }
  | { kind: "multipart"; parts: Part[] };
interface FuzzRequest {
  role: ApiRole;
  path: string;
  headers: Record<string, string>;
  payload: Payload;
}

/** encodeURIComponent for any string (lone surrogates become U+FFFD instead of throwing). */
const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
/** Whether `schema` accepts `v` (a schema that throws, as a refine may on bad input, does not). */
const accepts = (schema: z.ZodType, v: unknown) => {
  try {
    return schema.safeParse(v).success;
  } catch {
    return false;
  }
};
type AnyRoute = AnyContract;
const label = (r: AnyRoute) => `${r.method.toUpperCase()} ${r.path}`;
const writeRoutes = (Object.values(API) as AnyRoute[]).filter((r) => r.method === "post");
const headerNames = (r: AnyRoute) => Object.keys((r.headers as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});

// ---------------------------------------------------------------------------------------------------------
// Value pools: valid, boundary and hostile values; schema-aware generators pick from them.

const HIGH_SURROGATE = fc.integer({ min: 0xd800, max: 0xdbff }).map((c) => String.fromCharCode(c));
const LOW_SURROGATE = fc.integer({ min: 0xdc00, max: 0xdfff }).map((c) => String.fromCharCode(c));
const CJK = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
const FULL_WIDTH = fc.integer({ min: 0xff01, max: 0xff5e }).map((c) => String.fromCharCode(c));
const ANY_UTF16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const exoticString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: CJK, minLength: 1, maxLength: 40 }),
  fc.string({ unit: FULL_WIDTH, minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.oneof(CJK, FULL_WIDTH, HIGH_SURROGATE, LOW_SURROGATE, ANY_UTF16), maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 5 }), HIGH_SURROGATE, fc.string({ maxLength: 5 })).map(([a, s, b]) => a + s + b),
  fc.tuple(fc.string({ maxLength: 5 }), LOW_SURROGATE).map(([a, s]) => a + s),
);

/** Long strings, now and then past the body limit. */
const hugeString = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom("a", "字", "Ａ", "😀", "\u0000", " "), fc.integer({ min: 30, max: 25_000 })).map(([c, n]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 200_000, max: 420_000 }).map((n) => "长".repeat(n)) },
);

const NUMBERS = [
  0, -0, 1, 2, 3, 4, 5, 31, 32, 50, 128, 156, 180, 200, 500, 999, 1000, 1001, 10_000, 10_001, 36_500, 36_501, 16_777_215, 16_777_216,
  -1, 0.5, 1.0000001, 1e21, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 53 + 1, 2 ** 64, -(2 ** 31),
];
const numberArb = fc.oneof(fc.constantFrom(...NUMBERS), fc.integer(), fc.double({ noNaN: false }), fc.integer({ min: -5, max: 40 }));

const ISO_DATES = [
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z",
  "1970-01-01T00:00:00Z",
  "2000-02-29T12:00:00+08:00",
  "2038-01-19T03:14:08Z",
  "9999-12-31T23:59:59.999999999Z",
  "2030-06-01T00:00:00.123456789012Z",
  "2030-01-01T00:00:00-00:00",
  "2030-01-01T00:00:00+23:59",
  "2030-01-01T24:00:00Z",
  "2030-02-30T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "2030-01-01",
  "tomorrow",
];

function stringPool(fx: Fx): string[] {
  const { alice, bob, issuer } = fx.accounts;
  const badChecksum = alice.address.replace(/[a-f]/, (c) => c.toUpperCase());
  return [
    // addresses: checksummed, lower, upper, bad checksum, zero
    alice.address,
    bob.address,
    issuer.address,
    alice.address.toLowerCase(),
    "0x" + alice.address.slice(2).toUpperCase(),
    badChecksum,
    ethers.ZeroAddress,
    "0x" + "f".repeat(40),
    "0x" + "g".repeat(40),
    alice.address.slice(0, 41),
    // bytes32
    fx.ids.alice,
    fx.ids.issuer,
    ethers.ZeroHash,
    ethers.id("random"),
    "0x" + "F".repeat(64),
    ethers.id("x").slice(0, 65),
    // unsigned integers as strings
    "0",
    "1",
    "2",
    "0001",
    (2n ** 64n - 1n).toString(),
    (2n ** 128n - 1n).toString(),
    (2n ** 128n).toString(),
    (2n ** 256n - 1n).toString(),
    (2n ** 256n).toString(),
    "9".repeat(78),
    "9".repeat(79),
    "-1",
    "1.5",
    "1e3",
    "0x10",
    "１２３",
    "١٢٣",
    // numbers-as-strings
    "NaN",
    "Infinity",
    "-Infinity",
    "-0",
    "1e308",
    "null",
    "true",
    // dates
    ...ISO_DATES,
    new Date(Date.now() + 365 * 86_400_000).toISOString(),
    new Date(Date.now() - 86_400_000).toISOString(),
    // enums of the API
    "copyright",
    "business-licence",
    "kyc-dossier",
    "other",
    "issuer",
    "attestor",
    "auditor",
    "regulator",
    "admin",
    "display",
    "personalUse",
    "commercialUse",
    "derivatives",
    "Locked",
    "GiftToVerified",
    // texts
    "AML review",
    "court order 12",
    "长城日出 Great Wall Sunrise",
    "ＡＭＬ审查　全角",
    "a".repeat(31),
    "a".repeat(32),
    "中".repeat(10),
    "中".repeat(11),
    "x".repeat(500),
    "x".repeat(501),
    "x".repeat(4001),
    "t".repeat(20_000),
    "t".repeat(20_001),
    "",
    " ",
    "\u0000",
    "\ud800",
    "\udfff",
    "a\ud83d",
    "\u202e\u0631\u0644",
    "<script>alert(1)</script>",
    "'; DROP TABLE api_keys; --",
    "../../etc/passwd",
    "%00",
    "赌博 lottery 13812345678 someone@example.com",
    // other ids
    `did:dareg:31337:${fx.ids.alice}`,
    "did:web:example.com",
    "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
    randomUUID(),
    "order-1",
    "__proto__",
    "constructor",
  ];
}

/** Deeply nested JSON text: arrays, objects or a mix, sometimes unterminated. */
const deepJsonText = fc
  .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom("array", "object", "mixed"), fc.boolean())
  .map(([depth, shape, close]) => {
    const open = shape === "array" ? "[" : shape === "object" ? '{"a":' : '[{"a":';
    const end = shape === "array" ? "]" : shape === "object" ? "}" : "}]";
    return open.repeat(depth) + "1" + (close ? end.repeat(depth) : end.repeat(depth >> 1));
  });

/** A JSON value nested `depth` levels (built iteratively: JSON.stringify copes with a few thousand). */
const deepValue = fc.tuple(fc.integer({ min: 10, max: 1500 }), fc.boolean()).map(([depth, asObject]) => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
});

// ---------------------------------------------------------------------------------------------------------
// Malformed multipart encodings: each makes busboy refuse the body ("Malformed part header", "Unexpected end
// of form"), which must be a 400 BAD_MULTIPART with a clear code, never a 500.

const BOUNDARY = "fuzzBoundary7MA4YWxkTrZu0gW";
const MALFORMED_MULTIPART = ["nul in filename", "nul in field name", "control character in a header name", "header line without a colon", "truncated boundary", "truncated part header"] as const;
type MalformedShape = (typeof MALFORMED_MULTIPART)[number];

/** A multipart body of `shape` whose first part is `field` (a file part when `file`), else well formed. */
function malformedMultipart(shape: MalformedShape, field: string, file: boolean, data = "{}"): Payload {
  const disposition = (name: string, filename?: string) => `Content-Disposition: form-data; name="${name}"${filename === undefined ? "" : `; filename="${filename}"`}`;
  const part = (headerLines: string[], body: string) => `--${BOUNDARY}\r\n${headerLines.join("\r\n")}\r\n\r\n${body}\r\n`;
  const first = (() => {
    switch (shape) {
      case "nul in filename":
        return part([disposition(field, "a\u0000b.png"), "Content-Type: image/png"], "\u0089PNG");
      case "nul in field name":
        return part([disposition(`${field}\u0000x`, file ? "a.png" : undefined)], data);
      case "control character in a header name":
        return part([`Content-Dispo\u0001sition: form-data; name="${field}"${file ? '; filename="a.png"' : ""}`], data);
      case "header line without a colon":
        return part([`Content-Disposition form-data; name="${field}"${file ? '; filename="a.png"' : ""}`], data);
      case "truncated boundary":
        return `${part([disposition(field, file ? "a.png" : undefined)], data)}--${BOUNDARY.slice(0, 6)}`;
      case "truncated part header":
        return `--${BOUNDARY}\r\nContent-Disposition: form-da`;
    }
  })();
  const closing = shape.startsWith("truncated") ? "" : `${part([disposition("data")], data)}--${BOUNDARY}--\r\n`;
  return { kind: "bytes", contentType: `multipart/form-data; boundary=${BOUNDARY}`, bytes: Uint8Array.from(Buffer.from(first + closing, "latin1")) };
}

// ---------------------------------------------------------------------------------------------------------
// Schema-aware value generation: mostly well-typed values (valid or boundary ones first), now and then a
// wrong type, a missing key or an extra key.

function schemaValue(schema: z.ZodType | undefined, pool: string[], weird: fc.Arbitrary<unknown>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  const wrong = (arb: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: weird });
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, z.ZodType>;
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) parts[k] = schemaValue(v, pool, weird, depth + 1);
      const keys = Object.keys(parts);
      const full = fc.record(parts);
      const partial = fc.record(parts, { requiredKeys: [] });
      const extra = fc
        .tuple(full, fc.oneof(fc.constantFrom("extra", "__proto__", "constructor", "", "名字", ...keys.map((k) => k.toUpperCase())), fc.string({ maxLength: 8 })), weird)
        .map(([o, k, v]) => JSON.parse(JSON.stringify({ ...o, [k]: v })) as unknown);
      return wrong(fc.oneof({ weight: 6, arbitrary: full }, { weight: 2, arbitrary: partial }, { weight: 1, arbitrary: extra }));
    }
    case "string": {
      const valid = pool.filter((s) => accepts(schema, s));
      return wrong(
        fc.oneof(
          ...(valid.length ? [{ weight: 6, arbitrary: fc.constantFrom(...valid) }] : []),
          { weight: 2, arbitrary: fc.constantFrom(...pool) },
          { weight: 2, arbitrary: exoticString },
          { weight: 1, arbitrary: hugeString },
        ),
      );
    }
    case "number": {
      const valid = NUMBERS.filter((n) => accepts(schema, n));
      return wrong(fc.oneof(...(valid.length ? [{ weight: 3, arbitrary: fc.constantFrom(...valid) }] : []), { weight: 2, arbitrary: numberArb }));
    }
    case "boolean":
      return wrong(fc.boolean());
    case "enum": {
      const values = Object.values(def.entries as Record<string, string>);
      return wrong(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.constantFrom(...pool) }));
    }
    case "literal":
      return wrong(fc.constantFrom(...(def.values as unknown[])));
    case "array": {
      const el = schemaValue(def.element, pool, weird, depth + 1);
      return wrong(
        fc.oneof(
          { weight: 6, arbitrary: fc.array(el, { maxLength: 5 }) },
          { weight: 1, arbitrary: fc.array(el, { minLength: 190, maxLength: 1_100 }) },
        ),
      );
    }
    case "union":
      return fc.oneof(...(def.options as z.ZodType[]).map((o) => schemaValue(o, pool, weird, depth + 1)));
    case "optional":
    case "default":
    case "nullable":
      return fc.oneof({ weight: 4, arbitrary: schemaValue(def.innerType, pool, weird, depth) }, { weight: 1, arbitrary: fc.constant(undefined) });
    case "pipe":
      return schemaValue(def.in, pool, weird, depth);
    default:
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }), weird);
  }
}

// ---------------------------------------------------------------------------------------------------------

describe("fuzz: every write endpoint never answers 5xx (other than 503)", function () {
  this.timeout(600_000);
  let gw: TestGateway;
  let fx: Fx;
  const tokens = {} as Record<ApiRole, string>;
  let pool: string[];
  const stats = new Map<string, Map<number, number>>();
  const timings = new Map<string, number>();
  const errorLog: string[] = [];
  /** The cause the gateway logged for a 5xx since `mark`, e.g. "SyntaxError: Cannot convert … to a BigInt at …". */
  const loggedCause = (mark: number) => {
    const line = errorLog.slice(mark).find((l) => l.includes('"msg":"request failed"'));
    if (!line) return "none logged";
    const { err } = JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } };
    const at = err?.stack?.split("\n").find((l) => /server\/|shared\//.test(l))?.trim() ?? "";
    const message = (err?.message ?? "").replace(/^Cannot convert [\s\S]* to a BigInt$/, "Cannot convert … to a BigInt");
    return `${err?.type}: ${message.slice(0, 160)} ${at}`;
  };

  before(async function () {
    fx = await loadFixture(gatewayChainFixture);
    // The gateway logs each 5xx with its cause; keep those lines to name the cause of a violation.
    const logger = pino({ level: "error" }, { write: (line: string) => void errorLog.push(line) });
    gw = await startTestGateway(fx.deployment, { logger });
    const issuer = await issuerSetup(gw, fx);
    tokens.issuer = issuer.token;
    for (const role of ["attestor", "auditor", "regulator", "admin"] as const) tokens[role] = await gw.key(role);
    // Collection 1, owned by the fixture's issuer, so that mint requests can get past the ownership check.
    const { form } = await issuer.form("fuzz");
    const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    pool = stringPool(fx);
  });

  after(async function () {
    if (stats.size) printSummary();
    await gw?.close();
  });

  function printSummary() {
    const statuses = [...new Set([...stats.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    const rows = [...stats.entries()].map(([route, m]) => ({
      route,
      n: [...m.values()].reduce((a, b) => a + b, 0),
      cells: statuses.map((s) => m.get(s) ?? 0),
      s: ((timings.get(route) ?? 0) / 1000).toFixed(1),
    }));
    const w = Math.max(...rows.map((r) => r.route.length), 8);
    const head = ["endpoint".padEnd(w), "runs".padStart(5), ...statuses.map((s) => String(s).padStart(5)), "secs".padStart(6)].join(" ");
    const lines = rows.map((r) => [r.route.padEnd(w), String(r.n).padStart(5), ...r.cells.map((c) => String(c || ".").padStart(5)), r.s.padStart(6)].join(" "));
    const totals = statuses.map((s) => rows.reduce((a, r) => a + r.cells[statuses.indexOf(s)], 0));
    const total = ["total".padEnd(w), String(rows.reduce((a, r) => a + r.n, 0)).padStart(5), ...totals.map((c) => String(c).padStart(5)), ""].join(" ");
    console.log(`\n  status codes per write endpoint (${RUNS} runs each):\n  ${head}\n  ${lines.join("\n  ")}\n  ${total}\n`);
  }

  // ---- request generation --------------------------------------------------------------------------

  function paramSamples(name: string): string[] {
    const { alice, bob } = fx.accounts;
    const table: Record<string, string[]> = {
      address: [
        alice.address,
        bob.address,
        alice.address.toLowerCase(),
        alice.address.replace(/[a-f]/, (c) => c.toUpperCase()), // bad EIP-55 checksum
        ethers.ZeroAddress,
        ethers.Wallet.createRandom().address,
      ],
      identityId: [fx.ids.alice, fx.ids.bob, fx.ids.issuer, ethers.ZeroHash, ethers.id("unknown identity")],
      id: ["1", "2", "0", "18446744073709551615", "99999999999999999999", (2n ** 128n - 1n).toString(), randomUUID()],
      hash: [ethers.id("x"), ethers.ZeroHash],
    };
    return table[name] ?? pool;
  }

  const WEIRD_SEGMENTS = ["%", "%zz", "%E0%A4%A", "..", ".", "%2e%2e", "a%2Fb", "%00", "中文", "ｉｄ", "1%20", "+1", "-1", "1e3", "0x1", "١٢٣", "１", "abc", "1.5", "%F0%9F%98%80", "%C0%AE"];

  function paramArb(route: AnyRoute, name: string): fc.Arbitrary<string> {
    const shape = (route.params as z.ZodObject | undefined)?.shape as Record<string, z.ZodType> | undefined;
    const valid = paramSamples(name).filter((v) => !shape?.[name] || accepts(shape[name], v));
    return fc.oneof(
      ...(valid.length ? [{ weight: 8, arbitrary: fc.constantFrom(...valid).map(enc) }] : []),
      // (kept under Node's 16 KiB header limit: a longer URL gets Node's bare 431, before the app)
      { weight: 1, arbitrary: fc.constantFrom(...pool.filter((s) => s.length < 2_000)).map(enc) },
      { weight: 1, arbitrary: exoticString.filter((s) => s.length > 0).map(enc) },
      { weight: 1, arbitrary: fc.constantFrom(...WEIRD_SEGMENTS) },
      { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 300n }).map(String) },
    );
  }

  function pathArb(route: AnyRoute): fc.Arbitrary<string> {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    if (!names.length) return fc.constant(route.path);
    return fc.tuple(...names.map((n) => paramArb(route, n))).map((values) => {
      let i = 0;
      return route.path.replace(/:(\w+)/g, () => values[i++]);
    });
  }

  const headerValue = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
    fc.constantFrom("order-1", "", " ", "a".repeat(200), "a".repeat(201), "with space", "semi;colon", "ünïcödé", "\u00ff"),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  );

  function headersArb(route: AnyRoute): fc.Arbitrary<Record<string, string>> {
    const declared = headerNames(route);
    const parts: Record<string, fc.Arbitrary<string>> = {};
    for (const h of declared) parts[h] = headerValue;
    parts["x-request-id"] = headerValue;
    return fc.record(parts, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
  }

  const CONTENT_TYPES = [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "application/xml",
    "application/octet-stream",
    "image/png",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=zzz",
    "multipart/mixed; boundary=zzz",
    "application/json; charset=utf-16",
    "application/json; charset=latin1",
    "application/json; charset=koi8-r",
    'application/json; charset="utf-8"',
    "application/JSON",
    "application/jsonp",
    "application/json-patch+json",
    "application/vnd.api+json",
    "application/json, text/plain",
    "*/*",
    ";;;",
    "application/",
  ];

  const MALFORMED_JSON = [
    "",
    "{",
    "}",
    "[",
    "{]",
    '{"a":1,}',
    "{'a': 'b'}",
    '{"a":1}{"b":2}',
    '{"a": NaN}',
    '{"a": Infinity}',
    '{"a": -Infinity}',
    '{"a": 1e999}',
    '{"a": -0}',
    '{"a": 01}',
    '{"a": 0x10}',
    '{"a": .5}',
    '{"a": "\\ud800"}',
    '{"a": "\\x41"}',
    '{"a": "unterminated}',
    '{"a": undefined}',
    "\uFEFF{}",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1e308",
    '"string"',
    "[]",
    "[{}]",
    '{"__proto__": {"role": "admin"}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"a": "b", "a": "c"}',
    "{\u0000}",
    '{"a":"\u0000"}',
    "// comment\n{}",
  ];

  /** JSON text of a half-valid body with a hostile token spliced in somewhere. */
  function splicedJson(bodyArb: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
    return fc
      .tuple(bodyArb, fc.nat(), fc.constantFrom("NaN", "-0", "1e999", "Infinity", ",", "}", "]", '"', "\\", "\u0000", "\ud800", "null", "01", "'"))
      .map(([v, at, tok]) => {
        const text = JSON.stringify(v) ?? "";
        const i = text.length ? at % text.length : 0;
        return text.slice(0, i) + tok + text.slice(i);
      });
  }

  const fileBytes = fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => png(s)) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((n) => new Uint8Array(n).fill(7)) },
  );
  const filename = fc.oneof(
    fc.constantFrom("file.pdf", "work.png", "证书.pdf", "ｆｕｌｌ.png", "", "../../etc/passwd", "a\"b.txt", "x".repeat(300), "no-extension"),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  );
  const mimetype = fc.constantFrom("application/pdf", "image/png", "application/octet-stream", "text/plain", "", "application/json", "x/y");

  function multipartArb(route: AnyRoute, dataArb: fc.Arbitrary<string>): fc.Arbitrary<Payload> {
    const declared = route.multipart?.files.map((f) => f.name) ?? ["file"];
    const filePart = (name: fc.Arbitrary<string>) =>
      fc.record({ name, filename, bytes: fileBytes, type: mimetype }).map((p): Part => p);
    const fileParts = fc.tuple(...declared.map((n) => fc.option(filePart(fc.constant(n)), { freq: 4 }))).map((ps) => ps.filter((p): p is Part => p !== null));
    const extraParts = fc.array(
      fc.oneof(
        filePart(fc.oneof(fc.constantFrom(...declared, "data", "other", "files[]"), fc.string({ maxLength: 10 }))),
        fc.record({
          name: fc.oneof(fc.constantFrom("data", "data[a]", "data[]", "__proto__", "extra", "", "名字"), fc.string({ maxLength: 10 })),
          value: fc.oneof(dataArb, exoticString),
        }),
      ),
      { maxLength: 4 },
    );
    const dataPart = fc.option(dataArb.map((value): Part => ({ name: "data", value })), { freq: 6 });
    return fc
      .tuple(dataPart, fileParts, fc.oneof({ weight: 4, arbitrary: fc.constant([] as Part[]) }, { weight: 1, arbitrary: extraParts }))
      .map(([d, files, extra]) => ({ kind: "multipart" as const, parts: [...(d ? [d] : []), ...files, ...extra] }));
  }

  function requestArb(route: AnyRoute): fc.Arbitrary<FuzzRequest> {
    const roles = route.roles === "public" ? (["admin"] as ApiRole[]) : [...route.roles];
    const weird = fc.oneof(
      { weight: 3, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5 }) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 2, arbitrary: exoticString },
      { weight: 2, arbitrary: fc.constantFrom(...pool) },
      { weight: 2, arbitrary: numberArb },
      { weight: 1, arbitrary: hugeString },
      { weight: 1, arbitrary: deepValue },
      { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], [{}]) },
    );
    const shaped = schemaValue(route.body, pool, weird);
    const jsonBody = fc.oneof(
      { weight: 8, arbitrary: shaped },
      { weight: 2, arbitrary: fc.anything({ maxDepth: 4 }) },
      { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((s) => JSON.parse(s) as unknown) },
      { weight: 1, arbitrary: fc.array(shaped, { minLength: 1, maxLength: 3 }) }, // array where an object is expected
      { weight: 1, arbitrary: deepValue },
      { weight: 1, arbitrary: hugeString.map((s) => ({ reason: s, name: s, data: s })) },
    );
    const dataText = fc.oneof(
      { weight: 8, arbitrary: shaped.map((v) => JSON.stringify(v) ?? "") },
      { weight: 2, arbitrary: jsonBody.map((v) => JSON.stringify(v) ?? "undefined") },
      { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
      { weight: 1, arbitrary: splicedJson(shaped) },
      { weight: 1, arbitrary: exoticString },
      { weight: 1, arbitrary: deepJsonText },
    );
    const rawJson = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
      { weight: 3, arbitrary: splicedJson(shaped) },
      { weight: 2, arbitrary: fc.json().map((s) => s.slice(0, Math.max(0, s.length - 1))) },
      { weight: 2, arbitrary: deepJsonText },
      { weight: 1, arbitrary: exoticString },
      { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES - 100, max: MAX_BODY_BYTES + 1000 }).map((n) => `{"reason":"${"a".repeat(n)}"}`) },
    );
    const jsonCt = fc.constantFrom("application/json", "application/json; charset=utf-8", "Application/Json");
    const payload: fc.Arbitrary<Payload> = route.multipart
      ? fc.oneof(
          { weight: 12, arbitrary: multipartArb(route, dataText) },
          { weight: 1, arbitrary: jsonBody.map((value): Payload => ({ kind: "json", value })) },
          { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...CONTENT_TYPES, null), text: dataText }).map((p): Payload => ({ kind: "raw", ...p })) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom("zzz", "", "a".repeat(80)), dataText, fc.boolean())
              .map(([b, text, close]): Payload => ({
                kind: "raw",
                contentType: `multipart/form-data; boundary=${b}`,
                text: `--zzz\r\nContent-Disposition: form-data; name="data"\r\n\r\n${text}\r\n${close ? "--zzz--\r\n" : ""}`,
              })),
          },
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.constantFrom(...MALFORMED_MULTIPART), fc.constantFrom("data", ...(route.multipart.files.map((f) => f.name))), dataText)
              .map(([shape, field, text]) => malformedMultipart(shape, field, field !== "data", text)),
          },
          { weight: 1, arbitrary: fc.constant<Payload>({ kind: "none" }) },
        )
      : fc.oneof(
          { weight: 10, arbitrary: jsonBody.map((value): Payload => ({ kind: "json", value })) },
          { weight: 3, arbitrary: fc.record({ contentType: jsonCt, text: rawJson }).map((p): Payload => ({ kind: "raw", ...p })) },
          { weight: 2, arbitrary: fc.record({ contentType: fc.constantFrom(...CONTENT_TYPES, null), text: dataText }).map((p): Payload => ({ kind: "raw", ...p })) },
          {
            weight: 1,
            arbitrary: fc
              .record({ contentType: fc.constantFrom("application/json", ...CONTENT_TYPES), bytes: fc.uint8Array({ maxLength: 200 }) })
              .map((p): Payload => ({ kind: "bytes", ...p })),
          },
          {
            weight: 1,
            arbitrary: fc
              .record({ text: rawJson, encoding: fc.constantFrom("gzip", "deflate", "br", "compress", "identity", "x-unknown") })
              .map((p): Payload => ({ kind: "raw", contentType: "application/json", ...p })),
          },
          { weight: 1, arbitrary: multipartArb(route, dataText) },
          { weight: 1, arbitrary: fc.constant<Payload>({ kind: "none" }) },
        );
    return fc.record({ role: fc.constantFrom(...roles), path: pathArb(route), headers: headersArb(route), payload });
  }

  // ---- sending and checking ------------------------------------------------------------------------

  async function send(req: FuzzRequest): Promise<{ status: number; text: string; body: any }> {
    const headers: Record<string, string> = { ...req.headers, authorization: `Bearer ${tokens[req.role]}` };
    let body: string | Uint8Array | FormData | undefined;
    const p = req.payload;
    if (p.kind === "json") {
      body = JSON.stringify(p.value);
      if (body === undefined) body = "";
      headers["content-type"] = "application/json";
    } else if (p.kind === "raw" || p.kind === "bytes") {
      body = p.kind === "raw" ? p.text : p.bytes;
      if (p.contentType !== null) headers["content-type"] = p.contentType;
      if (p.kind === "raw" && p.encoding) headers["content-encoding"] = p.encoding;
    } else if (p.kind === "multipart") {
      const form = new FormData();
      for (const part of p.parts) {
        if ("value" in part) form.append(part.name, part.value);
        else form.append(part.name, new Blob([Buffer.from(part.bytes)], { type: part.type }), part.filename);
      }
      body = form;
    }
    const res = await fetch(`${gw.url}${req.path}`, { method: "POST", headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  }

  const describeReq = (req: FuzzRequest) =>
    JSON.stringify(req, (_k, v) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : typeof v === "string" && v.length > 300 ? `${v.slice(0, 100)}…(${v.length} chars)` : v));

  it("covers every POST route contract of shared/api", () => {
    expect(writeRoutes.length).to.be.greaterThan(10);
    for (const r of writeRoutes) expect(r.roles, label(r)).to.not.equal("public");
  });

  for (const route of writeRoutes.filter((r) => r.multipart)) {
    it(`${label(route)}: every malformed multipart encoding answers 400 BAD_MULTIPART`, async () => {
      const role = (route.roles as readonly ApiRole[])[0];
      const fields = ["data", ...route.multipart!.files.map((f) => f.name)];
      const seen: string[] = [];
      for (const shape of MALFORMED_MULTIPART) {
        for (const field of fields) {
          const res = await send({ role, path: route.path.replace(":id", "1"), headers: {}, payload: malformedMultipart(shape, field, field !== "data") });
          seen.push(`${shape} in ${field} → ${res.status} ${res.body?.error?.code}`);
          expect(res.status, `${shape} in ${field}: ${res.text}`).to.equal(400);
          expect(res.body.error.code).to.equal("BAD_MULTIPART");
          expect(res.body.error.message).to.equal("The multipart body is malformed: the multipart encoding is broken");
          expect(res.text).not.to.match(/Malformed part header|Unexpected end of form|busboy/i);
        }
      }
      expect(seen).to.have.length(MALFORMED_MULTIPART.length * fields.length);
    });
  }

  for (const route of writeRoutes) {
    it(`${label(route)}: ${RUNS} random requests, no 5xx but 503, 4xx always { error: { code, message, details } }`, async () => {
      const counts = new Map<number, number>();
      stats.set(label(route), counts);
      // Every request is run and each distinct violation listed with its shortest example; FUZZ_SHRINK=1 stops
      // at the first one instead and lets fast-check shrink it (and print the seed and path to replay it).
      const violations = new Map<string, { n: number; example: string }>();
      const started = Date.now();
      try {
        await fc.assert(
          fc.asyncProperty(requestArb(route), async (req) => {
            let res: Awaited<ReturnType<typeof send>>;
            const mark = errorLog.length;
            try {
              res = await send(req);
            } catch (e) {
              // A request fetch itself refuses to build (e.g. a header value it rejects) is not the server's fault.
              if (e instanceof TypeError && !/fetch failed/.test(e.message)) {
                counts.set(0, (counts.get(0) ?? 0) + 1); // column "0": not sent
                return;
              }
              throw new Error(`request failed: ${(e as Error).message} (${(e as Error & { cause?: Error }).cause?.message}) for ${describeReq(req)}`);
            }
            counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
            const cause = res.status >= 500 && res.status !== 503 ? loggedCause(mark) : "";
            const where = `${res.status} ${res.text.slice(0, 500)}\n    for ${describeReq(req)}`;
            let problem: string | undefined;
            if (res.status >= 500 && res.status !== 503) problem = `server error ${res.status} ${res.body?.error?.code} (cause: ${cause})`;
            else if (res.status >= 400) {
              const err = res.body?.error;
              if (!err || typeof err.code !== "string" || typeof err.message !== "string" || !("details" in err)) problem = `${res.status} without the error shape`;
            }
            if (!problem) return;
            if (SHRINK) throw new Error(`${problem}: ${where}`);
            const key = problem
              .replace(/\d{10,}|0x[0-9a-fA-F]+|"[^"]*"/g, "…")
              .slice(0, 400);
            const v = violations.get(key) ?? { n: 0, example: where };
            v.n++;
            if (where.length < v.example.length) v.example = where; // keep the shortest example
            violations.set(key, v);
          }),
          { numRuns: RUNS, seed: SEED, verbose: 1 },
        );
      } finally {
        timings.set(label(route), Date.now() - started);
      }
      const list = [...violations.entries()].map(([k, v]) => `${v.n}× ${k}\n    e.g. ${v.example}`);
      expect(list, `violations:\n  ${list.join("\n  ")}`).to.deep.equal([]);
    });
  }

  it("the gateway is still healthy after the run", async () => {
    const res = await gw.call("GET", "/healthz");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // and still answers a plain authenticated read
    const keys = await gw.call("GET", "/v1/keys", { token: tokens.admin });
    expect(keys.status).to.equal(200);
  });
});
