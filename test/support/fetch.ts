/** Fetch settings and result checks shared by the tests that fetch from a test server. */
import * as assert from "node:assert/strict";
import type { FetchResult, FetchSettings } from "../../src/fetch/types.js";

/**
 * Fetch settings for tests: no retries; timeouts far above any loopback answer even on a loaded machine,
 * so success never depends on timing (timeout tests set their own short limits against silent servers).
 */
export const testSettings: FetchSettings = {
  connectTimeoutMs: 15_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
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
