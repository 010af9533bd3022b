import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { entryHash, exportLine, parseExport, GENESIS_HASH, type ChainedEntry } from "../../../shared/log-chain";
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
  /** The unfiltered JSONL export, after an anchor covering everything but the anchor's own entry. */
  exportText: string;
  blocksDir: string;
}

/**
 * The real gateway on the in-process chain: a collection created through compliance, two editions
 * minted, one moved by the regulator, the sandbox log anchored and exported.
 */
export async function buildScenario(seed: string): Promise<Scenario> {
  const fx = await loadFixture(gatewayChainFixture);
  const gw = await startTestGateway(fx.deployment);
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
  const forced = await gw.call("POST", `/v1/regulator/tokens/${forcedToken}/force-transfer`, {
    token: regulator,
    json: { from: alice.address, to: carol.address, reason: "LOST_WALLET", evidence: { hash: ethers.id(`ticket ${seed}`) } },
  });
  if (forced.status !== 200) throw new Error(`force-transfer: ${forced.status} ${JSON.stringify(forced.body)}`);
  const anchored = await gw.call("POST", "/v1/sandbox/anchor", { token: regulator });
  if (anchored.status !== 200 || !anchored.body.anchor) throw new Error(`anchor: ${anchored.status} ${JSON.stringify(anchored.body)}`);
  const exported = await gw.call("GET", "/v1/sandbox/logs?format=jsonl", { token: regulator });
  if (exported.status !== 200) throw new Error(`export: ${exported.status}`);
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
    exportText: typeof exported.body === "string" ? exported.body : `${JSON.stringify(exported.body)}\n`,
    blocksDir: join(gw.dataDir, "ipfs", "blocks"),
  };
}

/** The export with entry `seq` changed by `edit`; with `relink`, every hash from there on recomputed (a careful forger). */
export function forgeExport(text: string, seq: number, edit: (e: ChainedEntry) => void, relink: boolean): string {
  const parsed = parseExport(text);
  let prev = GENESIS_HASH;
  const entries = parsed.entries.map((e) => {
    const copy = JSON.parse(JSON.stringify(e)) as ChainedEntry;
    if (copy.seq === seq) edit(copy);
    if (relink) {
      copy.prevHash = prev;
      copy.hash = entryHash(copy);
      prev = copy.hash;
    }
    return copy;
  });
  const lines = [
    exportLine(parsed.header!),
    ...entries.map((e) => exportLine({ type: "entry", ...e })),
    ...parsed.anchors.map((a) => exportLine({ type: "anchor", ...a })),
  ];
  return `${lines.join("\n")}\n`;
}
