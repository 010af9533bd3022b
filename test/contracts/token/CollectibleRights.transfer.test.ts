import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, LEVEL, code } from "../fixtures";
import {
  EVIDENCE,
  HOLDING,
  REASON,
  createCollection,
  lockedCollectionFixture,
  mintedFixture,
  minedAt,
  registerWallet,
  req,
  tokenIdOf,
  unlockedFixture,
} from "./rightsFixtures";

const Behaviour = { Accept: 0, WrongValue: 1, RevertWithError: 2, RevertEmpty: 3 } as const;

/** {unlockedFixture} plus ERC-721 receiver mocks, each registered as a verified (level 2) wallet. */
async function receiversFixture() {
  const f = await loadFixture(unlockedFixture);
  const deploy = async (behaviour: number) => {
    const mock = await ethers.deployContract("ERC721ReceiverMock", [behaviour]);
    await mock.waitForDeployment();
    return mock;
  };
  const accepting = await deploy(Behaviour.Accept);
  const wrongValue = await deploy(Behaviour.WrongValue);
  const rejecting = await deploy(Behaviour.RevertWithError);
  const silent = await deploy(Behaviour.RevertEmpty);
  const unverified = await deploy(Behaviour.Accept);
  const expiry = f.expiresAt;
  await registerWallet(f, "receiver-accepting", await accepting.getAddress(), LEVEL.REAL_NAME, expiry);
  await registerWallet(f, "receiver-wrong", await wrongValue.getAddress(), LEVEL.REAL_NAME, expiry);
  await registerWallet(f, "receiver-rejecting", await rejecting.getAddress(), LEVEL.REAL_NAME, expiry);
  await registerWallet(f, "receiver-silent", await silent.getAddress(), LEVEL.REAL_NAME, expiry);
  // A contract with no onERC721Received at all: the identity registry, registered as a wallet.
  const nonReceiver = await f.identity.getAddress();
  await registerWallet(f, "non-receiver", nonReceiver, LEVEL.REAL_NAME, expiry);
  return { ...f, receivers: { accepting, wrongValue, rejecting, silent, unverified, nonReceiver } };
}

