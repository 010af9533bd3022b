/**
 * Demo content, created through the gateway's HTTP API as a pilot platform would (never by writing to the
 * store): API keys for every role; a licensed issuer; three collectors, one expiring within 30 days; a
 * Locked and a GiftToVerified collection with media and metadata on IPFS; minted editions; a gift from one
 * collector to another (the collector's own transaction, after local-chain time travel past the holding
 * period); a frozen token; an anchored sandbox log.
 *
 * Every step first looks for what it would create, so a second run on the same data adds nothing. What it
 * made, with the keys, is saved in DATA_DIR/demo-keys.json.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256, toUtf8Bytes, type HDNodeWallet } from "ethers";
import { tokenIdOf } from "../../../shared/token-id";
import {
  COLLECTIONS,
  COLLECTORS,
  devWallet,
  dossierOf,
  FROZEN,
  GIFT,
  ISSUER_INDEX,
  ISSUER_LICENCE,
  mediaOf,
  type DemoCollection,
  type DemoCollector,
} from "./content";
import { ApiError, createClient, type ApiClient, type ResultOf, type SettledOf } from "../../../shared/api/client";
import { parseDeployment } from "../../../shared/deployment";
import { connectLocalChain, type LocalChain } from "./local-chain";

type VerifyReport = SettledOf<"verifyLog">;
type Job = SettledOf<"getJob">;

const ROLES = ["admin", "attestor", "issuer", "auditor", "regulator"] as const;
type Role = (typeof ROLES)[number];

/** DATA_DIR/demo-keys.json. */
export interface DemoState {
  _comment: string;
  gateway: string;
  keys: Partial<Record<Role, { id: string; token: string; wallet?: string }>>;
  issuer: { wallet: string };
  collectors: Partial<Record<DemoCollector["key"], { name: string; address: string; privateKey: string; did?: string; expiresAt?: string }>>;
  collections: Partial<Record<DemoCollection["key"], { collectionId: string; name: string; mode: string; tokens: string[] }>>;
  gift?: { tokenId: string; from: string; to: string; txHash: string };
  frozen?: { tokenId: string };
  anchored?: boolean;
}

export interface DemoOptions {
  gatewayUrl: string;
  rpcUrl: string;
  dataDir: string;
  /** The deployment file the gateway serves (for the CollectibleRights address the gift is sent to). */
  deploymentFile: string;
  /** An admin key at hand (the one npm start just created), if any. */
  adminKey?: string;
  /** Makes an admin key when none at hand works. */
  bootstrapAdminKey?: () => Promise<string>;
  say?: (line: string) => void;
}

export interface DemoResult {
  /** Whether this run created anything. */
  created: boolean;
  keysFile: string;
  state: DemoState;
  /** The banner's demo section. */
  banner: string[];
}

const DAY = 86_400;

function readState(file: string): DemoState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DemoState;
  } catch {
    return undefined;
  }
}

function saveState(file: string, state: DemoState): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  renameSync(temp, file);
}

const revertText = (e: unknown): string => {
  const err = e as { revert?: { name: string; args: unknown[] }; shortMessage?: string; message?: string };
  return err.revert ? `${err.revert.name}(${err.revert.args.map(String).join(", ")})` : (err.shortMessage ?? err.message ?? String(e));
};

/** The reply of a read, or undefined when the gateway answers 404. */
async function find<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

const file = (bytes: Uint8Array, filename: string) => ({ bytes, filename });

