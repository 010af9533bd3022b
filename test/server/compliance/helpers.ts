/**
 * Shared helpers of the compliance tests: tiny real media files built in memory, a valid collection
 * request, the default policy, a Chain over deployRegistryFixture's contracts, and an in-memory issuance
 * store. Registers no test itself.
 */
import { deflateSync, crc32 } from "node:zlib";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, type BaseContract } from "ethers";
import { createServer } from "node:net";
import { Chain, jsonRpcProvider } from "../../../server/chain/chain";
import { DeploymentSchema } from "../../../shared/deployment";
import { CollectionRequest } from "../../../shared/api";
import { chainComplianceContext } from "../../../server/compliance/chain-context";
import { loadPolicy, type Policy } from "../../../server/compliance/policy";
import type { ComplianceContext, ComplianceInput } from "../../../server/compliance/types";
import { deployRegistryFixture } from "../../contracts/fixtures";

export const DEFAULT_POLICY_FILE = `${__dirname}/../../../policy/default.yaml`;
export const defaultPolicy = (): Policy => loadPolicy(DEFAULT_POLICY_FILE);

/** The policy with some fields replaced (a deep copy, the default is never mutated). */
export function policyWith(patch: (p: Policy) => void): Policy {
  const p = structuredClone(defaultPolicy());
  patch(p);
  return p;
}

// ─── Tiny real files ───────────────────────────────────────────────────────────────────────

const bytes = (...parts: Array<string | number[] | Uint8Array>) =>
  Uint8Array.from(
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p as Uint8Array)))),
  );
const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = bytes(type, data);
  return bytes(u32be(data.length), body, u32be(crc32(body)));
}

/** A valid 1×1 RGB PNG; `seed` changes the pixel colour, hence the file's hash. */
export function png(seed = 0): Uint8Array {
  const ihdr = bytes(u32be(1), u32be(1), [8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, seed & 255, (seed >> 8) & 255, 0x80]));
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], pngChunk("IHDR", ihdr), pngChunk("IDAT", idat), pngChunk("IEND", new Uint8Array()));
}

/** A JFIF JPEG header (SOI + APP0) and EOI. */
export const jpeg = () =>
  bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "JFIF\0", [0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], [0xff, 0xd9]);

/** The classic 1×1 transparent GIF89a. */
export const gif = () =>
  bytes("GIF89a", [1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0, 0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b]);

/** A RIFF/WEBP container with an (empty) VP8L chunk header. */
export const webp = () => bytes("RIFF", u32le(12), "WEBP", "VP8L", u32le(0));

/** An ISO-BMFF file: an `ftyp` box (brand isom, compatible mp41) and an empty `mdat`. */
export const mp4 = (brand = "isom") => bytes(u32be(20), "ftyp", brand, u32be(0x200), "mp41", u32be(8), "mdat");

/** MP3 starting with an ID3v2.3 tag. */
export const mp3Id3 = () => bytes("ID3", [3, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]);

/** MP3 starting directly with an MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz). */
export const mp3Frame = () => bytes([0xff, 0xfb, 0x90, 0x64], new Uint8Array(32));

/** A binary glTF 2.0 (GLB) with a minimal JSON chunk. */
export function glb(): Uint8Array {
  const json = Buffer.from('{"asset":{"version":"2.0"}}  ', "latin1"); // padded to 4 bytes
  const total = 12 + 8 + json.length;
  return bytes("glTF", u32le(2), u32le(total), u32le(json.length), "JSON", json);
}

/** A Windows executable stub ("MZ"), to be passed off as an image. */
export const exe = () => bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0], new Uint8Array(54));

/** An SVG file: text, not allow-listed. */
export const svg = () => bytes('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');

/** A copyright certificate stand-in (any bytes; only its hash matters). */
export const certificate = (seed = "cert-1") => bytes(`%PDF-1.7\n% 著作权登记证书 ${seed}\n%%EOF\n`);

// ─── Requests and inputs ───────────────────────────────────────────────────────────────────

/** A clean collection request that passes every rule under the default policy. */
export function validRequest(overrides: Partial<CollectionRequest> = {}): CollectionRequest {
  return CollectionRequest.parse({
    name: "敦煌飞天 · 数字藏品 Dunhuang Apsaras",
    description: "莫高窟第320窟壁画的数字复刻作品，限量 1000 份。A digital reproduction of a mural from Cave 320.",
    attributes: [
      { trait_type: "朝代", value: "盛唐" },
      { trait_type: "Artist", value: "Studio Mogao" },
      { trait_type: "Year", value: 2026 },
    ],
    editionSize: 1000,
    licence: { text: "持有者可个人展示与使用本作品，不得用于商业用途。", rights: ["display", "personalUse"] },
    transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 },
    ...overrides,
  });
}

export function collectionInput(wallet: string, overrides: Partial<ComplianceInput> = {}): ComplianceInput {
  return {
    issuer: { wallet, apiKeyId: "key-issuer-1" },
    request: validRequest(),
    media: { bytes: png(), filename: "apsaras.png", declaredType: "image/png" },
    copyrightEvidence: { bytes: certificate(), filename: "certificate.pdf" },
    ...overrides,
  };
}

