import { expect } from "chai";
import { CollectibleRights__factory, EvidenceRegistry__factory, IdentityRegistry__factory } from "../../typechain-types";
import { CONTRACT_ERRORS, contractErrorInfo } from "../../shared/contract-errors";
import { formatError } from "../../shared/errors";

describe("shared/contract-errors", () => {
  const abiErrors = [IdentityRegistry__factory, CollectibleRights__factory, EvidenceRegistry__factory].flatMap((f) =>
    f.abi.filter((x) => x.type === "error").map((x) => ({ name: x.name as string, inputs: (x as unknown as { inputs: Array<{ name: string }> }).inputs.map((i) => i.name) })),
  );

  it("maps every custom error of the three contracts into the catalogue", () => {
    const missing = [...new Set(abiErrors.map((e) => e.name))].filter((name) => !contractErrorInfo(name));
    expect(missing).to.deep.equal([]);
  });

  it("names in its messages only arguments the error has (by ABI name)", () => {
    for (const e of abiErrors) {
      const info = contractErrorInfo(e.name)!;
      for (const text of [info.en, info.zh]) {
        const used = [...text.matchAll(/\{([A-Za-z0-9_]+)(?::[a-z]+)?\}/g)].map((m) => m[1]);
        for (const u of used) expect(e.inputs, `${e.name}: {${u}} in "${text}"`).to.include(u);
      }
    }
  });

  it("gives stable codes, 4xx statuses and messages that name the arguments", () => {
    expect(formatError(CONTRACT_ERRORS.RecipientNotVerified.code, { recipient: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", requiredLevel: "2" }, "en")).to.equal(
      "Recipient 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc is not a verified identity at level 2 (real-name individual).",
    );
    for (const info of Object.values(CONTRACT_ERRORS)) {
      expect(info.code).to.match(/^[A-Z_]+$/);
      expect(info.status).to.be.within(400, 499);
    }
  });
});