async function waitForJob(api: ApiClient, jobId: string, timeoutMs = 120_000): Promise<Job> {
  const started = Date.now();
  for (;;) {
    const job = await api.call("getJob", { params: { id: jobId } });
    if (job.state === "done" || job.state === "failed") return job;
    if (Date.now() - started > timeoutMs) throw new Error(`mint job ${jobId} is still ${job.state} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * @example
 * const { banner } = await runDemo({ gatewayUrl: "http://127.0.0.1:8080", rpcUrl: "http://127.0.0.1:8545", dataDir: "./data", adminKey });
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const say = opts.say ?? (() => undefined);
  const client = createClient({ baseUrl: opts.gatewayUrl });
  const keysFile = join(opts.dataDir, "demo-keys.json");
  const issuerWallet = devWallet(ISSUER_INDEX).address;
  const state: DemoState = readState(keysFile) ?? {
    _comment: "Made by npm start -- --demo: API keys and collector wallets of a LOCAL demo chain. Never use them elsewhere.",
    gateway: opts.gatewayUrl,
    keys: {},
    issuer: { wallet: issuerWallet },
    collectors: {},
    collections: {},
  };
  state.gateway = opts.gatewayUrl;
  let created = false;
  const save = () => saveState(keysFile, state);
  const chain: LocalChain = connectLocalChain(opts.rpcUrl);
  try {
    // 1. API keys, one per role (kept when still active).
    const worksAsAdmin = async (token: string | undefined) => {
      if (!token) return false;
      try {
        await client.withKey(token).call("listKeys");
        return true;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return false;
        throw e;
      }
    };
    let admin: string | undefined;
    for (const candidate of [state.keys.admin?.token, opts.adminKey]) {
      if (await worksAsAdmin(candidate)) {
        admin = candidate;
        break;
      }
    }
    if (!admin) {
      if (!opts.bootstrapAdminKey) throw new Error("no admin API key works: set ADMIN to one (npm run keys -- create --role admin)");
      admin = await opts.bootstrapAdminKey();
    }
    const active = new Set((await client.withKey(admin).call("listKeys")).keys.filter((k) => !k.revokedAt).map((k) => k.id));
    const made: Role[] = [];
    for (const role of ROLES) {
      const saved = state.keys[role];
      if (saved && active.has(saved.id)) continue;
      const body = { role, label: `demo ${role}`, ...(role === "issuer" ? { wallet: issuerWallet } : {}) };
      const k: ResultOf<"createKey"> = await client.withKey(admin).call("createKey", { body });
      // On a local chain a privileged key needs no second administrator, so the key is made at once.
      if (!("token" in k)) throw new Error(`the ${role} key awaits a second administrator's confirmation (KEY_CONFIRMATION is on)`);
      state.keys[role] = { id: k.id, token: k.token, ...(k.wallet ? { wallet: k.wallet } : {}) };
      if (role === "admin") admin = k.token;
      made.push(role);
    }
    if (made.length) {
      created = true;
      save();
      say(`API keys created: ${made.join(", ")}`);
    }
    const as = (role: Role) => client.withKey(state.keys[role]!.token);

    // 2. The licensed issuer (Hardhat account 3, ISSUER_ROLE from the deployment) and two collectors.
    const register = async (wallet: string, level: number, expiresAt: string, kycEvidence: { bytes: Uint8Array; filename: string }) => {
      const attestor = as("attestor");
      const existing = await find(attestor.call("getIdentityOfWallet", { params: { address: wallet } }));
      if (existing) return { identity: existing, created: false };
      await attestor.settle("registerIdentity", { body: { wallet, level, jurisdiction: 156, expiresAt }, files: { kycEvidence } });
      created = true;
      return { identity: await attestor.call("getIdentityOfWallet", { params: { address: wallet } }), created: true };
    };
    const inDays = async (days: number) => new Date((Math.max(await chain.now(), Math.floor(Date.now() / 1000)) + days * DAY) * 1000).toISOString();
    const issuer = await register(issuerWallet, 4, await inDays(2 * 365), file(toUtf8Bytes(ISSUER_LICENCE), "business-licence.txt"));
    if (issuer.created) say(`licensed issuer registered: ${issuerWallet} (level 4, business licence on record)`);

    const collector = (c: DemoCollector): HDNodeWallet => devWallet(c.index);
    const registerCollector = async (c: DemoCollector) => {
      const w = collector(c);
      const expiresAt = new Date((await chain.now() + c.expiresInDays * DAY) * 1000).toISOString();
      const r = await register(w.address, 2, expiresAt, file(toUtf8Bytes(dossierOf(c)), "kyc-dossier.txt"));
      state.collectors[c.key] = { name: c.name, address: w.address, privateKey: w.privateKey, did: r.identity.did, expiresAt: r.identity.expiresAt };
      if (r.created) say(`collector registered: ${c.name} ${w.address} (level 2, expires ${r.identity.expiresAt.slice(0, 10)})`);
      save();
      return w;
    };
    for (const c of COLLECTORS.filter((c) => c.key !== "zhangWei")) await registerCollector(c);

    // 3. Two collections: the attestor records each copyright certificate (evidence counts only when
    //    recorded by a party other than the issuer), then the issuer creates the collection.
    for (const c of COLLECTIONS) {
      const media = mediaOf(c);
      const certificate = toUtf8Bytes(c.certificate);
      const found = await as("auditor").call("verifyFile", { files: { file: file(media, "work.png") } });
      let collectionId = found.registered ? found.collectionId! : undefined;
      if (!collectionId) {
        if (!(await find(as("attestor").call("findEvidence", { params: { hash: sha256(certificate) } })))) {
          await as("attestor").settle("recordEvidence", {
            body: { kind: "copyright", description: `copyright of ${c.request.name}` },
            files: { file: file(certificate, "certificate.txt") },
          });
        }
        const files = { media: file(media, "work.png"), copyrightEvidence: file(certificate, "certificate.txt") };
        const made = await as("issuer").settle("createCollection", {
          body: c.request,
          files,
          headers: { "idempotency-key": `demo-collection-${c.key}` },
        });
        collectionId = made.collectionId;
        created = true;
        say(`collection ${collectionId} created: ${c.request.name} (${c.request.transferPolicy.mode}), metadata ipfs://${made.metadataCID}`);
      }
      state.collections[c.key] = { collectionId, name: c.request.name, mode: c.request.transferPolicy.mode, tokens: state.collections[c.key]?.tokens ?? [] };
      save();

      // 4. Its editions, minted once: the Idempotency-Key and the on-chain count both guard it.
      const onChain = await as("auditor").call("getCollection", { params: { id: collectionId } });
      if (onChain.minted < c.recipients.length) {
        const recipients = c.recipients.map((k) => collector(COLLECTORS.find((x) => x.key === k)!).address);
        const job = await as("issuer").call("enqueueMint", {
          params: { id: collectionId },
          body: { recipients },
          headers: { "idempotency-key": c.mintKey },
        });
        const done = await waitForJob(as("issuer"), job.jobId);
        const failed = done.items.filter((i) => i.state !== "minted");
        if (failed.length) throw new Error(`minting collection ${collectionId} failed: ${failed.map((i) => i.reason).join("; ")}`);
        created = true;
        say(`collection ${collectionId}: ${done.items.length} edition(s) minted to ${c.recipients.join(", ")}`);
      }
      state.collections[c.key]!.tokens = c.recipients.map((_, i) => tokenIdOf(BigInt(collectionId), BigInt(i + 1)).toString());
      save();
    }

    // 5. The gift: the holding period must pass first, so the local chain travels in time.
    const rightsAddress = parseDeployment(readFileSync(opts.deploymentFile, "utf8"), opts.deploymentFile).contracts.collectibleRights.address;
    const giftCollection = state.collections[GIFT.collection]!;
    const giftToken = tokenIdOf(BigInt(giftCollection.collectionId), BigInt(GIFT.edition)).toString();
    const from = collector(COLLECTORS.find((c) => c.key === GIFT.from)!);
    const to = collector(COLLECTORS.find((c) => c.key === GIFT.to)!);
    const before = await as("auditor").call("getToken", { params: { id: giftToken } });
    if (before.owner.toLowerCase() === from.address.toLowerCase()) {
      const policy = await as("auditor").call("getCollection", { params: { id: giftCollection.collectionId } });
      const unlocksAt = Date.parse(before.acquiredAt) / 1000 + policy.transferPolicy.holdingPeriodSeconds;
      const now = await chain.now();
      if (now < unlocksAt) {
        const jump = Math.ceil(unlocksAt - now) + 3600;
        await chain.travel(jump);
        say(`local chain moved ${(jump / DAY).toFixed(1)} days ahead (evm_increaseTime), past the ${policy.transferPolicy.holdingPeriodSeconds / DAY}-day holding period`);
      }
      await chain.fund(from.address);
      let txHash: string;
      try {
        txHash = await chain.gift(from, to.address, giftToken, rightsAddress);
      } catch (e) {
        throw new Error(`the gift of token ${giftToken} was refused on chain: ${revertText(e)}`);
      }
      state.gift = { tokenId: giftToken, from: from.address, to: to.address, txHash };
      created = true;
      say(`gift: token ${giftToken} from ${GIFT.from} to ${GIFT.to} (tx ${txHash.slice(0, 10)}…, signed by the collector)`);
      save();
    } else if (before.owner.toLowerCase() === to.address.toLowerCase()) {
      state.gift ??= { tokenId: giftToken, from: from.address, to: to.address, txHash: "" };
    } else {
      throw new Error(`token ${giftToken} belongs to ${before.owner}, neither collector of the gift`);
    }

    // 6. The third collector, registered after the time travel so that it expires within 30 days.
    await registerCollector(COLLECTORS.find((c) => c.key === "zhangWei")!);

    // 7. A frozen token.
    const frozenToken = tokenIdOf(BigInt(state.collections[FROZEN.collection]!.collectionId), BigInt(FROZEN.edition)).toString();
    if (!(await as("auditor").call("getToken", { params: { id: frozenToken } })).frozen) {
      await as("regulator").settle("freezeToken", {
        params: { id: frozenToken },
        body: { reason: "DEMO-LOST-WALLET", evidence: { text: "demo: the holder reported a lost wallet" } },
      });
      created = true;
      say(`token ${frozenToken} frozen by the regulator`);
    }
    state.frozen = { tokenId: frozenToken };

    // 8. The sandbox log, anchored on chain.
    let report = await as("regulator").call("verifyLog");
    if (created || report.onChain.count === 0) {
      await as("regulator").call("anchorLog");
      report = await as("regulator").call("verifyLog");
      say(`sandbox log anchored: ${report.entries} entries, ${report.onChain.count} checkpoint(s) on chain`);
    }
    if (!report.ok) throw new Error("the sandbox log does not verify");
    state.anchored = true;
    save();
    return { created, keysFile, state, banner: bannerLines(state, report, keysFile) };
  } finally {
    chain.close();
  }
}

