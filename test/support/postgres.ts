import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A throw-away PostgreSQL 15 cluster for the tests: `initdb` and `pg_ctl` run as the postgres user in a
 * temporary folder that user owns, on a free port (initdb refuses to run as root). Nothing is mocked:
 * the store suites run the same SQL against it as against SQLite. One cluster per test process, started
 * on first use and stopped at exit; each suite gets a database of its own.
 */
const BIN = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"].find((d) => existsSync(join(d, "initdb")));

export interface PgCluster {
  port: number;
  dir: string;
  /** A fresh, empty database; returns its URL. */
  createDatabase(name?: string): string;
  /** Stops the server (fast shutdown): connections fail until start(). */
  stop(): void;
  start(): void;
  destroy(): void;
}

let cluster: PgCluster | undefined;

/** Whether PostgreSQL can run here (its binaries, and a postgres user). */
export function postgresAvailable(): boolean {
  if (!BIN) return false;
  return spawnSync("id", ["postgres"]).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const asPostgres = (cmd: string, args: string[]) => {
  const root = process.getuid?.() === 0;
  const r = root ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")], { encoding: "utf8" }) : spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
};

/** The process's PostgreSQL cluster, started on first call (about 2 s). */
export async function postgresCluster(): Promise<PgCluster> {
  if (cluster) return cluster;
  if (!BIN) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does this)");
  const dir = mkdtempSync(join(tmpdir(), "pg-test-"));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  const data = join(dir, "data");
  const port = await freePort();
  asPostgres(join(BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const start = () => {
    asPostgres(join(BIN, "pg_ctl"), ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "-l", join(dir, "log"), "-w", "start"]);
  };
  start();
  let n = 0;
  cluster = {
    port,
    dir,
    createDatabase(name) {
      const db = name ?? `t${process.pid}_${Date.now().toString(36)}_${n++}`;
      asPostgres(join(BIN, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", db]);
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    stop() {
      asPostgres(join(BIN, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    start,
    destroy() {
      try {
        asPostgres(join(BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
      cluster = undefined;
    },
  };
  process.once("exit", () => cluster?.destroy());
  return cluster;
}
