/**
 * Server state through TanStack Query, keyed by the shared route names: `[routeName, input]`. Writes that
 * the gateway may answer with 202 (a pending operation) are followed to their outcome here, once.
 */
import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from "@tanstack/react-query";
import { ApiError, type ApiClient, type CallInput, type ResultOf } from "../../../shared/api/client";
import type { RouteName } from "../../../shared/api";
import type { Operation, Pending } from "../../../shared/api/operations";
import { errorStatus } from "../../../shared/errors";
import { useApi } from "./session";

type QueryInput<N extends RouteName> = Omit<CallInput<N>, "signal" | "files">;

/** Whether a reply is the 202 body of a write still waiting for its transaction. */
export const isPending = (v: unknown): v is Pending =>
  typeof v === "object" && v !== null && (v as Pending).state === "pending" && typeof (v as Pending).operationId === "string" && "statusUrl" in v;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

/** A write's final result: the reply itself, or, for a pending operation, its result once the chain decided. */
export async function settle<T>(api: ApiClient, reply: T | Pending, onPending?: (op: Pending | Operation) => void, signal?: AbortSignal): Promise<T> {
  if (!isPending(reply)) return reply;
  onPending?.(reply);
  for (let delay = 500; ; delay = Math.min(delay * 1.5, 3000)) {
    await sleep(delay, signal);
    const op = await api.call("getOperation", { params: { id: reply.operationId }, signal });
    if (op.state === "succeeded") return op.result as T;
    if (op.state === "failed") {
      const e = op.error ?? { code: "INTERNAL", params: {}, details: null, message: "" };
      throw new ApiError(errorStatus(e.code), e.code, e.params, e.details, e.message);
    }
    onPending?.(op);
  }
}

/** Retry a read once on a network error or a 5xx; never on a refusal. */
const retry = (count: number, error: unknown) => count < 1 && !(error instanceof ApiError && error.status < 500);

/** A read of one route. `input` undefined: not yet (the query waits). */
export function useRouteQuery<N extends RouteName, T = ResultOf<N>>(
  name: N,
  input: QueryInput<N> | undefined,
  options: Omit<UseQueryOptions<ResultOf<N>, Error, T>, "queryKey" | "queryFn"> = {},
) {
  const api = useApi();
  return useQuery<ResultOf<N>, Error, T>({
    queryKey: [name, input ?? null],
    queryFn: ({ signal }) => api.call(name, { ...(input as CallInput<N>), signal }),
    retry,
    ...options,
    enabled: input !== undefined && (options.enabled ?? true),
  });
}

type Settled<N extends RouteName> = Exclude<ResultOf<N>, Pending>;

/**
 * A write to one route, followed through a pending operation to its outcome; on success it invalidates
 * the reads it changes (by route name).
 */
export function useRouteMutation<N extends RouteName>(name: N, opts: { invalidates?: RouteName[]; onPending?: (op: Pending | Operation) => void } = {}) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation<Settled<N>, Error, CallInput<N>>({
    mutationFn: async (input) => settle(api, (await api.call(name, input)) as Settled<N> | Pending, opts.onPending),
    onSuccess: () => Promise.all((opts.invalidates ?? []).map((n) => queryClient.invalidateQueries({ queryKey: [n] }))),
  });
}
