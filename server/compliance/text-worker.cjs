// A compliance worker thread: runs the rules' pure text checks (server/compliance/text-checks.ts) off
// the request thread. The gateway runs its TypeScript through ts-node, so this thread does too.
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
const { runTextCheck } = require("./text-checks.ts");

module.exports = (task) => runTextCheck(task);
