/** Canonical JSON: the byte form entries, decisions and receipts are hashed in. Browser-safe. */

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no
 * whitespace, bigint written as a decimal string, `undefined` object properties dropped (in arrays:
 * `null`, like JSON.stringify). Objects with a `toJSON` method (Date) are serialised through it.
 * Throws a TypeError on what JSON cannot represent faithfully: raw bytes (Uint8Array, Buffer, any
 * ArrayBuffer view — hash them first), non-finite numbers, functions, symbols, Map, Set, cycles, and a
 * top-level `undefined`. For these inputs the output equals RFC 8785 (JCS) except that bigints are strings.
 *
 * @example
 * canonicalJson({ b: 1n, a: [undefined, "x"], c: undefined }) // '{"a":[null,"x"],"b":"1"}'
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, new Set(), "$");
  if (out === undefined) throw new TypeError("canonicalJson: cannot serialise undefined");
  return out;
}

function write(value: unknown, stack: Set<object>, path: string): string | undefined {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(value.toString());
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number (${value})`);
      return JSON.stringify(value);
    case "function":
    case "symbol":
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}`);
  }
  if (value === null) return "null";
  const obj = value as object;
  // Before toJSON: Buffer has one, and its {type,data} form is not what anyone means to hash.
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || Object.prototype.toString.call(obj) === "[object SharedArrayBuffer]") {
    throw new TypeError(`canonicalJson: ${path} is raw bytes (${obj.constructor.name}); hash it first`);
  }
  if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    return write((obj as { toJSON: (key: string) => unknown }).toJSON(""), stack, path);
  }
  if (obj instanceof Map || obj instanceof Set) {
    throw new TypeError(`canonicalJson: ${path} is a ${obj.constructor.name}; convert it to plain JSON first`);
  }
  if (stack.has(obj)) throw new TypeError(`canonicalJson: ${path} is a cycle`);
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((v, i) => write(v, stack, `${path}[${i}]`) ?? "null").join(",")}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = write((obj as Record<string, unknown>)[key], stack, `${path}.${key}`);
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    stack.delete(obj);
  }
}

/**
 * The plain-JSON form of `value` (bigint → string, undefined dropped, keys sorted): what a JSON column
 * stores and gives back unchanged, so the hash of an entry survives a round trip through the store.
 */
export function toJsonSafe(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(canonicalJson(value));
}