/** A context whose chain look-ups fail the test if called (for rules that must not touch the chain). */
export function offlineContext(now = new Date("2026-11-02T04:00:00Z"), issuance = memoryIssuance().issuance): ComplianceContext {
  const never = (what: string) => async () => {
    throw new Error(`offlineContext: ${what} must not be called`);
  };
  return {
    now: () => now,
    identityOf: never("identityOf"),
    isVerified: never("isVerified"),
    areVerified: never("areVerified"),
    hasIssuerRole: never("hasIssuerRole"),
    evidenceRecorded: never("evidenceRecorded"),
    evidenceRecord: never("evidenceRecord"),
    evidenceUses: never("evidenceUses"),
    contentRegistered: never("contentRegistered"),
    issuance,
  };
}

// ─── Issuance (sandbox quotas) ─────────────────────────────────────────────────────────────

/**
 * A small in-memory stand-in for the gateway store's quota queries (what chainComplianceContext takes):
 * issuance per wallet since a date, and the works each copyright evidence hash backs. Records every query.
 */
export function memoryIssuance(
  records: Array<{ wallet: string; at: Date; editions: number }> = [],
  evidence: Record<string, number> = {},
) {
  const queries: Array<{ wallet: string; since: Date }> = [];
  return {
    records,
    queries,
    issuance: async (wallet: string, since: Date) => {
      queries.push({ wallet, since });
      const mine = records.filter((r) => r.wallet.toLowerCase() === wallet.toLowerCase() && r.at >= since);
      return { collections: mine.length, editions: mine.reduce((s, r) => s + r.editions, 0) };
    },
    evidenceUses: async (hash: string) => evidence[hash.toLowerCase()] ?? 0,
  };
}

// ─── The real chain ────────────────────────────────────────────────────────────────────────

/**
 * One entry of the deployment file. The schema (shared/deployment.ts) is being reworked, so both field
 * spellings are given; DeploymentSchema (a non-strict object) drops the ones it does not know.
 */
async function deployed(contract: BaseContract, contractName: string) {
  const txHash = contract.deploymentTransaction()?.hash ?? ethers.ZeroHash;
  return {
    contractName,
    address: await contract.getAddress(),
    txHash,
    deployTxHash: txHash,
    blockNumber: 0,
    blockHash: ethers.ZeroHash,
    abi: [],
  };
}

/** A Chain (the gateway's) over the fixture's contracts on the in-process Hardhat network. */
export async function chainFor(contracts: { identity: BaseContract; rights: BaseContract; evidence: BaseContract }): Promise<Chain> {
  const [admin] = await ethers.getSigners();
  const deployment = DeploymentSchema.parse({
    network: "hardhat",
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    deployer: admin.address,
    admin: admin.address,
    deployBlock: 0,
    generatedAt: new Date().toISOString(),
    roles: {},
    contracts: {
      identityRegistry: await deployed(contracts.identity, "IdentityRegistry"),
      collectibleRights: await deployed(contracts.rights, "CollectibleRights"),
      evidenceRegistry: await deployed(contracts.evidence, "EvidenceRegistry"),
    },
  });
  // The context only reads: any keys will do.
  const key = () => Wallet.createRandom().privateKey;
  return new Chain({ deployment, provider: ethers.provider, keys: { operator: key(), attestor: key(), regulator: key() } });
}

async function registryWithChain() {
  const f = await deployRegistryFixture();
  return { ...f, chain: await chainFor(f.contracts) };
}

/** deployRegistryFixture (snapshot-restored per test) plus a Chain over it. */
export const loadRegistry = () => loadFixture(registryWithChain);

/** The latest block time as a Date: the clock the contracts use. */
export const chainNow = async () => new Date((await time.latest()) * 1000);

/** The real chain context on the fixture, with the clock at the latest block's time. */
export async function realContext(chain: Chain, store = memoryIssuance()): Promise<ComplianceContext> {
  const now = await chainNow();
  return chainComplianceContext(chain, store, { now: () => now });
}

/**
 * Records `hash` in the EvidenceRegistry as the fixture's operator (EVIDENCE_WRITER_ROLE, an account other
 * than the issuer's, and not the Chain's own operator key: an independent record for the rights rule).
 */
export async function recordEvidence(
  f: Awaited<ReturnType<typeof loadRegistry>>,
  hash: string,
  label = hash,
): Promise<void> {
  await (await f.contracts.evidence.connect(f.accounts.operator).record(ethers.id(`evidence:${label}`), hash, '{"kind":"test"}')).wait();
}

/** Puts the issuer's business-licence dossier hash (its identity evidenceHash) on record. */
export async function recordIssuerLicence(f: Awaited<ReturnType<typeof loadRegistry>>): Promise<void> {
  await recordEvidence(f, ethers.id(`kyc:${f.ids.issuer}`), "issuer-licence");
}

/** A port nothing listens on: bound, then released. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The same deployment as `chain`, on a node that cannot be reached. */
export async function deadChain(chain: Chain): Promise<Chain> {
  const provider = jsonRpcProvider(`http://127.0.0.1:${await deadPort()}`, chain.deployment.chainId);
  const key = ethers.Wallet.createRandom().privateKey;
  return new Chain({ deployment: chain.deployment, provider, keys: { operator: key, attestor: key, regulator: key } });
}
