import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../server/config";
import { createLogger, gatewayLogFile } from "../../server/logging";

describe("server/logging: request logs in DATA_DIR/logs/gateway.log unless LOG_TO_STDOUT", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "logging-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes JSON lines to DATA_DIR/logs/gateway.log by default", () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.LOG_TO_STDOUT).to.equal(false);
    createLogger(config).info({ requestId: "r1" }, "request");
    const lines = readFileSync(gatewayLogFile(config), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ service: "gateway", requestId: "r1", msg: "request" });
  });

  it("writes no file with LOG_TO_STDOUT=true, and refuses a value that is not a boolean", () => {
    const config = loadConfig({ DATA_DIR: dir, LOG_TO_STDOUT: "true", LOG_LEVEL: "silent" });
    expect(config.LOG_TO_STDOUT).to.equal(true);
    createLogger(config).info("not written anywhere");
    expect(existsSync(join(dir, "logs"))).to.equal(false);
    expect(() => loadConfig({ LOG_TO_STDOUT: "perhaps" })).to.throw(ConfigError, /LOG_TO_STDOUT/);
  });
});
