#!/usr/bin/env node
/**
 * `npm start` and `npm run demo` enter here. Plain JavaScript with no dependency, so that it runs before
 * anything is installed or compiled: it checks Node and node_modules and says in one line what to do when
 * something is missing, then registers ts-node and hands over to scripts/start.ts, which compiles the
 * contracts (when needed) before it loads any module that imports their TypeChain bindings.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node ${process.versions.node} is too old: this project needs Node 20.19 or later.`);
}

// Looked up as directories: several of these packages do not export their package.json or a main.
const installed = (dep) => (require.resolve.paths(dep) ?? []).some((dir) => fs.existsSync(path.join(dir, dep, "package.json")));
for (const dep of ["ts-node", "typescript", "hardhat", "ethers", "zod", "better-sqlite3", "helia", "express"]) {
  if (!installed(dep)) fail(`node_modules is missing or incomplete (no "${dep}"): run \`npm ci\` first.`);
}
try {
  require(require.resolve("better-sqlite3", { paths: [ROOT] }));
} catch (e) {
  fail(`better-sqlite3's native module does not load (${String(e.message).split("\n")[0]}): run \`npm rebuild better-sqlite3\` or \`npm ci\`.`);
}

require(require.resolve("ts-node", { paths: [ROOT] })).register({
  transpileOnly: true,
  project: path.join(ROOT, "tsconfig.json"),
});
require("./start.ts").main(process.argv.slice(2));
