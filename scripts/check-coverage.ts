/**
 * Fails when line or branch coverage of contracts/ (from `hardhat coverage`'s coverage.json) is below the
 * threshold (default 95%). Run after `hardhat coverage`: npm run coverage
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

type FileCoverage = {
  s: Record<string, number>;
  b: Record<string, number[]>;
  statementMap: Record<string, { start: { line: number } }>;
};

const threshold = Number(process.env.COVERAGE_THRESHOLD ?? 95);
const data = JSON.parse(readFileSync(join(__dirname, "..", "coverage.json"), "utf8")) as Record<string, FileCoverage>;
let lines = 0;
let linesHit = 0;
let branches = 0;
let branchesHit = 0;
for (const [file, cov] of Object.entries(data)) {
  if (/contracts\/(test|interfaces)\//.test(file)) continue;
  const byLine = new Map<number, boolean>();
  for (const [id, hits] of Object.entries(cov.s)) {
    const line = cov.statementMap[id].start.line;
    byLine.set(line, (byLine.get(line) ?? false) || hits > 0);
  }
  lines += byLine.size;
  linesHit += [...byLine.values()].filter(Boolean).length;
  for (const counts of Object.values(cov.b)) {
    branches += counts.length;
    branchesHit += counts.filter((n) => n > 0).length;
  }
}
const pct = (hit: number, all: number) => (all === 0 ? 100 : (100 * hit) / all);
const linePct = pct(linesHit, lines);
const branchPct = pct(branchesHit, branches);
console.log(`contracts/: lines ${linePct.toFixed(2)}% (${linesHit}/${lines}), branches ${branchPct.toFixed(2)}% (${branchesHit}/${branches}); threshold ${threshold}%`);
if (linePct < threshold || branchPct < threshold) {
  console.error("coverage below threshold");
  process.exit(1);
}
