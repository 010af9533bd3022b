import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { chainNowMs, gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";

describe("gateway: identities and DIDs", function () {
  this.timeout(120_000);
  let gw: TestGateway;
  let fx: Awaited<ReturnType<typeof gatewayChainFixture>>;
  let attestor: string;
  let regulator: string;
  let auditor: string;

  beforeEach(async function () {
    fx = await loadFixture(gatewayChainFixture);
    gw = await startTestGateway(fx.deployment);
    attestor = await gw.key("attestor");
    regulator = await gw.key("regulator");
    auditor = await gw.key("auditor");
    now = await chainNowMs();
  });
  afterEach(async () => gw.close());

  const form = (data: unknown, file?: Uint8Array) => {
    const f = new FormData();
    f.set("data", JSON.stringify(data));
    if (file) f.set("kycEvidence", new Blob([Buffer.from(file)]), "dossier.pdf");
    return f;
  };
  let now = 0;
  const inAYear = () => new Date(now + 365 * 86_400_000).toISOString();

  it("registers an identity from a KYC file, keeping only its hash, and records the hash as evidence", async () => {
    const wallet = ethers.Wallet.createRandom().address;
    const dossier = new TextEncoder().encode("张三 110101199003074514 passport scan");
    const res = await gw.call("POST", "/v1/identities", {
      token: attestor,
      form: form({ wallet, level: 2, jurisdiction: 156, expiresAt: inAYear() }, dossier),
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.evidenceHash).to.equal(ethers.sha256(dossier));
    expect(res.body.did).to.equal(`did:dareg:31337:${res.body.identityId}`);
    const { identity, evidence } = fx.contracts;
    expect(await identity.isVerified(wallet, 2)).to.equal(true);
    expect(await evidence.existsByHash(ethers.sha256(dossier))).to.equal(true);

    // the raw dossier appears nowhere in the store
    const dump = JSON.stringify(await gw.services.store.db.query("SELECT * FROM sandbox_log"));
    expect(dump).to.not.include("110101199003074514");
    expect(dump).to.include("chain.identity.registerIdentity");
  });

  it("reads an identity by wallet and resolves its DID to a W3C DID document", async () => {
    const { alice } = fx.accounts;
    const res = await gw.call("GET", `/v1/identities/${alice.address}`, { token: auditor });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ wallet: alice.address, level: 2, status: "Active", verified: true });
    const did = res.body.did as string;
    const doc = await gw.call("GET", `/v1/dids/${did}`, { token: auditor });
    expect(doc.status).to.equal(200);
    expect(doc.body.didDocument.id).to.equal(did);
    expect(doc.body.didDocument.verificationMethod).to.deep.equal([
      {
        id: `${did}#${alice.address.toLowerCase()}`,
        type: "EcdsaSecp256k1RecoveryMethod2020",
        controller: did,
        blockchainAccountId: `eip155:31337:${alice.address}`,
      },
    ]);
    expect(doc.body.didDocumentMetadata).to.include({ status: "Active", level: 2, deactivated: false });
  });

  it("links and unlinks wallets, then suspends, reinstates and revokes through the regulator", async () => {
    const id = fx.ids.bob;
    const extra = ethers.Wallet.createRandom().address;
    const link = await gw.call("POST", `/v1/identities/${id}/wallets`, { token: attestor, json: { wallet: extra, reason: "second device" } });
    expect(link.status, JSON.stringify(link.body)).to.equal(200);
    expect(await fx.contracts.identity.identityOf(extra)).to.equal(id);
    const did = `did:dareg:31337:${id}`;
    expect((await gw.call("GET", `/v1/dids/${did}`, { token: auditor })).body.didDocument.verificationMethod).to.have.length(2);
    const unlink = await gw.call("POST", `/v1/identities/wallets/unlink`, { token: attestor, json: { wallet: extra, reason: "lost" } });
    expect(unlink.status).to.equal(200);

    expect((await gw.call("POST", `/v1/identities/${id}/suspend`, { token: regulator, json: { reason: "AML review" } })).status).to.equal(200);
    expect(await fx.contracts.identity.isVerified(fx.accounts.bob.address, 1)).to.equal(false);
    const again = await gw.call("POST", `/v1/identities/${id}/suspend`, { token: regulator, json: { reason: "AML review" } });
    expect(again.status, JSON.stringify(again.body)).to.equal(409);
    expect(again.body.error.code).to.equal("INVALID_STATUS_TRANSITION");
    const reinstated = await gw.call("POST", `/v1/identities/${id}/reinstate`, { token: regulator, json: { reason: "cleared" } });
    expect(reinstated.status, JSON.stringify(reinstated.body)).to.equal(200);
    expect((await gw.call("POST", `/v1/identities/${id}/revoke`, { token: regulator, json: { reason: "fraud" } })).status).to.equal(200);
    const doc = await gw.call("GET", `/v1/dids/${did}`, { token: auditor });
    expect(doc.body.didDocumentMetadata).to.include({ status: "Revoked", deactivated: true });
  });

  it("renews an identity", async () => {
    const until = new Date(now + 5 * 365 * 86_400_000);
    const res = await gw.call("POST", `/v1/identities/${fx.ids.carol}/renew`, {
      token: attestor,
      json: { expiresAt: until.toISOString(), kycEvidenceHash: ethers.id("refreshed"), reason: "annual KYC" },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(Number((await fx.contracts.identity.getIdentity(fx.ids.carol)).expiresAt)).to.equal(Math.floor(until.getTime() / 1000));
  });

  it("sends concurrent writes with the same key without nonce collisions", async () => {
    const wallets = Array.from({ length: 12 }, () => ethers.Wallet.createRandom().address);
    const results = await Promise.all(
      wallets.map((wallet, i) =>
        gw.call("POST", "/v1/identities", {
          token: attestor,
          form: form({ wallet, level: 2, jurisdiction: 156, expiresAt: inAYear(), kycEvidenceHash: ethers.id(`concurrent ${i}`) }),
        }),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal(wallets.map(() => 201));
    for (const w of wallets) expect(await fx.contracts.identity.isVerified(w, 2)).to.equal(true);
  });

  it("answers decoded chain errors and validation errors with stable codes", async () => {
    const { alice } = fx.accounts;
    const dup = await gw.call("POST", "/v1/identities", {
      token: attestor,
      form: form({ wallet: alice.address, level: 2, jurisdiction: 156, expiresAt: inAYear(), kycEvidenceHash: ethers.id("x") }),
    });
    expect(dup.status).to.equal(409);
    expect(dup.body.error.code).to.equal("WALLET_ALREADY_LINKED");
    expect(dup.body.error.message).to.include(alice.address);

    const bad = await gw.call("POST", "/v1/identities", {
      token: attestor,
      form: form({ wallet: "0x123", level: 9, jurisdiction: 156, expiresAt: "tomorrow", kycEvidenceHash: ethers.id("x") }),
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal("VALIDATION_FAILED");
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members(["wallet", "level", "expiresAt"]);

    const none = await gw.call("POST", "/v1/identities", {
      token: attestor,
      form: form({ wallet: ethers.Wallet.createRandom().address, level: 2, jurisdiction: 156, expiresAt: inAYear() }),
    });
    expect(none.status).to.equal(400);
    expect(none.body.error.code).to.equal("EVIDENCE_REQUIRED");

    const unknown = await gw.call("GET", `/v1/identities/${ethers.Wallet.createRandom().address}`, { token: auditor });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal("WALLET_NOT_LINKED");
    const badDid = await gw.call("GET", `/v1/dids/did:web:example.com`, { token: auditor });
    expect(badDid.status).to.equal(400);
    expect(badDid.body.error.code).to.equal("INVALID_DID");
  });
});
