import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { LEVEL, code, collectionParams, createApproved } from "../fixtures";
import {
  EVIDENCE,
  REASON,
  ROLES,
  createCollection,
  mintedFixture,
  minedAt,
  recipientsHash,
  req,
  rightsFixture,
  tokenIdOf,
} from "./rightsFixtures";

describe("CollectibleRights: minting", function () {
  describe("mint", function () {
    it("mints serial 1 to the recipient: Transfer, EditionsMinted, owner, balance, state, nonce, supply", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, alice } = f.accounts;
      const requestNonce = req("one");
      const id = tokenIdOf(1, 1);
      expect(await rights.connect(issuer).mint.staticCall(issuer.address, 1n, alice.address, requestNonce)).to.equal(
        id
      );
      expect(await rights.isRequestUsed(issuer.address, requestNonce)).to.equal(false);
      const tx = rights.connect(issuer).mint(issuer.address, 1n, alice.address, requestNonce);
      await expect(tx).to.emit(rights, "Transfer").withArgs(ethers.ZeroAddress, alice.address, id);
      await expect(tx)
        .to.emit(rights, "EditionsMinted")
        .withArgs(1n, requestNonce, issuer.address, issuer.address, id, 1n, recipientsHash([alice.address]));
      await expect(tx).not.to.emit(rights, "Locked");
      const mintedAt = await minedAt(await tx);

      expect(await rights.ownerOf(id)).to.equal(alice.address);
      expect(await rights.balanceOf(alice.address)).to.equal(1n);
      const state = await rights.tokenState(id);
      expect([state.owner, state.acquiredAt, state.epoch, state.frozen]).to.deep.equal([
        alice.address,
        mintedAt,
        1n,
        false,
      ]);
      expect(await rights.isRequestUsed(issuer.address, requestNonce)).to.equal(true);
      expect(await rights.requestBitmap(issuer.address, requestNonce >> 8n)).to.equal(1n << (requestNonce & 0xffn));
      expect((await rights.getCollection(1n)).minted).to.equal(1n);
      expect(await rights.totalSupply(1n)).to.equal(1n);
      expect(await rights.tokenURI(id)).to.equal(`ipfs://${f.params.metadataCID}`);
    });

    it("an OPERATOR mints for the issuer: EditionsMinted records the issuer and the operator", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, operator, bob } = f.accounts;
      const requestNonce = req("via-operator");
      await expect(f.rights.connect(operator).mint(issuer.address, 1n, bob.address, requestNonce))
        .to.emit(f.rights, "EditionsMinted")
        .withArgs(1n, requestNonce, issuer.address, operator.address, tokenIdOf(1, 1), 1n, recipientsHash([bob.address]));
      expect(await f.rights.isRequestUsed(issuer.address, requestNonce)).to.equal(true);
      expect(await f.rights.isRequestUsed(operator.address, requestNonce)).to.equal(false);
      expect(await f.rights.ownerOf(tokenIdOf(1, 1))).to.equal(bob.address);
    });

    it("serials are consecutive across mint and mintBatch", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, operator, alice, bob, carol } = f.accounts;
      await rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("a"));
      await expect(
        rights.connect(operator).mintBatch(issuer.address, 1n, [bob.address, carol.address, alice.address], req("b"))
      )
        .to.emit(rights, "EditionsMinted")
        .withArgs(
          1n,
          req("b"),
          issuer.address,
          operator.address,
          tokenIdOf(1, 2),
          3n,
          recipientsHash([bob.address, carol.address, alice.address])
        );
      await rights.connect(issuer).mint(issuer.address, 1n, dave(f), req("c"));
      const owners = [alice.address, bob.address, carol.address, alice.address, dave(f)];
      for (let serial = 1; serial <= 5; serial++) {
        expect(await rights.ownerOf(tokenIdOf(1, serial))).to.equal(owners[serial - 1]);
      }
      expect(await rights.isRequestUsed(issuer.address, req("c"))).to.equal(true);
      expect(await rights.totalSupply(1n)).to.equal(5n);
      await expect(rights.ownerOf(tokenIdOf(1, 6)))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(tokenIdOf(1, 6));
    });

    it("each collection counts its own serials", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      const second = await createCollection(f, { seed: "second" });
      await f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("1a"));
      await f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("1b"));
      await expect(f.rights.connect(issuer).mint(issuer.address, second, alice.address, req("2a")))
        .to.emit(f.rights, "Transfer")
        .withArgs(ethers.ZeroAddress, alice.address, tokenIdOf(second, 1));
      expect(await f.rights.totalSupply(1n)).to.equal(2n);
      expect(await f.rights.totalSupply(second)).to.equal(1n);
      expect(await f.rights.balanceOf(alice.address)).to.equal(3n);
    });

    it("the same recipient may receive several editions", async function () {
      const f = await loadFixture(mintedFixture);
      expect(await f.rights.balanceOf(f.accounts.alice.address)).to.equal(2n);
    });

    it("mints to a recipient with a higher level than the collection's minimum", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, dave(f), req("dave")))
        .to.emit(f.rights, "Transfer")
        .withArgs(ethers.ZeroAddress, dave(f), tokenIdOf(1, 1));
    });
  });

  describe("mintBatch", function () {
    it("mints consecutive editions, one per recipient: one EditionsMinted with the count, a Transfer each", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, alice, bob, carol } = f.accounts;
      const recipients = [alice.address, bob.address, carol.address, bob.address];
      const requestNonce = req("batch");
      expect(await rights.connect(issuer).mintBatch.staticCall(issuer.address, 1n, recipients, requestNonce)).to.equal(
        tokenIdOf(1, 1)
      );
      const tx = await rights.connect(issuer).mintBatch(issuer.address, 1n, recipients, requestNonce);
      await expect(tx)
        .to.emit(rights, "EditionsMinted")
        .withArgs(1n, requestNonce, issuer.address, issuer.address, tokenIdOf(1, 1), 4n, recipientsHash(recipients));
      for (let i = 0; i < recipients.length; i++) {
        await expect(tx)
          .to.emit(rights, "Transfer")
          .withArgs(ethers.ZeroAddress, recipients[i], tokenIdOf(1, i + 1));
      }
      const receipt = await tx.wait();
      const names = receipt!.logs.map((l) => rights.interface.parseLog(l)?.name);
      expect(names).to.deep.equal(["EditionsMinted", "Transfer", "Transfer", "Transfer", "Transfer"]);

      const mintedAt = await minedAt(tx);
      expect(await rights.isRequestUsed(issuer.address, requestNonce)).to.equal(true);
      expect(await rights.balanceOf(bob.address)).to.equal(2n);
      expect(await rights.totalSupply(1n)).to.equal(4n);
      for (let serial = 1; serial <= 4; serial++) {
        const state = await rights.tokenState(tokenIdOf(1, serial));
        expect([state.owner, state.acquiredAt, state.epoch]).to.deep.equal([recipients[serial - 1], mintedAt, 1n]);
      }
    });

    it("the first id of a later batch follows the editions already minted", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, operator, carol } = f.accounts;
      expect(
        await f.rights
          .connect(operator)
          .mintBatch.staticCall(issuer.address, 1n, [carol.address, carol.address], req("next"))
      ).to.equal(tokenIdOf(1, 4));
    });

    it("MintRecipientsEmpty for an empty batch", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      await expect(f.rights.connect(issuer).mintBatch(issuer.address, 1n, [], req("empty")))
        .to.be.revertedWithCustomError(f.rights, "MintRecipientsEmpty")
        .withArgs();
    });

    it("one unverified recipient reverts the whole batch; nothing is minted and the nonce stays usable", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, alice, bob, outsider, carol } = f.accounts;
      const requestId = req("retry");
      await expect(
        rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address, outsider.address, bob.address], requestId)
      )
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      expect(await rights.totalSupply(1n)).to.equal(0n);
      expect((await rights.getCollection(1n)).minted).to.equal(0n);
      expect(await rights.balanceOf(alice.address)).to.equal(0n);
      expect(await rights.isRequestUsed(issuer.address, requestId)).to.equal(false);
      await expect(rights.ownerOf(tokenIdOf(1, 1)))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(tokenIdOf(1, 1));

      await expect(
        rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address, carol.address, bob.address], requestId)
      )
        .to.emit(rights, "EditionsMinted")
        .withArgs(
          1n,
          requestId,
          issuer.address,
          issuer.address,
          tokenIdOf(1, 1),
          3n,
          recipientsHash([alice.address, carol.address, bob.address])
        );
      expect(await rights.ownerOf(tokenIdOf(1, 2))).to.equal(carol.address);
    });

    it("a frozen recipient in the batch reverts it with RecipientFrozen", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, regulator, alice, bob } = f.accounts;
      await f.rights.connect(regulator).freezeWallet(bob.address, REASON, EVIDENCE);
      await expect(f.rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address, bob.address], req("frozen")))
        .to.be.revertedWithCustomError(f.rights, "RecipientFrozen")
        .withArgs(bob.address);
    });

    it("the zero address in the batch reverts it with ERC721InvalidReceiver", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      await expect(
        f.rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address, ethers.ZeroAddress], req("zero"))
      )
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("supply", function () {
    it("mints exactly up to maxSupply; one more reverts CollectionSupplyExceeded(collectionId, 1, 0)", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, alice, bob, carol } = f.accounts;
      const id = await createCollection(f, { seed: "three", maxSupply: 3 });
      await rights
        .connect(issuer)
        .mintBatch(issuer.address, id, [alice.address, bob.address, carol.address], req("all"));
      expect(await rights.totalSupply(id)).to.equal(3n);
      await expect(rights.connect(issuer).mint(issuer.address, id, alice.address, req("more")))
        .to.be.revertedWithCustomError(rights, "CollectionSupplyExceeded")
        .withArgs(id, 1n, 0n);
      await expect(rights.connect(issuer).mintBatch(issuer.address, id, [alice.address], req("more")))
        .to.be.revertedWithCustomError(rights, "CollectionSupplyExceeded")
        .withArgs(id, 1n, 0n);
    });

    it("a batch larger than the remaining supply reverts CollectionSupplyExceeded(collectionId, requested, remaining)", async function () {
      const f = await loadFixture(rightsFixture);
      const { rights } = f;
      const { issuer, alice, bob, carol } = f.accounts;
      const id = await createCollection(f, { seed: "five", maxSupply: 5 });
      await rights.connect(issuer).mintBatch(issuer.address, id, [alice.address, bob.address], req("two"));
      const four = [alice.address, bob.address, carol.address, alice.address];
      await expect(rights.connect(issuer).mintBatch(issuer.address, id, four, req("four")))
        .to.be.revertedWithCustomError(rights, "CollectionSupplyExceeded")
        .withArgs(id, 4n, 3n);
      await expect(rights.connect(issuer).mintBatch(issuer.address, id, four.slice(0, 3), req("three"))).to.emit(
        rights,
        "EditionsMinted"
      );
      expect(await rights.totalSupply(id)).to.equal(5n);
    });

    it("a single-edition collection mints once", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      const id = await createCollection(f, { seed: "unique", maxSupply: 1 });
      await f.rights.connect(issuer).mint(issuer.address, id, alice.address, req("u1"));
      await expect(f.rights.connect(issuer).mint(issuer.address, id, alice.address, req("u2")))
        .to.be.revertedWithCustomError(f.rights, "CollectionSupplyExceeded")
        .withArgs(id, 1n, 0n);
    });

    it("burned editions do not free supply: minted keeps counting, serials are never reused", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, tokenIds } = f;
      const { issuer, regulator, carol } = f.accounts;
      await rights.connect(regulator).takedown([tokenIds[2]], REASON, EVIDENCE);
      expect(await rights.totalSupply(1n)).to.equal(2n);
      await expect(rights.connect(issuer).mint(issuer.address, 1n, carol.address, req("after-burn")))
        .to.emit(rights, "Transfer")
        .withArgs(ethers.ZeroAddress, carol.address, tokenIdOf(1, 4));
      const c = await rights.getCollection(1n);
      expect([c.minted, c.burned]).to.deep.equal([4n, 1n]);
    });
  });

  describe("request nonces (exactly-once minting, per issuer)", function () {
    it("nonce 0 is valid, once; any uint256 works, in any order", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      for (const nonce of [0n, 2n ** 256n - 1n, 255n, 256n, 1n]) {
        await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, nonce)).to.emit(
          f.rights,
          "EditionsMinted"
        );
        expect(await f.rights.isRequestUsed(issuer.address, nonce)).to.equal(true);
      }
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, 0n))
        .to.be.revertedWithCustomError(f.rights, "RequestAlreadyUsed")
        .withArgs(issuer.address, 0n);
      // Bits 0, 1 and 255 of word 0, bit 0 of word 1, bit 255 of the last word.
      expect(await f.rights.requestBitmap(issuer.address, 0n)).to.equal((1n << 255n) | 3n);
      expect(await f.rights.requestBitmap(issuer.address, 1n)).to.equal(1n);
      expect(await f.rights.requestBitmap(issuer.address, (2n ** 256n - 1n) >> 8n)).to.equal(1n << 255n);
      expect(await f.rights.isRequestUsed(issuer.address, 2n)).to.equal(false);
    });

    it("RequestAlreadyUsed(issuer, nonce) for a repeated nonce, whatever the path, caller, collection or recipient", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, requestNonce } = f;
      const { issuer, operator, carol } = f.accounts;
      const second = await createCollection(f, { seed: "second" });
      await expect(rights.connect(issuer).mint(issuer.address, 1n, carol.address, requestNonce))
        .to.be.revertedWithCustomError(rights, "RequestAlreadyUsed")
        .withArgs(issuer.address, requestNonce);
      await expect(rights.connect(operator).mintBatch(issuer.address, second, [carol.address], requestNonce))
        .to.be.revertedWithCustomError(rights, "RequestAlreadyUsed")
        .withArgs(issuer.address, requestNonce);

      const single = req("single");
      await rights.connect(issuer).mint(issuer.address, 1n, carol.address, single);
      await expect(rights.connect(issuer).mintBatch(issuer.address, 1n, [carol.address], single))
        .to.be.revertedWithCustomError(rights, "RequestAlreadyUsed")
        .withArgs(issuer.address, single);
    });

    it("nonces are scoped per issuer: another issuer may use the same number", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, requestNonce } = f;
      const { carol } = f.accounts;
      const id = await createCollection2(f);
      await expect(rights.connect(f.issuer2).mint(f.issuer2.address, id, carol.address, requestNonce))
        .to.emit(rights, "EditionsMinted")
        .withArgs(id, requestNonce, f.issuer2.address, f.issuer2.address, tokenIdOf(id, 1), 1n, recipientsHash([carol.address]));
    });

    it("a crashed batch settles from the chain: isRequestUsed, then the EditionsMinted of that nonce matches collection, ids and recipients", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights, requestNonce } = f;
      const { issuer, alice, bob } = f.accounts;
      const batch = { collectionId: 1n, recipients: [alice.address, alice.address, bob.address] };
      expect(await rights.isRequestUsed(issuer.address, requestNonce)).to.equal(true);
      const logs = await rights.queryFilter(rights.filters.EditionsMinted(undefined, requestNonce, issuer.address));
      expect(logs.length).to.equal(1);
      const { collectionId, firstTokenId, count } = logs[0].args;
      expect(collectionId).to.equal(batch.collectionId);
      expect([firstTokenId, count]).to.deep.equal([tokenIdOf(1, 1), 3n]);
      expect(logs[0].args.recipientsHash).to.equal(recipientsHash(batch.recipients));
      // A batch with other recipients under the same nonce would not match.
      expect(logs[0].args.recipientsHash).to.not.equal(recipientsHash([alice.address, bob.address, alice.address]));
    });
  });

  describe("who may mint", function () {
    for (const fn of ["mint", "mintBatch"] as const) {
      it(`${fn}: IssuerUnauthorizedCaller for callers that are neither the issuer nor an operator`, async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer, admin, regulator, alice, outsider } = f.accounts;
        for (const caller of [admin, regulator, alice, outsider, f.issuer2]) {
          const tx =
            fn === "mint"
              ? f.rights.connect(caller).mint(issuer.address, 1n, alice.address, req("x"))
              : f.rights.connect(caller).mintBatch(issuer.address, 1n, [alice.address], req("x"));
          await expect(tx)
            .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
            .withArgs(caller.address, issuer.address);
        }
      });

      it(`${fn}: an operator acting for an address without ISSUER_ROLE gets IssuerMissingRole`, async function () {
        const f = await loadFixture(rightsFixture);
        const { operator, alice } = f.accounts;
        const tx =
          fn === "mint"
            ? f.rights.connect(operator).mint(alice.address, 1n, alice.address, req("x"))
            : f.rights.connect(operator).mintBatch(alice.address, 1n, [alice.address], req("x"));
        await expect(tx).to.be.revertedWithCustomError(f.rights, "IssuerMissingRole").withArgs(alice.address);
      });

      it(`${fn}: IssuerMissingRole once the issuer's role is revoked`, async function () {
        const f = await loadFixture(rightsFixture);
        const { admin, issuer, alice } = f.accounts;
        await f.rights.connect(admin).revokeRole(ROLES.ISSUER, issuer.address);
        const tx =
          fn === "mint"
            ? f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("x"))
            : f.rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address], req("x"));
        await expect(tx).to.be.revertedWithCustomError(f.rights, "IssuerMissingRole").withArgs(issuer.address);
      });

      it(`${fn}: IssuerNotVerified once the issuer's identity is suspended`, async function () {
        const f = await loadFixture(rightsFixture);
        const { regulator, issuer, operator, alice } = f.accounts;
        await f.identity.connect(regulator).suspendIdentity(f.ids.issuer, code("audit"));
        const tx =
          fn === "mint"
            ? f.rights.connect(operator).mint(issuer.address, 1n, alice.address, req("x"))
            : f.rights.connect(operator).mintBatch(issuer.address, 1n, [alice.address], req("x"));
        await expect(tx)
          .to.be.revertedWithCustomError(f.rights, "IssuerNotVerified")
          .withArgs(issuer.address, LEVEL.LICENSED_ISSUER);
      });

      it(`${fn}: IssuerMismatch when another licensed issuer mints in the collection`, async function () {
        const f = await loadFixture(rightsFixture);
        const { operator, alice } = f.accounts;
        for (const caller of [f.issuer2, operator]) {
          const tx =
            fn === "mint"
              ? f.rights.connect(caller).mint(f.issuer2.address, 1n, alice.address, req("x"))
              : f.rights.connect(caller).mintBatch(f.issuer2.address, 1n, [alice.address], req("x"));
          await expect(tx).to.be.revertedWithCustomError(f.rights, "IssuerMismatch").withArgs(1n, f.issuer2.address);
        }
      });

      it(`${fn}: CollectionNotFound for an unknown collection`, async function () {
        const f = await loadFixture(rightsFixture);
        const { issuer, alice } = f.accounts;
        for (const id of [0n, 2n]) {
          const tx =
            fn === "mint"
              ? f.rights.connect(issuer).mint(issuer.address, id, alice.address, req("x"))
              : f.rights.connect(issuer).mintBatch(issuer.address, id, [alice.address], req("x"));
          await expect(tx).to.be.revertedWithCustomError(f.rights, "CollectionNotFound").withArgs(id);
        }
      });
    }
  });

  describe("the rule hook on mint", function () {
    it("ERC721InvalidReceiver for the zero address", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer } = f.accounts;
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, ethers.ZeroAddress, req("zero")))
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("RegistryIsPaused while paused, and minting resumes after unpause", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, regulator, alice } = f.accounts;
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("p")))
        .to.be.revertedWithCustomError(f.rights, "RegistryIsPaused")
        .withArgs();
      await expect(f.rights.connect(issuer).mintBatch(issuer.address, 1n, [alice.address], req("p")))
        .to.be.revertedWithCustomError(f.rights, "RegistryIsPaused")
        .withArgs();
      await f.rights.connect(regulator).unpause(REASON, EVIDENCE);
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("p"))).to.emit(
        f.rights,
        "Transfer"
      );
    });

    it("RecipientFrozen for a frozen wallet", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, regulator, alice } = f.accounts;
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, alice.address, req("f")))
        .to.be.revertedWithCustomError(f.rights, "RecipientFrozen")
        .withArgs(alice.address);
    });

    it("RecipientNotVerified for a wallet with no identity or a revoked one", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, regulator, outsider, bob } = f.accounts;
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, outsider.address, req("o")))
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      await f.identity.connect(regulator).revokeIdentity(f.ids.bob, code("fraud"));
      await expect(f.rights.connect(issuer).mint(issuer.address, 1n, bob.address, req("b")))
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(bob.address, LEVEL.REAL_NAME);
    });

    it("RecipientNotVerified for a level below the collection's minLevel (level 2 into a min-level-3 collection)", async function () {
      const f = await loadFixture(rightsFixture);
      const { issuer, alice } = f.accounts;
      const id = await createCollection(f, { seed: "enterprise", minLevel: LEVEL.ENTERPRISE });
      await expect(f.rights.connect(issuer).mint(issuer.address, id, alice.address, req("a")))
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(alice.address, LEVEL.ENTERPRISE);
      await expect(f.rights.connect(issuer).mint(issuer.address, id, dave(f), req("d")))
        .to.emit(f.rights, "Transfer")
        .withArgs(ethers.ZeroAddress, dave(f), tokenIdOf(id, 1));
    });

    it("checks the caller, then the nonce, then the collection, then the recipient", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, outsider } = f.accounts;
      await expect(f.rights.connect(outsider).mint(issuer.address, 9n, outsider.address, f.requestNonce))
        .to.be.revertedWithCustomError(f.rights, "IssuerUnauthorizedCaller")
        .withArgs(outsider.address, issuer.address);
      await expect(f.rights.connect(issuer).mint(issuer.address, 9n, outsider.address, f.requestNonce))
        .to.be.revertedWithCustomError(f.rights, "RequestAlreadyUsed")
        .withArgs(issuer.address, f.requestNonce);
      await expect(f.rights.connect(issuer).mint(issuer.address, 9n, outsider.address, req("fresh")))
        .to.be.revertedWithCustomError(f.rights, "CollectionNotFound")
        .withArgs(9n);
    });
  });
});

/** A collection of issuer2 (a second licensed issuer). */
async function createCollection2(f: Awaited<ReturnType<typeof rightsFixture>>): Promise<bigint> {
  const params = collectionParams({ seed: "issuer2 work" });
  await (await createApproved(f.rights, f.issuer2, f.issuer2.address, params)).wait();
  return f.rights.collectionCount();
}

function dave(f: Awaited<ReturnType<typeof rightsFixture>>): string {
  return f.accounts.dave.address;
}
