/**
 * Valid requests built from the route contracts of shared/api, so that a suite covering "every route" (the
 * authorization matrix, the fuzzer's baseline) covers a new route without being edited. Values are taken
 * from candidate lists by field name, then from a generic pool, and each is kept only when the field's own
 * zod schema accepts it; the whole request is then parsed by the contract's schemas, and a contract this
 * cannot satisfy fails loudly with the field to add a candidate for. Registers no mocha test.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import type { AnyContract } from "../../../shared/api";

/** Candidate values of a field, by its name (the last key of its path); called anew for every request. */
export type Candidates = Record<string, () => unknown[]>;

export interface SampleRequest {
  /** The concrete path, with its query string. */
  path: string;
  headers: Record<string, string>;
  json?: unknown;
  form?: FormData;
}

type Def = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const accepts = (schema: z.ZodType, v: unknown) => {
  try {
    return schema.safeParse(v).success;
  } catch {
    return false;
  }
};
const isOptional = (schema: z.ZodType) => ["optional", "default"].includes(defOf(schema).type);

/** What any field may be tried with when no candidate of its own name fits. */
function genericCandidates(): unknown[] {
  const future = new Date(Date.now() + 400 * 86_400_000).toISOString();
  return ["contract sample 合约样例", "1", 1, 2, 0, 156, 180, future, `0x${randomBytes(32).toString("hex")}`, randomUUID(), true];
}

/**
 * A value `schema` accepts. `include` decides whether optional fields are filled in (request bodies: yes,
 * when a candidate fits; queries: no).
 */
export function sampleValue(schema: z.ZodType, name: string, candidates: Candidates, includeOptional: boolean, path = name): unknown {
  const def = defOf(schema);
  const named = candidates[name]?.() ?? [];
  for (const v of named) if (accepts(schema, v)) return v;
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
    case "readonly":
      return sampleValue(def.innerType, name, candidates, includeOptional, path);
    case "pipe":
      return sampleValue(def.in, name, candidates, includeOptional, path);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        if (isOptional(field) && !(includeOptional && (candidates[key]?.() ?? []).some((v) => accepts(field, v)))) continue;
        out[key] = sampleValue(field, key, candidates, includeOptional, `${path}.${key}`);
      }
      return out;
    }
    case "array":
      return [sampleValue(def.element, name, candidates, includeOptional, `${path}[0]`)];
    case "union":
      for (const option of def.options as z.ZodType[]) {
        try {
          const v = sampleValue(option, name, candidates, includeOptional, path);
          if (accepts(schema, v)) return v;
        } catch {
          // try the next option
        }
      }
      break;
    case "enum":
      return Object.values(def.entries as Record<string, unknown>)[0];
    case "literal":
      return (def.values as unknown[])[0];
    case "boolean":
      return true;
    case "record":
    case "unknown":
    case "any":
      return {};
  }
  for (const v of genericCandidates()) if (accepts(schema, v)) return v;
  throw new Error(`contract-samples: no candidate value fits ${path} (${def.type}); add one under "${name}"`);
}

/**
 * A valid request to `contract`: path parameters, required query parameters, a fresh Idempotency-Key when
 * the route takes one, and the JSON body (or the multipart `data` field plus each required file).
 * `files` gives the bytes of a file part by name (default: 64 random bytes, so each upload is new).
 */
export function sampleRequest(contract: AnyContract, candidates: Candidates, files: (name: string) => Uint8Array = () => randomBytes(64)): SampleRequest {
  const label = `${contract.method.toUpperCase()} ${contract.path}`;
  const check = (schema: z.ZodType | undefined, value: unknown, where: string) => {
    if (!schema) return;
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(`contract-samples: ${label}: the sample ${where} ${JSON.stringify(value)} is not valid: ${JSON.stringify(r.error.issues)}`);
  };

  const params = contract.params ? (sampleValue(contract.params, "params", candidates, false) as Record<string, unknown>) : {};
  check(contract.params, params, "params");
  const query = contract.query ? (sampleValue(contract.query, "query", candidates, false) as Record<string, unknown>) : {};
  check(contract.query, query, "query");
  const path = contract.path.replace(/:(\w+)/g, (_m, key: string) => encodeURIComponent(String(params[key])));
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();

  const headers: Record<string, string> = {};
  const headerShape = (contract.headers as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  if ("idempotency-key" in headerShape) headers["idempotency-key"] = `sample-${randomUUID()}`;
  check(contract.headers, headers, "headers");

  const out: SampleRequest = { path: qs ? `${path}?${qs}` : path, headers };
  if (contract.method === "get" || contract.method === "delete") return out;
  const body = contract.body ? sampleValue(contract.body, "body", candidates, true) : undefined;
  check(contract.body, body, "body");
  if (contract.multipart) {
    const form = new FormData();
    if (contract.body) form.set("data", JSON.stringify(body));
    for (const f of contract.multipart.files) if (f.required) form.set(f.name, new Blob([Buffer.from(files(f.name))]), `${f.name}.bin`);
    out.form = form;
  } else if (contract.body) {
    out.json = body;
  }
  return out;
}