describe("CollectibleRights: transfers", function () {
  describe("happy path", function () {
    it("the holder transfers after the holding period: Transfer, owner, balances, new acquiredAt, epoch + 1", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights, tokenIds } = f;
      const { alice, bob } = f.accounts;
      const id = tokenIds[0];
      const tx = rights.connect(alice).transferFrom(alice.address, bob.address, id);
      await expect(tx).to.emit(rights, "Transfer").withArgs(alice.address, bob.address, id);
      const at = await minedAt(await tx);
      expect(await rights.ownerOf(id)).to.equal(bob.address);
      expect(await rights.balanceOf(alice.address)).to.equal(1n);
      expect(await rights.balanceOf(bob.address)).to.equal(2n);
      const s = await rights.tokenState(id);
      expect([s.owner, s.acquiredAt, s.epoch, s.frozen]).to.deep.equal([bob.address, at, 2n, false]);
    });

    it("the new holder's own holding period starts at the transfer", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights, tokenIds } = f;
      const { alice, bob, carol } = f.accounts;
      const id = tokenIds[0];
      const at = await minedAt(rights.connect(alice).transferFrom(alice.address, bob.address, id));
      await expect(rights.connect(bob).transferFrom(bob.address, carol.address, id))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(id, at + HOLDING);
      await time.increaseTo(at + HOLDING);
      await expect(rights.connect(bob).transferFrom(bob.address, carol.address, id))
        .to.emit(rights, "Transfer")
        .withArgs(bob.address, carol.address, id);
      expect((await rights.tokenState(id)).epoch).to.equal(3n);
    });

    it("the epoch counts every movement: mint 1, then +1 per transfer", async function () {
      const f = await loadFixture(rightsFixtureWithZeroHolding);
      const { rights } = f;
      const { alice, bob } = f.accounts;
      const id = f.zeroId;
      expect((await rights.tokenState(id)).epoch).to.equal(1n);
      await rights.connect(alice).transferFrom(alice.address, bob.address, id);
      await rights.connect(bob).transferFrom(bob.address, alice.address, id);
      await rights.connect(alice).transferFrom(alice.address, bob.address, id);
      expect((await rights.tokenState(id)).epoch).to.equal(4n);
    });

    it("a collection with no holding period moves at once", async function () {
      const f = await loadFixture(rightsFixtureWithZeroHolding);
      const { alice, bob } = f.accounts;
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.zeroId))
        .to.emit(f.rights, "Transfer")
        .withArgs(alice.address, bob.address, f.zeroId);
    });

    it("a holder may transfer to itself (it restarts its holding period)", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice } = f.accounts;
      const id = f.tokenIds[0];
      const at = await minedAt(f.rights.connect(alice).transferFrom(alice.address, alice.address, id));
      expect(await f.rights.balanceOf(alice.address)).to.equal(2n);
      expect((await f.rights.tokenState(id)).acquiredAt).to.equal(at);
    });
  });

  describe("holding period", function () {
    it("HoldingPeriodActive(tokenId, acquiredAt + holdingPeriod) right after mint", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, bob } = f.accounts;
      const state = await f.rights.tokenState(f.tokenIds[0]);
      expect(state.acquiredAt).to.equal(f.mintedAt);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "HoldingPeriodActive")
        .withArgs(f.tokenIds[0], f.mintedAt + HOLDING);
    });

    it("reverts one second before unlocksAt and succeeds at unlocksAt", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, bob } = f.accounts;
      const id = f.tokenIds[0];
      await time.setNextBlockTimestamp(f.unlocksAt - 1n);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "HoldingPeriodActive")
        .withArgs(id, f.unlocksAt);
      await time.setNextBlockTimestamp(f.unlocksAt);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id))
        .to.emit(f.rights, "Transfer")
        .withArgs(alice.address, bob.address, id);
    });

    it("time.increase past the holding period unlocks", async function () {
      const f = await loadFixture(mintedFixture);
      const { bob, carol } = f.accounts;
      await time.increase(HOLDING + 1n);
      await expect(f.rights.connect(bob).transferFrom(bob.address, carol.address, f.tokenIds[2]))
        .to.emit(f.rights, "Transfer")
        .withArgs(bob.address, carol.address, f.tokenIds[2]);
    });
  });

  describe("Locked mode", function () {
    it("TransferModeLocked at any time, even with no holding period and years later", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      const { alice, bob } = f.accounts;
      const id = f.lockedTokenId;
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "TransferModeLocked")
        .withArgs(id);
      await time.increase(2 * 365 * DAY);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "TransferModeLocked")
        .withArgs(id);
      await expect(f.rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "TransferModeLocked")
        .withArgs(id);
    });

    it("moves by the regulator's forcedTransfer", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      const { alice, bob, regulator } = f.accounts;
      const id = f.lockedTokenId;
      await expect(f.rights.connect(regulator).forcedTransfer(alice.address, bob.address, id, REASON, EVIDENCE))
        .to.emit(f.rights, "ForcedTransfer")
        .withArgs(id, alice.address, bob.address, regulator.address, REASON, EVIDENCE);
      expect(await f.rights.ownerOf(id)).to.equal(bob.address);
      await expect(f.rights.connect(bob).transferFrom(bob.address, alice.address, id))
        .to.be.revertedWithCustomError(f.rights, "TransferModeLocked")
        .withArgs(id);
    });
  });

  describe("freezes and pause", function () {
    it("SenderFrozen when the holder's wallet is frozen; works again after unfreeze", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      const id = f.tokenIds[0];
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "SenderFrozen")
        .withArgs(alice.address);
      await f.rights.connect(regulator).unfreezeWallet(alice.address, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, id)).to.emit(f.rights, "Transfer");
    });

    it("RecipientFrozen when the recipient's wallet is frozen", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      await f.rights.connect(regulator).freezeWallet(bob.address, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "RecipientFrozen")
        .withArgs(bob.address);
    });

    it("TokenIsFrozen when the token is frozen; the holder's other tokens still move", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      const [frozen, other] = f.tokenIds;
      await f.rights.connect(regulator).freezeToken(frozen, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, frozen))
        .to.be.revertedWithCustomError(f.rights, "TokenIsFrozen")
        .withArgs(frozen);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, other)).to.emit(
        f.rights,
        "Transfer"
      );
      await f.rights.connect(regulator).unfreezeToken(frozen, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, frozen)).to.emit(
        f.rights,
        "Transfer"
      );
    });

    it("RegistryIsPaused while paused; works after unpause", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "RegistryIsPaused")
        .withArgs();
      await f.rights.connect(regulator).unpause(REASON, EVIDENCE);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0])).to.emit(
        f.rights,
        "Transfer"
      );
    });
  });

  describe("identity of sender and recipient", function () {
    it("SenderNotVerified once the holder's identity is revoked after acquiring", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      await f.identity.connect(regulator).revokeIdentity(f.ids.alice, code("fraud"));
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "SenderNotVerified")
        .withArgs(alice.address, LEVEL.REAL_NAME);
    });

    it("SenderNotVerified while the holder's identity is suspended; works after reinstatement", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, regulator } = f.accounts;
      await f.identity.connect(regulator).suspendIdentity(f.ids.alice, code("review"));
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "SenderNotVerified")
        .withArgs(alice.address, LEVEL.REAL_NAME);
      await f.identity.connect(regulator).reinstateIdentity(f.ids.alice, code("cleared"));
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0])).to.emit(
        f.rights,
        "Transfer"
      );
    });

    it("SenderNotVerified once the holder's identity has expired", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, bob } = f.accounts;
      const [erin] = f.accounts.rest;
      const erinExpiry = f.mintedAt + HOLDING + BigInt(10 * DAY);
      await registerWallet(f, "erin", erin.address, LEVEL.REAL_NAME, erinExpiry);
      await f.rights.connect(issuer).mint(issuer.address, 1n, erin.address, req("erin"));
      const id = tokenIdOf(1, 4);
      await time.increaseTo(erinExpiry);
      await expect(f.rights.connect(erin).transferFrom(erin.address, bob.address, id))
        .to.be.revertedWithCustomError(f.rights, "SenderNotVerified")
        .withArgs(erin.address, LEVEL.REAL_NAME);
    });

    it("a holder's wallet cannot be unlinked from its identity (IdentityWalletHoldsTokens), so it keeps verifying", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, attestor, regulator } = f.accounts;
      for (const caller of [attestor, regulator]) {
        await expect(f.identity.connect(caller).unlinkWallet(alice.address, code("lost-key")))
          .to.be.revertedWithCustomError(f.identity, "IdentityWalletHoldsTokens")
          .withArgs(alice.address, await f.rights.getAddress(), 2n);
      }
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0])).to.emit(
        f.rights,
        "Transfer"
      );
    });

    it("RecipientNotVerified for a recipient with no identity, a revoked one, or one suspended", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, carol, outsider, regulator, bob } = f.accounts;
      await f.identity.connect(regulator).revokeIdentity(f.ids.bob, code("fraud"));
      await f.identity.connect(regulator).suspendIdentity(f.ids.carol, code("review"));
      for (const to of [outsider.address, bob.address, carol.address]) {
        await expect(f.rights.connect(alice).transferFrom(alice.address, to, f.tokenIds[0]))
          .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
          .withArgs(to, LEVEL.REAL_NAME);
      }
    });

    it("RecipientNotVerified for a recipient whose identity has expired", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice } = f.accounts;
      const [erin] = f.accounts.rest;
      const erinExpiry = f.mintedAt + BigInt(10 * DAY);
      await registerWallet(f, "erin", erin.address, LEVEL.REAL_NAME, erinExpiry);
      await time.increaseTo(f.unlocksAt);
      expect(await f.identity.isVerified(erin.address, LEVEL.REAL_NAME)).to.be.false;
      await expect(f.rights.connect(alice).transferFrom(alice.address, erin.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(erin.address, LEVEL.REAL_NAME);
    });

    it("RecipientNotVerified for a level-2 recipient in a min-level-3 collection; a level-4 recipient passes", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, dave, alice } = f.accounts;
      const id = await createCollection(f, { seed: "enterprise", minLevel: LEVEL.ENTERPRISE, holdingPeriod: DAY });
      await f.rights.connect(issuer).mint(issuer.address, id, dave.address, req("dave"));
      const token = tokenIdOf(id, 1);
      await time.increase(DAY);
      await expect(f.rights.connect(dave).transferFrom(dave.address, alice.address, token))
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(alice.address, LEVEL.ENTERPRISE);
      await expect(f.rights.connect(dave).transferFrom(dave.address, issuer.address, token))
        .to.emit(f.rights, "Transfer")
        .withArgs(dave.address, issuer.address, token);
    });

    it("SenderNotVerified when the holder's level drops below the collection's minLevel", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, dave, attestor } = f.accounts;
      const id = await createCollection(f, { seed: "enterprise", minLevel: LEVEL.ENTERPRISE, holdingPeriod: 0 });
      await f.rights.connect(issuer).mint(issuer.address, id, dave.address, req("dave"));
      await f.identity
        .connect(attestor)
        .updateIdentity(f.ids.dave, LEVEL.REAL_NAME, 156, ethers.id("kyc"), code("downgrade"));
      await expect(f.rights.connect(dave).transferFrom(dave.address, issuer.address, tokenIdOf(id, 1)))
        .to.be.revertedWithCustomError(f.rights, "SenderNotVerified")
        .withArgs(dave.address, LEVEL.ENTERPRISE);
    });
  });

  describe("order of the rules", function () {
    it("pause, then sender frozen, then recipient frozen, then token frozen", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { alice, bob, regulator } = f.accounts;
      const id = f.tokenIds[0];
      await rights.connect(regulator).freezeToken(id, REASON, EVIDENCE);
      await rights.connect(regulator).freezeWallet(bob.address, REASON, EVIDENCE);
      await rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      const send = () => rights.connect(alice).transferFrom(alice.address, bob.address, id);
      await expect(send()).to.be.revertedWithCustomError(rights, "RegistryIsPaused").withArgs();
      await rights.connect(regulator).unpause(REASON, EVIDENCE);
      await expect(send()).to.be.revertedWithCustomError(rights, "SenderFrozen").withArgs(alice.address);
      await rights.connect(regulator).unfreezeWallet(alice.address, REASON, EVIDENCE);
      await expect(send()).to.be.revertedWithCustomError(rights, "RecipientFrozen").withArgs(bob.address);
      await rights.connect(regulator).unfreezeWallet(bob.address, REASON, EVIDENCE);
      await expect(send()).to.be.revertedWithCustomError(rights, "TokenIsFrozen").withArgs(id);
    });

    it("then recipient verified, then sender verified, then mode, then holding period", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      const { rights } = f;
      const { issuer, alice, bob, regulator, outsider } = f.accounts;
      // Locked token with a holding period: collection 3.
      const id = await createCollection(f, { seed: "locked-held", mode: 0, holdingPeriod: 30 * DAY });
      await rights.connect(issuer).mint(issuer.address, id, alice.address, req("lh"));
      const token = tokenIdOf(id, 1);
      await f.identity.connect(regulator).suspendIdentity(f.ids.alice, code("review"));
      await expect(rights.connect(alice).transferFrom(alice.address, outsider.address, token))
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      await expect(rights.connect(alice).transferFrom(alice.address, bob.address, token))
        .to.be.revertedWithCustomError(rights, "SenderNotVerified")
        .withArgs(alice.address, LEVEL.REAL_NAME);
      await f.identity.connect(regulator).reinstateIdentity(f.ids.alice, code("ok"));
      await expect(rights.connect(alice).transferFrom(alice.address, bob.address, token))
        .to.be.revertedWithCustomError(rights, "TransferModeLocked")
        .withArgs(token);
      // Holding period after mode: a GiftToVerified token in its holding period reports it.
      const gift = await createCollection(f, { seed: "gift-held", holdingPeriod: 30 * DAY });
      const giftAt = await minedAt(rights.connect(issuer).mint(issuer.address, gift, alice.address, req("gh")));
      await expect(rights.connect(alice).transferFrom(alice.address, bob.address, tokenIdOf(gift, 1)))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(tokenIdOf(gift, 1), giftAt + BigInt(30 * DAY));
    });

    it("authorisation comes before every rule", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { bob, carol, regulator } = f.accounts;
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(rights.connect(bob).transferFrom(f.accounts.alice.address, carol.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "ERC721InsufficientApproval")
        .withArgs(bob.address, f.tokenIds[0]);
    });
  });

  describe("approvals", function () {
    it("an approved address transfers for the holder; the approval is cleared by the transfer", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      const id = f.tokenIds[0];
      await expect(rights.connect(alice).approve(bob.address, id))
        .to.emit(rights, "Approval")
        .withArgs(alice.address, bob.address, id);
      expect(await rights.getApproved(id)).to.equal(bob.address);
      await expect(rights.connect(bob).transferFrom(alice.address, carol.address, id))
        .to.emit(rights, "Transfer")
        .withArgs(alice.address, carol.address, id);
      expect(await rights.ownerOf(id)).to.equal(carol.address);
      expect(await rights.getApproved(id)).to.equal(ethers.ZeroAddress);
    });

    it("the approved address is still bound by the rules (holding period, frozen recipient, unverified recipient)", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { alice, bob, carol, regulator, outsider } = f.accounts;
      const id = f.tokenIds[0];
      await rights.connect(alice).approve(bob.address, id);
      await expect(rights.connect(bob).transferFrom(alice.address, carol.address, id))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(id, f.unlocksAt);
      await time.increaseTo(f.unlocksAt);
      await expect(rights.connect(bob).transferFrom(alice.address, outsider.address, id))
        .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      await rights.connect(regulator).freezeWallet(carol.address, REASON, EVIDENCE);
      await expect(rights.connect(bob).transferFrom(alice.address, carol.address, id))
        .to.be.revertedWithCustomError(rights, "RecipientFrozen")
        .withArgs(carol.address);
      // A failed transfer leaves the approval in place.
      expect(await rights.getApproved(id)).to.equal(bob.address);
    });

    it("an operator (setApprovalForAll) transfers any of the holder's tokens, under the rules; revoking stops it", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      await expect(rights.connect(alice).setApprovalForAll(carol.address, true))
        .to.emit(rights, "ApprovalForAll")
        .withArgs(alice.address, carol.address, true);
      expect(await rights.isApprovedForAll(alice.address, carol.address)).to.be.true;
      await expect(rights.connect(carol).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
        .withArgs(f.tokenIds[0], f.unlocksAt);
      await time.increaseTo(f.unlocksAt);
      await expect(rights.connect(carol).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.emit(rights, "Transfer")
        .withArgs(alice.address, bob.address, f.tokenIds[0]);
      await expect(rights.connect(alice).setApprovalForAll(carol.address, false))
        .to.emit(rights, "ApprovalForAll")
        .withArgs(alice.address, carol.address, false);
      expect(await rights.isApprovedForAll(alice.address, carol.address)).to.be.false;
      await expect(rights.connect(carol).transferFrom(alice.address, bob.address, f.tokenIds[1]))
        .to.be.revertedWithCustomError(rights, "ERC721InsufficientApproval")
        .withArgs(carol.address, f.tokenIds[1]);
    });

    it("an operator may approve an address for the holder's token", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      await rights.connect(alice).setApprovalForAll(carol.address, true);
      await expect(rights.connect(carol).approve(bob.address, f.tokenIds[0]))
        .to.emit(rights, "Approval")
        .withArgs(alice.address, bob.address, f.tokenIds[0]);
      expect(await rights.getApproved(f.tokenIds[0])).to.equal(bob.address);
    });

    it("approval to the zero address clears an approval", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob } = f.accounts;
      await rights.connect(alice).approve(bob.address, f.tokenIds[0]);
      await expect(rights.connect(alice).approve(ethers.ZeroAddress, f.tokenIds[0]))
        .to.emit(rights, "Approval")
        .withArgs(alice.address, ethers.ZeroAddress, f.tokenIds[0]);
      await expect(rights.connect(bob).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "ERC721InsufficientApproval")
        .withArgs(bob.address, f.tokenIds[0]);
    });

    it("ERC721InvalidApprover when neither holder nor operator approves; ERC721NonexistentToken for a missing token", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob } = f.accounts;
      await expect(rights.connect(bob).approve(bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "ERC721InvalidApprover")
        .withArgs(bob.address);
      const missing = tokenIdOf(1, 50);
      await expect(rights.connect(alice).approve(bob.address, missing))
        .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
        .withArgs(missing);
    });

    it("an approved address (not an operator) cannot approve others", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      await rights.connect(alice).approve(bob.address, f.tokenIds[0]);
      await expect(rights.connect(bob).approve(carol.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "ERC721InvalidApprover")
        .withArgs(bob.address);
    });

    it("ERC721InvalidOperator for setApprovalForAll(0)", async function () {
      const f = await loadFixture(unlockedFixture);
      await expect(f.rights.connect(f.accounts.alice).setApprovalForAll(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidOperator")
        .withArgs(ethers.ZeroAddress);
    });

    it("approvals are not movements: they work while paused and while the token is frozen", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob, regulator } = f.accounts;
      await rights.connect(regulator).freezeToken(f.tokenIds[0], REASON, EVIDENCE);
      await rights.connect(regulator).pause(REASON, EVIDENCE);
      await expect(rights.connect(alice).approve(bob.address, f.tokenIds[0])).to.emit(rights, "Approval");
      await expect(rights.connect(alice).setApprovalForAll(bob.address, true)).to.emit(rights, "ApprovalForAll");
      await expect(rights.connect(bob).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(rights, "RegistryIsPaused")
        .withArgs();
    });
  });

  describe("transferFrom argument errors", function () {
    it("ERC721InsufficientApproval for a caller that is neither holder, approved nor operator", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob } = f.accounts;
      await expect(f.rights.connect(bob).transferFrom(alice.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "ERC721InsufficientApproval")
        .withArgs(bob.address, f.tokenIds[0]);
    });

    it("ERC721NonexistentToken for a missing token", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob } = f.accounts;
      const missing = tokenIdOf(1, 4);
      await expect(f.rights.connect(alice).transferFrom(alice.address, bob.address, missing))
        .to.be.revertedWithCustomError(f.rights, "ERC721NonexistentToken")
        .withArgs(missing);
    });

    it("ERC721IncorrectOwner when `from` is not the holder", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob, carol } = f.accounts;
      await expect(f.rights.connect(alice).transferFrom(carol.address, bob.address, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "ERC721IncorrectOwner")
        .withArgs(carol.address, f.tokenIds[0], alice.address);
      expect(await f.rights.ownerOf(f.tokenIds[0])).to.equal(alice.address);
    });

    it("ERC721InvalidReceiver for the zero address", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice } = f.accounts;
      await expect(f.rights.connect(alice).transferFrom(alice.address, ethers.ZeroAddress, f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("safeTransferFrom", function () {
    it("to an EOA, with and without data", async function () {
      const f = await loadFixture(unlockedFixture);
      const { rights } = f;
      const { alice, bob } = f.accounts;
      await expect(
        rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, bob.address, f.tokenIds[0])
      )
        .to.emit(rights, "Transfer")
        .withArgs(alice.address, bob.address, f.tokenIds[0]);
      await expect(
        rights
          .connect(alice)
          ["safeTransferFrom(address,address,uint256,bytes)"](alice.address, bob.address, f.tokenIds[1], "0x1234")
      )
        .to.emit(rights, "Transfer")
        .withArgs(alice.address, bob.address, f.tokenIds[1]);
      expect(await rights.balanceOf(bob.address)).to.equal(3n);
    });

    it("to a receiver contract: it is called with operator, from, tokenId and data", async function () {
      const f = await loadFixture(receiversFixture);
      const { rights } = f;
      const { alice, carol } = f.accounts;
      const to = await f.receivers.accepting.getAddress();
      await rights.connect(alice).setApprovalForAll(carol.address, true);
      const tx = rights
        .connect(carol)
        ["safeTransferFrom(address,address,uint256,bytes)"](alice.address, to, f.tokenIds[0], "0xcafe");
      await expect(tx).to.emit(rights, "Transfer").withArgs(alice.address, to, f.tokenIds[0]);
      await expect(tx)
        .to.emit(f.receivers.accepting, "Received")
        .withArgs(carol.address, alice.address, f.tokenIds[0], "0xcafe");
      expect(await rights.ownerOf(f.tokenIds[0])).to.equal(to);
      await expect(rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, to, f.tokenIds[1]))
        .to.emit(f.receivers.accepting, "Received")
        .withArgs(alice.address, alice.address, f.tokenIds[1], "0x");
    });

    it("to a receiver contract that is not a verified wallet: RecipientNotVerified", async function () {
      const f = await loadFixture(receiversFixture);
      const { alice } = f.accounts;
      const to = await f.receivers.unverified.getAddress();
      await expect(
        f.rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, to, f.tokenIds[0])
      )
        .to.be.revertedWithCustomError(f.rights, "RecipientNotVerified")
        .withArgs(to, LEVEL.REAL_NAME);
    });

    it("to a contract that is not a receiver: ERC721InvalidReceiver (plain transferFrom still works)", async function () {
      const f = await loadFixture(receiversFixture);
      const { alice } = f.accounts;
      const to = f.receivers.nonReceiver;
      await expect(
        f.rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, to, f.tokenIds[0])
      )
        .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
        .withArgs(to);
      await expect(f.rights.connect(alice).transferFrom(alice.address, to, f.tokenIds[0]))
        .to.emit(f.rights, "Transfer")
        .withArgs(alice.address, to, f.tokenIds[0]);
    });

    it("to a receiver that answers the wrong value or reverts without data: ERC721InvalidReceiver", async function () {
      const f = await loadFixture(receiversFixture);
      const { alice } = f.accounts;
      for (const mock of [f.receivers.wrongValue, f.receivers.silent]) {
        const to = await mock.getAddress();
        await expect(
          f.rights
            .connect(alice)
            ["safeTransferFrom(address,address,uint256,bytes)"](alice.address, to, f.tokenIds[0], "0x")
        )
          .to.be.revertedWithCustomError(f.rights, "ERC721InvalidReceiver")
          .withArgs(to);
      }
      expect(await f.rights.ownerOf(f.tokenIds[0])).to.equal(alice.address);
    });

    it("to a receiver that reverts with an error: the error bubbles up", async function () {
      const f = await loadFixture(receiversFixture);
      const { alice } = f.accounts;
      const to = await f.receivers.rejecting.getAddress();
      await expect(
        f.rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, to, f.tokenIds[0])
      )
        .to.be.revertedWithCustomError(f.receivers.rejecting, "ReceiverRejected")
        .withArgs(f.tokenIds[0]);
    });

    it("safeTransferFrom passes the same rules (holding period)", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, bob } = f.accounts;
      await expect(
        f.rights.connect(alice)["safeTransferFrom(address,address,uint256)"](alice.address, bob.address, f.tokenIds[0])
      )
        .to.be.revertedWithCustomError(f.rights, "HoldingPeriodActive")
        .withArgs(f.tokenIds[0], f.unlocksAt);
    });
  });

  describe("ERC-5192 locked", function () {
    it("true while the registry is paused", async function () {
      const f = await loadFixture(unlockedFixture);
      const { regulator } = f.accounts;
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      for (const id of f.tokenIds) expect(await f.rights.locked(id)).to.be.true;
      await f.rights.connect(regulator).unpause(REASON, EVIDENCE);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
    });

    it("true while the holder is no longer verified (suspended, revoked or expired identity)", async function () {
      const f = await loadFixture(unlockedFixture);
      const { regulator } = f.accounts;
      await f.identity.connect(regulator).suspendIdentity(f.ids.alice, code("review"));
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
      expect(await f.rights.locked(f.tokenIds[2])).to.be.false; // bob's
      await f.identity.connect(regulator).reinstateIdentity(f.ids.alice, code("cleared"));
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
      await f.identity.connect(regulator).revokeIdentity(f.ids.bob, code("fraud"));
      expect(await f.rights.locked(f.tokenIds[2])).to.be.true;
      await time.increaseTo(f.expiresAt);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
    });

    it("true during the holding period, false after", async function () {
      const f = await loadFixture(mintedFixture);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
      await time.increaseTo(f.unlocksAt - 10n);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
      await time.increaseTo(f.unlocksAt);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
    });

    it("true for a Locked-mode token at any time", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      expect(await f.rights.locked(f.lockedTokenId)).to.be.true;
      await time.increase(365 * DAY);
      expect(await f.rights.locked(f.lockedTokenId)).to.be.true;
    });

    it("true while the token is frozen", async function () {
      const f = await loadFixture(unlockedFixture);
      const { regulator } = f.accounts;
      await f.rights.connect(regulator).freezeToken(f.tokenIds[0], REASON, EVIDENCE);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
      expect(await f.rights.locked(f.tokenIds[1])).to.be.false;
      await f.rights.connect(regulator).unfreezeToken(f.tokenIds[0], REASON, EVIDENCE);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
    });

    it("true while the holder's wallet is frozen (for each of its tokens, not for others')", async function () {
      const f = await loadFixture(unlockedFixture);
      const { regulator, alice } = f.accounts;
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
      expect(await f.rights.locked(f.tokenIds[1])).to.be.true;
      expect(await f.rights.locked(f.tokenIds[2])).to.be.false;
      await f.rights.connect(regulator).unfreezeWallet(alice.address, REASON, EVIDENCE);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.false;
    });

    it("true again for the new holder after a transfer (its holding period)", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice, bob } = f.accounts;
      await f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]);
      expect(await f.rights.locked(f.tokenIds[0])).to.be.true;
    });

    it("reverts ERC721NonexistentToken for a missing or burned token", async function () {
      const f = await loadFixture(unlockedFixture);
      const missing = tokenIdOf(1, 99);
      await expect(f.rights.locked(missing))
        .to.be.revertedWithCustomError(f.rights, "ERC721NonexistentToken")
        .withArgs(missing);
      await f.rights.connect(f.accounts.regulator).takedown([f.tokenIds[0]], REASON, EVIDENCE);
      await expect(f.rights.locked(f.tokenIds[0]))
        .to.be.revertedWithCustomError(f.rights, "ERC721NonexistentToken")
        .withArgs(f.tokenIds[0]);
    });
  });
});

