import { expect } from "chai";
import type { AddressInfo } from "node:net";
import express from "express";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Provider } from "ethers";
import { ALL_ERRORS, jsonRpcProvider } from "../../server/chain/chain";
import { AppError, ChainRevertError, decodeChainError, errorHandler } from "../../server/errors";
import { collectionParams, createApproved, deployWithCollectionFixture } from "../contracts/fixtures";
import { deployToAnvil, startAnvil, type Anvil } from "../support/anvil";
import type { CollectibleRights } from "../../typechain-types";

/** A chain with one collection (id 1) of the fixture's issuer, and the accounts the cases use. */
interface ErrorChain {
  provider: Provider;
  rights: CollectibleRights;
  issuer: { address: string; rights: CollectibleRights };
  outsider: { address: string; rights: CollectibleRights };
  operator: string;
  alice: string;
  bob: string;
  collectionId: bigint;
}

/** Runs `p` and returns what it threw (fails when it did not throw). */
async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** A JSON-RPC URL that answers nothing, carrying credentials as a hosted provider's URL would. */
const SECRET_URL = "http://gateway-user:s3cr3t-pass@127.0.0.1:9/v3/API-KEY-0123456789abcdef";
const SECRETS = ["s3cr3t-pass", "API-KEY-0123456789abcdef", "gateway-user", "127.0.0.1:9"];

/**
 * decodeChainError turns what ethers throws into the catalogue's errors: a contract's custom error into a
 * ChainRevertError with its arguments by name, a node that cannot be reached into CHAIN_UNAVAILABLE, anything
 * else from the node into CHAIN_ERROR. What the client sees never carries an upstream text; the cause keeps
 * it for the server log.
 */
/**
 * decodeChainError turns what ethers throws into the catalogue's errors: a contract's custom error into a
 * ChainRevertError with its arguments by name, a node that cannot be reached into CHAIN_UNAVAILABLE, anything
 * else from the node into CHAIN_ERROR. What the client sees never carries an upstream text; the cause keeps
 * it for the server log. Providers nest a revert's data differently, so the reverts are decoded from the
 * in-process Hardhat chain and from anvil over JSON-RPC (as the gateway talks to a node).
 */
