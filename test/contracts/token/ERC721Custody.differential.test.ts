/**
 * Differential test: ERC721Custody (through ERC721CustodyMock) against OpenZeppelin 5's ERC721 (through
 * BaselineERC721), which expose the same entry points. fast-check generates random operation sequences —
 * mint, safeMint, burn, transferFrom, safeTransferFrom (to EOAs, receiver mocks that accept, answer wrongly,
 * revert with or without data, and a contract with no receiver function), approve, setApprovalForAll, and the
 * internal paths (_transfer, _safeTransfer, _burn, _approve with any auth, _update, _checkAuthorized) — sent
 * by random callers. Each operation runs on both: the return values (or revert data) must be equal, and so
 * must the events, by name and arguments (the token's own address aside). After each step every view
 * (ownerOf, balanceOf, getApproved, isApprovedForAll, tokenURI, supportsInterface) must agree too.
 * This is what "same external behaviour as OpenZeppelin 5" means. Tune with DIFF_RUNS / DIFF_MAX_OPS.
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Interface, type BaseContract, type Log } from "ethers";
import type { BaselineERC721, ERC721CustodyMock } from "../../../typechain-types";
import { callOutcome, type CallOutcome } from "../helpers/revert";

const NUM_RUNS = Number(process.env.DIFF_RUNS ?? 25);
const MAX_OPS = Number(process.env.DIFF_MAX_OPS ?? 30);
const TOKEN_IDS = [0n, 1n, 2n, 3n, 2n ** 256n - 1n];
const Behaviour = { Accept: 0, WrongValue: 1, RevertWithError: 2, RevertEmpty: 3 } as const;

async function differentialFixture() {
  const signers = await ethers.getSigners();
  const actors = signers.slice(0, 4);
  const custody = (await ethers.deployContract("ERC721CustodyMock")) as unknown as ERC721CustodyMock;
  const baseline = (await ethers.deployContract("BaselineERC721")) as unknown as BaselineERC721;
  const receivers = [];
  for (const b of Object.values(Behaviour)) receivers.push(await ethers.deployContract("ERC721ReceiverMock", [b]));
  // A contract without onERC721Received.
  const nonReceiver = await ethers.deployContract("ERC1271SignerMock", [actors[0].address]);
  const targets = [
    ...actors.map((a) => a.address),
    ...(await Promise.all(receivers.map((r) => r.getAddress()))),
    await nonReceiver.getAddress(),
    ethers.ZeroAddress,
  ];
  const logInterface = new Interface([
    ...custody.interface.fragments.filter((f) => f.type === "event"),
    ...receivers[0].interface.fragments.filter((f) => f.type === "event" || f.type === "error"),
  ]);
  return { custody, baseline, actors, targets, logInterface };
}
type Fixture = Awaited<ReturnType<typeof differentialFixture>>;

/**
 * Indices into the fixture's actors and targets, resolved when the operation runs. `byOwner` makes the
 * caller the token's owner (when an actor owns it), `fromOwner` makes `from` its owner and `existing` picks
 * a token that exists (except for mints), so that enough movements succeed; the rest exercise the errors.
 */
type Op = { byOwner: boolean; fromOwner: boolean; existing: boolean } & (
  | { kind: "mint" | "forceBurn" | "burn"; caller: number; to: number; id: number }
  | { kind: "safeMint"; caller: number; to: number; id: number; data: string }
  | { kind: "transferFrom" | "forceTransfer"; caller: number; from: number; to: number; id: number }
  | { kind: "safeTransferFrom" | "forceSafeTransfer"; caller: number; from: number; to: number; id: number; data: string | null }
  | { kind: "approve"; caller: number; to: number; id: number }
  | { kind: "approveAs"; caller: number; to: number; id: number; auth: number; emitEvent: boolean }
  | { kind: "setApprovalForAll"; caller: number; to: number; approved: boolean }
  | { kind: "update"; caller: number; to: number; id: number; auth: number }
  | { kind: "checkAuthorized"; caller: number; from: number; to: number; id: number }
);

