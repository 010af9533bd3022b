import { z } from "zod";
import type { ApiRole } from "../domain";

/**
 * The shape of one API route, shared by the gateway (which implements it), the typed client (which calls
 * it), the OpenAPI document and the tests (which parse every response with `response`).
 *
 * Browser-safe: zod only.
 */
export interface FilePart {
  name: string;
  required: boolean;
  description: string;
}

export interface RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  H extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: "get" | "post" | "delete";
  /** Express-style path, e.g. /v1/identities/:address */
  path: string;
  tag: string;
  summary: string;
  /** Roles allowed; "public" needs no key. */
  roles: readonly ApiRole[] | "public";
  params?: P;
  query?: Q;
  /** JSON body; for multipart routes, the JSON carried in the `data` field. */
  body?: B;
  /** Request headers, by lower-case name. */
  headers?: H;
  multipart?: { files: readonly FilePart[] };
  /** Success status (default 200). */
  status?: number;
  /** Other success statuses the route may answer with, and their bodies (e.g. 202 while pending). */
  alternatives?: Readonly<Record<number, z.ZodType>>;
  /** The JSON success body; absent for routes that stream a file or text (see `produces`). */
  response?: R;
  /** Content types of a non-JSON success body (streams, files, metrics). */
  produces?: readonly string[];
}

/** Identity function that keeps the literal types of a contract. */
export const route = <P extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever, B extends z.ZodType = z.ZodNever, H extends z.ZodType = z.ZodNever, R extends z.ZodType = z.ZodUnknown>(
  c: RouteContract<P, Q, B, H, R>,
): RouteContract<P, Q, B, H, R> => c;

export type AnyContract = RouteContract<z.ZodType, z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

type Out<T> = T extends z.ZodType ? z.output<T> : never;
type In<T> = T extends z.ZodType ? z.input<T> : never;

/** What a client sends to a route. */
export type RequestOf<C> = C extends RouteContract<infer P, infer Q, infer B, infer H, z.ZodType>
  ? ([P] extends [z.ZodNever] ? unknown : { params: In<P> }) &
      ([Q] extends [z.ZodNever] ? unknown : { query?: In<Q> }) &
      ([B] extends [z.ZodNever] ? unknown : { body: In<B> }) &
      ([H] extends [z.ZodNever] ? unknown : {} extends In<H> ? { headers?: In<H> } : { headers: In<H> })
  : never;

/** What a route answers on success. */
export type ResponseOf<C> = C extends RouteContract<z.ZodType, z.ZodType, z.ZodType, z.ZodType, infer R> ? Out<R> : never;
