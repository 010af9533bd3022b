// Contracts under contracts/test/ exist only for benchmarks and tests; they are not measured.
module.exports = {
  skipFiles: ["test/"],
};