const actor = fc.nat({ max: 3 });
const target = fc.oneof({ weight: 6, arbitrary: fc.nat({ max: 3 }) }, { weight: 3, arbitrary: fc.nat({ max: 9 }) });
const id = fc.nat({ max: TOKEN_IDS.length - 1 });
const data = fc.constantFrom("0x", "0x01", "0xdeadbeef");
const kindArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("mint" as const), caller: actor, to: target, id }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("safeMint" as const), caller: actor, to: target, id, data }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("burn" as const, "forceBurn" as const), caller: actor, to: target, id }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constantFrom("transferFrom" as const, "forceTransfer" as const), caller: actor, from: target, to: target, id }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom("safeTransferFrom" as const, "forceSafeTransfer" as const),
      caller: actor,
      from: target,
      to: target,
      id,
      data: fc.option(data, { nil: null }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("approve" as const), caller: actor, to: target, id }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("approveAs" as const), caller: actor, to: target, id, auth: target, emitEvent: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("setApprovalForAll" as const), caller: actor, to: target, approved: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("update" as const), caller: actor, to: target, id, auth: target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("checkAuthorized" as const), caller: actor, from: target, to: target, id }) },
);
const opArb: fc.Arbitrary<Op> = fc
  .tuple(kindArb, fc.nat({ max: 9 }), fc.nat({ max: 9 }), fc.nat({ max: 9 }))
  .map(([op, a, b, c]) => ({ ...op, byOwner: a < 8, fromOwner: b < 9, existing: c < 8 }) as Op);

/**
 * The contract call an operation makes, on either token (the two share these function signatures), given the
 * token's current owner (read from OpenZeppelin's side; the views of both are compared after every step).
 */
function call(f: Fixture, op: Op, owner: string | undefined): { fn: string; args: unknown[]; caller: HardhatEthersSigner } {
  const ownerIndex = owner === undefined ? -1 : f.targets.indexOf(owner);
  const t = (i: number) => f.targets[i];
  const tokenId = "id" in op ? TOKEN_IDS[op.id] : 0n;
  const caller = op.byOwner && ownerIndex >= 0 && ownerIndex < f.actors.length ? f.actors[ownerIndex] : f.actors[op.caller];
  if ("from" in op && op.fromOwner && ownerIndex >= 0) op = { ...op, from: ownerIndex };
  switch (op.kind) {
    case "mint":
      return { fn: "mint", args: [t(op.to), tokenId], caller };
    case "safeMint":
      return { fn: "safeMint", args: [t(op.to), tokenId, op.data], caller };
    case "burn":
    case "forceBurn":
      return { fn: op.kind, args: [tokenId], caller };
    case "transferFrom":
    case "forceTransfer":
      return { fn: op.kind, args: [t(op.from), t(op.to), tokenId], caller };
    case "safeTransferFrom":
      return op.data === null
        ? { fn: "safeTransferFrom(address,address,uint256)", args: [t(op.from), t(op.to), tokenId], caller }
        : { fn: "safeTransferFrom(address,address,uint256,bytes)", args: [t(op.from), t(op.to), tokenId, op.data], caller };
    case "forceSafeTransfer":
      return { fn: op.kind, args: [t(op.from), t(op.to), tokenId, op.data ?? "0x"], caller };
    case "approve":
      return { fn: "approve", args: [t(op.to), tokenId], caller };
    case "approveAs":
      return { fn: "approveAs", args: [t(op.to), tokenId, t(op.auth), op.emitEvent], caller };
    case "setApprovalForAll":
      return { fn: "setApprovalForAll", args: [t(op.to), op.approved], caller };
    case "update":
      return { fn: "update", args: [t(op.to), tokenId, t(op.auth)], caller };
    case "checkAuthorized":
      return { fn: "checkAuthorized", args: [t(op.from), t(op.to), tokenId], caller };
  }
}

const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x));

/** Events of a receipt by name and arguments, with the token's own address replaced by "token". */
function events(f: Fixture, logs: readonly Log[], token: string): string[] {
  return logs.map((l) => {
    const parsed = f.logInterface.parseLog(l);
    const emitter = l.address === token ? "token" : l.address;
    return `${emitter}:${parsed?.name ?? l.topics[0]}(${show(parsed ? [...parsed.args] : l.data)})`;
  });
}

let stepsRun = 0;
const outcomes = new Map<string, { ok: number; reverted: number; errors: Map<string, number> }>();

