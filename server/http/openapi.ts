import { z } from "zod";
import type { AnyContract } from "../../shared/api/contract";
import { ErrorBody } from "../../shared/errors";

const input = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });
const output = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "output", unrepresentable: "any" });

const shapeOf = (schema: z.ZodType | undefined) => (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};

/**
 * OpenAPI 3 document generated from the route contracts of shared/api: the same zod schemas validate the
 * requests, type the client and are checked against every response in the tests.
 */
export function openApiDocument(contracts: readonly AnyContract[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of contracts) {
    const path = r.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters: unknown[] = [];
    const addParams = (schema: z.ZodType | undefined, where: "path" | "query" | "header") => {
      for (const [name, s] of Object.entries(shapeOf(schema))) {
        parameters.push({ name, in: where, required: where === "path" || !s.safeParse(undefined).success, schema: input(s) });
      }
    };
    addParams(r.params, "path");
    addParams(r.query, "query");
    addParams(r.headers, "header");
    let requestBody: unknown;
    if (r.multipart) {
      const properties: Record<string, unknown> = {};
      for (const f of r.multipart.files) properties[f.name] = { type: "string", format: "binary", description: f.description };
      if (r.body) properties.data = { ...input(r.body), description: "JSON, sent as a text part" };
      requestBody = {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties,
              required: [...r.multipart.files.filter((f) => f.required).map((f) => f.name), ...(r.body ? ["data"] : [])],
            },
          },
        },
      };
    } else if (r.body) {
      requestBody = { required: true, content: { "application/json": { schema: input(r.body) } } };
    }
    const errorResponse = { description: "Error (code, message, params, details)", content: { "application/json": { schema: output(ErrorBody) } } };
    const success = r.response
      ? { description: "Success", content: { "application/json": { schema: output(r.response) } } }
      : { description: "Success", content: Object.fromEntries((r.produces ?? ["application/octet-stream"]).map((t) => [t, { schema: { type: "string", format: "binary" } }])) };
    const alternatives = Object.fromEntries(
      Object.entries(r.alternatives ?? {}).map(([status, schema]) => [
        status,
        { description: status === "202" ? "Accepted: still pending, poll the operation" : "Alternative reply", content: { "application/json": { schema: output(schema) } } },
      ]),
    );
    paths[path] ??= {};
    paths[path][r.method] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.roles === "public" ? { security: [] } : { description: `Roles: ${r.roles.join(", ")}` }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [String(r.status ?? 200)]: success,
        ...alternatives,
        "400": errorResponse,
        ...(r.roles === "public" ? {} : { "401": errorResponse, "403": errorResponse }),
        "422": errorResponse,
        "429": errorResponse,
        "503": errorResponse,
      },
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Digital Asset Registry gateway", version: info.version },
    servers: [{ url: "/" }],
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "an API key" } } },
    security: [{ apiKey: [] }],
    paths,
  };
}
