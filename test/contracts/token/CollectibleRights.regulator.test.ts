import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { CollectibleRights } from "../../../typechain-types";
import { DAY, LEVEL, code, collectionParams, createApproved } from "../fixtures";
import { COMPLIANCE_KEY, approveMetadata } from "../helpers/approvals";
import { shouldRejectWrongRoles } from "../helpers/roles";
import {
  EVIDENCE,
  HOLDING,
  REASON,
  ROLES,
  lockedCollectionFixture,
  mintedFixture,
  minedAt,
  req,
  tokenIdOf,
  unlockedFixture,
} from "./rightsFixtures";

const WRONG_ROLES = ["admin", "attestor", "issuer", "operator", "holder", "outsider"] as const;

/** {mintedFixture} with the registry paused, alice's wallet frozen and token 3 (bob's) frozen. */
async function restrictedFixture() {
  const f = await loadFixture(mintedFixture);
  const { regulator, alice } = f.accounts;
  await f.rights.connect(regulator).pause(REASON, EVIDENCE);
  await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
  await f.rights.connect(regulator).freezeToken(f.tokenIds[2], REASON, EVIDENCE);
  return f;
}

describe("CollectibleRights: regulator", function () {
  describe("role boundaries: every REGULATOR-only function refuses every other role", function () {
    type Call = (c: CollectibleRights, s: Signer, f: Awaited<ReturnType<typeof mintedFixture>>) => Promise<unknown>;
    const cases: Array<[string, () => Promise<Awaited<ReturnType<typeof mintedFixture>>>, Call]> = [
      ["pause", () => loadFixture(mintedFixture), (c, s) => c.connect(s).pause(REASON, EVIDENCE)],
      ["unpause", () => loadFixture(restrictedFixture), (c, s) => c.connect(s).unpause(REASON, EVIDENCE)],
      [
        "freezeWallet",
        () => loadFixture(mintedFixture),
        (c, s, f) => c.connect(s).freezeWallet(f.accounts.bob.address, REASON, EVIDENCE),
      ],
      [
        "unfreezeWallet",
        () => loadFixture(restrictedFixture),
        (c, s, f) => c.connect(s).unfreezeWallet(f.accounts.alice.address, REASON, EVIDENCE),
      ],
      [
        "freezeToken",
        () => loadFixture(mintedFixture),
        (c, s, f) => c.connect(s).freezeToken(f.tokenIds[0], REASON, EVIDENCE),
      ],
      [
        "unfreezeToken",
        () => loadFixture(restrictedFixture),
        (c, s, f) => c.connect(s).unfreezeToken(f.tokenIds[2], REASON, EVIDENCE),
      ],
      [
        "forcedTransfer",
        () => loadFixture(mintedFixture),
        (c, s, f) =>
          c
            .connect(s)
            .forcedTransfer(f.accounts.alice.address, f.accounts.carol.address, f.tokenIds[0], REASON, EVIDENCE),
      ],
      [
        "takedown",
        () => loadFixture(mintedFixture),
        (c, s, f) => c.connect(s).takedown([...f.tokenIds], REASON, EVIDENCE),
      ],
    ];
    for (const [fn, load, call] of cases) {
      describe(fn, function () {
        let current: Awaited<ReturnType<typeof mintedFixture>>;
        shouldRejectWrongRoles(
          fn,
          { wrong: WRONG_ROLES, allowed: "regulator" },
          async () => {
            current = await load();
            return {
              contract: current.rights,
              signers: { ...current.signers, regulator: current.accounts.regulator },
              role: ROLES.REGULATOR,
            };
          },
          (c, s) => call(c, s, current)
        );
      });
    }
  });

  describe("pause / unpause", function () {
    it("pause emits RegistryPaused(regulator, reason, evidence); unpause emits RegistryUnpaused", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      await expect(rights.connect(regulator).pause(REASON, EVIDENCE))
        .to.emit(rights, "RegistryPaused")
        .withArgs(regulator.address, REASON, EVIDENCE);
      expect(await rights.paused()).to.be.true;
      const other = code("investigation-closed");
      await expect(rights.connect(regulator).unpause(other, ethers.ZeroHash))
        .to.emit(rights, "RegistryUnpaused")
        .withArgs(regulator.address, other, ethers.ZeroHash);
      expect(await rights.paused()).to.be.false;
    });

    it("RegistryIsPaused when pausing twice; RegistryNotPaused when unpausing an unpaused registry", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      await expect(rights.connect(regulator).unpause(REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "RegistryNotPaused")
        .withArgs();
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(rights.connect(regulator).pause(REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "RegistryIsPaused")
        .withArgs();
      await rights.connect(regulator).unpause(REASON, EVIDENCE);
      await expect(rights.connect(regulator).unpause(REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "RegistryNotPaused")
        .withArgs();
    });

    it("pause stops mint, transfer and licence grants; creating collections and metadata updates are not movements", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { regulator, issuer, alice, bob, carol } = f.accounts;
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(rights.connect(issuer).mint(issuer.address, 1n, bob.address, req("p")))
        .to.be.revertedWithCustomError(rights, "RegistryIsPaused")
        .withArgs();
      await expect(rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "RegistryIsPaused")
        .withArgs();
      const expiry = BigInt(await time.latest()) + BigInt(DAY);
      await expect(rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, 1, expiry))
        .to.be.revertedWithCustomError(rights, "RegistryIsPaused")
        .withArgs();
      await expect(
        createApproved(rights, issuer, issuer.address, collectionParams({ seed: "while-paused" }))
      ).to.emit(rights, "CollectionCreated");
      const ref = ethers.id("metadata-decision:while-paused");
      const approval = await approveMetadata(rights, COMPLIANCE_KEY, 1n, issuer.address, "bafkreiwhilepaused", ref);
      await expect(rights.connect(issuer).setMetadataCID(1n, "bafkreiwhilepaused", ref, approval)).to.emit(
        rights,
        "CollectionMetadataUpdated"
      );
    });
  });

  describe("wallet freezes", function () {
    it("freezeWallet emits WalletFrozen and sets isWalletFrozen; unfreezeWallet emits WalletUnfrozen and clears it", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice } = f.accounts;
      expect(await rights.isWalletFrozen(alice.address)).to.be.false;
      await expect(rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE))
        .to.emit(rights, "WalletFrozen")
        .withArgs(alice.address, regulator.address, REASON, EVIDENCE);
      expect(await rights.isWalletFrozen(alice.address)).to.be.true;
      // Balance and ownership are untouched.
      expect(await rights.balanceOf(alice.address)).to.equal(2n);
      await expect(rights.connect(regulator).unfreezeWallet(alice.address, REASON, EVIDENCE))
        .to.emit(rights, "WalletUnfrozen")
        .withArgs(alice.address, regulator.address, REASON, EVIDENCE);
      expect(await rights.isWalletFrozen(alice.address)).to.be.false;
      expect(await rights.balanceOf(alice.address)).to.equal(2n);
    });

    it("WalletAlreadyFrozen and WalletNotFrozen", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, outsider } = f.accounts;
      await expect(rights.connect(regulator).unfreezeWallet(outsider.address, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "WalletNotFrozen")
        .withArgs(outsider.address);
      await rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await expect(rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "WalletAlreadyFrozen")
        .withArgs(alice.address);
    });

    it("a wallet with no tokens and no identity can be frozen ahead of time and then cannot receive", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, carol, issuer } = f.accounts;
      await rights.connect(regulator).freezeWallet(carol.address, REASON, EVIDENCE);
      await expect(rights.connect(issuer).mint(issuer.address, 1n, carol.address, req("c")))
        .to.be.revertedWithCustomError(rights, "RecipientFrozen")
        .withArgs(carol.address);
      expect(await rights.balanceOf(carol.address)).to.equal(0n);
    });
  });

  describe("token freezes", function () {
    it("freezeToken emits TokenFrozen and sets tokenState.frozen; unfreezeToken emits TokenUnfrozen and clears it", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      const id = f.tokenIds[1];
      await expect(rights.connect(regulator).freezeToken(id, REASON, EVIDENCE))
        .to.emit(rights, "TokenFrozen")
        .withArgs(id, regulator.address, REASON, EVIDENCE);
      const frozen = await rights.tokenState(id);
      expect(frozen.frozen).to.be.true;
      // Freezing writes only the flag.
      expect([frozen.owner, frozen.acquiredAt, frozen.epoch]).to.deep.equal([f.accounts.alice.address, f.mintedAt, 1n]);
      expect((await rights.tokenState(f.tokenIds[0])).frozen).to.be.false;
      await expect(rights.connect(regulator).unfreezeToken(id, REASON, EVIDENCE))
        .to.emit(rights, "TokenUnfrozen")
        .withArgs(id, regulator.address, REASON, EVIDENCE);
      expect((await rights.tokenState(id)).frozen).to.be.false;
    });

    it("TokenAlreadyFrozen, TokenNotFrozen, and ERC721NonexistentToken when freezing a missing token", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      const id = f.tokenIds[0];
      await expect(rights.connect(regulator).unfreezeToken(id, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "TokenNotFrozen")
        .withArgs(id);
      await rights.connect(regulator).freezeToken(id, REASON, EVIDENCE);
      await expect(rights.connect(regulator).freezeToken(id, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "TokenAlreadyFrozen")
        .withArgs(id);
      const missing = tokenIdOf(1, 77);
      await expect(rights.connect(regulator).freezeToken(missing, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(missing);
      await expect(rights.connect(regulator).unfreezeToken(missing, REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "TokenNotFrozen")
        .withArgs(missing);
    });
  });

  describe("forcedTransfer", function () {
    it("moves the token: Transfer + ForcedTransfer, new owner, balances, acquiredAt, epoch + 1", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, carol } = f.accounts;
      const id = f.tokenIds[0];
      const tx = rights.connect(regulator).forcedTransfer(alice.address, carol.address, id, REASON, EVIDENCE);
      await expect(tx).to.emit(rights, "Transfer").withArgs(alice.address, carol.address, id);
      await expect(tx)
        .to.emit(rights, "ForcedTransfer")
        .withArgs(id, alice.address, carol.address, regulator.address, REASON, EVIDENCE);
      const at = await minedAt(await tx);
      expect(await rights.ownerOf(id)).to.equal(carol.address);
      expect(await rights.balanceOf(alice.address)).to.equal(1n);
      expect(await rights.balanceOf(carol.address)).to.equal(1n);
      const s = await rights.tokenState(id);
      expect([s.owner, s.acquiredAt, s.epoch, s.frozen]).to.deep.equal([carol.address, at, 2n, false]);
      // The recipient starts a holding period of its own.
      await expect(rights.connect(carol).transferFrom(carol.address, alice.address, id))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(id, at + HOLDING);
    });

    it("overrides the holding period, pause, frozen sender, frozen recipient and frozen token; the token stays frozen", async function () {
      const f = await loadFixture(restrictedFixture);
      const { rights } = f;
      const { regulator, alice, bob, carol } = f.accounts;
      await rights.connect(regulator).freezeWallet(carol.address, REASON, EVIDENCE);
      // alice (frozen) → carol (frozen), paused, within the holding period.
      await expect(
        rights.connect(regulator).forcedTransfer(alice.address, carol.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.emit(rights, "ForcedTransfer")
        .withArgs(f.tokenIds[0], alice.address, carol.address, regulator.address, REASON, EVIDENCE);
      // bob's frozen token 3 → alice.
      await expect(
        rights.connect(regulator).forcedTransfer(bob.address, alice.address, f.tokenIds[2], REASON, EVIDENCE)
      )
        .to.emit(rights, "Transfer")
        .withArgs(bob.address, alice.address, f.tokenIds[2]);
      const s = await rights.tokenState(f.tokenIds[2]);
      expect([s.owner, s.frozen]).to.deep.equal([alice.address, true]);
      expect(await rights.locked(f.tokenIds[2])).to.be.true;
      await expect(rights.connect(regulator).unfreezeToken(f.tokenIds[2], REASON, EVIDENCE)).to.emit(
        rights,
        "TokenUnfrozen"
      );
    });

    it("overrides the Locked mode", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      const { regulator, alice, dave } = f.accounts;
      await expect(
        f.rights.connect(regulator).forcedTransfer(alice.address, dave.address, f.lockedTokenId, REASON, EVIDENCE)
      )
        .to.emit(f.rights, "Transfer")
        .withArgs(alice.address, dave.address, f.lockedTokenId);
    });

    it("works when the holder's identity is revoked (e.g. recovering a lost wallet to a new wallet)", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, carol } = f.accounts;
      await f.identity.connect(regulator).revokeIdentity(f.ids.alice, code("lost-wallet"));
      await expect(
        rights.connect(regulator).forcedTransfer(alice.address, carol.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.emit(rights, "ForcedTransfer")
        .withArgs(f.tokenIds[0], alice.address, carol.address, regulator.address, REASON, EVIDENCE);
    });

    it("RecipientNotVerified for an unverified recipient or one below the collection's minLevel, even overriding all else", async function () {
      const f = await loadFixture(restrictedFixture);
      const { rights } = f;
      const { regulator, alice, outsider, issuer, bob } = f.accounts;
      await expect(
        rights.connect(regulator).forcedTransfer(alice.address, outsider.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      await f.identity.connect(regulator).suspendIdentity(f.ids.bob, code("review"));
      await expect(
        rights.connect(regulator).forcedTransfer(alice.address, bob.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(bob.address, LEVEL.REAL_NAME);

      await rights.connect(regulator).unpause(REASON, EVIDENCE);
      await createApproved(rights, issuer, issuer.address, collectionParams({ seed: "l3", minLevel: LEVEL.ENTERPRISE }));
      await rights.connect(issuer).mint(issuer.address, 2n, f.accounts.dave.address, req("l3"));
      await expect(
        rights
          .connect(regulator)
          .forcedTransfer(f.accounts.dave.address, f.accounts.carol.address, tokenIdOf(2, 1), REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(f.accounts.carol.address, LEVEL.ENTERPRISE);
    });

    it("ERC721IncorrectOwner when `from` is not the holder", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, bob, carol } = f.accounts;
      await expect(
        rights.connect(regulator).forcedTransfer(bob.address, carol.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(rights, "ERC721IncorrectOwner")
        .withArgs(bob.address, f.tokenIds[0], alice.address);
      expect(await rights.ownerOf(f.tokenIds[0])).to.equal(alice.address);
    });

    it("ERC721NonexistentToken for a missing or burned token", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, carol } = f.accounts;
      for (const missing of [tokenIdOf(1, 4), tokenIdOf(9, 1)]) {
        await expect(rights.connect(regulator).forcedTransfer(alice.address, carol.address, missing, REASON, EVIDENCE))
          .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
          .withArgs(missing);
      }
      await rights.connect(regulator).takedown([f.tokenIds[0]], REASON, EVIDENCE);
      await expect(
        rights.connect(regulator).forcedTransfer(alice.address, carol.address, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[0]);
      expect(await rights.balanceOf(carol.address)).to.equal(0n);
    });

    it("ERC721InvalidReceiver for the zero address", async function () {
      const f = await loadFixture(mintedFixture);
      const { regulator, alice } = f.accounts;
      await expect(
        f.rights.connect(regulator).forcedTransfer(alice.address, ethers.ZeroAddress, f.tokenIds[0], REASON, EVIDENCE)
      )
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("clears the token's approval; the override does not leak into the next ordinary transfer", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, bob, carol } = f.accounts;
      await rights.connect(alice).approve(bob.address, f.tokenIds[0]);
      await rights.connect(regulator).forcedTransfer(alice.address, carol.address, f.tokenIds[0], REASON, EVIDENCE);
      expect(await rights.getApproved(f.tokenIds[0])).to.equal(ethers.ZeroAddress);
      // alice's other token is still in its holding period: the ordinary rules apply again.
      await expect(rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[1]))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(f.tokenIds[1], f.unlocksAt);
    });
  });

  describe("takedown", function () {
    it("burns several tokens: Transfer to zero and TokenTakenDown(tokenId, holder, regulator, reason, evidence) each", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, bob } = f.accounts;
      const [t1, t2, t3] = f.tokenIds;
      const tx = rights.connect(regulator).takedown([t1, t3], REASON, EVIDENCE);
      await expect(tx).to.emit(rights, "Transfer").withArgs(alice.address, ethers.ZeroAddress, t1);
      await expect(tx).to.emit(rights, "Transfer").withArgs(bob.address, ethers.ZeroAddress, t3);
      await expect(tx)
        .to.emit(rights, "TokenTakenDown")
        .withArgs(t1, alice.address, regulator.address, REASON, EVIDENCE);
      await expect(tx).to.emit(rights, "TokenTakenDown").withArgs(t3, bob.address, regulator.address, REASON, EVIDENCE);
      const at = await minedAt(await tx);

      for (const id of [t1, t3]) {
        await expect(rights.ownerOf(id)).to.be.revertedWithCustomError(rights, "ERC721NonexistentToken").withArgs(id);
        await expect(rights.tokenURI(id)).to.be.revertedWithCustomError(rights, "ERC721NonexistentToken").withArgs(id);
      }
      const s = await rights.tokenState(t1);
      expect([s.owner, s.acquiredAt, s.epoch, s.frozen]).to.deep.equal([ethers.ZeroAddress, at, 2n, false]);
      expect(await rights.ownerOf(t2)).to.equal(alice.address);
      expect(await rights.balanceOf(alice.address)).to.equal(1n);
      expect(await rights.balanceOf(bob.address)).to.equal(0n);
      expect(await rights.totalSupply(1n)).to.equal(1n);
      const c = await rights.getCollection(1n);
      expect([c.minted, c.burned]).to.deep.equal([3n, 2n]);
    });

    it("works on frozen tokens, frozen wallets, while paused and on Locked tokens; clears the frozen flag and approval", async function () {
      const f = await loadFixture(restrictedFixture);
      const { rights } = f;
      const { regulator, alice, bob, issuer, carol } = f.accounts;
      await rights.connect(alice).approve(carol.address, f.tokenIds[0]);
      await rights.connect(regulator).unpause(REASON, EVIDENCE);
      await createApproved(rights, issuer, issuer.address, collectionParams({ seed: "locked", mode: 0 }));
      await rights.connect(issuer).mint(issuer.address, 2n, bob.address, req("locked"));
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      const ids = [f.tokenIds[0], f.tokenIds[2], tokenIdOf(2, 1)];
      await expect(rights.connect(regulator).takedown(ids, REASON, EVIDENCE))
        .to.emit(rights, "TokenTakenDown")
        .withArgs(f.tokenIds[2], bob.address, regulator.address, REASON, EVIDENCE);
      expect((await rights.tokenState(f.tokenIds[2])).frozen).to.be.false;
      await expect(rights.getApproved(f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[0]);
      expect(await rights.totalSupply(1n)).to.equal(1n);
      expect(await rights.totalSupply(2n)).to.equal(0n);
    });

    it("burns tokens of holders whose identity was revoked", async function () {
      const f = await loadFixture(mintedFixture);
      const { regulator } = f.accounts;
      await f.identity.connect(regulator).revokeIdentity(f.ids.bob, code("fraud"));
      await expect(f.rights.connect(regulator).takedown([f.tokenIds[2]], REASON, EVIDENCE)).to.emit(
        f.rights,
        "TokenTakenDown"
      );
    });

    it("ERC721NonexistentToken for a missing token, a repeated id, or one already taken down; nothing is burned", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator } = f.accounts;
      const missing = tokenIdOf(1, 4);
      await expect(rights.connect(regulator).takedown([f.tokenIds[0], missing], REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(missing);
      await expect(rights.connect(regulator).takedown([f.tokenIds[1], f.tokenIds[1]], REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[1]);
      expect(await rights.totalSupply(1n)).to.equal(3n);
      expect(await rights.ownerOf(f.tokenIds[0])).to.equal(f.accounts.alice.address);
      await rights.connect(regulator).takedown([f.tokenIds[0]], REASON, EVIDENCE);
      await expect(rights.connect(regulator).takedown([f.tokenIds[0]], REASON, EVIDENCE))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[0]);
      expect((await rights.getCollection(1n)).burned).to.equal(1n);
    });

    it("an empty list burns nothing", async function () {
      const f = await loadFixture(mintedFixture);
      await expect(f.rights.connect(f.accounts.regulator).takedown([], REASON, EVIDENCE)).not.to.emit(
        f.rights,
        "TokenTakenDown"
      );
      expect(await f.rights.totalSupply(1n)).to.equal(3n);
    });

    it("the content hash stays registered: the work cannot be issued again", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, issuer, operator } = f.accounts;
      await rights.connect(regulator).takedown([...f.tokenIds], REASON, EVIDENCE);
      expect(await rights.totalSupply(1n)).to.equal(0n);
      expect(await rights.collectionOfContent(f.params.contentHash)).to.equal(1n);
      await expect(
        createApproved(rights, issuer, issuer.address, collectionParams({ complianceRef: ethers.id("retry") }))
      )
        .to.be.revertedWithCustomError(rights, "CollectionContentAlreadyRegistered")
        .withArgs(f.params.contentHash, 1n);
      await expect(createApproved(rights, operator, f.issuer2.address, collectionParams()))
        .to.be.revertedWithCustomError(rights, "CollectionContentAlreadyRegistered")
        .withArgs(f.params.contentHash, 1n);
      // The collection itself remains readable.
      expect((await rights.getCollection(1n)).burned).to.equal(3n);
    });

    it("licences over a taken-down token die", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { regulator, alice, carol } = f.accounts;
      const expiry = BigInt(await time.latest()) + BigInt(30 * DAY);
      await rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, 1, expiry);
      expect(await rights.isLicensed(f.tokenIds[0], carol.address, 1)).to.be.true;
      await rights.connect(regulator).takedown([f.tokenIds[0]], REASON, EVIDENCE);
      expect(await rights.isLicensed(f.tokenIds[0], carol.address, 1)).to.be.false;
      await expect(rights.connect(alice).revokeLicence(f.tokenIds[0], carol.address))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[0]);
    });
  });
});
