import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, readTree, removeDir, serveFiles, statTree, tempDir, writeConfig } from "./helpers.js";
import { SEED } from "./support/fixtures.js";

const seed = SEED.dir;
let server: Awaited<ReturnType<typeof serveFiles>>;
let dir: string;

before(async () => {
  server = await serveFiles(new Map([["/voa.xml", readFileSync(join(seed, "voa.xml"))]]));
  dir = tempDir();
  writeConfig(
    dir,
    `timezone: Asia/Shanghai\nsources:\n  - { id: voa, name: 美国之音, url: "${server.url}/voa.xml" }\n`,
  );
});
after(async () => {
  await server.close();
  removeDir(dir);
});

test("archiving the seed feed into an empty archive produces the expected files byte for byte", async () => {
  const { code, out, err } = await cli(dir, "run", "--json");
  assert.equal(code, 0, err);
  const report = JSON.parse(out);
  assert.deepEqual(report.sources, [
    { id: "voa", fetched: true, new: 2, changed: 0, unchanged: 0, error: null, warnings: [] },
  ]);
  assert.equal(typeof report.durationMs, "number");
  const expected = readTree(join(seed, "expected"));
  const actual = readTree(dir);
  for (const [path, bytes] of expected) {
    assert.ok(actual.has(path), `missing ${path}`);
    assert.ok(bytes.equals(actual.get(path) as Buffer), `${path} differs`);
  }
  const archived = [...actual.keys()]
    .filter((p) => p.startsWith("articles/") || p.startsWith("lists/"))
    .sort();
  assert.deepEqual(archived, [...expected.keys()].sort());
});

test("a second run over the same feed touches no file", async () => {
  const before = statTree(dir);
  const { code, out } = await cli(dir, "run", "--json");
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out).sources[0].new, 0);
  assert.deepEqual(statTree(dir), before);
});

test("a fresh copy of the archive without the local cache runs incrementally", async () => {
  removeDir(join(dir, ".newsark"));
  const before = statTree(dir);
  const { code, out } = await cli(dir, "run", "--json");
  assert.equal(code, 0);
  const s = JSON.parse(out).sources[0];
  assert.equal(s.new, 0);
  assert.deepEqual(statTree(dir), before);
});
