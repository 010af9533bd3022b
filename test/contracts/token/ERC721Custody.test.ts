import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { minedAt } from "./rightsFixtures";

/**
 * ERC721Custody on its own, through contracts/test/ERC721CustodyMock.sol (no rule hook, internals exposed).
 * The rule-checked behaviour through CollectibleRights is in the CollectibleRights.*.test.ts files.
 */
async function custodyFixture() {
  const [owner, approved, operator, other, recipient] = await ethers.getSigners();
  const token = await ethers.deployContract("ERC721CustodyMock");
  await token.waitForDeployment();
  await (await token.mint(owner.address, 1n)).wait();
  await (await token.mint(owner.address, 2n)).wait();
  const receiver = await ethers.deployContract("ERC721ReceiverMock", [0]);
  await receiver.waitForDeployment();
  const wrongReceiver = await ethers.deployContract("ERC721ReceiverMock", [1]);
  await wrongReceiver.waitForDeployment();
  return { token, receiver, wrongReceiver, owner, approved, operator, other, recipient };
}

describe("ERC721Custody (base, through ERC721CustodyMock)", function () {
  it("name, symbol and ERC-165 (ERC-165, ERC-721, ERC-721 Metadata only)", async function () {
    const { token } = await loadFixture(custodyFixture);
    expect(await token.name()).to.equal("Custody Mock");
    expect(await token.symbol()).to.equal("CUST");
    expect(await token.tokenURI(1n)).to.equal("");
    for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f"]) expect(await token.supportsInterface(id)).to.be.true;
    for (const id of ["0x2a55205a", "0xb45a3c0e", "0x7965db0b", "0xffffffff"])
      expect(await token.supportsInterface(id)).to.be.false;
  });

  describe("mint", function () {
    it("emits Transfer from zero, counts the balance and packs owner, acquiredAt, epoch 1, not frozen", async function () {
      const { token, other } = await loadFixture(custodyFixture);
      const tx = token.mint(other.address, 7n);
      await expect(tx).to.emit(token, "Transfer").withArgs(ethers.ZeroAddress, other.address, 7n);
      const at = await minedAt(await tx);
      const r = await token.tokenRecord(7n);
      expect([r.owner, r.acquiredAt, r.epoch, r.frozen]).to.deep.equal([other.address, at, 1n, false]);
      expect(await token.balanceOf(other.address)).to.equal(1n);
      expect(await token.ownerOf(7n)).to.equal(other.address);
    });

    it("ERC721InvalidSender(0) for an existing token; ERC721InvalidReceiver(0) for the zero address", async function () {
      const { token, other } = await loadFixture(custodyFixture);
      await expect(token.mint(other.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidSender")
        .withArgs(ethers.ZeroAddress);
      await expect(token.mint(ethers.ZeroAddress, 9n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("transferFrom (base _update with auth = caller)", function () {
    it("by the owner, an approved address or an operator; clears the approval; epoch + 1", async function () {
      const { token, owner, approved, operator, recipient } = await loadFixture(custodyFixture);
      await token.connect(owner).approve(approved.address, 1n);
      await expect(token.connect(approved).transferFrom(owner.address, recipient.address, 1n))
        .to.emit(token, "Transfer")
        .withArgs(owner.address, recipient.address, 1n);
      expect(await token.getApproved(1n)).to.equal(ethers.ZeroAddress);
      expect((await token.tokenRecord(1n)).epoch).to.equal(2n);

      await token.connect(owner).setApprovalForAll(operator.address, true);
      await token.connect(operator).transferFrom(owner.address, recipient.address, 2n);
      await token.connect(recipient).transferFrom(recipient.address, owner.address, 2n);
      expect(await token.balanceOf(owner.address)).to.equal(1n);
      expect(await token.balanceOf(recipient.address)).to.equal(1n);
      expect((await token.tokenRecord(2n)).epoch).to.equal(3n);
    });

    it("ERC721InsufficientApproval, ERC721NonexistentToken, ERC721IncorrectOwner, ERC721InvalidReceiver", async function () {
      const { token, owner, other, recipient } = await loadFixture(custodyFixture);
      await expect(token.connect(other).transferFrom(owner.address, other.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InsufficientApproval")
        .withArgs(other.address, 1n);
      await expect(token.connect(owner).transferFrom(owner.address, other.address, 99n))
        .to.be.revertedWithCustomError(token, "ERC721NonexistentToken")
        .withArgs(99n);
      await expect(token.connect(owner).transferFrom(recipient.address, other.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC721IncorrectOwner")
        .withArgs(recipient.address, 1n, owner.address);
      await expect(token.connect(owner).transferFrom(owner.address, ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("a token's frozen flag and an account's frozen flag are data only here, kept across transfers, beside the balance", async function () {
      const { token, owner, recipient } = await loadFixture(custodyFixture);
      await token.setTokenFrozen(1n, true);
      await token.setAccountFrozen(recipient.address, true);
      await token.connect(owner).transferFrom(owner.address, recipient.address, 1n);
      const r = await token.tokenRecord(1n);
      expect([r.owner, r.frozen]).to.deep.equal([recipient.address, true]);
      expect(await token.isAccountFrozen(recipient.address)).to.be.true;
      expect(await token.balanceOf(recipient.address)).to.equal(1n);
      await token.setAccountFrozen(recipient.address, false);
      expect(await token.balanceOf(recipient.address)).to.equal(1n);
      expect(await token.isAccountFrozen(recipient.address)).to.be.false;
    });
  });

  describe("_update and _checkAuthorized directly", function () {
    it("_update with auth zero moves without an authorisation check; with auth it checks", async function () {
      const { token, owner, other } = await loadFixture(custodyFixture);
      await expect(token.connect(other).update(other.address, 1n, other.address))
        .to.be.revertedWithCustomError(token, "ERC721InsufficientApproval")
        .withArgs(other.address, 1n);
      await expect(token.connect(other).update(other.address, 1n, ethers.ZeroAddress))
        .to.emit(token, "Transfer")
        .withArgs(owner.address, other.address, 1n);
      expect(await token.update.staticCall(owner.address, 1n, ethers.ZeroAddress)).to.equal(other.address);
    });

    it("_checkAuthorized refuses the zero spender: ERC721InsufficientApproval, or ERC721NonexistentToken with no owner", async function () {
      const { token, owner, approved } = await loadFixture(custodyFixture);
      await expect(token.checkAuthorized(owner.address, ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InsufficientApproval")
        .withArgs(ethers.ZeroAddress, 1n);
      await expect(token.checkAuthorized(ethers.ZeroAddress, ethers.ZeroAddress, 5n))
        .to.be.revertedWithCustomError(token, "ERC721NonexistentToken")
        .withArgs(5n);
      await expect(token.checkAuthorized(owner.address, owner.address, 1n)).not.to.be.reverted;
      await expect(token.checkAuthorized(owner.address, approved.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InsufficientApproval")
        .withArgs(approved.address, 1n);
      await token.connect(owner).approve(approved.address, 1n);
      await expect(token.checkAuthorized(owner.address, approved.address, 1n)).not.to.be.reverted;
    });
  });

  describe("burn (_update to zero)", function () {
    it("emits Transfer to zero, lowers the balance, clears owner, approval and frozen flag, bumps the epoch", async function () {
      const { token, owner, approved } = await loadFixture(custodyFixture);
      await token.connect(owner).approve(approved.address, 1n);
      await token.setTokenFrozen(1n, true);
      const tx = token.connect(owner).burn(1n);
      await expect(tx).to.emit(token, "Transfer").withArgs(owner.address, ethers.ZeroAddress, 1n);
      const at = await minedAt(await tx);
      const r = await token.tokenRecord(1n);
      expect([r.owner, r.acquiredAt, r.epoch, r.frozen]).to.deep.equal([ethers.ZeroAddress, at, 2n, false]);
      expect(await token.balanceOf(owner.address)).to.equal(1n);
      await expect(token.ownerOf(1n)).to.be.revertedWithCustomError(token, "ERC721NonexistentToken").withArgs(1n);
      await expect(token.getApproved(1n)).to.be.revertedWithCustomError(token, "ERC721NonexistentToken").withArgs(1n);
      // Re-minting a burned id is possible in the base (CollectibleRights never reuses serials).
      await expect(token.mint(approved.address, 1n))
        .to.emit(token, "Transfer")
        .withArgs(ethers.ZeroAddress, approved.address, 1n);
      expect((await token.tokenRecord(1n)).epoch).to.equal(3n);
    });

    it("ERC721InsufficientApproval for a caller that may not move the token", async function () {
      const { token, other } = await loadFixture(custodyFixture);
      await expect(token.connect(other).burn(1n))
        .to.be.revertedWithCustomError(token, "ERC721InsufficientApproval")
        .withArgs(other.address, 1n);
    });
  });

  describe("approvals", function () {
    it("approve, getApproved, setApprovalForAll, isApprovedForAll and their errors", async function () {
      const { token, owner, approved, operator, other } = await loadFixture(custodyFixture);
      await expect(token.connect(owner).approve(approved.address, 1n))
        .to.emit(token, "Approval")
        .withArgs(owner.address, approved.address, 1n);
      expect(await token.getApproved(1n)).to.equal(approved.address);
      await expect(token.connect(other).approve(other.address, 1n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidApprover")
        .withArgs(other.address);
      await expect(token.connect(owner).approve(other.address, 42n))
        .to.be.revertedWithCustomError(token, "ERC721NonexistentToken")
        .withArgs(42n);
      await expect(token.connect(owner).setApprovalForAll(operator.address, true))
        .to.emit(token, "ApprovalForAll")
        .withArgs(owner.address, operator.address, true);
      expect(await token.isApprovedForAll(owner.address, operator.address)).to.be.true;
      expect(await token.isApprovedForAll(operator.address, owner.address)).to.be.false;
      await expect(token.connect(operator).approve(other.address, 2n))
        .to.emit(token, "Approval")
        .withArgs(owner.address, other.address, 2n);
      await expect(token.connect(owner).setApprovalForAll(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(token, "ERC721InvalidOperator")
        .withArgs(ethers.ZeroAddress);
    });

    it("balanceOf(0) reverts ERC721InvalidOwner", async function () {
      const { token } = await loadFixture(custodyFixture);
      await expect(token.balanceOf(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(token, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("safeTransferFrom", function () {
    it("calls onERC721Received on a contract and accepts its selector; refuses a wrong answer", async function () {
      const { token, owner, receiver, wrongReceiver } = await loadFixture(custodyFixture);
      const to = await receiver.getAddress();
      await expect(
        token.connect(owner)["safeTransferFrom(address,address,uint256,bytes)"](owner.address, to, 1n, "0x01")
      )
        .to.emit(receiver, "Received")
        .withArgs(owner.address, owner.address, 1n, "0x01");
      const wrong = await wrongReceiver.getAddress();
      await expect(token.connect(owner)["safeTransferFrom(address,address,uint256)"](owner.address, wrong, 2n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidReceiver")
        .withArgs(wrong);
    });
  });

  describe("OpenZeppelin 5's internal vocabulary", function () {
    it("_transfer moves without an authorisation check; ERC721InvalidReceiver, ERC721NonexistentToken, ERC721IncorrectOwner", async function () {
      const { token, owner, other, recipient } = await loadFixture(custodyFixture);
      await expect(token.connect(other).forceTransfer(owner.address, recipient.address, 1n))
        .to.emit(token, "Transfer")
        .withArgs(owner.address, recipient.address, 1n);
      await expect(token.forceTransfer(owner.address, ethers.ZeroAddress, 2n))
        .to.be.revertedWithCustomError(token, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(token.forceTransfer(owner.address, other.address, 9n))
        .to.be.revertedWithCustomError(token, "ERC721NonexistentToken")
        .withArgs(9n);
      await expect(token.forceTransfer(other.address, recipient.address, 2n))
        .to.be.revertedWithCustomError(token, "ERC721IncorrectOwner")
        .withArgs(other.address, 2n, owner.address);
    });

    it("_burn burns without an authorisation check; ERC721NonexistentToken for a missing token", async function () {
      const { token, owner, other } = await loadFixture(custodyFixture);
      await expect(token.connect(other).forceBurn(1n)).to.emit(token, "Transfer").withArgs(owner.address, ethers.ZeroAddress, 1n);
      await expect(token.forceBurn(1n)).to.be.revertedWithCustomError(token, "ERC721NonexistentToken").withArgs(1n);
    });

    it("_safeMint and _safeTransfer ask the receiver; a wrong answer reverts ERC721InvalidReceiver", async function () {
      const { token, owner, receiver, wrongReceiver } = await loadFixture(custodyFixture);
      const to = await receiver.getAddress();
      await expect(token.connect(owner).safeMint(to, 5n, "0xbeef"))
        .to.emit(receiver, "Received")
        .withArgs(owner.address, ethers.ZeroAddress, 5n, "0xbeef");
      await expect(token.connect(owner).forceSafeTransfer(owner.address, to, 1n, "0x"))
        .to.emit(receiver, "Received")
        .withArgs(owner.address, owner.address, 1n, "0x");
      const wrong = await wrongReceiver.getAddress();
      await expect(token.safeMint(wrong, 6n, "0x")).to.be.revertedWithCustomError(token, "ERC721InvalidReceiver").withArgs(wrong);
    });

    it("_approve with a zero auth skips the approver check (and, with no event, the owner lookup), as OZ 5", async function () {
      const { token, owner, other, recipient } = await loadFixture(custodyFixture);
      await expect(token.connect(other).approveAs(recipient.address, 1n, ethers.ZeroAddress, true))
        .to.emit(token, "Approval")
        .withArgs(owner.address, recipient.address, 1n);
      expect(await token.getApproved(1n)).to.equal(recipient.address);
      await expect(token.approveAs(other.address, 1n, ethers.ZeroAddress, false)).not.to.emit(token, "Approval");
      expect(await token.getApproved(1n)).to.equal(other.address);
      // No owner lookup at all: even a token that does not exist is accepted (OZ does the same).
      await expect(token.approveAs(other.address, 99n, ethers.ZeroAddress, false)).not.to.be.reverted;
      await expect(token.approveAs(other.address, 99n, ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(token, "ERC721NonexistentToken")
        .withArgs(99n);
      await expect(token.approveAs(other.address, 1n, recipient.address, false))
        .to.be.revertedWithCustomError(token, "ERC721InvalidApprover")
        .withArgs(recipient.address);
    });
  });
});
