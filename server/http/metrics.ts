import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  latency: Histogram<"method" | "route">;
  jobs: Gauge<"state">;
  chainErrors: Counter<"code">;
  ipfsErrors: Counter<"code">;
}

/** Prometheus metrics on a registry of our own (tests start several gateways in one process). */
export function createMetrics(jobCounts: () => Promise<Record<string, number>>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobs = new Gauge({
    name: "gateway_jobs",
    help: "Mint jobs by state",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const counts = await jobCounts();
      for (const state of ["queued", "running", "done", "failed"]) this.set({ state }, counts[state] ?? 0);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: "gateway_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "gateway_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobs,
    chainErrors: new Counter({
      name: "gateway_chain_errors_total",
      help: "Errors from the blockchain node or contracts, by code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    ipfsErrors: new Counter({
      name: "gateway_ipfs_errors_total",
      help: "Errors from IPFS, by code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
  };
}
