import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DAY, LEVEL, RIGHTS, code } from "../fixtures";
import {
  EVIDENCE,
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

/** Collection 1 grants DISPLAY | PERSONAL_USE (3). */
const GRANTED = RIGHTS.DISPLAY | RIGHTS.PERSONAL_USE;

/** {mintedFixture} plus a licence from alice to carol over token 1: scope 3, 30 days. */
async function licensedFixture() {
  const f = await loadFixture(mintedFixture);
  const { alice, carol } = f.accounts;
  const expiresAt = BigInt(await time.latest()) + BigInt(30 * DAY);
  const grantedAt = await minedAt(
    f.rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, GRANTED, expiresAt)
  );
  return { ...f, licence: { tokenId: f.tokenIds[0], expiresAt, grantedAt } };
}

describe("CollectibleRights: licences", function () {
  describe("grantLicence", function () {
    it("the holder grants: LicenceGranted(tokenId, holder, licensee, scope, expiresAt) and licenceOf stores it", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { alice, carol } = f.accounts;
      const id = f.tokenIds[0];
      const expiresAt = BigInt(await time.latest()) + BigInt(7 * DAY);
      const tx = rights.connect(alice).grantLicence(id, carol.address, RIGHTS.DISPLAY, expiresAt);
      await expect(tx)
        .to.emit(rights, "LicenceGranted")
        .withArgs(id, alice.address, carol.address, RIGHTS.DISPLAY, expiresAt);
      const at = await minedAt(await tx);
      const l = await rights.licenceOf(id, carol.address);
      expect([l.scope, l.grantedAt, l.expiresAt, l.epoch]).to.deep.equal([BigInt(RIGHTS.DISPLAY), at, expiresAt, 1n]);
      // Ownership does not move.
      expect(await rights.ownerOf(id)).to.equal(alice.address);
    });

    it("may be granted during the holding period, over a Locked token, and to a licensee at a higher level", async function () {
      const f = await loadFixture(lockedCollectionFixture);
      const { rights } = f;
      const { alice, dave } = f.accounts;
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(rights.connect(alice).grantLicence(f.lockedTokenId, dave.address, 0x0f, expiresAt))
        .to.emit(rights, "LicenceGranted")
        .withArgs(f.lockedTokenId, alice.address, dave.address, 0x0f, expiresAt);
      expect(await rights.isLicensed(f.lockedTokenId, dave.address, RIGHTS.DERIVATIVES | RIGHTS.COMMERCIAL_USE)).to.be
        .true;
    });

    it("several licensees hold licences over the same token independently", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      await rights
        .connect(alice)
        .grantLicence(f.licence.tokenId, bob.address, RIGHTS.PERSONAL_USE, f.licence.expiresAt + 1n);
      expect(await rights.isLicensed(f.licence.tokenId, carol.address, GRANTED)).to.be.true;
      expect(await rights.isLicensed(f.licence.tokenId, bob.address, RIGHTS.PERSONAL_USE)).to.be.true;
      expect(await rights.isLicensed(f.licence.tokenId, bob.address, RIGHTS.DISPLAY)).to.be.false;
    });

    it("a new grant to the same licensee replaces the old one", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, carol } = f.accounts;
      const id = f.licence.tokenId;
      const newExpiry = f.licence.expiresAt + BigInt(DAY);
      const at = await minedAt(rights.connect(alice).grantLicence(id, carol.address, RIGHTS.PERSONAL_USE, newExpiry));
      const l = await rights.licenceOf(id, carol.address);
      expect([l.scope, l.grantedAt, l.expiresAt, l.epoch]).to.deep.equal([
        BigInt(RIGHTS.PERSONAL_USE),
        at,
        newExpiry,
        1n,
      ]);
      expect(await rights.isLicensed(id, carol.address, RIGHTS.PERSONAL_USE)).to.be.true;
      expect(await rights.isLicensed(id, carol.address, RIGHTS.DISPLAY)).to.be.false;
      expect(await rights.isLicensed(id, carol.address, GRANTED)).to.be.false;
      // A shorter term replaces a longer one too.
      await rights.connect(alice).grantLicence(id, carol.address, GRANTED, at + 100n);
      expect((await rights.licenceOf(id, carol.address)).expiresAt).to.equal(at + 100n);
    });

    it("LicenceCallerNotHolder for anyone but the holder (the approved address and operators included)", async function () {
      const f = await loadFixture(mintedFixture);
      const { rights } = f;
      const { alice, bob, carol, regulator, issuer } = f.accounts;
      const id = f.tokenIds[0];
      await rights.connect(alice).approve(bob.address, id);
      await rights.connect(alice).setApprovalForAll(carol.address, true);
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      for (const caller of [bob, carol, regulator, issuer]) {
        await expect(rights.connect(caller).grantLicence(id, carol.address, RIGHTS.DISPLAY, expiresAt))
          .to.be.revertedWithCustomError(rights, "LicenceCallerNotHolder")
          .withArgs(id, caller.address);
      }
    });

    it("ERC721NonexistentToken for a missing token", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol } = f.accounts;
      const missing = tokenIdOf(1, 9);
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(alice).grantLicence(missing, carol.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "ERC721NonexistentToken")
        .withArgs(missing);
    });

    it("RegistryIsPaused while paused", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "RegistryIsPaused")
        .withArgs();
    });

    it("SenderFrozen when the holder's wallet is frozen", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "SenderFrozen")
        .withArgs(alice.address);
    });

    it("TokenIsFrozen when the token is frozen", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).freezeToken(f.tokenIds[0], REASON, EVIDENCE);
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(alice).grantLicence(f.tokenIds[0], carol.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "TokenIsFrozen")
        .withArgs(f.tokenIds[0]);
      // Alice's other token is not frozen.
      await expect(
        f.rights.connect(alice).grantLicence(f.tokenIds[1], carol.address, RIGHTS.DISPLAY, expiresAt)
      ).to.emit(f.rights, "LicenceGranted");
    });

    it("LicenceScopeNotGranted(tokenId, scope, grantedRights) for scope 0 and for bits the collection does not grant", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol } = f.accounts;
      const id = f.tokenIds[0];
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      for (const scope of [0, RIGHTS.COMMERCIAL_USE, RIGHTS.DERIVATIVES, GRANTED | RIGHTS.COMMERCIAL_USE, 0x10, 0xff]) {
        await expect(f.rights.connect(alice).grantLicence(id, carol.address, scope, expiresAt))
          .to.be.revertedWithCustomError(f.rights, "LicenceScopeNotGranted")
          .withArgs(id, scope, GRANTED);
      }
    });

    it("LicenceInvalidExpiry for an expiry that is now or in the past; now + 1 is accepted", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, carol } = f.accounts;
      const id = f.tokenIds[0];
      const next = BigInt(await time.latest()) + 100n;
      await time.setNextBlockTimestamp(next);
      await expect(f.rights.connect(alice).grantLicence(id, carol.address, RIGHTS.DISPLAY, next))
        .to.be.revertedWithCustomError(f.rights, "LicenceInvalidExpiry")
        .withArgs(id, next);
      await expect(f.rights.connect(alice).grantLicence(id, carol.address, RIGHTS.DISPLAY, 1n))
        .to.be.revertedWithCustomError(f.rights, "LicenceInvalidExpiry")
        .withArgs(id, 1n);
      await expect(f.rights.connect(alice).grantLicence(id, carol.address, RIGHTS.DISPLAY, 0n))
        .to.be.revertedWithCustomError(f.rights, "LicenceInvalidExpiry")
        .withArgs(id, 0n);
      await time.setNextBlockTimestamp(next + 1000n);
      await expect(f.rights.connect(alice).grantLicence(id, carol.address, RIGHTS.DISPLAY, next + 1001n))
        .to.emit(f.rights, "LicenceGranted")
        .withArgs(id, alice.address, carol.address, RIGHTS.DISPLAY, next + 1001n);
    });

    it("LicenseeNotVerified for a licensee with no identity, or a suspended one", async function () {
      const f = await loadFixture(mintedFixture);
      const { alice, bob, outsider, regulator } = f.accounts;
      const id = f.tokenIds[0];
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(alice).grantLicence(id, outsider.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "LicenseeNotVerified")
        .withArgs(outsider.address, LEVEL.REAL_NAME);
      await f.identity.connect(regulator).suspendIdentity(f.ids.bob, code("review"));
      await expect(f.rights.connect(alice).grantLicence(id, bob.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "LicenseeNotVerified")
        .withArgs(bob.address, LEVEL.REAL_NAME);
    });

    it("LicenseeNotVerified for a licensee below the collection's minLevel", async function () {
      const f = await loadFixture(mintedFixture);
      const { issuer, dave, alice } = f.accounts;
      const cid = await createCollection(f, { seed: "l3", minLevel: LEVEL.ENTERPRISE });
      await f.rights.connect(issuer).mint(issuer.address, cid, dave.address, req("l3"));
      const expiresAt = BigInt(await time.latest()) + BigInt(DAY);
      await expect(f.rights.connect(dave).grantLicence(tokenIdOf(cid, 1), alice.address, RIGHTS.DISPLAY, expiresAt))
        .to.be.revertedWithCustomError(f.rights, "LicenseeNotVerified")
        .withArgs(alice.address, LEVEL.ENTERPRISE);
      await expect(
        f.rights.connect(dave).grantLicence(tokenIdOf(cid, 1), issuer.address, RIGHTS.DISPLAY, expiresAt)
      ).to.emit(f.rights, "LicenceGranted");
    });
  });

  describe("isLicensed", function () {
    it("true for every non-empty subset of the granted scope", async function () {
      const f = await loadFixture(licensedFixture);
      const { carol } = f.accounts;
      for (const scope of [RIGHTS.DISPLAY, RIGHTS.PERSONAL_USE, GRANTED]) {
        expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, scope), `scope ${scope}`).to.be.true;
      }
    });

    it("false for scope 0 and for any bit not granted", async function () {
      const f = await loadFixture(licensedFixture);
      const { carol } = f.accounts;
      for (const scope of [0, RIGHTS.COMMERCIAL_USE, RIGHTS.DERIVATIVES, GRANTED | RIGHTS.COMMERCIAL_USE, 0x0f, 0xff]) {
        expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, scope), `scope ${scope}`).to.be.false;
      }
    });

    it("false for other accounts, the holder included, and for other tokens", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, bob, carol } = f.accounts;
      expect(await f.rights.isLicensed(f.licence.tokenId, bob.address, RIGHTS.DISPLAY)).to.be.false;
      expect(await f.rights.isLicensed(f.licence.tokenId, alice.address, RIGHTS.DISPLAY)).to.be.false;
      expect(await f.rights.isLicensed(f.tokenIds[1], carol.address, RIGHTS.DISPLAY)).to.be.false;
      expect(await f.rights.isLicensed(tokenIdOf(1, 50), carol.address, RIGHTS.DISPLAY)).to.be.false;
    });

    it("true until expiresAt, false from expiresAt on", async function () {
      const f = await loadFixture(licensedFixture);
      const { carol } = f.accounts;
      await time.increaseTo(f.licence.expiresAt - 5n);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.true;
      await time.increaseTo(f.licence.expiresAt);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.false;
      // The stored record is kept as it was.
      expect((await f.rights.licenceOf(f.licence.tokenId, carol.address)).scope).to.equal(BigInt(GRANTED));
    });

    it("false once the token is transferred, even if it comes back to the same holder", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      const id = f.licence.tokenId;
      // A licence long enough to outlast the holding periods.
      await rights.connect(alice).grantLicence(id, carol.address, GRANTED, f.unlocksAt + BigInt(400 * DAY));
      await time.increaseTo(f.unlocksAt);
      await rights.connect(alice).transferFrom(alice.address, bob.address, id);
      expect(await rights.isLicensed(id, carol.address, RIGHTS.DISPLAY)).to.be.false;
      const l = await rights.licenceOf(id, carol.address);
      expect([l.scope, l.epoch]).to.deep.equal([BigInt(GRANTED), 1n]);
      await time.increase(180 * DAY);
      await rights.connect(bob).transferFrom(bob.address, alice.address, id);
      expect(await rights.isLicensed(id, carol.address, RIGHTS.DISPLAY)).to.be.false;
    });

    it("false once the token is moved by a forced transfer", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, bob, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).forcedTransfer(alice.address, bob.address, f.licence.tokenId, REASON, EVIDENCE);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.false;
    });

    it("a licence the new holder grants is in force (bound to the new epoch)", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, bob, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).forcedTransfer(alice.address, bob.address, f.licence.tokenId, REASON, EVIDENCE);
      await f.rights.connect(bob).grantLicence(f.licence.tokenId, carol.address, RIGHTS.DISPLAY, f.licence.expiresAt);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.true;
      expect((await f.rights.licenceOf(f.licence.tokenId, carol.address)).epoch).to.equal(2n);
    });

    it("stays in force while the token or the holder is frozen, or the registry paused (they stop movement, not use)", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).freezeToken(f.licence.tokenId, REASON, EVIDENCE);
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, GRANTED)).to.be.true;
    });

    it("false after takedown", async function () {
      const f = await loadFixture(licensedFixture);
      const { carol, regulator } = f.accounts;
      await f.rights.connect(regulator).takedown([f.licence.tokenId], REASON, EVIDENCE);
      expect(await f.rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.false;
    });
  });

  describe("revokeLicence", function () {
    it("the holder revokes: LicenceRevoked, isLicensed false, licenceOf cleared", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, carol } = f.accounts;
      await expect(rights.connect(alice).revokeLicence(f.licence.tokenId, carol.address))
        .to.emit(rights, "LicenceRevoked")
        .withArgs(f.licence.tokenId, alice.address, carol.address);
      expect(await rights.isLicensed(f.licence.tokenId, carol.address, RIGHTS.DISPLAY)).to.be.false;
      const l = await rights.licenceOf(f.licence.tokenId, carol.address);
      expect([l.scope, l.grantedAt, l.expiresAt, l.epoch]).to.deep.equal([0n, 0n, 0n, 0n]);
    });

    it("works while paused or frozen (revoking only narrows use)", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).pause(REASON, EVIDENCE);
      await f.rights.connect(regulator).freezeToken(f.licence.tokenId, REASON, EVIDENCE);
      await f.rights.connect(regulator).freezeWallet(alice.address, REASON, EVIDENCE);
      await expect(f.rights.connect(alice).revokeLicence(f.licence.tokenId, carol.address))
        .to.emit(f.rights, "LicenceRevoked")
        .withArgs(f.licence.tokenId, alice.address, carol.address);
    });

    it("LicenceNotFound when revoking twice, a licence never granted, or one that expired", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, bob, carol } = f.accounts;
      const id = f.licence.tokenId;
      await expect(rights.connect(alice).revokeLicence(id, bob.address))
        .to.be.revertedWithCustomError(rights, "LicenceNotFound")
        .withArgs(id, bob.address);
      await rights.connect(alice).grantLicence(id, bob.address, RIGHTS.DISPLAY, f.licence.expiresAt);
      await rights.connect(alice).revokeLicence(id, bob.address);
      await expect(rights.connect(alice).revokeLicence(id, bob.address))
        .to.be.revertedWithCustomError(rights, "LicenceNotFound")
        .withArgs(id, bob.address);
      await time.increaseTo(f.licence.expiresAt);
      await expect(rights.connect(alice).revokeLicence(id, carol.address))
        .to.be.revertedWithCustomError(rights, "LicenceNotFound")
        .withArgs(id, carol.address);
    });

    it("LicenceNotFound for the new holder once the token has moved (the old licence is already dead)", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, bob, carol, regulator } = f.accounts;
      await f.rights.connect(regulator).forcedTransfer(alice.address, bob.address, f.licence.tokenId, REASON, EVIDENCE);
      await expect(f.rights.connect(bob).revokeLicence(f.licence.tokenId, carol.address))
        .to.be.revertedWithCustomError(f.rights, "LicenceNotFound")
        .withArgs(f.licence.tokenId, carol.address);
    });

    it("LicenceCallerNotHolder for anyone but the holder, the licensee and the former holder included", async function () {
      const f = await loadFixture(licensedFixture);
      const { rights } = f;
      const { alice, bob, carol, regulator } = f.accounts;
      const id = f.licence.tokenId;
      for (const caller of [bob, carol, regulator]) {
        await expect(rights.connect(caller).revokeLicence(id, carol.address))
          .to.be.revertedWithCustomError(rights, "LicenceCallerNotHolder")
          .withArgs(id, caller.address);
      }
      await rights.connect(regulator).forcedTransfer(alice.address, bob.address, id, REASON, EVIDENCE);
      await expect(rights.connect(alice).revokeLicence(id, carol.address))
        .to.be.revertedWithCustomError(rights, "LicenceCallerNotHolder")
        .withArgs(id, alice.address);
    });

    it("ERC721NonexistentToken for a missing token", async function () {
      const f = await loadFixture(licensedFixture);
      const { alice, carol } = f.accounts;
      const missing = tokenIdOf(3, 1);
      await expect(f.rights.connect(alice).revokeLicence(missing, carol.address))
        .to.be.revertedWithCustomError(f.rights, "ERC721NonexistentToken")
        .withArgs(missing);
    });
  });

  describe("licenceOf", function () {
    it("returns the stored fields, zero for none", async function () {
      const f = await loadFixture(licensedFixture);
      const { carol, bob } = f.accounts;
      const l = await f.rights.licenceOf(f.licence.tokenId, carol.address);
      expect([l.scope, l.grantedAt, l.expiresAt, l.epoch]).to.deep.equal([
        BigInt(GRANTED),
        f.licence.grantedAt,
        f.licence.expiresAt,
        1n,
      ]);
      const none = await f.rights.licenceOf(f.licence.tokenId, bob.address);
      expect([none.scope, none.grantedAt, none.expiresAt, none.epoch]).to.deep.equal([0n, 0n, 0n, 0n]);
    });
  });

  describe("with an expired licensee identity", function () {
    it("LicenseeNotVerified once the licensee's identity has expired; an existing licence is unaffected", async function () {
      const f = await loadFixture(unlockedFixture);
      const { alice } = f.accounts;
      const [erin] = f.accounts.rest;
      const now = BigInt(await time.latest());
      await registerWallet(f, "erin", erin.address, LEVEL.REAL_NAME, now + BigInt(10 * DAY));
      const id = f.tokenIds[0];
      await f.rights.connect(alice).grantLicence(id, erin.address, RIGHTS.DISPLAY, now + BigInt(20 * DAY));
      await time.increaseTo(now + BigInt(10 * DAY));
      await expect(
        f.rights.connect(alice).grantLicence(f.tokenIds[1], erin.address, RIGHTS.DISPLAY, now + BigInt(20 * DAY))
      )
        .to.be.revertedWithCustomError(f.rights, "LicenseeNotVerified")
        .withArgs(erin.address, LEVEL.REAL_NAME);
      expect(await f.rights.isLicensed(id, erin.address, RIGHTS.DISPLAY)).to.be.true;
    });
  });
});
