import { expect } from "chai";
import type { AppError } from "../../server/errors";

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Awaits `p`, expecting it to reject with an AppError of `type` and `code`; returns the error. */
export async function rejection<T extends AppError>(p: Promise<unknown>, type: new (...a: never[]) => T, code: string): Promise<T> {
  const e = await caught(p);
  expect(e, "expected a rejection").to.be.instanceOf(type);
  expect((e as AppError).code).to.equal(code);
  return e as T;
}

/** Asserts that `p` rejects with an instance of `type` whose message matches `message`. */
export async function expectRejects(p: Promise<unknown>, type: new (...args: never[]) => Error, message?: RegExp): Promise<Error> {
  const e = await caught(p);
  expect(e, "expected a rejection").to.be.instanceOf(type);
  if (message) expect((e as Error).message).to.match(message);
  return e as Error;
}
