import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runMain } from "../src/cli/main.js";
import { captureIO, removeDir, tempDir, writeConfig } from "./helpers.js";
import { REAL_ARCHIVE } from "./support/fixtures.js";

const REAL = REAL_ARCHIVE.dir;

let dir: string;
before(() => {
  dir = tempDir();
  cpSync(join(REAL, "articles"), join(dir, "articles"), { recursive: true });
  writeConfig(
    dir,
    "sources:\n  - { id: voa, name: VOA, url: https://x.test/voa.xml }\n  - { id: dw, name: DW, url: https://x.test/dw.xml }\n",
  );
});
after(() => removeDir(dir));

/** Runs the CLI in-process with extra environment; returns exit code and output. */
async function cli(env: Record<string, string>, ...argv: string[]) {
  return cliIn(dir, env, ...argv);
}

async function cliIn(where: string, env: Record<string, string>, ...argv: string[]) {
  const io = captureIO(where);
  io.env = { ...io.env, ...env };
  const code = await runMain(argv, io);
  return { code, out: io.out, err: io.err };
}

test("CR01: an interrupted first search exits 130 and says so; the next search resumes and finds everything", async () => {
  const stopped = await cli(
    { NEWSARK_REBUILD_BATCH: "5", NEWSARK_STOP_AFTER_BATCHES: "2" },
    "search",
    "普京",
  );
  assert.equal(stopped.code, 130, stopped.err);
  assert.match(stopped.err, /building the search catalog from \d+ article files/);
  assert.match(stopped.err, /interrupted/);
  const resumed = await cli({ NEWSARK_REBUILD_BATCH: "5" }, "search", "普京", "--json");
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.err, /building the search catalog/, "the unfinished catalog is completed first");
  const hits = JSON.parse(resumed.out) as { total: number };
  assert.ok(hits.total >= 3, resumed.out);
  const again = await cli({}, "search", "普京", "--json");
  assert.equal(again.err, "", "a complete catalog is not rebuilt");
  assert.deepEqual(JSON.parse(again.out), hits);
});

test("CR02: an interrupted reindex exits 130, and the next one resumes and completes", async () => {
  const stopped = await cli({ NEWSARK_REBUILD_BATCH: "2", NEWSARK_STOP_AFTER_BATCHES: "1" }, "reindex");
  assert.equal(stopped.code, 130, stopped.err);
  const done = await cli({ NEWSARK_REBUILD_BATCH: "2" }, "reindex");
  assert.equal(done.code, 0, done.err);
  assert.match(done.out, /search catalog rebuilt: \d+ articles/);
});

test("CR03: search --source with an unknown source is a usage error naming it", async () => {
  const r = await cli({}, "search", "台湾", "--source", "nope");
  assert.equal(r.code, 2);
  assert.match(r.err, /--source: unknown source 'nope'/);
  // A legacy folder that is no longer configured is still a known source.
  const legacy = await cli({}, "search", "贞操锁", "--source", "BBC", "--json");
  assert.equal(legacy.code, 0, legacy.err);
});

test("CR04: while another process rebuilds the catalog, search and reindex stop with exit 3 naming it; once it is gone they rebuild", async () => {
  const other = tempDir();
  try {
    cpSync(join(REAL, "articles"), join(other, "articles"), { recursive: true });
    writeConfig(other, "sources:\n  - { id: voa, name: VOA, url: https://x.test/voa.xml }\n");
    // This test process stands in for a live reindex: its pid is alive on this host.
    const lock = join(other, ".newsark", "catalog.lock");
    mkdirSync(join(other, ".newsark"), { recursive: true });
    writeFileSync(lock, `${process.pid}\t${hostname()}\t${new Date().toISOString()}\treindex\n`);
    for (const argv of [["search", "普京"], ["reindex"]]) {
      const refused = await cliIn(other, {}, ...argv);
      assert.equal(refused.code, 3, refused.err);
      assert.match(refused.err, new RegExp(`another newsark reindex \\(pid ${process.pid} .*catalog\\.lock`));
      assert.equal(refused.err.trim().split("\n").length, 1, "one line");
    }
    rmSync(lock);
    const found = await cliIn(other, {}, "search", "普京", "--json");
    assert.equal(found.code, 0, found.err);
    assert.ok((JSON.parse(found.out) as { total: number }).total >= 1);
    assert.ok(!existsSync(lock), "the rebuild released its lock");
  } finally {
    removeDir(other);
  }
});
