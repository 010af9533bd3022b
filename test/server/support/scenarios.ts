/**
 * The gateway's integration scenarios, written once and run on every EVM implementation the gateway
 * supports (test/integration/anvil-scenarios.test.ts runs them on Hardhat's in-process chain and on anvil):
 * the walkthrough (identities, collection, mint, provenance), exactly-once minting, provenance through
 * regulator actions, and the sandbox log with its anchors. Each scenario starts from its own fresh holders
 * and work, so several can share one chain. Registers no mocha test.
 */
import { expect } from "chai";
import { Wallet, id, sha256, type Provider } from "ethers";
import { entryBytes } from "../../../shared/log/entry";
import { fromHex } from "../../../shared/log/bytes";
import { verifyReceipt } from "../../../shared/log/receipt";
import { verifyConsistency } from "../../../shared/log/verify-consistency";
import type { Deployment } from "../../../shared/deployment";
import type { CollectibleRights, EvidenceRegistry, IdentityRegistry } from "../../../typechain-types";
import { expectMintedOnce } from "../mint/jobs";
import type { TestGateway } from "./gateway";
import { collectionRequest, issuerSetup } from "./issuer";

/** A gateway on a chain with the registry deployed as test/contracts/fixtures.ts deploys it (issuer: Hardhat account 3). */
export interface ScenarioChain {
  gw: TestGateway;
  /** The fixture as issuerSetup takes it (the in-process fixture, or anvil's of the same shape). */
  fx: Parameters<typeof issuerSetup>[1];
  provider: Provider;
  deployment: Deployment;
  contracts: { identity: IdentityRegistry; rights: CollectibleRights; evidence: EvidenceRegistry };
  issuer: string;
  /** The chain's clock (ms): identities expire by it, never by the wall clock. */
  nowMs(): Promise<number>;
}

type Scenario = (c: ScenarioChain) => Promise<void>;

/** Fresh wallets registered at level 2 through the API by an attestor key (the first with its dossier uploaded). */
async function registerHolders(c: ScenarioChain, seed: string, n: number): Promise<string[]> {
  const attestor = c.gw.api(await c.gw.key("attestor"));
  const expiresAt = new Date((await c.nowMs()) + 2 * 365 * 86_400_000).toISOString();
  const wallets: string[] = [];
  for (let i = 0; i < n; i++) {
    const wallet = Wallet.createRandom().address;
    const dossier = new TextEncoder().encode(`holder ${seed} ${i} dossier`);
    const body = { wallet, level: 2, jurisdiction: 156, expiresAt, ...(i === 0 ? {} : { kycEvidenceHash: sha256(dossier) }) };
    const registered = await attestor.call("registerIdentity", { body, headers: {}, files: { kycEvidence: i === 0 ? { bytes: dossier } : undefined } });
    expect(registered).to.include({ wallet, level: 2 });
    expect((registered as { evidenceHash: string }).evidenceHash).to.equal(sha256(dossier));
    expect(await c.contracts.identity.isVerified(wallet, 2)).to.equal(true);
    wallets.push(wallet);
  }
  return wallets;
}

/** An admissible issuer key and a collection created through the API after its compliance check passed. */
async function createCollection(c: ScenarioChain, seed: string, editionSize = 20) {
  const issuer = await issuerSetup(c.gw, c.fx);
  const request = collectionRequest({ name: `场景 ${seed}`, description: `Scenario work ${seed}.`, editionSize });
  const check = await c.gw.call("POST", "/v1/collections/check", { token: issuer.token, form: (await issuer.form(seed, request)).form });
  expect(check.status, JSON.stringify(check.body)).to.equal(200);
  expect(check.body.passed, JSON.stringify(check.body)).to.equal(true);
  const { form, media } = await issuer.form(seed, request, { recordCopyright: false });
  const created = await c.gw.call("POST", "/v1/collections", { token: issuer.token, form });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const onChain = await c.contracts.rights.getCollection(created.body.collectionId);
  expect(onChain.issuer).to.equal(c.issuer);
  expect(onChain.metadataCID).to.equal(created.body.metadataCID);
  expect(onChain.contentHash).to.equal(sha256(media));
  return { token: issuer.token, collectionId: created.body.collectionId as string, media };
}

