/**
 * Mint jobs through the API, and the chain read back after them: whatever the gateway's store says, every
 * recipient must own exactly one token, every request nonce must have run exactly once, and the tokens must
 * be the ones the job reports. Registers no mocha test.
 */
import { expect } from "chai";
import { Interface, type Provider } from "ethers";
import type { JobView } from "../../../shared/api/mint";
import type { Deployment } from "../../../shared/deployment";
import { recipientsHash } from "../../../server/mint/worker";
import type { CollectibleRights } from "../../../typechain-types";
import type { TestGateway } from "../support/gateway";

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

/** A chain with the registry on it, and the issuer whose request nonces the jobs use. */
export interface MintedChain {
  provider: Provider;
  deployment: Deployment;
  issuer: string;
  rights: CollectibleRights;
}

/** Every EditionsMinted of an issuer's request nonce on the chain. */
export async function mintRecords(chain: MintedChain, requestNonce: string) {
  const event = EDITIONS_MINTED.getEvent("EditionsMinted")!;
  const logs = await chain.provider.getLogs({
    address: chain.deployment.contracts.collectibleRights.address,
    topics: [event.topicHash, null, `0x${BigInt(requestNonce).toString(16).padStart(64, "0")}`, `0x${chain.issuer.slice(2).toLowerCase().padStart(64, "0")}`],
    fromBlock: chain.deployment.deployBlock,
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
export async function expectMintedOnce(chain: MintedChain, job: JobView, requestIdOf: (idx: number) => string | null): Promise<string[]> {
  const { rights } = chain;
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
    expect(await rights.isRequestUsed(chain.issuer, nonce!)).to.equal(true);
    const records = await mintRecords(chain, nonce!);
    expect(records, `EditionsMinted of request nonce ${nonce}`).to.have.length(1);
    const batch = job.items.filter((i) => requestIdOf(i.idx) === nonce).sort((a, b) => a.idx - b.idx);
    expect(records[0].recipientsHash).to.equal(recipientsHash(batch.map((i) => i.recipient)));
    expect(batch.map((i) => i.tokenId)).to.deep.equal(batch.map((_, i) => (records[0].firstTokenId + BigInt(i)).toString()));
    for (let i = 0; i < records[0].count; i++) tokens.add((records[0].firstTokenId + BigInt(i)).toString());
  }
  expect([...tokens].sort()).to.deep.equal(job.items.map((i) => i.tokenId!).sort());
  return nonces as string[];
}