describe("CollectibleRights: checkTransfer (the pre-flight of a holder's transfer)", function () {
  it("returns when the transfer would pass", async function () {
    const f = await loadFixture(unlockedFixture);
    const { alice, bob } = f.accounts;
    await expect(f.rights.checkTransfer(alice.address, bob.address, f.tokenIds[0])).not.to.be.reverted;
    await f.rights.connect(alice).transferFrom(alice.address, bob.address, f.tokenIds[0]);
  });

  it("ERC721InvalidReceiver, then ERC721NonexistentToken, then the rules in order, then ERC721IncorrectOwner", async function () {
    const f = await loadFixture(mintedFixture);
    const { rights } = f;
    const { alice, bob, carol, regulator, outsider } = f.accounts;
    const [id] = f.tokenIds;
    const missing = tokenIdOf(1, 99);
    await expect(rights.checkTransfer(alice.address, ethers.ZeroAddress, missing))
      .to.be.revertedWithCustomError(rights, "ERC721InvalidReceiver")
      .withArgs(ethers.ZeroAddress);
    await expect(rights.checkTransfer(alice.address, bob.address, missing))
      .to.be.revertedWithCustomError(rights, "ERC721NonexistentToken")
      .withArgs(missing);
    // Within the holding period, with `from` wrong: the rule is reported first, as transferFrom would.
    await expect(rights.checkTransfer(carol.address, bob.address, id))
      .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
      .withArgs(id, f.unlocksAt);
    await expect(rights.connect(alice).transferFrom(carol.address, bob.address, id))
      .to.be.revertedWithCustomError(rights, "HoldingPeriodActive")
      .withArgs(id, f.unlocksAt);
    await expect(rights.checkTransfer(alice.address, outsider.address, id))
      .to.be.revertedWithCustomError(rights, "RecipientNotVerified")
      .withArgs(outsider.address, LEVEL.REAL_NAME);
    await rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
    await expect(rights.checkTransfer(alice.address, bob.address, id))
      .to.be.revertedWithCustomError(rights, "SenderFrozen")
      .withArgs(alice.address);
    await rights.connect(regulator).unfreezeWallet(alice.address, REASON, EVIDENCE);
    await time.increaseTo(f.unlocksAt);
    await expect(rights.checkTransfer(carol.address, bob.address, id))
      .to.be.revertedWithCustomError(rights, "ERC721IncorrectOwner")
      .withArgs(carol.address, id, alice.address);
    await expect(rights.connect(alice).transferFrom(carol.address, bob.address, id))
      .to.be.revertedWithCustomError(rights, "ERC721IncorrectOwner")
      .withArgs(carol.address, id, alice.address);
  });

  it("ignores approvals: a stranger's pre-flight answers for the holder", async function () {
    const f = await loadFixture(unlockedFixture);
    const { alice, bob, outsider } = f.accounts;
    await expect(f.rights.connect(outsider).checkTransfer(alice.address, bob.address, f.tokenIds[0])).not.to.be.reverted;
    await expect(f.rights.connect(outsider).transferFrom(alice.address, bob.address, f.tokenIds[0]))
      .to.be.revertedWithCustomError(f.rights, "ERC721InsufficientApproval")
      .withArgs(outsider.address, f.tokenIds[0]);
  });
});

/** {mintedFixture} plus collection 2 with no holding period, its edition 1 minted to alice (`zeroId`). */
async function rightsFixtureWithZeroHolding() {
  const f = await loadFixture(mintedFixture);
  const { issuer, alice } = f.accounts;
  const id = await createCollection(f, { seed: "no-holding", holdingPeriod: 0 });
  await f.rights.connect(issuer).mint(issuer.address, id, alice.address, req("zero-holding"));
  return { ...f, zeroId: tokenIdOf(id, 1) };
}
