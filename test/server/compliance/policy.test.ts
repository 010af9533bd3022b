import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { PolicyError, loadPolicy, parsePolicy, type Policy } from "../../../server/compliance/policy";
import { DEFAULT_POLICY_FILE } from "./helpers";

describe("server/compliance/policy", function () {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "compliance-policy-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  /** The default policy as plain data, for variations. */
  const raw = () => YAML.parse(require("node:fs").readFileSync(DEFAULT_POLICY_FILE, "utf8")) as Record<string, any>;

  const expectPolicyError = (fn: () => unknown, ...paths: string[]): PolicyError => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught, "expected a PolicyError").to.be.instanceOf(PolicyError);
    const err = caught as PolicyError;
    for (const p of paths) {
      expect(err.message).to.include(p);
      expect(err.issues.map((i) => i.path)).to.include(p);
    }
    return err;
  };

  it("policy/default.yaml is valid and has the pilot values", function () {
    const p: Policy = loadPolicy(DEFAULT_POLICY_FILE);
    expect(p.version).to.equal("2026-11-01");
    expect(p.transfer.minHoldingPeriodDays).to.be.at.least(180);
    expect(p.transfer.allowedModes).to.have.members(["Locked", "GiftToVerified"]);
    expect(p.transfer.minRecipientLevel).to.be.within(2, 4);
    expect(p.editions.maxPerCollection).to.equal(10_000);
    expect(p.media.maxBytes).to.equal(20 * 1024 * 1024);
    expect(p.media.allowedTypes).to.include.members([
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
      "video/mp4",
      "audio/mpeg",
      "model/gltf-binary",
    ]);
    expect(p.bannedTerms).to.include.members(["赌博", "gambling"]);
    expect(p.forbiddenMetadataKeys).to.include.members(["price", "currency", "amount", "cost", "fiat", "usd", "cny", "rmb", "eth", "价格", "售价", "币种"]);
    expect(p.quotas.perIssuerDaily.collections).to.be.at.most(p.quotas.perIssuerTotal.collections);
    expect(p.quotas.utcOffsetMinutes).to.equal(480);
  });

  it("loads the same policy from a .json file", function () {
    const data = raw();
    data.version = "2026-12-01-json";
    const p = loadPolicy(write("policy.json", JSON.stringify(data)));
    expect(p.version).to.equal("2026-12-01-json");
    expect(p.editions.maxPerCollection).to.equal(10_000);
    expect(p).to.deep.equal({ ...loadPolicy(DEFAULT_POLICY_FILE), version: "2026-12-01-json" });
  });

  it("accepts .yml and defaults quotas.utcOffsetMinutes to Beijing time", function () {
    const data = raw();
    delete data.quotas.utcOffsetMinutes;
    const p = loadPolicy(write("policy.yml", YAML.stringify(data)));
    expect(p.quotas.utcOffsetMinutes).to.equal(480);
  });

  it("names every bad field of a bad policy", function () {
    const data = raw();
    delete data.version;
    data.media.maxBytes = -5;
    data.transfer.allowedModes = ["Locked", "FreeTrading"];
    data.media.allowedTypes = ["image/png", "image/svg+xml"];
    data.editions.maxPerCollection = "10000";
    data.unexpected = true;
    data.media.maxSize = 1; // a typo of maxBytes
    const err = expectPolicyError(
      () => loadPolicy(write("bad.yaml", YAML.stringify(data))),
      "version",
      "media.maxBytes",
      "transfer.allowedModes.1",
      "media.allowedTypes.1",
      "editions.maxPerCollection",
      "media.maxSize",
    );
    expect(err.message).to.include("bad.yaml");
    expect(err.message).to.include("unexpected: unknown field");
    expect(err.issues.map((i) => i.path)).to.include("unexpected");
  });

  it("rejects a banned term or forbidden key that is empty once normalised", function () {
    const data = raw();
    data.bannedTerms = ["赌博", " - !! "];
    data.forbiddenMetadataKeys = ["price", ""];
    expectPolicyError(() => parsePolicy(data, "inline"), "bannedTerms.1", "forbiddenMetadataKeys.1");
  });

  it("rejects daily quotas above the total quotas", function () {
    const data = raw();
    data.quotas.perIssuerDaily.editions = data.quotas.perIssuerTotal.editions + 1;
    expectPolicyError(() => parsePolicy(data), "quotas.perIssuerDaily.editions");
  });

  it("reports malformed YAML/JSON, a missing file and an unknown extension with the file name", function () {
    expect(() => loadPolicy(write("broken.yaml", "version: [unclosed"))).to.throw(PolicyError, /broken\.yaml is not valid YAML/);
    expect(() => loadPolicy(write("broken.json", "{ nope"))).to.throw(PolicyError, /broken\.json is not valid JSON/);
    expect(() => loadPolicy(join(dir, "missing.yaml"))).to.throw(PolicyError, /cannot read .*missing\.yaml/);
    expect(() => loadPolicy(write("policy.toml", "version = 1"))).to.throw(PolicyError, /unsupported extension "\.toml"/);
  });
});
