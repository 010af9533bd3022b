import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { canonicalJson } from "../../../shared/log/canonical";
import { entryHash, GENESIS_HASH, type LogEntry } from "../../../shared/log/entry";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../../server/support/gateway";
import { issuerSetup, waitForJob } from "../../server/support/issuer";

export type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

export interface Scenario {
  fx: Fx;
  gw: TestGateway;
  collectionId: string;
  media: Uint8Array;
  metadataCID: string;
  mediaCID: string;
  complianceRef: string;
  /** tokens minted to alice (then forced to carol by the regulator) and to bob. */
  forcedToken: string;
  plainToken: string;
  /**
   * The offline bundle (GET /v1/sandbox/export?format=bundle): two anchored checkpoints (after the mint,
   * after the forced transfer), the consistency proof between them, and the anchoring's own entries after.
   */
  exportText: string;
  /** The size of the last anchored checkpoint in the bundle. */
  anchoredSize: number;
  /** An entry's receipt (GET /v1/sandbox/logs/2/proof) once anchored. */
  receipt: Record<string, any>;
  blocksDir: string;
}

/**
 * The real gateway on the in-process chain: a collection created through compliance, two editions
 * minted, one moved by the regulator, the sandbox log anchored twice and exported as an offline bundle.
 */
export async function buildScenario(seed: string): Promise<Scenario> {
  const fx = await loadFixture(gatewayChainFixture);
  const gw = await startTestGateway(fx.deployment, { env: { ANCHOR_EVERY_ENTRIES: "1000000" } });
  const issuer = await issuerSetup(gw, fx);
  const { form, media } = await issuer.form(seed);
  const created = await gw.call("POST", "/v1/collections", { token: issuer.token, form });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const collectionId = created.body.collectionId as string;
  const { alice, bob, carol } = fx.accounts;
  const mint = await gw.call("POST", `/v1/collections/${collectionId}/mint`, {
    token: issuer.token,
    json: { recipients: [alice.address, bob.address] },
    headers: { "idempotency-key": `mint-${seed}` },
  });
  if (mint.status !== 202) throw new Error(`mint: ${mint.status} ${JSON.stringify(mint.body)}`);
  const job = await waitForJob(gw, issuer.token, mint.body.jobId);
  const minted = job.items.filter((i: { state: string }) => i.state === "minted");
  if (minted.length !== 2) throw new Error(`mint job: ${JSON.stringify(job)}`);
  const forcedToken = minted.find((i: { recipient: string }) => i.recipient === alice.address).tokenId as string;
  const plainToken = minted.find((i: { recipient: string }) => i.recipient === bob.address).tokenId as string;

  const regulator = await gw.key("regulator");
  const first = await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
  if (first.status !== 200 || !first.body.checkpoint) throw new Error(`anchor: ${first.status} ${JSON.stringify(first.body)}`);
  const forced = await gw.call("POST", `/v1/regulator/tokens/${forcedToken}/force-transfer`, {
    token: regulator,
    json: { from: alice.address, to: carol.address, reason: "LOST_WALLET", evidence: { hash: ethers.id(`ticket ${seed}`) } },
  });
  if (forced.status !== 200) throw new Error(`force-transfer: ${forced.status} ${JSON.stringify(forced.body)}`);
  const anchored = await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
  if (anchored.status !== 200 || !anchored.body.checkpoint) throw new Error(`anchor: ${anchored.status} ${JSON.stringify(anchored.body)}`);
  const exported = await gw.call("GET", "/v1/sandbox/export?format=bundle", { token: regulator });
  if (exported.status !== 200) throw new Error(`export: ${exported.status}`);
  const receipt = await gw.call("GET", "/v1/sandbox/logs/2/proof", { token: regulator });
  return {
    fx,
    gw,
    collectionId,
    media,
    metadataCID: created.body.metadataCID,
    mediaCID: created.body.mediaCID,
    complianceRef: created.body.complianceRef,
    forcedToken,
    plainToken,
    exportText: exported.body as string,
    anchoredSize: anchored.body.checkpoint.size,
    receipt: receipt.body,
    blocksDir: join(gw.dataDir, "ipfs", "blocks"),
  };
}

/** A bundle's lines as objects, and back (one canonical JSON object per line, as the gateway writes them). */
export const bundleLines = (text: string): Array<Record<string, any>> =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
export const toBundle = (lines: ReadonlyArray<Record<string, unknown>>) => `${lines.map((l) => canonicalJson(l)).join("\n")}\n`;

/**
 * The bundle with entry `seq` changed by `edit`. With `relink`, the careful forger: the edited entry and
 * every later one re-hashed, the hash chain re-linked, so the entries agree with each other again.
 */
export function forgeEntry(text: string, seq: number, edit: (e: LogEntry) => void, relink: boolean): string {
  let prev: string = GENESIS_HASH;
  const lines = bundleLines(text).map((line) => {
    if (line.type !== "entry") return line;
    const { type: _t, ...e } = line as LogEntry & { type: string };
    if (e.seq === seq) edit(e);
    if (relink) {
      e.prevHash = prev;
      const { hash: _h, ...body } = e;
      e.hash = entryHash(body);
      prev = e.hash;
    }
    return { type: "entry", ...e };
  });
  return toBundle(lines);
}

/** The bundle with every line of `type` passed through `edit` (return null to drop the line). */
export function editLines(text: string, type: string, edit: (line: Record<string, any>, i: number) => Record<string, any> | null): string {
  let i = 0;
  return toBundle(bundleLines(text).flatMap((l) => (l.type === type ? (edit(l, i++) ?? []) : [l])));
}
