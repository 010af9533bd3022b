import { performance } from "node:perf_hooks";
import { ethers } from "hardhat";
import { CHINA, LEVEL, collectionParams } from "../test/contracts/fixtures";
import { gatewayChainFixture, startTestGateway } from "../test/server/support/gateway";

async function main() {
  const N = Number(process.env.BENCH_N ?? 1000);
  const fx = await gatewayChainFixture();
  const { identity, rights } = fx.contracts;
  const { attestor, issuer, operator } = fx.accounts;
  const gw = process.env.GW ? await startTestGateway(fx.deployment) : undefined;
  await (await rights.connect(issuer).createCollection(issuer.address, collectionParams({ maxSupply: 100000 }))).wait();
  const expiresAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 1e8);
  for (let round = 0; round < 3; round++) {
    const wallets = Array.from({ length: N }, () => ethers.getAddress(ethers.hexlify(ethers.randomBytes(20))));
    for (let i = 0; i < N; i += 100) {
      await (await identity.connect(attestor).batchRegisterIdentities(wallets.slice(i, i + 100).map((wallet, j) => ({ identityId: ethers.id(`x${round}-${i + j}`), wallet, level: LEVEL.REAL_NAME, jurisdiction: CHINA, expiresAt, evidenceHash: ethers.id("k") })))).wait();
    }
    const times = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i += 100) {
      const t = performance.now();
      const tx = await rights.connect(operator).mintBatch(issuer.address, 1, wallets.slice(i, i + 100), ethers.id(`r${round}-${i}`));
      const t2 = performance.now();
      await tx.wait();
      times.push(`${(t2 - t).toFixed(0)}+${(performance.now() - t2).toFixed(0)}`);
    }
    if (round === 2) await gw?.close();
    console.log(`round ${round}: ${(performance.now() - t0).toFixed(0)} ms`, times.join(" "));
  }
}
main().then(async () => {});
void 0;
//.catch((e) => { console.error(e); process.exitCode = 1; });
