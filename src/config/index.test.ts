import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { configFromObject, loadConfig } from "./index.js";

const ok = { sources: [{ id: "voa", name: "美国之音", url: "https://x.test/f.xml" }] };

function fails(raw: unknown, pattern: RegExp) {
  assert.throws(
    () => configFromObject(raw, "/a", "newsark.yaml"),
    (err: unknown) => err instanceof NewsarkError && pattern.test(err.message) && !err.message.includes("\n"),
  );
}

test("CF-01: defaults fill what the file leaves out", () => {
  const c = configFromObject(ok, "/a");
  assert.equal(c.timezone, "Asia/Shanghai");
  assert.equal(c.listSize, 300);
  assert.equal(c.fetch.maxBytes, 20 * 1024 * 1024);
  assert.equal(c.fetch.maxRedirects, 5);
  assert.equal(c.sources[0]?.images, "keep");
});

test("CF-02: sizes and durations read human units", () => {
  const c = configFromObject(
    { ...ok, fetch: { maxBytes: "5MB", timeout: { connect: "500ms", body: "2m" } } },
    "/a",
  );
  assert.equal(c.fetch.maxBytes, 5 * 1024 * 1024);
  assert.equal(c.fetch.connectTimeoutMs, 500);
  assert.equal(c.fetch.bodyTimeoutMs, 120_000);
});

test("CF-03: each mistake is one line naming the field", () => {
  fails({}, /sources: expected a non-empty list/);
  fails({ sources: [{ id: "Voa", name: "x", url: "a" }] }, /sources\[0\]\.id: 'Voa'/);
  fails({ sources: [{ id: "con", name: "x", url: "a" }] }, /sources\[0\]\.id/);
  fails({ sources: [ok.sources[0], ok.sources[0]] }, /sources\[1\]\.id: 'voa' is used twice/);
  fails({ sources: [{ id: "a", name: "a/b", url: "a" }] }, /sources\[0\]\.name/);
  fails({ sources: [{ id: "a", name: "..", url: "a" }] }, /sources\[0\]\.name/);
  fails({ sources: [{ id: "a", name: "A", url: "ftp://x" }] }, /sources\[0\]\.url: 'ftp:\/\/x'/);
  fails({ sources: [{ id: "a", name: "A", url: "a", images: "yes" }] }, /sources\[0\]\.images/);
  fails({ sources: [{ id: "a", name: "A", url: "a", fulltext: 3 }] }, /sources\[0\]\.fulltext/);
  fails({ sources: [{ id: "a", name: "A", url: "a", exclude: { categories: "(" } }] }, /exclude\.categories/);
  fails({ ...ok, timezone: "Mars/Base" }, /timezone: 'Mars\/Base'/);
  fails({ ...ok, fetch: { timeout: { connect: "soon" } } }, /fetch\.timeout\.connect/);
  fails({ ...ok, allowNetworks: ["10.0.0.0/99"] }, /allowNetworks\[0\]/);
});

test("CF-04: YAML syntax errors give the file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "newsark-config-"));
  try {
    writeFileSync(join(dir, "newsark.yaml"), "sources:\n  - id: a\n   name: [\n");
    assert.throws(() => loadConfig(dir), /newsark\.yaml:\d+: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
