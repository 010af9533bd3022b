/**
 * What the sandbox log suites share: the two real stores (a SQLite file, a PostgreSQL database), a Chain
 * with the fixture's ANCHOR key on the in-process Hardhat chain, entries to append, and a careful forger
 * who rewrites the store the way an insider with database access would (entries re-hashed, hash chain
 * re-linked, tree rebuilt) so that only what is anchored on chain can tell.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import type { Provider } from "ethers";
import { Chain } from "../../../server/chain/chain";
import { createSandboxLog, type SandboxLog, type SandboxLogOptions } from "../../../server/sandbox/sandbox-log";
import type { Db } from "../../../server/store/db";
import { openPostgresDb } from "../../../server/store/postgres-db";
import { openSqliteStore } from "../../../server/store/sqlite";
import { openSqlStore } from "../../../server/store/sql-store";
import type { LogEntry, Store } from "../../../server/store/store";
import { appendLeaf, MemoryNodeStore, toHex, type StoredNode } from "../../../shared/log";
import { entryHash, entryLeafHash, GENESIS_HASH } from "../../../shared/log/entry";
import { postgresCluster } from "../../support/postgres";
import { ANCHORER_KEY, gatewayChainFixture } from "../support/gateway";

export type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;
export type SqlStore = Store & { db: Db };

/** A kind of store: where a fresh one lives, and how to open it (again, or twice: a second gateway). */
export interface StoreKind {
  name: "SQLite" | "PostgreSQL";
  /** A fresh, empty location: a file path or a database URL. */
  fresh(): Promise<string>;
  open(location: string): Promise<SqlStore>;
  /** Whether two processes (gateways) may open it at once: PostgreSQL yes; SQLite is one process per file. */
  shared: boolean;
}

export const SQLITE: StoreKind = {
  name: "SQLite",
  fresh: async () => join(mkdtempSync(join(tmpdir(), "sandbox-log-")), "gateway.db"),
  open: (file) => openSqliteStore(file),
  shared: false,
};

export const POSTGRES: StoreKind = {
  name: "PostgreSQL",
  fresh: async () => (await postgresCluster()).createDatabase(),
  open: async (url) => openSqlStore(openPostgresDb(url)),
  shared: true,
};

export const STORE_KINDS = [SQLITE, POSTGRES] as const;

/** The gateway's chain adapter on the in-process chain, holding only the ANCHOR key. */
export function anchorChain(fx: Fx): Chain {
  return new Chain({ deployment: fx.deployment, provider: ethers.provider as unknown as Provider, keys: { anchorer: ANCHORER_KEY } });
}

/** A clock that advances one second per reading from 2025-01-01T00:00:00Z. */
export function steppingClock(): () => Date {
  let t = Date.UTC(2025, 0, 1);
  return () => new Date((t += 1000) - 1000);
}

/** A sandbox log on `store` that anchors only when asked (tests call anchor()). */
export function sandboxLog(store: Store, chain: Chain | undefined, opts: Partial<SandboxLogOptions> = {}): SandboxLog {
  return createSandboxLog({ store, chain, anchorEveryEntries: 1_000_000, anchorEveryMinutes: 600, now: steppingClock(), ...opts });
}

/** Appends `n` entries of authenticated callers (they count towards anchoring), two actors, two collections. */
export async function fill(log: SandboxLog, n: number, tag = "e"): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await log.append({
        actor: i % 2 ? "key-regulator" : "key-issuer",
        action: i % 3 === 2 ? "compliance.rule" : "collection.create",
        rule: i % 3 === 2 ? "minLevel" : undefined,
        decision: i % 3 === 2 ? "failed" : "passed",
        collectionId: BigInt(1 + (i % 2)),
        payload: { tag, i, note: `entry "${i}", with, commas\nand a newline 中文` },
      }),
    );
  }
  return out;
}

/** 2n − popcount(n): the nodes a tree of n leaves stores (every perfect subtree inside it). */
export function nodesOfSize(n: number): number {
  let ones = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) ones += x % 2;
  return 2 * n - ones;
}

/** Every entry of the store, in seq order. */
export const allEntries = (store: Store) => store.log.range(1, Number.MAX_SAFE_INTEGER);

/**
 * The careful forger: edits entry `seq` in the database, then re-hashes it and every later entry,
 * re-links the hash chain, and rebuilds the whole tree from the forged entries. Entries, hash chain and
 * tree agree with each other afterwards; only checkpoints signed and anchored before can tell.
 */
export async function forgeHistory(store: SqlStore, seq: number, actor: string, leafHashFrom = 1): Promise<void> {
  await store.db.run("UPDATE sandbox_log SET actor = $1 WHERE seq = $2", [actor, seq]);
  let prev: string = GENESIS_HASH;
  for (const e of await allEntries(store)) {
    const { hash: _old, ...body } = { ...e, prevHash: prev };
    const hash = entryHash(body, { leafHashFrom });
    await store.db.run("UPDATE sandbox_log SET prev_hash = $1, hash = $2 WHERE seq = $3", [prev, hash, e.seq]);
    prev = hash;
  }
  await rebuildTree(store);
}

/** Replaces the stored tree by the one the stored entries give (what a forger does after editing them). */
async function rebuildTree(store: SqlStore): Promise<void> {
  await store.db.run("DELETE FROM log_nodes");
  const memory = new MemoryNodeStore();
  const nodes: StoredNode[] = [];
  for (const e of await allEntries(store)) {
    const { newNodes } = appendLeaf(e.seq - 1, entryLeafHash(e), memory);
    memory.put(newNodes);
    nodes.push(...newNodes);
  }
  await store.logTree.put(nodes);
}

/** 0x-hex of bytes. */
export const hex = (b: Uint8Array) => `0x${toHex(b)}`;
