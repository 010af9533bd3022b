import { performance } from "node:perf_hooks";
import { ethers } from "hardhat";
import { CHINA, LEVEL } from "../test/contracts/fixtures";
import { gatewayChainFixture, startTestGateway } from "../test/server/support/gateway";
import { collectionRequest, issuerSetup, waitForJob } from "../test/server/support/issuer";

async function main() {
  const N = Number(process.env.BENCH_N ?? 1000);
  const fx = await gatewayChainFixture();
  const gw = await startTestGateway(fx.deployment);
  const s = gw.services as any;
  const stats: Record<string, { n: number; ms: number }> = {};
  const wrap = (obj: any, name: string, label: string) => {
    const orig = obj[name].bind(obj);
    obj[name] = async (...a: any[]) => {
      const t0 = performance.now();
      try { return await orig(...a); } finally {
        const st = (stats[label] ??= { n: 0, ms: 0 }); st.n++; st.ms += performance.now() - t0;
      }
    };
  };
  wrap(s.chain, "read", "chain.read");
  wrap(s.sandbox, "append", "sandbox.append");
  wrap(s.compliance, "evaluate", "compliance.evaluate");
  for (const k of Object.keys(s.store.jobs)) wrap(s.store.jobs, k, `store.jobs.${k}`);
  const origSubmit = s.chain.submit.bind(s.chain);
  s.chain.submit = async (...a: any[]) => {
    const t0 = performance.now();
    const tx = await origSubmit(...a);
    const st = (stats[`submit ${a[2]}`] ??= { n: 0, ms: 0 }); st.n++; st.ms += performance.now() - t0;
    const w = tx.wait.bind(tx);
    tx.wait = async (...b: any[]) => { const t1 = performance.now(); try { return await w(...b); } finally { const st2 = (stats["tx.wait"] ??= { n: 0, ms: 0 }); st2.n++; st2.ms += performance.now() - t1; } };
    return tx;
  };
  const origSend = s.chain.senders.operator.send.bind(s.chain.senders.operator);
  s.chain.senders.operator.send = async (r: any) => { const t0 = performance.now(); try { return await origSend(r); } finally { const st = (stats["operator.send"] ??= { n: 0, ms: 0 }); st.n++; st.ms += performance.now() - t0; } };
  const setup = await issuerSetup(gw, fx);
  const { form } = await setup.form("p", collectionRequest({ editionSize: N }));
  const c = await gw.call("POST", "/v1/collections", { token: setup.token, form });
  const id = c.body.collectionId;
  const expiresAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 1e8);
  const wallets = Array.from({ length: N }, () => ethers.getAddress(ethers.hexlify(ethers.randomBytes(20))));
  for (let i = 0; i < N; i += 100) {
    await (await fx.contracts.identity.connect(fx.accounts.attestor).batchRegisterIdentities(wallets.slice(i, i + 100).map((wallet, j) => ({ identityId: ethers.id(`x${i + j}`), wallet, level: LEVEL.REAL_NAME, jurisdiction: CHINA, expiresAt, evidenceHash: ethers.id("k") })))).wait();
  }
  for (const k of Object.keys(stats)) delete stats[k];
  const t0 = performance.now();
  const ids = [];
  for (let j = 0; j < N / 100; j++) {
    const r = await gw.call("POST", `/v1/collections/${id}/mint`, { token: setup.token, json: { recipients: wallets.slice(j * 100, j * 100 + 100) }, headers: { "idempotency-key": `k${j}` } });
    ids.push(r.body.jobId);
  }
  await s.worker.idle();
  const total = performance.now() - t0;
  for (const j of ids) { const b = await waitForJob(gw, setup.token, j); if (b.counts.minted !== 100) console.log(b.counts, b.reason); }
  console.log("total ms", total.toFixed(0));
  for (const [k, v] of Object.entries(stats).sort((a, b) => b[1].ms - a[1].ms)) console.log(k.padEnd(32), String(v.n).padStart(6), v.ms.toFixed(0).padStart(8), "ms");
  // raw eth_call cost
  const t1 = performance.now();
  for (let i = 0; i < 300; i++) await fx.contracts.identity.isVerified(wallets[i], 2);
  console.log("300 isVerified eth_calls sequential:", (performance.now() - t1).toFixed(0), "ms");
  await gw.close();
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
