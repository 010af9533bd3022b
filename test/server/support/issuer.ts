import { ethers } from "hardhat";
import type { TestGateway } from "./gateway";
import type { gatewayChainFixture } from "./gateway";

type Fx = Awaited<ReturnType<typeof gatewayChainFixture>>;

/** A valid 1×1 PNG, unique per seed (a tEXt chunk carries the seed). */
export function png(seed: string): Uint8Array {
  const sig = Buffer.from("89504e470d0a1a0a", "hex");
  const ihdr = Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex");
  const text = Buffer.from(`seed ${seed}`);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(text.length);
  const tEXt = Buffer.concat([len, Buffer.from("tEXt"), text, Buffer.alloc(4)]);
  const iend = Buffer.from("0000000049454e44ae426082", "hex");
  return new Uint8Array(Buffer.concat([sig, ihdr, tEXt, iend]));
}

export const collectionRequest = (overrides: Record<string, unknown> = {}) => ({
  name: "长城日出 Great Wall Sunrise",
  description: "A photograph of the Great Wall at dawn, 八达岭.",
  attributes: [{ trait_type: "photographer", value: "Studio 7" }],
  editionSize: 50,
  royalty: { receiver: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", bps: 500 },
  licence: { text: "Personal display licence. 仅限个人展示。", rights: ["display", "personalUse"] },
  transferPolicy: { mode: "GiftToVerified", holdingPeriodDays: 180, minLevel: 2 },
  ...overrides,
});

/**
 * Makes the fixture's issuer admissible (its business-licence dossier hash recorded as evidence) and
 * returns an issuer key plus a helper that builds a collection request whose copyright evidence an attestor
 * has recorded (unless `recordCopyright: false`).
 */
export async function issuerSetup(gw: TestGateway, fx: Fx) {
  const { evidence } = fx.contracts;
  const { operator, issuer } = fx.accounts;
  const licenceHash = ethers.id(`kyc:${fx.ids.issuer}`);
  if (!(await evidence.existsByHash(licenceHash))) {
    await (await evidence.connect(operator).record(ethers.id("business-licence:issuer"), licenceHash, "{}")).wait();
  }
  const token = await gw.key("issuer", { wallet: issuer.address });
  // Copyright evidence counts only when an independent party records it (the rights rule): the attestor.
  const attestorToken = await gw.key("attestor", { wallet: fx.accounts.attestor.address });

  const form = async (seed: string, request: Record<string, unknown> = collectionRequest(), opts: { recordCopyright?: boolean } = {}) => {
    const copyright = new TextEncoder().encode(`copyright certificate ${seed}`);
    if (opts.recordCopyright !== false) {
      const ev = new FormData();
      ev.set("data", JSON.stringify({ kind: "copyright", description: `work ${seed}` }));
      ev.set("file", new Blob([Buffer.from(copyright)]), "certificate.pdf");
      const r = await gw.call("POST", "/v1/evidence", { token: attestorToken, form: ev });
      if (r.status !== 201 && r.status !== 409) throw new Error(`evidence: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const media = png(seed);
    const f = new FormData();
    f.set("data", JSON.stringify(request));
    f.set("media", new Blob([Buffer.from(media)]), "work.png");
    f.set("copyrightEvidence", new Blob([Buffer.from(copyright)]), "certificate.pdf");
    return { form: f, media, copyright };
  };
  return { token, form };
}

/** Polls a job until it is done or failed. */
export async function waitForJob(gw: TestGateway, token: string, jobId: string, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const r = await gw.call("GET", `/v1/jobs/${jobId}`, { token });
    if (r.body?.state === "done" || r.body?.state === "failed") return r.body;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} still ${r.body?.state}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
