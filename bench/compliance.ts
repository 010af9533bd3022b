/**
 * Compliance benchmark: every rule on adversarial inputs of 100 KB and 1 MB (long runs of the characters
 * that made the old patterns backtrack), with an in-memory context so only the rules' own work is timed.
 * Prints a table and writes bench/results/compliance.json.  Run: npm run bench:compliance
 *
 * Also times the same text checks through the worker-thread pool, and shows that a request's /healthz-like
 * work on the main thread is not stalled while the pool is busy.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256, toUtf8Bytes } from "ethers";
import type { CollectionRequest } from "../shared/api";
import { createComplianceEngine } from "../server/compliance/engine";
import { loadPolicy } from "../server/compliance/policy";
import { ALL_RULES } from "../server/compliance/rules";
import { textPool } from "../server/compliance/text-pool";
import type { ComplianceContext, ComplianceInput } from "../server/compliance/types";

const SIZES = [100 * 1024, 1024 * 1024];
/** What made the old patterns quadratic: long runs without the suffix they wait for. */
const ATTACKS: Record<string, string> = {
  "letters (e-mail local part, no @)": "a",
  "digits (numbers, no unit)": "1",
  "digits and commas": "1,",
  "at-signs": "a@",
  "Chinese numerals (no unit)": "一",
  "currency symbols and spaces": "$ ",
  "dots": "a.",
};

const policy = loadPolicy(join(__dirname, "..", "policy", "default.yaml"));
const ISSUER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

function context(): ComplianceContext {
  const identity = { identityId: `0x${"11".repeat(32)}`, level: 4, status: 1, expiresAt: 4_102_444_800, evidenceHash: `0x${"22".repeat(32)}` };
  return {
    now: () => new Date(),
    identityOf: async () => identity,
    isVerified: async () => true,
    areVerified: async (ws) => ws.map(() => true),
    hasIssuerRole: async () => true,
    evidenceRecorded: async () => true,
    evidenceRecord: async () => ({ writer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", viaGateway: false, byRole: null, recordedAt: new Date().toISOString() }),
    evidenceUses: async () => 0,
    contentRegistered: async () => undefined,
    issuance: async () => ({ collections: 0, editions: 0 }),
  };
}

function request(text: string): CollectionRequest {
  return {
    name: "bench",
    description: text,
    attributes: [{ trait_type: "note", value: text.slice(0, 256) }],
    editionSize: 100,
    royalty: { receiver: "0x0000000000000000000000000000000000000000", bps: 0 },
    licence: { text, rights: ["display"] },
    transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 },
  };
}

function input(text: string, bytes: number): ComplianceInput {
  const png = new Uint8Array(bytes);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return {
    kind: "collection",
    issuer: { wallet: ISSUER, apiKeyId: "bench" },
    request: request(text),
    media: { bytes: png, filename: "work.png", declaredType: "image/png" },
    copyrightEvidence: { bytes: toUtf8Bytes(text.slice(0, 1000)), filename: "cert.txt" },
    // Mint-time rule: a list of recipients as long as the input allows (42 bytes each).
    recipients: Array.from({ length: Math.min(10_000, Math.floor(bytes / 42)) }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`),
    minLevel: 2,
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  const ctx = context();
  const rows: Array<{ rule: string; size: number; worstMs: number; worstInput: string }> = [];
  for (const rule of ALL_RULES) {
    for (const size of SIZES) {
      let worst = { ms: 0, name: "" };
      for (const [name, unit] of Object.entries(ATTACKS)) {
        const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
        const ms = await time(() => rule.check(input(text, size), ctx, policy));
        if (ms > worst.ms) worst = { ms, name };
      }
      rows.push({ rule: rule.id, size, worstMs: Math.round(worst.ms * 10) / 10, worstInput: worst.name });
    }
  }

  // The whole engine, text checks in the worker pool, against the same 1 MB attack, while the main thread
  // keeps answering: the largest gap between two 5 ms ticks shows whether the request thread stalled.
  const pool = textPool(2, 30_000);
  const engine = createComplianceEngine(policy, ALL_RULES, { text: pool, budgetMs: 30_000 });
  const warm = input("warm-up", 1024);
  await engine.evaluate("collection", warm, ctx);
  const text = "1".repeat(SIZES[1]);
  let maxGap = 0;
  let last = Date.now();
  const ticker = setInterval(() => {
    const now = Date.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  const pooledMs = await time(() => engine.evaluate("collection", input(text, SIZES[1]), ctx));
  clearInterval(ticker);
  await engine.close();

  const target = 1000;
  console.log("\nCompliance rules on adversarial input (worst of %d inputs per size; one run, this machine)\n", Object.keys(ATTACKS).length);
  console.log("| rule | 100 KB | 1 MB | worst input at 1 MB |");
  console.log("|---|---:|---:|---|");
  for (const rule of ALL_RULES) {
    const [small, big] = rows.filter((r) => r.rule === rule.id);
    console.log(`| ${rule.id} | ${small.worstMs} ms | ${big.worstMs} ms | ${big.worstInput} |`);
  }
  console.log(`\nWhole engine on 1 MB of digits with the text checks in 2 worker threads: ${pooledMs.toFixed(0)} ms;`);
  console.log(`longest stall of the request thread meanwhile: ${maxGap} ms (5 ms ticks).`);
  const worst = Math.max(...rows.map((r) => r.worstMs));
  console.log(`Slowest rule at 1 MB: ${worst} ms (target ≤ ${target} ms per rule: ${worst <= target ? "met" : "missed"}).`);

  const out = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    sizes: SIZES,
    attacks: Object.keys(ATTACKS),
    rules: rows,
    pooled: { engineMs: Math.round(pooledMs), mainThreadMaxStallMs: maxGap },
    target: { perRuleAt1MBMs: target, met: worst <= target },
    inputHash: sha256(toUtf8Bytes(JSON.stringify(Object.values(ATTACKS)))),
  };
  mkdirSync(join(__dirname, "results"), { recursive: true });
  writeFileSync(join(__dirname, "results", "compliance.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log("\nwrote bench/results/compliance.json");
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
