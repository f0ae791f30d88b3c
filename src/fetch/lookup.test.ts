import * as assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { describe, it } from "node:test";
import { createLookup, ForbiddenAddressError, type Resolver } from "./lookup.js";
import { createAddressPolicy } from "./network-policy.js";

function fixed(addresses: LookupAddress[]): Resolver {
  return async () => addresses;
}

function call(
  lookup: ReturnType<typeof createLookup>,
  all: boolean,
): Promise<{
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number | undefined;
}> {
  return new Promise((resolve) =>
    lookup("news.example", { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("createLookup", () => {
  const strict = createAddressPolicy([]);

  it("refuses a name whose only addresses are private, with the address and reason", async () => {
    const { err } = await call(createLookup(fixed([{ address: "10.1.2.3", family: 4 }]), strict), false);
    if (!(err instanceof ForbiddenAddressError)) return assert.fail(`expected a refusal, got ${String(err)}`);
    assert.equal(err.address, "10.1.2.3");
    assert.equal(err.reason, "private network");
  });

  it("drops refused addresses and keeps allowed ones, in both the single and the all form", async () => {
    const lookup = createLookup(
      fixed([
        { address: "::1", family: 6 },
        { address: "93.184.216.34", family: 4 },
      ]),
      strict,
    );
    const single = await call(lookup, false);
    assert.equal(single.err, null);
    assert.equal(single.address, "93.184.216.34");
    assert.equal(single.family, 4);
    const all = await call(lookup, true);
    assert.deepEqual(all.address, [{ address: "93.184.216.34", family: 4 }]);
  });

  it("checks every resolution afresh, so a name that rebinds to a private address is refused", async () => {
    let answer = "93.184.216.34";
    const lookup = createLookup(async () => [{ address: answer, family: 4 }], strict);
    assert.equal((await call(lookup, false)).err, null);
    answer = "169.254.169.254";
    assert.ok((await call(lookup, false)).err instanceof ForbiddenAddressError);
  });

  it("passes resolver errors on and resolves freely without a policy", async () => {
    const failing = createLookup(async () => {
      throw Object.assign(new Error("getaddrinfo EAI_AGAIN news.example"), { code: "EAI_AGAIN" });
    });
    assert.equal((await call(failing, false)).err?.code, "EAI_AGAIN");
    const open = createLookup(fixed([{ address: "127.0.0.1", family: 4 }]));
    assert.equal((await call(open, false)).address, "127.0.0.1");
    const empty = createLookup(fixed([]));
    assert.equal((await call(empty, false)).err?.code, "ENOTFOUND");
  });
});