function bannerLines(state: DemoState, report: VerifyReport, keysFile: string): string[] {
  const k = state.keys;
  const c = state.collections;
  const who = (address: string) =>
    Object.values(state.collectors).find((x) => x?.address.toLowerCase() === address.toLowerCase())?.name.split(" ")[0] ?? address;
  const lines = [
    `  Demo content (keys and collector wallets also in ${keysFile})`,
    ...ROLES.map((r) => `    ${r.padEnd(10)} ${k[r]?.token ?? "-"}${r === "issuer" ? `   (wallet ${state.issuer.wallet})` : ""}`),
    `    collections ${c.apsaras?.collectionId} ${c.apsaras?.name} (Locked), ${c.greatWall?.collectionId} ${c.greatWall?.name} (GiftToVerified, 180-day holding)`,
    ...Object.values(state.collectors).map(
      (x) => `    collector  ${x!.name.padEnd(14)} ${x!.address}  expires ${x!.expiresAt?.slice(0, 10)}`,
    ),
  ];
  if (state.gift) lines.push(`    gift       token ${state.gift.tokenId}: ${who(state.gift.from)} → ${who(state.gift.to)}`);
  if (state.frozen) lines.push(`    frozen     token ${state.frozen.tokenId}`);
  lines.push(`    sandbox    ${report.entries} log entries, ${report.onChain.count} checkpoint(s) anchored, verifies: ${report.ok}`);
  return lines;
}
