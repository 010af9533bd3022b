import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { API } from "../../../shared/api";
import { gatewayChainFixture, startTestGateway, type TestGateway } from "../support/gateway";
import { collectionRequest, issuerSetup, waitForJob } from "../support/issuer";
import { chainOps, indexedToHead, type Fx } from "../indexer/support";
import { postgresCluster } from "../../support/postgres";
import { DAY } from "../../contracts/fixtures";

/**
 * Every route of shared/api/queries.ts against the real gateway and its index of the in-process chain,
 * on SQLite and on PostgreSQL: filters, stable sort and cursor pagination, CSV export, typed search hits,
 * and bad input answered 400 with a catalogued code naming the field.
 */
const STORES: Array<{ name: string; env: () => Promise<Record<string, string>> }> = [
  { name: "SQLite", env: async () => ({}) },
  { name: "PostgreSQL", env: async () => ({ DATABASE_URL: (await postgresCluster()).createDatabase() }) },
];

/** Query string of defined values. */
const qs = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

for (const store of STORES) {
  describe(`server/queries on ${store.name}: the index's read API`, function () {
    this.timeout(300_000);
    let fx: Fx;
    let gw: TestGateway;
    let auditor: string;
    let attestorKey: string;
    let issuerKey: string;
    const s = {} as {
      api1: { collectionId: string; metadataCID: string; mediaCID: string; contentHash: string; tokens: string[] };
      api2: { collectionId: string };
      direct: { collectionId: string; token: string };
      erinId: string;
      erin: string;
      otherAttestor: string;
      licenceTx: string;
      evidenceHash: string;
      startBlock: number;
    };

    const get = (path: string, token = auditor) => gw.call("GET", path, { token });
    /** Every item of a list, page by page (`limit` per page), checking each page's size and the cursor chain. */
    async function all(path: string, q: Record<string, string | number | undefined>, limit: number, token = auditor) {
      const items: any[] = [];
      let cursor: string | undefined;
      for (let pages = 0; ; pages++) {
        const r = await get(`${path}${qs({ ...q, limit, cursor })}`, token);
        expect(r.status, JSON.stringify(r.body)).to.equal(200);
        expect(r.body.items.length).to.be.at.most(limit);
        items.push(...r.body.items);
        if (!r.body.nextCursor) return { items, pages: pages + 1 };
        expect(r.body.items.length).to.equal(limit);
        cursor = r.body.nextCursor;
      }
    }

    before(async () => {
      fx = await loadFixture(gatewayChainFixture);
      gw = await startTestGateway(fx.deployment, { env: await store.env() });
      auditor = await gw.key("auditor");
      attestorKey = await gw.key("attestor");
      const { alice, bob, carol, dave, rest, admin } = fx.accounts;
      s.startBlock = await ethers.provider.getBlockNumber();

      // Two collections through the API (metadata on IPFS: names and descriptions to search).
      const issuer = await issuerSetup(gw, fx);
      issuerKey = issuer.token;
      const f1 = await issuer.form("queries-1");
      const c1 = await gw.call("POST", "/v1/collections", { token: issuer.token, form: f1.form });
      expect(c1.status, JSON.stringify(c1.body)).to.equal(201);
      const f2 = await issuer.form("queries-2", collectionRequest({ name: "兵马俑 Terracotta Army", description: "Xi'an, 100% clay_figures", editionSize: 10 }));
      const c2 = await gw.call("POST", "/v1/collections", { token: issuer.token, form: f2.form });
      expect(c2.status, JSON.stringify(c2.body)).to.equal(201);
      const mint = await gw.call("POST", `/v1/collections/${c1.body.collectionId}/mint`, {
        token: issuer.token,
        json: { recipients: [alice.address, bob.address, alice.address, carol.address] },
        headers: { "idempotency-key": `queries-${store.name}` },
      });
      const job = await waitForJob(gw, issuer.token, mint.body.jobId);
      const tokens = job.items.map((i: { tokenId: string }) => i.tokenId);
      s.api1 = { collectionId: c1.body.collectionId, metadataCID: c1.body.metadataCID, mediaCID: c1.body.mediaCID, contentHash: c1.body.contentHash, tokens };
      s.api2 = { collectionId: c2.body.collectionId };

      // Directly on chain: a sold-out collection, a licence, a frozen wallet, a second attestor, identity changes.
      const ops = chainOps(fx);
      const c3 = await ops.createCollection(`direct${store.name.toLowerCase()}`, { maxSupply: 1, mode: 0 });
      const [t3] = await ops.mint(c3, [dave.address]);
      s.direct = { collectionId: c3.toString(), token: t3.toString() };
      const licence = await ops.licence(alice, BigInt(tokens[0]), dave.address, 1, (await time.latest()) + 300 * DAY);
      s.licenceTx = licence.hash;
      await ops.freezeWallet(carol.address);
      await ops.suspend(fx.ids.bob);
      const [other] = rest;
      s.otherAttestor = other.address;
      await (await fx.contracts.identity.connect(admin).grantRole(ethers.id("ATTESTOR_ROLE"), other.address)).wait();
      s.erinId = ethers.id(`identity:erin:${store.name}`);
      s.erin = ethers.Wallet.createRandom().address;
      await (await fx.contracts.identity.connect(other).registerIdentity(s.erinId, s.erin, 1, 156, (await time.latest()) + 10 * DAY, ethers.id("kyc:erin"))).wait();
      s.evidenceHash = ethers.id(`ev:${store.name}:v1`);
      await ops.record(ethers.id(`ev:${store.name}`), s.evidenceHash);
      await indexedToHead(gw.services.indexer);
      // Names come from the metadata on IPFS, read after the events: wait for both collections' metadata.
      for (let i = 0; ; i++) {
        const n = await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_metadata`);
        if (Number(n[0].n) >= 2) break;
        if (i > 100) throw new Error("metadata of the API collections never indexed");
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    after(async () => gw?.close());

    describe("GET /v1/collections", () => {
      it("lists newest first with on-chain fields, names from the metadata and holder counts", async () => {
        const r = await get("/v1/collections");
        expect(r.status).to.equal(200);
        expect(r.body.items.map((c: { collectionId: string }) => c.collectionId)).to.deep.equal([s.direct.collectionId, s.api2.collectionId, s.api1.collectionId]);
        const c1 = r.body.items[2];
        expect(c1).to.include({ name: "长城日出 Great Wall Sunrise", minted: 4, burned: 0, holders: 3, maxSupply: 50, status: "minting", mode: "GiftToVerified", minLevel: 2 });
        expect(c1.metadataCID).to.equal(s.api1.metadataCID);
        expect(c1.issuer).to.equal(fx.accounts.issuer.address);
        expect(r.body.items[0]).to.include({ name: "", status: "complete", minted: 1, maxSupply: 1, mode: "Locked" });
        expect(r.body.nextCursor).to.equal(null);
      });

      it("filters by issuer, text (name or description, case-insensitive, wildcards literal) and status", async () => {
        const ids = async (q: Record<string, string>) => ((await get(`/v1/collections${qs(q)}`)).body.items as Array<{ collectionId: string }>).map((c) => c.collectionId);
        expect(await ids({ issuer: fx.accounts.issuer.address })).to.have.length(3);
        expect(await ids({ issuer: fx.accounts.issuer.address.toLowerCase() })).to.have.length(3);
        expect(await ids({ issuer: fx.accounts.alice.address })).to.deep.equal([]);
        expect(await ids({ q: "great WALL" })).to.deep.equal([s.api1.collectionId]);
        expect(await ids({ q: "兵马俑" })).to.deep.equal([s.api2.collectionId]);
        expect(await ids({ q: "八达岭" })).to.deep.equal([s.api1.collectionId]);
        expect(await ids({ q: "100%" })).to.deep.equal([s.api2.collectionId]);
        expect(await ids({ q: "clay_f" })).to.deep.equal([s.api2.collectionId]);
        expect(await ids({ q: "%" })).to.deep.equal([s.api2.collectionId]);
        expect(await ids({ q: "_" })).to.deep.equal([s.api2.collectionId]);
        expect(await ids({ q: "nothing like this" })).to.deep.equal([]);
        expect(await ids({ status: "complete" })).to.deep.equal([s.direct.collectionId]);
        expect(await ids({ status: "minting" })).to.deep.equal([s.api2.collectionId, s.api1.collectionId]);
        expect(await ids({ status: "minting", q: "terracotta" })).to.deep.equal([s.api2.collectionId]);
      });

      it("pages with a cursor: every collection once, in the same order", async () => {
        const full = (await get("/v1/collections")).body.items.map((c: { collectionId: string }) => c.collectionId);
        const { items, pages } = await all("/v1/collections", {}, 1);
        expect(pages).to.equal(3);
        expect(items.map((c) => c.collectionId)).to.deep.equal(full);
      });
    });

    describe("GET /v1/collections/:id/tokens", () => {
      it("lists editions by serial with owner, freeze and the end of the holding period; filters by owner; pages", async () => {
        const r = await get(`/v1/collections/${s.api1.collectionId}/tokens`);
        expect(r.status).to.equal(200);
        const { alice, bob, carol } = fx.accounts;
        expect(r.body.items.map((t: { serial: string; owner: string }) => [t.serial, t.owner])).to.deep.equal([
          ["1", alice.address],
          ["2", bob.address],
          ["3", alice.address],
          ["4", carol.address],
        ]);
        for (const t of r.body.items) {
          const state = await fx.contracts.rights.tokenState(t.tokenId);
          expect(t.acquiredAt).to.equal(new Date(Number(state.acquiredAt) * 1000).toISOString());
          expect(t.holdingEndsAt).to.equal(new Date((Number(state.acquiredAt) + 180 * DAY) * 1000).toISOString());
          expect(t).to.include({ frozen: false, burned: false });
        }
        const mine = await get(`/v1/collections/${s.api1.collectionId}/tokens?owner=${alice.address}`);
        expect(mine.body.items.map((t: { serial: string }) => t.serial)).to.deep.equal(["1", "3"]);
        const paged = await all(`/v1/collections/${s.api1.collectionId}/tokens`, {}, 3);
        expect(paged.pages).to.equal(2);
        expect(paged.items.map((t) => t.tokenId)).to.deep.equal(r.body.items.map((t: { tokenId: string }) => t.tokenId));
        const locked = await get(`/v1/collections/${s.direct.collectionId}/tokens`);
        expect(locked.body.items).to.have.length(1);
        expect(locked.body.items[0]).to.include({ owner: fx.accounts.dave.address, holdingEndsAt: null });
        expect((await get(`/v1/collections/99/tokens`)).body).to.deep.equal({ items: [], nextCursor: null });
      });
    });

    describe("GET /v1/accounts/:address", () => {
      it("shows identity, holdings, licences held and granted, and a frozen wallet", async () => {
        const { alice, dave, carol } = fx.accounts;
        const a = await get(`/v1/accounts/${alice.address.toLowerCase()}`);
        expect(a.status).to.equal(200);
        expect(a.body.address).to.equal(alice.address);
        expect(a.body.identity).to.include({ identityId: fx.ids.alice, level: 2, status: "Active", verified: true, did: `did:dareg:31337:${fx.ids.alice}` });
        expect(a.body.identity.wallets).to.deep.equal([alice.address]);
        expect(a.body.holdingsTotal).to.equal(2);
        expect(a.body.holdings.map((t: { tokenId: string }) => t.tokenId)).to.deep.equal([s.api1.tokens[0], s.api1.tokens[2]]);
        expect(a.body.licencesGranted).to.have.length(1);
        expect(a.body.licencesGranted[0]).to.include({ tokenId: s.api1.tokens[0], holder: alice.address, licensee: dave.address, inForce: true });
        expect(a.body.licencesGranted[0].scope).to.deep.equal(["display"]);
        expect(a.body.licencesHeld).to.deep.equal([]);
        expect(a.body.frozen).to.equal(false);
        expect(a.body.canReceive).to.equal(null);
        const d = await get(`/v1/accounts/${dave.address}`);
        expect(d.body.licencesHeld.map((l: { tokenId: string }) => l.tokenId)).to.deep.equal([s.api1.tokens[0]]);
        expect(d.body.holdings.map((t: { tokenId: string }) => t.tokenId)).to.deep.equal([s.direct.token]);
        expect((await get(`/v1/accounts/${carol.address}`)).body.frozen).to.equal(true);
        const nobody = await get(`/v1/accounts/${ethers.Wallet.createRandom().address}`);
        expect(nobody.body).to.include({ identity: null, holdingsTotal: 0, frozen: false });
      });

      it("?collection= says whether the account can receive an edition now, and why not", async () => {
        const { alice, bob, carol, outsider } = fx.accounts;
        const can = async (who: string, c: string) => (await get(`/v1/accounts/${who}?collection=${c}`)).body.canReceive;
        expect(await can(alice.address, s.api1.collectionId)).to.deep.equal({ collectionId: s.api1.collectionId, ok: true, requiredLevel: 2, reason: null });
        expect(await can(outsider.address, s.api1.collectionId)).to.deep.include({ ok: false, requiredLevel: 2 });
        expect((await can(outsider.address, s.api1.collectionId)).reason).to.include(outsider.address).and.to.match(/not a verified identity/);
        expect((await can(bob.address, s.api1.collectionId)).ok, "suspended").to.equal(false);
        expect((await can(carol.address, s.api1.collectionId)).reason, "frozen").to.include(carol.address).and.to.match(/frozen/i);
        expect((await can(s.erin, s.api1.collectionId)).ok, "level 1 below 2").to.equal(false);
        expect((await can(alice.address, "99")).reason).to.match(/Collection 99 does not exist/);
      });
    });

    describe("GET /v1/identities and /v1/identities/:id/history", () => {
      it("lists soonest expiry first, and filters by attestor, status, level, expiringBefore and expiringWithinDays", async () => {
        const list = async (q: Record<string, string | number>) => (await get(`/v1/identities${qs(q)}`, attestorKey)).body.items as Array<Record<string, any>>;
        const every = await list({});
        expect(every).to.have.length(6);
        expect(every[0].identityId).to.equal(s.erinId);
        const expiries = every.map((i) => Date.parse(i.expiresAt));
        expect(expiries).to.deep.equal([...expiries].sort((x, y) => x - y));
        expect((await list({ attestor: s.otherAttestor })).map((i) => i.identityId)).to.deep.equal([s.erinId]);
        expect((await list({ attestor: fx.accounts.attestor.address })).length).to.equal(5);
        expect((await list({ status: "Suspended" })).map((i) => i.identityId)).to.deep.equal([fx.ids.bob]);
        expect((await list({ status: "Revoked" })).length).to.equal(0);
        expect((await list({ level: 3 })).map((i) => i.identityId)).to.deep.equal([fx.ids.dave]);
        expect((await list({ level: 4 })).map((i) => i.identityId)).to.deep.equal([fx.ids.issuer]);
        const soon = new Date((await time.latest()) * 1000 + 30 * DAY * 1000).toISOString();
        const queue = await list({ expiringBefore: soon });
        expect(queue.map((i) => i.identityId)).to.deep.equal([s.erinId]);
        expect(queue[0]).to.include({ did: `did:dareg:31337:${s.erinId}`, level: 1, status: "Active", attestor: s.otherAttestor });
        expect(queue[0].wallets).to.deep.equal([ethers.getAddress(s.erin)]);
        // The dossier hash rides along, so a bulk renewal keeps it without reading each identity again.
        expect(queue[0].evidenceHash).to.equal(ethers.id("kyc:erin"));
        // One identity by its bytes32 id (any case), whatever its expiry or status.
        expect((await list({ identityId: fx.ids.bob.toUpperCase().replace("0X", "0x") })).map((i) => [i.identityId, i.status])).to.deep.equal([[fx.ids.bob, "Suspended"]]);
        expect(await list({ identityId: ethers.id("nobody") })).to.deep.equal([]);
        // The same queue counted on the chain's clock, whatever this machine's clock says (the console's form).
        expect((await list({ expiringWithinDays: 30 })).map((i) => i.identityId)).to.deep.equal([s.erinId]);
        const bad = await get(`/v1/identities${qs({ expiringWithinDays: 0 })}`, attestorKey);
        expect(bad.status).to.equal(400);
        expect(bad.body.error.code).to.equal("VALIDATION_FAILED");
        const paged = await all("/v1/identities", {}, 4, attestorKey);
        expect(paged.pages).to.equal(2);
        expect(paged.items.map((i) => i.identityId)).to.deep.equal(every.map((i) => i.identityId));
      });

      it("gives every change of an identity with its state after it; an unknown identity is 404", async () => {
        const r = await get(`/v1/identities/${fx.ids.bob}/history`);
        expect(r.status).to.equal(200);
        expect(r.body.events.map((e: { type: string; status: string }) => [e.type, e.status])).to.deep.equal([
          ["registered", "Active"],
          ["wallet-linked", "Active"],
          ["status-changed", "Suspended"],
        ]);
        expect(r.body.events[1].wallet).to.equal(fx.accounts.bob.address);
        expect(r.body.events[2].actor).to.equal(fx.accounts.regulator.address);
        expect(r.body.events[2].reason).to.equal(ethers.encodeBytes32String("audit"));
        const missing = await get(`/v1/identities/${ethers.id("nobody")}/history`);
        expect(missing.status).to.equal(404);
        expect(missing.body.error.code).to.equal("IDENTITY_NOT_FOUND");
        expect((await get(`/v1/identities/${fx.ids.bob}/history`, issuerKey)).status, "issuers do not read identities").to.equal(403);
      });
    });

    describe("GET /v1/events", () => {
      it("lists newest first and filters by type, address, token, collection, blocks and time", async () => {
        const { items: every } = await all("/v1/events", {}, 1000);
        expect(every.length).to.equal(Number((await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_events`))[0].n));
        const order = every.map((e) => e.blockNumber * 1e6 + e.logIndex);
        expect(order).to.deep.equal([...order].sort((x, y) => y - x));
        const list = async (q: Record<string, string | number>) => (await all("/v1/events", q, 1000)).items;

        const transfers = await list({ type: "transfer" });
        expect(transfers.length).to.equal(5);
        expect(transfers.every((e) => e.type === "transfer" && e.contract === "rights")).to.equal(true);
        expect((await list({ type: "licence-granted" })).map((e) => e.txHash)).to.deep.equal([s.licenceTx]);

        const { dave } = fx.accounts;
        const daves = await list({ address: dave.address });
        expect(daves.length).to.be.greaterThan(2);
        for (const e of daves) expect([e.from, e.to, e.actor]).to.include(dave.address);

        const tokenEvents = await list({ tokenId: s.api1.tokens[0] });
        expect(tokenEvents.map((e) => e.type)).to.deep.equal(["licence-granted", "transfer"]);
        const collectionEvents = await list({ collectionId: s.api1.collectionId });
        expect(collectionEvents.map((e) => e.type).sort()).to.deep.equal(["collection-created", "editions-minted", "licence-granted", "transfer", "transfer", "transfer", "transfer"]);

        const mid = every[Math.floor(every.length / 2)].blockNumber;
        const inRange = await list({ fromBlock: mid, toBlock: mid + 2 });
        expect(inRange.length).to.be.greaterThan(0);
        expect(inRange).to.deep.equal(every.filter((e) => e.blockNumber >= mid && e.blockNumber <= mid + 2));

        const t = every[Math.floor(every.length / 3)].time;
        const since = await list({ from: t });
        expect(since).to.deep.equal(every.filter((e) => e.time >= t));
        const until = await list({ to: t });
        expect(until).to.deep.equal(every.filter((e) => e.time <= t));
        expect(await list({ type: "transfer", address: dave.address, collectionId: s.direct.collectionId })).to.have.length(1);
      });

      it("format=csv streams every matching event as RFC 4180 rows, with the same filters", async () => {
        const res = await fetch(`${gw.url}/v1/events?format=csv&collectionId=${s.api1.collectionId}`, { headers: { authorization: `Bearer ${auditor}` } });
        expect(res.status).to.equal(200);
        expect(res.headers.get("content-type")).to.match(/^text\/csv/);
        expect(res.headers.get("content-disposition")).to.equal('attachment; filename="events.csv"');
        const lines = (await res.text()).split("\r\n");
        expect(lines.at(-1)).to.equal("");
        expect(lines[0]).to.equal("blockNumber,time,txHash,logIndex,contract,type,collectionId,tokenId,from,to,actor,args");
        expect(lines.length - 2).to.equal(7);
        const created = lines.find((l) => l.includes(",collection-created,"))!;
        // The JSON args contain commas and quotes: quoted, quotes doubled.
        expect(created).to.match(/,"\{""collectionId"":""\d+"",/);
      });

      it("format=csv exports more than one chunk of rows (over 2,000 events) in order", async () => {
        const ops = chainOps(fx);
        const c = await ops.createCollection(`csv${store.name.toLowerCase()}`, { maxSupply: 2000 });
        const recipients = Array.from({ length: 200 }, (_, i) => [fx.accounts.alice, fx.accounts.dave][i % 2].address);
        for (let i = 0; i < 10; i++) await ops.mint(c, recipients);
        await indexedToHead(gw.services.indexer);
        const res = await fetch(`${gw.url}/v1/events?format=csv`, { headers: { authorization: `Bearer ${auditor}` } });
        const rows = (await res.text()).split("\r\n").slice(1, -1);
        const total = Number((await gw.services.store.db.query(`SELECT COUNT(*) AS n FROM ix_events`))[0].n);
        expect(total).to.be.greaterThan(2000);
        expect(rows.length).to.equal(total);
        const keys = rows.map((r) => r.split(",").slice(0, 4));
        expect(new Set(keys.map((k) => `${k[2]}:${k[3]}`)).size).to.equal(total);
        const order = keys.map((k) => Number(k[0]) * 1e6 + Number(k[3]));
        expect(order).to.deep.equal([...order].sort((x, y) => y - x));
      });
    });

    describe("GET /v1/roles", () => {
      it("names who holds which role on which contract; only auditors, regulators and admins read it", async () => {
        const r = await get("/v1/roles");
        expect(r.status).to.equal(200);
        const held = r.body.roles.map((x: { contract: string; role: string; account: string }) => `${x.contract} ${x.role} ${x.account}`);
        const { admin, attestor, regulator, issuer, operator, anchorer } = fx.accounts;
        expect(held).to.include.members([
          `identity DEFAULT_ADMIN_ROLE ${admin.address}`,
          `identity ATTESTOR_ROLE ${attestor.address}`,
          `identity ATTESTOR_ROLE ${s.otherAttestor}`,
          `identity REGULATOR_ROLE ${regulator.address}`,
          `rights ISSUER_ROLE ${issuer.address}`,
          `rights OPERATOR_ROLE ${operator.address}`,
          `rights COMPLIANCE_SIGNER_ROLE ${fx.complianceKey.address}`,
          `rights REGULATOR_ROLE ${regulator.address}`,
          `evidence EVIDENCE_WRITER_ROLE ${operator.address}`,
          `evidence ANCHOR_ROLE ${anchorer.address}`,
        ]);
        for (const x of r.body.roles) {
          const contract = x.contract === "identity" ? fx.contracts.identity : x.contract === "rights" ? fx.contracts.rights : fx.contracts.evidence;
          expect(await contract.hasRole(x.roleHash, x.account), `${x.contract} ${x.role} ${x.account}`).to.equal(true);
        }
        expect((await get("/v1/roles", issuerKey)).status).to.equal(403);
        expect((await get("/v1/roles", issuerKey)).body.error.code).to.equal("ROLE_FORBIDDEN");
      });
    });

    describe("GET /v1/search", () => {
      const search = async (q: string) => (await get(`/v1/search?q=${encodeURIComponent(q)}`)).body;
      it("finds a token id, a collection id, an address, a DID, a content hash, a transaction, a CID and evidence", async () => {
        const token = await search(s.api1.tokens[1]);
        expect(token.hits).to.deep.equal([
          { type: "token", id: s.api1.tokens[1], label: `token ${s.api1.tokens[1]} (collection ${s.api1.collectionId}, edition 2)`, path: `/v1/tokens/${s.api1.tokens[1]}` },
        ]);
        const collection = await search(` ${s.api2.collectionId} `);
        expect(collection.query).to.equal(s.api2.collectionId);
        expect(collection.hits.map((h: { type: string; id: string }) => [h.type, h.id])).to.deep.equal([["collection", s.api2.collectionId]]);

        const alice = fx.accounts.alice.address;
        const address = await search(alice.toLowerCase());
        expect(address.hits.map((h: { type: string; id: string }) => [h.type, h.id])).to.deep.equal([
          ["address", alice],
          ["identity", fx.ids.alice],
        ]);
        const did = `did:dareg:31337:${fx.ids.dave}`;
        expect((await search(did)).hits).to.deep.equal([{ type: "did", id: did, label: `identity ${fx.ids.dave}`, path: `/v1/dids/${encodeURIComponent(did)}` }]);
        expect((await search(s.api1.contentHash)).hits.map((h: { type: string; id: string }) => [h.type, h.id])).to.deep.equal([["content-hash", s.api1.collectionId]]);
        const tx = await search(s.licenceTx);
        expect(tx.hits).to.have.length(1);
        expect(tx.hits[0]).to.include({ type: "transaction", id: s.licenceTx });
        // The hit leads to what that transaction did: its events and no other transaction's.
        expect(tx.hits[0].path).to.equal(`/v1/events?txHash=${s.licenceTx}`);
        const ofTx = await get(tx.hits[0].path);
        expect(ofTx.body.items.map((e: { txHash: string; type: string }) => [e.txHash, e.type])).to.deep.equal([[s.licenceTx, "licence-granted"]]);
        expect((await search(fx.ids.carol)).hits.map((h: { type: string }) => h.type)).to.deep.equal(["identity"]);
        expect((await search(s.api1.metadataCID)).hits).to.deep.equal([
          { type: "cid", id: s.api1.metadataCID, label: `content of collection ${s.api1.collectionId}`, path: `/v1/collections/${s.api1.collectionId}` },
        ]);
        expect((await search(s.api1.mediaCID)).hits.map((h: { type: string; path: string }) => [h.type, h.path])).to.deep.equal([["cid", `/v1/collections/${s.api1.collectionId}`]]);
        expect((await search(s.evidenceHash)).hits.map((h: { type: string }) => h.type)).to.deep.equal(["evidence"]);
        expect((await search("no such thing")).hits).to.deep.equal([]);
        expect((await search(ethers.id("unknown"))).hits).to.deep.equal([]);
      });
    });

    describe("bad input: 400 with a catalogued code naming the field", () => {
      const expectField = (r: { status: number; body: any }, code: string, field: string) => {
        expect(r.status, JSON.stringify(r.body)).to.equal(400);
        expect(r.body.error.code).to.equal(code);
        const named = JSON.stringify(r.body.error.details ?? {});
        expect(named, `details name ${field}`).to.include(`"${field}"`);
      };

      it("a tampered or foreign cursor is BAD_CURSOR", async () => {
        const first = await get("/v1/events?limit=2");
        const cursor: string = first.body.nextCursor;
        const [payload, mac] = cursor.split(".");
        const edited = Buffer.from(JSON.stringify(["events", 999999, 0])).toString("base64url");
        for (const bad of [`${edited}.${mac}`, `${payload}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`, payload, "abc.def"]) {
          expectField(await get(`/v1/events?cursor=${bad}`), "BAD_CURSOR", "cursor");
        }
        // A cursor of another list (identities) on the events list.
        const idCursor = (await get("/v1/identities?limit=1", attestorKey)).body.nextCursor;
        expectField(await get(`/v1/events?cursor=${idCursor}`), "BAD_CURSOR", "cursor");
        expectField(await get(`/v1/events?cursor=${"x".repeat(301)}`), "VALIDATION_FAILED", "cursor");
        const bad = await gw.call("GET", `/v1/collections?cursor=${edited}.${mac}`, { token: auditor, headers: { "accept-language": "zh-CN" } });
        expect(bad.body.error.message).to.equal("分页游标无效：请使用上一页返回的 nextCursor。");
      });

      it("a query that is too long, and values of the wrong shape", async () => {
        expectField(await get(`/v1/collections?q=${"a".repeat(101)}`), "VALIDATION_FAILED", "q");
        expectField(await get(`/v1/search?q=${"a".repeat(201)}`), "VALIDATION_FAILED", "q");
        expectField(await get(`/v1/search?q=%20%20`), "VALIDATION_FAILED", "q");
        expectField(await get(`/v1/events?limit=0`), "VALIDATION_FAILED", "limit");
        expectField(await get(`/v1/events?limit=1001`), "VALIDATION_FAILED", "limit");
        expectField(await get(`/v1/events?type=minted`), "VALIDATION_FAILED", "type");
        expectField(await get(`/v1/events?from=yesterday`), "VALIDATION_FAILED", "from");
        expectField(await get(`/v1/events?fromBlock=-1`), "VALIDATION_FAILED", "fromBlock");
        expectField(await get(`/v1/events?format=xml`), "VALIDATION_FAILED", "format");
        expectField(await get(`/v1/identities?level=5`, attestorKey), "VALIDATION_FAILED", "level");
        expectField(await get(`/v1/identities?status=Lost`, attestorKey), "VALIDATION_FAILED", "status");
        expectField(await get(`/v1/collections?issuer=0x123`), "VALIDATION_FAILED", "issuer");
        expectField(await get(`/v1/accounts/${fx.accounts.alice.address}?collection=one`), "VALIDATION_FAILED", "collection");
        expectField(await get(`/v1/identities/0x12/history`), "VALIDATION_FAILED", "identityId");
      });

      it("an unknown filter names the filter", async () => {
        for (const [path, key] of [
          ["/v1/collections?owner=0x0", "owner"],
          ["/v1/events?collection=1", "collection"],
          ["/v1/identities?expiring=2030-01-01", "expiring"],
          ["/v1/search?q=1&type=token", "type"],
          [`/v1/accounts/${fx.accounts.alice.address}?verbose=1`, "verbose"],
        ] as const) {
          const r = await get(path, path.startsWith("/v1/identities") ? attestorKey : auditor);
          expectField(r, "VALIDATION_FAILED", key);
          expect(r.body.error.message).to.include(key);
        }
      });

      it("every query route is covered by this suite", () => {
        const covered = ["listCollections", "listCollectionTokens", "getAccount", "listIdentities", "identityHistory", "listEvents", "listRoles", "search", "network"];
        const queryRoutes = Object.entries(API).filter(([, c]) => c.tag === "index").map(([name]) => name);
        expect(queryRoutes.sort()).to.deep.equal(covered.sort());
      });
    });

    describe("GET /v1/network", () => {
      it("names the chain, the contracts, the store and the index's position", async () => {
        const r = await gw.call("GET", "/v1/network");
        expect(r.status).to.equal(200);
        const head = await ethers.provider.getBlockNumber();
        expect(r.body).to.include({ chainId: 31337, network: "hardhat", store: store.name === "SQLite" ? "sqlite" : "postgres", ipfs: "embedded", confirmations: 0, head });
        expect(r.body.indexedBlock).to.be.at.most(head);
        expect(r.body.contracts.collectibleRights).to.deep.equal({ address: fx.deployment.contracts.collectibleRights.address, deployBlock: fx.deployment.contracts.collectibleRights.blockNumber });
      });
    });
  });
}
