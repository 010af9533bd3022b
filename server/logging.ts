import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import type { Config } from "./config";

/** Where the gateway writes its JSON logs unless LOG_TO_STDOUT is set. */
export function gatewayLogFile(config: Pick<Config, "DATA_DIR">): string {
  return join(config.DATA_DIR, "logs", "gateway.log");
}

/**
 * The gateway's logger: JSON lines at LOG_LEVEL, appended to DATA_DIR/logs/gateway.log, or written to
 * stdout when LOG_TO_STDOUT is true (containers, journald). Writes are synchronous so that nothing is
 * lost when the process exits right after an error.
 *
 * @example
 * const logger = createLogger(loadConfig());
 */
export function createLogger(config: Pick<Config, "DATA_DIR" | "LOG_LEVEL" | "LOG_TO_STDOUT">): Logger {
  const base = { service: "gateway" };
  if (config.LOG_TO_STDOUT) return pino({ level: config.LOG_LEVEL, base });
  const file = gatewayLogFile(config);
  mkdirSync(join(config.DATA_DIR, "logs"), { recursive: true });
  return pino({ level: config.LOG_LEVEL, base }, pino.destination({ dest: file, sync: true, append: true }));
}
