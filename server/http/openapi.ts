import { z } from "zod";
import { ErrorBody } from "../../shared/schemas";
import type { AnyRoute } from "./route";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });

/** OpenAPI 3 document generated from the same route table and zod schemas that validate requests. */
export function openApiDocument(routes: AnyRoute[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters: unknown[] = [];
    const addParams = (schema: z.ZodType | undefined, where: "path" | "query") => {
      const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
      for (const [name, s] of Object.entries(shape ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || !s.safeParse(undefined).success, schema: json(s) });
      }
    };
    addParams(r.params, "path");
    addParams(r.query, "query");
    for (const h of r.headers ?? []) {
      parameters.push({ name: h.name, in: "header", required: h.required, description: h.description, schema: { type: "string" } });
    }
    let requestBody: unknown;
    if (r.multipart) {
      const properties: Record<string, unknown> = {};
      for (const f of r.multipart.files) properties[f.name] = { type: "string", format: "binary", description: f.description };
      if (r.body) properties.data = { ...json(r.body), description: "JSON, sent as a text part" };
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
      requestBody = { required: true, content: { "application/json": { schema: json(r.body) } } };
    }
    const errorResponse = { description: "Error", content: { "application/json": { schema: json(ErrorBody) } } };
    paths[path] ??= {};
    paths[path][r.method] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.roles === "public" ? { security: [] } : { description: `Roles: ${r.roles.join(", ")}` }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: "Success", content: { "application/json": { schema: r.response ? json(r.response) : {} } } },
        "400": errorResponse,
        ...(r.roles === "public" ? {} : { "401": errorResponse, "403": errorResponse }),
        "422": errorResponse,
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
