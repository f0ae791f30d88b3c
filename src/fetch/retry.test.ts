import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maxRetryWaitMs, parseRetryAfter, retryDelay } from "./retry.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");

  it("reads seconds and HTTP dates", () => {
    assert.equal(parseRetryAfter("1", now), 1000);
    assert.equal(parseRetryAfter(" 120 ", now), 120_000);
    assert.equal(parseRetryAfter("Wed, 01 May 2024 12:00:05 GMT", now), 5000);
  });

  it("turns a date in the past into no wait and ignores junk", () => {
    assert.equal(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now), 0);
    for (const junk of [undefined, "", "soon", "-5", "1.5", "Foo, 99 Bar 2024"])
      assert.equal(parseRetryAfter(junk, now), undefined);
  });
});

describe("retryDelay", () => {
  it("doubles the base per retry and adds at most one base of jitter", () => {
    assert.equal(
      retryDelay(0, 200, undefined, maxRetryWaitMs, () => 0),
      200,
    );
    assert.equal(
      retryDelay(2, 200, undefined, maxRetryWaitMs, () => 0),
      800,
    );
    assert.equal(
      retryDelay(2, 200, undefined, maxRetryWaitMs, () => 0.5),
      900,
    );
  });

  it("prefers Retry-After and caps every wait", () => {
    assert.equal(retryDelay(0, 200, 1000), 1000);
    assert.equal(retryDelay(0, 200, 3_600_000), maxRetryWaitMs);
    assert.equal(retryDelay(40, 200, undefined), maxRetryWaitMs);
  });
});
