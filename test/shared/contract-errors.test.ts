import { expect } from "chai";
import { CollectibleRights__factory, EvidenceRegistry__factory, IdentityRegistry__factory } from "../../typechain-types";
import { CONTRACT_ERRORS, describeContractError } from "../../shared/contract-errors";

describe("shared/contract-errors", () => {
  const abiErrors = [IdentityRegistry__factory, CollectibleRights__factory, EvidenceRegistry__factory].flatMap((f) =>
    f.abi.filter((x) => x.type === "error").map((x) => x.name as string),
  );

  it("has a code, status and message for every custom error of the three contracts", () => {
    const missing = [...new Set(abiErrors)].filter((name) => !(name in CONTRACT_ERRORS));
    expect(missing).to.deep.equal([]);
  });

  it("gives stable codes, HTTP statuses and messages that name the arguments", () => {
    const d = describeContractError("RecipientNotVerified", ["0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", 2n]);
    expect(d).to.deep.equal({
      code: "RECIPIENT_NOT_VERIFIED",
      status: 422,
      message: "Recipient 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc is not a verified identity at level 2 (real-name individual).",
    });
    expect(describeContractError("SomethingElse", [])).to.include({ code: "CHAIN_REVERTED", status: 422 });
    for (const info of Object.values(CONTRACT_ERRORS)) {
      expect(info.code).to.match(/^[A-Z_]+$/);
      expect(info.status).to.be.within(400, 499);
    }
  });
});
