import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { configFromObject, loadConfig } from "./index.js";
import { TOP_LEVEL_KEYS } from "./keys.js";
import { lineOfField } from "./locate.js";

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
  fails({ sources: [{ id: "v/oa", name: "x", url: "a" }] }, /sources\[0\]\.id: 'v\/oa'/);
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

/** Writes `yaml` as newsark.yaml in a temp folder and returns what loading it throws. */
function loadError(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "newsark-config-"));
  try {
    writeFileSync(join(dir, "newsark.yaml"), yaml);
    loadConfig(dir);
  } catch (err) {
    assert.ok(err instanceof NewsarkError && err.code === "config", String(err));
    return err.message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.fail("the config loaded");
}

test("CF-05: an unknown key is an error naming its path, with the key it most likely meant", () => {
  const source = ok.sources[0];
  fails({ ...ok, timezon: "UTC" }, /newsark\.yaml: timezon: unknown key \(did you mean 'timezone'\?\)/);
  fails(
    { sources: [source, { ...source, id: "b", name: "B", imgaes: "archive" }] },
    /sources\[1\]\.imgaes: .*'images'/,
  );
  fails({ ...ok, fetch: { timeout: { conect: "1s" } } }, /fetch\.timeout\.conect: .*'connect'/);
  fails({ ...ok, fetch: { PerHost: 2 } }, /fetch\.PerHost: .*'perHost'/);
  fails({ ...ok, images: { maxperrun: 3 } }, /images\.maxperrun: .*'maxPerRun'/);
  fails(
    { sources: [{ ...source, fulltext: { selecter: "p" } }] },
    /sources\[0\]\.fulltext\.selecter: .*'selector'/,
  );
  fails(
    { sources: [{ ...source, exclude: { category: "x" } }] },
    /sources\[0\]\.exclude\.category: .*'categories'/,
  );
  fails({ ...ok, zzzzzz: 1 }, /zzzzzz: unknown key \(known: timezone, listSize/);
});

test("CF-06: sections read by other modules are known top-level keys", () => {
  for (const key of ["media", "publish", "site"]) assert.ok(TOP_LEVEL_KEYS.includes(key), key);
  assert.doesNotThrow(() => configFromObject({ ...ok, media: { store: "repo" }, site: {} }, "/a"));
});

test("CF-07: a config error read from the file names its line", () => {
  const yaml = [
    "timezone: Asia/Shanghai",
    "sources:",
    "  - { id: voa, name: 美国之音, url: a.xml }",
    "  - id: bbc",
    "    name: BBC",
    "    url: b.xml",
    "    imgaes: archive",
    "",
  ].join("\n");
  assert.match(
    loadError(yaml),
    /\/newsark\.yaml:7: sources\[1\]\.imgaes: unknown key \(did you mean 'images'\?\)$/,
  );
  assert.match(
    loadError("sources:\n  - { id: a, name: A, url: a.xml, imgaes: x }\n"),
    /newsark\.yaml:2: sources\[0\]\.imgaes/,
  );
  assert.match(
    loadError("listSize: -1\nsources: [{ id: a, name: A, url: a }]\n"),
    /newsark\.yaml:1: listSize: /,
  );
  // A missing field points at the entry that lacks it.
  assert.match(
    loadError("sources:\n  - id: a\n    name: A\n  - id: b\n    name: B\n"),
    /newsark\.yaml:2: sources\[0\]\.url: /,
  );
  assert.equal(lineOfField("a: 1\nb:\n  - x\n  - { c: 2 }\n", "b[1].c"), 4);
  assert.equal(lineOfField("a: [", "a"), undefined);
});

test("CF-08: a name too long for a file name is refused before any run writes", () => {
  const name = "新".repeat(84); // 252 bytes: lists/<name>.md is 255
  assert.doesNotThrow(() => configFromObject({ sources: [{ ...ok.sources[0], name }] }, "/a"));
  fails(
    { sources: [{ ...ok.sources[0], name: `${name}a` }] },
    /sources\[0\]\.name: .*256 bytes, over the 255-byte/,
  );
  fails({ sources: [{ ...ok.sources[0], name: "a".repeat(300) }] }, /sources\[0\]\.name: .*too long/);
});

test("CF-09: legacy ids with capitals are accepted; ids and names that differ only in case are warned about", () => {
  const c = configFromObject(
    {
      sources: [
        { id: "BBC", name: "BBC 中文 2020", url: "a" },
        { id: "bbc", name: "BBC 中文", url: "b" },
        { id: "dw", name: "DW", url: "c" },
        { id: "dw2", name: "dw", url: "d" },
      ],
    },
    "/a",
  );
  assert.deepEqual(
    c.sources.map((s) => s.id),
    ["BBC", "bbc", "dw", "dw2"],
  );
  assert.equal(c.warnings?.length, 2, JSON.stringify(c.warnings));
  assert.match(
    c.warnings?.[0] ?? "",
    /^newsark\.yaml: sources\[1\]\.id: 'bbc' and sources\[0\]\.id 'BBC' differ only in case/,
  );
  assert.match(c.warnings?.[1] ?? "", /sources\[3\]\.name: 'dw' and sources\[2\]\.name 'DW'/);
  assert.deepEqual(configFromObject(ok, "/a").warnings, []);
});

test("CF-10: names that differ only in Unicode normalization, and unsafe ids, are errors", () => {
  const source = ok.sources[0];
  fails(
    {
      sources: [
        { ...source, name: "Caf\u00e9" },
        { ...source, id: "b", name: "Cafe\u0301" },
      ],
    },
    /sources\[1\]\.name: .*only in Unicode normalization/,
  );
  for (const id of ["..", "a/b", "a\\b", ".x", "-x", "a b", "a\u0000", "é", "NUL", "com1", "x".repeat(65)]) {
    fails({ sources: [{ ...source, id }] }, /sources\[0\]\.id: /);
  }
});

test("CF-11: catalog.kind chooses the search catalog; a wrong kind or key is named", () => {
  assert.deepEqual(configFromObject({ ...ok, catalog: { kind: "sqlite" } }, "/a").catalog, {
    kind: "sqlite",
  });
  assert.equal(configFromObject(ok, "/a").catalog, undefined);
  assert.throws(() => configFromObject({ ...ok, catalog: { kind: 3 } }, "/a"), /catalog\.kind/);
  assert.throws(
    () => configFromObject({ ...ok, catalog: { kind: "pg" } }, "/a"),
    /catalog\.kind: 'pg' is not one of sqlite/,
  );
  assert.throws(
    () => configFromObject({ ...ok, catalog: { knd: "sqlite" } }, "/a"),
    /catalog\.knd: unknown key/,
  );
});

test("CF-12: listSize 0 is an error naming the field, not silently a list of one", () => {
  assert.match(
    loadError("listSize: 0\nsources: [{ id: a, name: A, url: a }]\n"),
    /newsark\.yaml:1: listSize: '0' must be 1 or more$/,
  );
});

test("CF-13: a mistake in media: or publish: names its line like any other field", () => {
  const sources = "sources: [{ id: a, name: A, url: a }]\n";
  assert.match(
    loadError(`${sources}publish:\n  store: s3\n  endpoint: "http://127.0.0.1:9000"\n  bucket: b\n`),
    /newsark\.yaml:5: publish\.bucket: 'b' is not a bucket name/,
  );
  assert.match(
    loadError(
      `${sources}media: { store: s3, endpoint: "http://127.0.0.1:9000", bucket: bbb, secretKey: x }\n`,
    ),
    /newsark\.yaml:2: media\.secretKey: credentials are read from the environment only/,
  );
});
