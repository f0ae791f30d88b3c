/** Fetch settings and result checks shared by the tests that fetch from a test server. */
import * as assert from "node:assert/strict";
import type { FetchResult, FetchSettings } from "../../src/fetch/types.js";

/** Fetch settings with short limits so failure paths finish quickly; timeout tests shorten them further. */
export const testSettings: FetchSettings = {
  connectTimeoutMs: 2000,
  headersTimeoutMs: 2000,
  bodyTimeoutMs: 2000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  retries: 0,
  concurrency: 8,
  perHostConcurrency: 8,
  userAgent: "newsark-test/1.0",
};

/** Narrows a result to ok, failing the test with the whole result otherwise. */
export function expectOk(result: FetchResult) {
  assert.equal(result.status, "ok", JSON.stringify(result));
  if (result.status !== "ok") throw new Error("unreachable");
  return result;
}

/** Narrows a result to an error of `kind`, failing the test otherwise. */
export function expectError(result: FetchResult, kind: string) {
  assert.equal(result.status, "error", JSON.stringify(result));
  if (result.status !== "error") throw new Error("unreachable");
  assert.equal(result.kind, kind, result.error);
  return result;
}
