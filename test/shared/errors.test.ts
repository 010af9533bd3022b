import { expect } from "chai";
import { CONTRACT_ERRORS } from "../../shared/contract-errors";
import { ERRORS, ErrorBody, GATEWAY_ERRORS, errorStatus, formatError, isErrorCode } from "../../shared/errors";

const placeholders = (t: string) => [...t.matchAll(/\{([A-Za-z0-9_]+)(?::[a-z]+)?\}/g)].map((m) => m[1]).sort();

describe("shared/errors: the one error catalogue", () => {
  it("gives every code an HTTP status and a Chinese and an English message with the same parameters", () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(code, code).to.match(/^[A-Z][A-Z0-9_]+$/);
      expect(spec.status, code).to.be.within(400, 599);
      expect(spec.en.length, code).to.be.greaterThan(5);
      expect(spec.zh.length, code).to.be.greaterThan(2);
      expect(placeholders(spec.zh), code).to.deep.equal(placeholders(spec.en));
      expect(/[\u4e00-\u9fff]/.test(spec.zh), `${code} zh is Chinese`).to.equal(true);
    }
  });

  it("maps every contract error into the catalogue, and a code means the same everywhere", () => {
    for (const [name, info] of Object.entries(CONTRACT_ERRORS)) {
      expect(isErrorCode(info.code), name).to.equal(true);
      const gateway = (GATEWAY_ERRORS as Record<string, { status: number }>)[info.code];
      if (gateway) expect(gateway.status, `${name} → ${info.code}`).to.be.a("number");
    }
  });

  it("fills named parameters in either language, formats levels and times, and never prints undefined", () => {
    expect(formatError("TOO_MANY_RECIPIENTS", { max: 1000, given: 1200 }, "en")).to.equal("At most 1000 recipients per request (1200 given).");
    expect(formatError("TOO_MANY_RECIPIENTS", { max: 1000, given: 1200 }, "zh")).to.equal("每次请求最多 1000 个接收方（收到 1200 个）。");
    expect(formatError("RECIPIENT_NOT_VERIFIED", { recipient: "0xabc", requiredLevel: 2 }, "en")).to.equal(
      "Recipient 0xabc is not a verified identity at level 2 (real-name individual).",
    );
    expect(formatError("RECIPIENT_NOT_VERIFIED", { recipient: "0xabc", requiredLevel: 2 }, "zh")).to.equal("接收方 0xabc 的实名认证未达到 2 级（实名认证个人）。");
    expect(formatError("HOLDING_PERIOD_ACTIVE", { tokenId: "7", unlocksAt: "1893456000" }, "en")).to.equal(
      "Token 7 is in its holding period until 2030-01-01T00:00:00.000Z.",
    );
    expect(formatError("TOO_MANY_RECIPIENTS", {}, "en")).to.equal("At most … recipients per request (… given).");
    expect(formatError("NO_SUCH_CODE", {}, "en")).to.equal("Internal error.");
    expect(errorStatus("NO_SUCH_CODE")).to.equal(500);
  });

  it("validates error bodies: only catalogued codes", () => {
    expect(ErrorBody.safeParse({ error: { code: "AUTH_MISSING", message: "m", params: {}, details: null } }).success).to.equal(true);
    expect(ErrorBody.safeParse({ error: { code: "MADE_UP", message: "m", params: {}, details: null } }).success).to.equal(false);
  });
});