describe("server/errors: chain errors decoded once, upstream texts never echoed", function () {
  this.timeout(120_000);

  function shouldDecodeReverts(chainOf: () => Promise<ErrorChain>) {
    it("a custom error from a real revert: ChainRevertError with the arguments by their ABI names, in the catalogue's words", async () => {
      const c = await chainOf();
      const e = await thrown(c.outsider.rights.mintBatch.staticCall(c.issuer.address, c.collectionId, [c.alice], 0));
      const err = decodeChainError(e, ALL_ERRORS);
      expect(err).to.be.instanceOf(ChainRevertError);
      const revert = err as ChainRevertError;
      expect(revert.errorName).to.equal("IssuerUnauthorizedCaller");
      expect(revert.args).to.deep.equal({ caller: c.outsider.address, issuer: c.issuer.address });
      expect(revert.code).to.equal("NOT_ISSUER_OR_OPERATOR");
      expect(revert.httpStatus).to.equal(403);
      expect(revert.toJSON("en")).to.deep.equal({
        code: "NOT_ISSUER_OR_OPERATOR",
        message: `${c.outsider.address} may not act for issuer ${c.issuer.address}.`,
        params: { caller: c.outsider.address, issuer: c.issuer.address },
        details: { error: "IssuerUnauthorizedCaller", args: { caller: c.outsider.address, issuer: c.issuer.address } },
      });
      expect(revert.toJSON("zh").message).to.equal(`${c.outsider.address} 无权代表发行方 ${c.issuer.address} 操作。`);
      expect(revert.walk()).to.equal(e);
    });

    it("numbers in a revert's arguments become decimal strings, and the params stay JSON", async () => {
      const c = await chainOf();
      const nonce = 2n ** 70n + BigInt(Date.now());
      await (await c.issuer.rights.mintBatch(c.issuer.address, c.collectionId, [c.alice], nonce)).wait();
      const e = await thrown(c.issuer.rights.mintBatch.staticCall(c.issuer.address, c.collectionId, [c.bob], nonce));
      const expected = { issuer: c.issuer.address, requestNonce: nonce.toString() };
      const err = decodeChainError(e, ALL_ERRORS);
      expect(err).to.be.instanceOf(ChainRevertError);
      expect((err as ChainRevertError).errorName).to.equal("RequestAlreadyUsed");
      expect((err as ChainRevertError).args).to.deep.equal(expected);
      expect(err.params).to.deep.equal(expected);
      expect(err).to.include({ code: "REQUEST_ALREADY_USED", httpStatus: 409 });
      expect(JSON.parse(JSON.stringify(err.toJSON()))).to.deep.equal(err.toJSON());
    });

    it("a revert found at estimation, nested in the provider's error, is decoded the same way", async () => {
      const c = await chainOf();
      const data = c.rights.interface.encodeFunctionData("mintBatch", [c.issuer.address, c.collectionId, [], 1]);
      const e = await thrown(c.provider.estimateGas({ from: c.operator, to: await c.rights.getAddress(), data }));
      const err = decodeChainError(e, ALL_ERRORS);
      expect(err).to.be.instanceOf(ChainRevertError);
      expect(err).to.include({ errorName: "MintRecipientsEmpty", code: "EMPTY_RECIPIENTS", httpStatus: 400 });
      expect((err as ChainRevertError).args).to.deep.equal({});
    });

    it("an empty answer (a contract call to an address without code) is CHAIN_CONTRACTS_MISSING, without ethers' words", async () => {
      const c = await chainOf();
      const empty = c.rights.attach(c.outsider.address) as CollectibleRights;
      const badData = await thrown(empty.collectionCount());
      const err = decodeChainError(badData, ALL_ERRORS);
      expect(err.toJSON()).to.deep.equal({
        code: "CHAIN_CONTRACTS_MISSING",
        message: "The registry's contracts have no code on this chain (collectionCount()): the chain was reset or is the wrong one.",
        params: { missing: "collectionCount()" },
        details: null,
      });
      expect(JSON.stringify(err.toJSON())).to.not.match(/BAD_DATA|could not decode/);
      expect(err.walk()).to.equal(badData);
    });
  }

  describe("the in-process Hardhat chain", () => {
    shouldDecodeReverts(async () => {
      const { contracts, accounts, collectionId } = await loadFixture(deployWithCollectionFixture);
      const { issuer, outsider, operator, alice, bob } = accounts;
      return {
        provider: ethers.provider as unknown as Provider,
        rights: contracts.rights,
        issuer: { address: issuer.address, rights: contracts.rights.connect(issuer) },
        outsider: { address: outsider.address, rights: contracts.rights.connect(outsider) },
        operator: operator.address,
        alice: alice.address,
        bob: bob.address,
        collectionId,
      };
    });
  });

  describe("anvil over JSON-RPC", () => {
    let anvil: Anvil;
    let chain: ErrorChain;
    before(async () => {
      anvil = await startAnvil();
      const fx = await deployToAnvil(anvil);
      const { issuer, outsider, operator, alice, bob } = fx.accounts;
      await (await createApproved(fx.contracts.rights.connect(issuer) as CollectibleRights, issuer, issuer.address, collectionParams({ seed: "errors" }))).wait();
      chain = {
        provider: anvil.provider,
        rights: fx.contracts.rights,
        issuer: { address: issuer.address, rights: fx.contracts.rights.connect(issuer) as CollectibleRights },
        outsider: { address: outsider.address, rights: fx.contracts.rights.connect(outsider) as CollectibleRights },
        operator: operator.address,
        alice: alice.address,
        bob: bob.address,
        collectionId: 1n,
      };
    });
    after(async () => anvil?.close());
    shouldDecodeReverts(async () => chain);

    it("a revert without data (no such function) is CHAIN_REVERTED; decoded by the contract's own ABI alone, its arguments keep their names", async () => {
      const noFunction = await thrown(anvil.provider.call({ to: await chain.rights.getAddress(), data: "0xdeadbeef" }));
      expect(decodeChainError(noFunction, ALL_ERRORS).toJSON()).to.deep.equal({ code: "CHAIN_REVERTED", message: "The transaction was refused by the contract.", params: {}, details: null });
      const e = await thrown(chain.outsider.rights.mintBatch.staticCall(chain.issuer.address, chain.collectionId, [chain.alice], 0));
      const err = decodeChainError(e);
      expect(err).to.be.instanceOf(ChainRevertError);
      expect((err as ChainRevertError).args).to.deep.equal({ caller: chain.outsider.address, issuer: chain.issuer.address });
    });
  });

  it("a node that cannot be reached is CHAIN_UNAVAILABLE (503): neither the reply nor the error's JSON holds the provider URL or its credentials", async () => {
    const provider = jsonRpcProvider(SECRET_URL, 31337, 2_000);
    const e = await thrown(provider.getBlockNumber());
    provider.destroy();
    const err = decodeChainError(e, ALL_ERRORS);
    expect(err).to.include({ code: "CHAIN_UNAVAILABLE", httpStatus: 503, isUnavailable: true });
    expect(decodeChainError(err)).to.equal(err);

    // Through the one error handler, as a route would answer it; the server log gets the cause.
    const app = express();
    const logged: unknown[] = [];
    app.get("/x", () => {
      throw err;
    });
    app.use(errorHandler((_appErr, raw) => logged.push(raw)));
    const server = app.listen(0);
    try {
      const port = (server.address() as AddressInfo).port;
      for (const lang of ["en", "zh-CN"]) {
        const res = await fetch(`http://127.0.0.1:${port}/x`, { headers: { "accept-language": lang } });
        const text = await res.text();
        expect(res.status).to.equal(503);
        expect(JSON.parse(text).error).to.include({ code: "CHAIN_UNAVAILABLE", message: lang === "en" ? "The blockchain node cannot be reached." : "无法连接区块链节点。" });
        for (const secret of SECRETS) expect(text).to.not.include(secret);
      }
    } finally {
      server.close();
    }
    expect(logged).to.deep.equal([err, err]);
    expect(err.walk()).to.equal(e);
  });
});