/** Runs one operation on both tokens and compares what they did. */
async function runBoth(f: Fixture, op: Op, trace: string[]) {
  if ("id" in op && op.existing && op.kind !== "mint" && op.kind !== "safeMint") {
    const owners = await Promise.all(TOKEN_IDS.map((t) => f.baseline.ownerOf(t).catch(() => undefined)));
    const existing = TOKEN_IDS.map((_, i) => i).filter((i) => owners[i] !== undefined);
    if (existing.length > 0) op = { ...op, id: existing[op.id % existing.length] };
  }
  const owner = "id" in op ? await f.baseline.ownerOf(TOKEN_IDS[op.id]).catch(() => undefined) : undefined;
  const a = call(f, op, owner);
  const b = a;
  const run = (token: BaseContract, c: typeof a) =>
    callOutcome(() => (token.connect(c.caller) as unknown as Record<string, { staticCall: (...x: unknown[]) => Promise<unknown> }>)[c.fn].staticCall(...c.args));
  const [ours, theirs]: CallOutcome[] = [await run(f.custody, a), await run(f.baseline, b)];
  trace.push(`${a.fn}(${show(a.args)}) by ${a.caller.address.slice(0, 8)} → ${ours.ok ? "ok" : ours.data}`);
  const o = outcomes.get(op.kind) ?? { ok: 0, reverted: 0, errors: new Map<string, number>() };
  outcomes.set(op.kind, o);
  expect(show(ours), `outcome of ${op.kind}; trace:\n  ${trace.join("\n  ")}`).to.equal(show(theirs));
  if (!ours.ok) {
    o.reverted++;
    const name = f.custody.interface.parseError(ours.data)?.name ?? f.logInterface.parseError(ours.data)?.name ?? ours.data;
    o.errors.set(name, (o.errors.get(name) ?? 0) + 1);
    return;
  }
  o.ok++;
  const send = async (token: BaseContract, c: typeof a) => {
    const tx = await (token.connect(c.caller) as unknown as Record<string, (...x: unknown[]) => Promise<{ wait(): Promise<{ logs: Log[] }> }>>)[c.fn](...c.args);
    return events(f, (await tx.wait()).logs, await token.getAddress());
  };
  if (op.kind === "checkAuthorized") return; // a view
  const [ourEvents, theirEvents] = [await send(f.custody, a), await send(f.baseline, b)];
  expect(ourEvents, `events of ${op.kind}; trace:\n  ${trace.join("\n  ")}`).to.deep.equal(theirEvents);
}

/** Every view of both tokens, over every token id, target and pair of actors. */
async function views(f: Fixture, token: ERC721CustodyMock | BaselineERC721): Promise<string> {
  const calls: Array<Promise<unknown>> = [];
  for (const tokenId of TOKEN_IDS) {
    calls.push(callOutcome(() => token.ownerOf(tokenId)));
    calls.push(callOutcome(() => token.getApproved(tokenId)));
    calls.push(callOutcome(() => token.tokenURI(tokenId)));
  }
  for (const t of f.targets) calls.push(callOutcome(() => token.balanceOf(t)));
  for (const owner of f.targets.slice(0, 4)) {
    for (const operator of f.targets) calls.push(token.isApprovedForAll(owner, operator));
  }
  return show(await Promise.all(calls));
}

describe("ERC721Custody behaves like OpenZeppelin 5's ERC721 (differential, fast-check)", function () {
  this.timeout(10 * 60_000);

  it("same return values, revert data, events and views over random operation sequences", async function () {
    // supportsInterface does not depend on state: once.
    const f0 = await loadFixture(differentialFixture);
    for (const iface of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0x780e9d63", "0x7965db0b", "0xffffffff"]) {
      expect(await f0.custody.supportsInterface(iface), iface).to.equal(await f0.baseline.supportsInterface(iface));
    }
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: MAX_OPS, size: "max" }), async (ops) => {
        const f = await loadFixture(differentialFixture);
        const trace: string[] = [];
        for (const op of ops) {
          stepsRun++;
          await runBoth(f, op, trace);
          expect(await views(f, f.custody), `views after ${op.kind}; trace:\n  ${trace.join("\n  ")}`).to.equal(
            await views(f, f.baseline),
          );
        }
      }),
      { numRuns: NUM_RUNS, verbose: 1 },
    );
    console.table(
      [...outcomes.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([op, o]) => ({
          op,
          ok: o.ok,
          reverted: o.reverted,
          errors: [...o.errors.entries()].map(([n, k]) => `${n}×${k}`).join(" "),
        })),
    );
    console.log(`    ${NUM_RUNS} runs, ${stepsRun} operations on each token`);
    // Not vacuous: movements and approvals succeeded as well as failed.
    for (const kind of ["mint", "safeMint", "transferFrom", "safeTransferFrom", "forceTransfer", "approve", "approveAs", "setApprovalForAll", "burn", "forceBurn"]) {
      expect(outcomes.get(kind)?.ok ?? 0, `successful ${kind}`).to.be.at.least(1);
    }
    expect(outcomes.get("transferFrom")?.reverted ?? 0, "reverted transferFrom").to.be.at.least(1);
  });
});
