/**
 * The gateway in this process against a real anvil (test/support/anvil.ts): an issuer key with its copyright
 * evidence, a collection, verified holders, and the chain read back to check that every recipient was minted
 * exactly once. Registers no mocha test.
 */
import { expect } from "chai";
import { Interface, Wallet, id } from "ethers";
import type { Logger } from "pino";
import type { Anvil, AnvilRegistry } from "../../support/anvil";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup } from "../support/issuer";
import type { JobView } from "../../../shared/api/mint";

/** Starts the real gateway on the anvil's chain, in a fresh (or given) data directory. */
export function anvilGateway(anvil: Anvil, fx: AnvilRegistry, opts: { env?: Record<string, string>; dataDir?: string; logger?: Logger; startWorker?: boolean } = {}) {
  return startTestGateway(fx.deployment, { provider: anvil.provider, ...opts, env: { ...fx.gatewayEnv, ...opts.env } });
}

/** An issuer key and a collection of `editionSize` created through the API (mined at once: call with automine on). */
export async function issuerWithCollection(gw: TestGateway, fx: AnvilRegistry, seed: string, editionSize = 300) {
  const { token, form } = await issuerSetup(gw, fx as unknown as Parameters<typeof issuerSetup>[1]);
  const created = await gw.call("POST", "/v1/collections", { token, form: (await form(seed, collectionRequest({ editionSize }))).form });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return { token, collectionId: created.body.collectionId as string };
}

/** `n` fresh wallets verified at level 2, registered by the attestor in one transaction. */
export async function verifiedHolders(fx: AnvilRegistry, n: number, seed: string): Promise<string[]> {
  const wallets = Array.from({ length: n }, () => Wallet.createRandom().address);
  const registrations = wallets.map((wallet, i) => ({
    identityId: id(`identity:${seed}:${i}`),
    wallet,
    level: 2,
    jurisdiction: 156,
    expiresAt: fx.expiresAt,
    evidenceHash: id(`kyc:${seed}:${i}`),
  }));
  await (await fx.contracts.identity.connect(fx.accounts.attestor).batchRegisterIdentities(registrations)).wait();
  return wallets;
}

/** Accepts a mint job through the API and returns its id. */
export async function enqueue(gw: TestGateway, token: string, collectionId: string, recipients: string[], key: string): Promise<string> {
  const r = await gw.call("POST", `/v1/collections/${collectionId}/mint`, { token, json: { recipients }, headers: { "idempotency-key": key } });
  expect(r.status, JSON.stringify(r.body)).to.equal(202);
  return r.body.jobId as string;
}

/** The job as the API shows it. */
export async function jobOf(gw: TestGateway, token: string, jobId: string): Promise<JobView> {
  const r = await gw.call("GET", `/v1/jobs/${jobId}`, { token });
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
  return r.body as JobView;
}

/** Polls until `check` holds for the job (every 100 ms); fails with the last view after `timeoutMs`. */
export async function waitUntil(gw: TestGateway, token: string, jobId: string, check: (job: JobView) => boolean, timeoutMs = 60_000): Promise<JobView> {
  const started = Date.now();
  for (;;) {
    const job = await jobOf(gw, token, jobId);
    if (check(job)) return job;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} never reached the expected state: ${JSON.stringify({ state: job.state, reason: job.reason, counts: job.counts })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const EDITIONS_MINTED = new Interface([
  "event EditionsMinted(uint64 indexed collectionId, uint256 indexed requestNonce, address indexed issuer, address operator, uint256 firstTokenId, uint32 count, bytes32 recipientsHash)",
]);

/** Every EditionsMinted of an issuer's request nonce on the chain. */
export async function mintRecords(anvil: Anvil, fx: AnvilRegistry, requestNonce: string) {
  const event = EDITIONS_MINTED.getEvent("EditionsMinted")!;
  const logs = await anvil.provider.getLogs({
    address: fx.deployment.contracts.collectibleRights.address,
    topics: [event.topicHash, null, `0x${BigInt(requestNonce).toString(16).padStart(64, "0")}`, `0x${fx.accounts.issuer.address.slice(2).toLowerCase().padStart(64, "0")}`],
    fromBlock: fx.deployment.deployBlock,
    toBlock: "latest",
  });
  return logs.map((l) => {
    const args = EDITIONS_MINTED.parseLog(l)!.args;
    return { txHash: l.transactionHash, blockNumber: l.blockNumber, firstTokenId: args.firstTokenId as bigint, count: Number(args.count), recipientsHash: args.recipientsHash as string };
  });
}

/**
 * Reads the chain back for a finished job: every recipient owns exactly one token of the registry, the one
 * the job names; every request nonce of the job is used on chain and recorded by exactly one EditionsMinted,
 * whose tokens are exactly the job's. Returns the job's request nonces.
 */
export async function expectMintedOnce(anvil: Anvil, fx: AnvilRegistry, job: JobView, requestIdOf: (idx: number) => string | null): Promise<string[]> {
  const { rights } = fx.contracts;
  expect(job.state, JSON.stringify({ reason: job.reason, counts: job.counts })).to.equal("done");
  expect(job.counts).to.include({ total: job.items.length, minted: job.items.length, failed: 0 });
  for (const item of job.items) {
    expect(item.tokenId, `item ${item.idx}`).to.be.a("string");
    expect(await rights.ownerOf(item.tokenId!)).to.equal(item.recipient);
    expect(await rights.balanceOf(item.recipient)).to.equal(1n);
  }
  const nonces = [...new Set(job.items.map((i) => requestIdOf(i.idx)))];
  const tokens = new Set<string>();
  for (const nonce of nonces) {
    expect(nonce).to.be.a("string");
    expect(await rights.isRequestUsed(fx.accounts.issuer.address, nonce!)).to.equal(true);
    const records = await mintRecords(anvil, fx, nonce!);
    expect(records, `EditionsMinted of request nonce ${nonce}`).to.have.length(1);
    for (let i = 0; i < records[0].count; i++) tokens.add((records[0].firstTokenId + BigInt(i)).toString());
  }
  expect([...tokens].sort()).to.deep.equal(job.items.map((i) => i.tokenId!).sort());
  return nonces as string[];
}
