/**
 * What the frozen-IPFS tests need of a js-ipfs daemon (test/support/jsipfs.ts) beyond its API: its process,
 * to freeze (SIGSTOP) and resume (SIGCONT) it, and its own pin list, read over its HTTP API without the
 * gateway. Registers no mocha test.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The socket inode of the TCP listener on 127.0.0.1:`port` (from /proc/net/tcp). */
function listenerInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT"; state 0A is LISTEN; the inode is column 9
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === "0A") return cols[9];
    }
  }
  return undefined;
}

/** The pid of the process listening on 127.0.0.1:`port` (Linux: /proc). Throws when none is found. */
export function pidListeningOn(port: number): number {
  const inode = listenerInode(port);
  if (!inode) throw new Error(`nothing listens on port ${port}`);
  const target = `socket:[${inode}]`;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === target) return Number(entry);
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process holds the listener on port ${port}`);
}

/** The daemon's recursive pins, as CIDv1 strings, asked of its HTTP API directly. */
export async function daemonPins(apiUrl: string): Promise<Set<string>> {
  const res = await fetch(`${apiUrl}/api/v0/pin/ls?type=recursive&cid-base=base32`, { method: "POST", signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`pin/ls answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { Keys?: Record<string, unknown> };
  return new Set(Object.keys(body.Keys ?? {}));
}