/** Mints to `recipients` under `key` and waits until the job is done; returns the job and its items' request nonces. */
async function mint(c: ScenarioChain, token: string, collectionId: string, recipients: string[], key: string) {
  const issuer = c.gw.api(token);
  const { jobId } = await issuer.call("enqueueMint", { params: { id: collectionId }, body: { recipients }, headers: { "idempotency-key": key } });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const job = await issuer.call("getJob", { params: { id: jobId } });
    if (job.state === "done" || job.state === "failed") {
      const items = await c.gw.services.store.jobs.items(jobId);
      return { job, requestIdOf: (idx: number) => items[idx].requestId };
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}: ${job.reason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mintedChain = (c: ScenarioChain) => ({ provider: c.provider, deployment: c.deployment, issuer: c.issuer, rights: c.contracts.rights });

/** examples/walkthrough.sh as a test: identities, a checked collection, a mint, provenance, the log anchored and verified. */
export const walkthrough: Scenario = async (c) => {
  const holders = await registerHolders(c, "walkthrough", 2);
  const { token, collectionId, media } = await createCollection(c, "walkthrough");
  const { job, requestIdOf } = await mint(c, token, collectionId, holders, "walkthrough-1");
  await expectMintedOnce(mintedChain(c), job, requestIdOf);

  const auditor = c.gw.api(await c.gw.key("auditor"));
  const tokenId = job.items[0].tokenId!;
  const view = await auditor.call("getToken", { params: { id: tokenId } });
  expect(view).to.include({ owner: holders[0], collectionId, edition: "1" });
  const provenance = await auditor.call("getProvenance", { params: { id: tokenId } });
  expect(provenance.entries.map((e) => e.kind)).to.deep.equal(["mint"]);
  expect(provenance.entries[0].to).to.include({ address: holders[0], level: 2, verified: true });
  expect(provenance.integrity.passed, JSON.stringify(provenance.integrity.checks.filter((x) => !x.passed))).to.equal(true);
  const found = await auditor.call("verifyFile", { files: { file: { bytes: media } } });
  expect(found).to.include({ registered: true, collectionId, issuer: c.issuer });

  const regulator = c.gw.api(await c.gw.key("regulator"));
  const anchored = await regulator.call("anchorLog");
  expect(anchored.checkpoint?.anchor, "anchored on chain").to.not.equal(null);
  const report = await regulator.call("verifyLog");
  expect(report.ok, JSON.stringify(report.checks.filter((x) => !x.passed))).to.equal(true);
};

/** One Idempotency-Key, one job, each recipient minted once, read back from the chain; a refused recipient is failed, not minted. */
export const exactlyOnceMinting: Scenario = async (c) => {
  const holders = await registerHolders(c, "exactly-once", 3);
  const { token, collectionId } = await createCollection(c, "exactly-once");
  const issuer = c.gw.api(token);
  const body = { recipients: holders };
  const first = await issuer.call("enqueueMint", { params: { id: collectionId }, body, headers: { "idempotency-key": "once-1" } });
  const again = await issuer.call("enqueueMint", { params: { id: collectionId }, body, headers: { "idempotency-key": "once-1" } });
  expect(again.jobId).to.equal(first.jobId);
  const conflict = await c.gw.call("POST", `/v1/collections/${collectionId}/mint`, { token, json: { recipients: holders.slice(0, 1) }, headers: { "idempotency-key": "once-1" } });
  expect(conflict.status).to.equal(409);
  expect(conflict.body.error.code).to.equal("IDEMPOTENCY_CONFLICT");
  const missing = await c.gw.call("POST", `/v1/collections/${collectionId}/mint`, { token, json: body });
  expect(missing.status).to.equal(400);
  expect(missing.body.error.code).to.equal("IDEMPOTENCY_KEY_REQUIRED");

  const { job, requestIdOf } = await mint(c, token, collectionId, holders, "once-1");
  expect(job.id).to.equal(first.jobId);
  await expectMintedOnce(mintedChain(c), job, requestIdOf);

  // An unverified recipient fails alone; the verified one beside it is minted.
  const stranger = Wallet.createRandom().address;
  const [fresh] = await registerHolders(c, "exactly-once-2", 1);
  const mixed = await mint(c, token, collectionId, [fresh, stranger], "once-2");
  expect(mixed.job.counts).to.include({ total: 2, minted: 1, failed: 1 });
  const refused = mixed.job.items.find((i) => i.recipient === stranger)!;
  expect(refused.state).to.equal("failed");
  expect(refused.reason).to.match(/recipient-admission/);
  expect(await c.contracts.rights.balanceOf(stranger)).to.equal(0n);
  expect(await c.contracts.rights.totalSupply(collectionId)).to.equal(BigInt(holders.length + 1));
};

/** Custody through regulator actions: mint, freeze, forced transfer; every step in the provenance, which verifies. */
export const provenanceThroughRegulatorActions: Scenario = async (c) => {
  const [alice, carol] = await registerHolders(c, "provenance", 2);
  const { token, collectionId } = await createCollection(c, "provenance");
  const { job } = await mint(c, token, collectionId, [alice], "provenance-1");
  const tokenId = job.items[0].tokenId!;
  const regulator = c.gw.api(await c.gw.key("regulator"));
  await regulator.call("freezeToken", { params: { id: tokenId }, body: { reason: "dispute 2026-17", evidence: { text: "court filing" } }, headers: {} });
  expect((await c.contracts.rights.tokenState(tokenId)).frozen).to.equal(true);
  await regulator.call("forcedTransfer", { params: { id: tokenId }, body: { from: alice, to: carol, reason: "LOST_WALLET", evidence: { hash: id("ticket") } }, headers: {} });
  expect(await c.contracts.rights.ownerOf(tokenId)).to.equal(carol);

  const auditor = c.gw.api(await c.gw.key("auditor"));
  const provenance = await auditor.call("getProvenance", { params: { id: tokenId } });
  expect(provenance.entries.map((e) => e.kind)).to.deep.equal(["mint", "freeze", "forced-transfer"]);
  expect(provenance.entries[2]).to.include({ forced: true });
  expect(provenance.entries[2].from).to.include({ address: alice });
  expect(provenance.entries[2].to).to.include({ address: carol, verified: true });
  expect(provenance.integrity.passed, JSON.stringify(provenance.integrity.checks.filter((x) => !x.passed))).to.equal(true);
};

/**
 * The sandbox log and its anchors: two checkpoints anchored on chain, each the one the EvidenceRegistry
 * holds; an entry's receipt verified here against the log's key and the anchored root; the consistency
 * proof between the two checkpoints verified here; the gateway's own verification passes.
 */
export const logAndAnchors: Scenario = async (c) => {
  const regulator = c.gw.api(await c.gw.key("regulator"));
  const key = await regulator.call("logKey");
  await registerHolders(c, "log-1", 1);
  const first = (await regulator.call("anchorLog")).checkpoint;
  expect(first?.anchor, "first checkpoint anchored").to.not.equal(null);
  await registerHolders(c, "log-2", 1);
  const second = (await regulator.call("anchorLog")).checkpoint;
  expect(second?.anchor, "second checkpoint anchored").to.not.equal(null);
  expect(second!.size).to.be.greaterThan(first!.size);
  for (const cp of [first!, second!]) {
    const onChain = await c.contracts.evidence.checkpointAt(key.logId, cp.anchor!.index);
    expect(onChain.treeSize).to.equal(BigInt(cp.size));
    expect(onChain.rootHash).to.equal(cp.root);
  }

  const proof = await regulator.call("logProof", { params: { seq: first!.size } });
  const bytes = entryBytes(proof.entry);
  const latest = verifyReceipt(proof.latest, bytes, key.verifierKey);
  expect(latest, JSON.stringify(latest)).to.include({ ok: true, checkpointVerified: true });
  expect(proof.anchored?.anchor.index).to.equal(second!.anchor!.index);
  const anchoredReceipt = verifyReceipt(proof.anchored!.receipt, bytes, key.verifierKey);
  expect(anchoredReceipt, JSON.stringify(anchoredReceipt)).to.include({ ok: true, root: second!.root.toLowerCase() });

  const consistency = await regulator.call("logConsistency", { query: { from: first!.size, to: second!.size } });
  expect(consistency).to.include({ rootFrom: first!.root, rootTo: second!.root });
  const consistent = verifyConsistency(first!.size, second!.size, fromHex(first!.root.slice(2)), fromHex(second!.root.slice(2)), consistency.proof.map((p) => fromHex(p.slice(2))));
  expect(consistent).to.deep.equal({ ok: true });

  const report = await regulator.call("verifyLog");
  expect(report.ok, JSON.stringify(report.checks.filter((x) => !x.passed))).to.equal(true);
  expect(report.onChain.count).to.be.greaterThanOrEqual(2);
  expect(report.checkpoints.filter((x) => x.size === first!.size || x.size === second!.size).map((x) => x.ok)).to.deep.equal([true, true]);
};

/** Every scenario by name, in the order the suites run them. */
export const SCENARIOS: Record<string, Scenario> = {
  "the walkthrough: identities, a checked collection, a mint, provenance, the log anchored and verified": walkthrough,
  "exactly-once minting: one job per Idempotency-Key, each recipient minted once on chain, a refused recipient failed alone": exactlyOnceMinting,
  "provenance through a freeze and a forced transfer, with its integrity checks": provenanceThroughRegulatorActions,
  "the sandbox log: anchored checkpoints as the chain holds them, receipts and consistency verified outside the gateway": logAndAnchors,
};
