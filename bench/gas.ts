/**
 * Gas benchmark: the registry beside a bare OpenZeppelin 5 ERC721, in one run on the in-process Hardhat
 * network. Figures are receipt gasUsed (21,000 base included). Prints a table and writes
 * bench/results/gas.json.  Run: npm run bench:gas
 *
 * A mint request spends one bit of the issuer's nonce bitmap. A single mint is measured twice: in the
 * steady state (the nonce's 256-bit word already has a bit set, as for every nonce after the first of a
 * word when a gateway numbers its requests 0, 1, 2, …) and on the first use of a word (a fresh slot).
 */
import { approvalDomain, approvalTypes } from "../shared/approval";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ethers, network } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { deploySystem } from "../scripts/lib/system";

const DAY = 24 * 3600;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

function fresh(n: number): string[] {
  return Array.from({ length: n }, () => ethers.Wallet.createRandom().address);
}

async function main() {
  const [admin, attestor, regulator, issuer, alice, bob, carol] = await ethers.getSigners();
  const complianceKey = ethers.Wallet.createRandom();
  const { identity, rights } = await deploySystem(ethers, admin, {
    roles: {
      attestors: [attestor.address],
      regulators: [regulator.address],
      issuers: [issuer.address],
      operators: [],
      evidenceWriters: [],
      complianceSigners: [complianceKey.address],
      anchorers: [],
    },
  });
  const domain = approvalDomain((await ethers.provider.getNetwork()).chainId, await rights.getAddress());
  const createTypes = approvalTypes("CreateCollection");

  const baseline = await (await ethers.getContractFactory("BaselineERC721")).deploy();
  await baseline.waitForDeployment();

  const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 365 * DAY);
  let nextIdentity = 0;
  const register = (wallet: string, level = 2) =>
    identity
      .connect(attestor)
      .registerIdentity(ethers.id(`identity-${nextIdentity++}`), wallet, level, 156, expiry, ethers.id("kyc"));

  // Warm-up registrations (the first write to a fresh contract's counters is not typical).
  const registerGas = [] as number[];
  for (const w of [issuer.address, alice.address, bob.address, carol.address]) {
    registerGas.push(await gasOf(register(w, w === issuer.address ? 4 : 2)));
  }
  const registerIdentityGas = registerGas[registerGas.length - 1];

  const params = (n: number) => ({
    contentHash: ethers.id(`media-${n}`),
    metadataCID: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    maxSupply: 10_000,
    royaltyReceiver: issuer.address,
    royaltyBps: 500,
    licenceCID: "bafkreid7qoywk77r7rj3slobqfekdvs57qwuwh5d2z3sqsw52iabe3mqne",
    rights: 0x3,
    mode: 1, // GiftToVerified
    holdingPeriod: 180 * DAY,
    minLevel: 2,
    complianceRef: ethers.id(`decision-${n}`),
  });
  const create = async (p: ReturnType<typeof params>) => {
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3600);
    const signature = await complianceKey.signTypedData(domain, createTypes, { ...p, issuer: issuer.address, deadline });
    return rights.connect(issuer).createCollection(issuer.address, p, { signer: complianceKey.address, deadline, signature });
  };
  await gasOf(create(params(0)));
  const createCollectionGas = await gasOf(create(params(1)));
  const collectionId = 2n;

  // Request nonces as a gateway numbers them: 0, 1, 2, … (256 per bitmap word).
  let nonce = 0n;
  const rid = () => nonce++;
  let baseId = 1n;

  // Mint 1 to a fresh holder: first use of a nonce word, then the steady state (word already non-zero).
  const [first, one] = fresh(2);
  await register(first);
  await register(one);
  const mintFirstWordGas = await gasOf(rights.connect(issuer).mint(issuer.address, collectionId, first, rid()));
  const mintGas = await gasOf(rights.connect(issuer).mint(issuer.address, collectionId, one, rid()));
  const [oneBase] = fresh(1);
  const baselineMintGas = await gasOf(baseline.mint(oneBase, baseId++));

  const batch = async (n: number) => {
    const holders = fresh(n);
    for (const h of holders) await register(h);
    const ours = await gasOf(rights.connect(issuer).mintBatch(issuer.address, collectionId, holders, rid()));
    const theirs = await gasOf(baseline.mintBatch(fresh(n), baseId));
    baseId += BigInt(n);
    return { ours, theirs };
  };
  const batch10 = await batch(10);
  const batch100 = await batch(100);

  // Transfers: alice holds two editions, bob holds one; wait out the holding period.
  const tokenOf = async (to: string) => {
    const tx = await rights.connect(issuer).mint(issuer.address, collectionId, to, rid());
    const r = await tx.wait();
    const log = r!.logs.map((l) => rights.interface.parseLog(l)).find((l) => l?.name === "Transfer")!;
    return log.args.tokenId as bigint;
  };
  const a1 = await tokenOf(alice.address);
  const a2 = await tokenOf(alice.address);
  const a3 = await tokenOf(alice.address);
  await tokenOf(bob.address);
  for (const id of [baseId, baseId + 1n, baseId + 2n]) await (await baseline.mint(alice.address, id)).wait();
  await (await baseline.mint(bob.address, baseId + 3n)).wait();
  await network.provider.send("evm_increaseTime", [181 * DAY]);
  await network.provider.send("evm_mine");

  const [newHolder] = fresh(1);
  await register(newHolder);
  const transferNewGas = await gasOf(rights.connect(alice).transferFrom(alice.address, newHolder, a1));
  const baselineTransferNewGas = await gasOf(baseline.connect(alice).transferFrom(alice.address, fresh(1)[0], baseId));
  const transferExistingGas = await gasOf(rights.connect(alice).transferFrom(alice.address, bob.address, a2));
  const baselineTransferExistingGas = await gasOf(
    baseline.connect(alice).transferFrom(alice.address, bob.address, baseId + 1n),
  );

  const reason = ethers.encodeBytes32String("LOST_WALLET");
  const evidence = ethers.id("evidence");
  const forcedGas = await gasOf(rights.connect(regulator).forcedTransfer(alice.address, carol.address, a3, reason, evidence));
  const freezeWalletGas = await gasOf(rights.connect(regulator).freezeWallet(newHolder, reason, evidence));
  const freezeTokenGas = await gasOf(rights.connect(regulator).freezeToken(a2, reason, evidence));
  const licenceExpiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 30 * DAY);
  const licenceGas = await gasOf(rights.connect(carol).grantLicence(a3, alice.address, 0x1, licenceExpiry));

  type Row = { op: string; gas: number; baseline?: number; target?: number };
  const rows: Row[] = [
    { op: "register identity", gas: registerIdentityGas },
    { op: "create collection", gas: createCollectionGas },
    { op: "mint 1 to a fresh holder", gas: mintGas, baseline: baselineMintGas, target: 1.5 },
    { op: "mint 1, first nonce of a word", gas: mintFirstWordGas, baseline: baselineMintGas },
    { op: "batch mint 10 (total)", gas: batch10.ours, baseline: batch10.theirs },
    { op: "batch mint 10 (per token)", gas: Math.round(batch10.ours / 10), baseline: Math.round(batch10.theirs / 10) },
    { op: "batch mint 100 (total)", gas: batch100.ours, baseline: batch100.theirs },
    {
      op: "batch mint 100 (per token)",
      gas: Math.round(batch100.ours / 100),
      baseline: Math.round(batch100.theirs / 100),
      target: 1.25,
    },
    { op: "transfer to a new holder", gas: transferNewGas, baseline: baselineTransferNewGas },
    {
      op: "transfer to an existing holder",
      gas: transferExistingGas,
      baseline: baselineTransferExistingGas,
      target: 1.8,
    },
    { op: "forced transfer", gas: forcedGas, baseline: baselineTransferNewGas },
    { op: "freeze wallet", gas: freezeWalletGas },
    { op: "freeze token", gas: freezeTokenGas },
    { op: "grant licence", gas: licenceGas },
  ];

  const results = rows.map((r) => {
    const ratio = r.baseline ? r.gas / r.baseline : undefined;
    return {
      ...r,
      ratio: ratio === undefined ? undefined : Number(ratio.toFixed(3)),
      meetsTarget: r.target === undefined || ratio === undefined ? undefined : ratio <= r.target,
    };
  });

  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  console.log(`\nGas (receipt gasUsed, 21,000 base included) — ${network.name}\n`);
  console.log(`${pad("operation", 32)}${lpad("registry", 11)}${lpad("OZ baseline", 13)}${lpad("ratio", 8)}${lpad("target", 8)}  ok`);
  for (const r of results) {
    console.log(
      `${pad(r.op, 32)}${lpad(r.gas.toLocaleString("en-US"), 11)}${lpad(r.baseline?.toLocaleString("en-US") ?? "—", 13)}` +
        `${lpad(r.ratio?.toFixed(2) ?? "—", 8)}${lpad(r.target ? `≤${r.target}` : "", 8)}  ${r.meetsTarget === undefined ? "" : r.meetsTarget ? "yes" : "NO"}`,
    );
  }
  const out = join(__dirname, "results", "gas.json");
  mkdirSync(join(__dirname, "results"), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ measuredAt: new Date().toISOString(), network: network.name, results }, null, 2) + "\n",
  );
  console.log(`\nwritten ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
