/**
 * The stack's lock file, DATA_DIR/stack.lock: which process runs the stack on this data directory and
 * where it serves. A lock whose process is gone is stale and taken over.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";

export interface LockInfo {
  pid: number;
  startedAt: string;
  gatewayUrl: string;
  rpcUrl: string;
  dataDir: string;
  /** The chain node npm start runs, once started. */
  chainPid?: number;
}

/** Is a process with this pid alive (EPERM: alive, but someone else's)? */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process's command line, where /proc exists (Linux); undefined elsewhere or when it is gone. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return undefined;
  }
}

export function readLock(file: string): LockInfo | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(raw) as LockInfo;
    return typeof v.pid === "number" ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Is the lock held by a live `npm start`? A pid that was reused by an unrelated process does not count,
 * where the command line can be read.
 */
export function lockIsLive(lock: LockInfo): boolean {
  if (lock.pid === process.pid || !isAlive(lock.pid)) return false;
  const cmd = commandLineOf(lock.pid);
  return cmd === undefined || /node|launch/.test(cmd);
}

/**
 * Takes the lock: creates the file exclusively. Returns false when another process created it first.
 * A stale lock must have been removed by the caller ({@link removeLock}).
 */
export function acquireLock(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info, null, 2) + "\n");
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Rewrites a lock this process holds (e.g. with the chain's pid). */
export function updateLock(file: string, info: LockInfo): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(info, null, 2) + "\n");
  renameSync(temp, file);
}

/** Removes the lock if `ownerPid` (default: this process) holds it: a stale lock is removed with its dead pid. */
export function removeLock(file: string, ownerPid: number = process.pid): void {
  const lock = readLock(file);
  if (lock && lock.pid !== ownerPid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
