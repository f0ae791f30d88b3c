import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { renderLists } from "../src/publish/lists/index.js";
import { FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState, readSourceState } from "../src/store/files/state.js";
import { cli, readTree, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { runWithFault } from "./support/fault-run.js";

// A large state file (past the 256 KB a run reads of its end) grows in place when a run only adds
// articles; these runs kill themselves halfway through that append (src/util/fault.ts).
const OLD = 3000;
const ITEMS = 12;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

/** An archive whose state lists OLD earlier articles, and a feed of ITEMS new ones. */
function archive(): string {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, "timezone: UTC\nlistSize: 300\nsources:\n  - { id: k, name: K, url: feed.xml }\n");
  const old = Array.from({ length: OLD }, (_, i) => ({
    n: FIRST_N - 1 - i,
    key: `g:https://old.test/a/${i}`,
    published: Date.UTC(2023, 0, 1) + i * 60_000,
    seen: Date.UTC(2023, 0, 1) + i * 60_000,
    hash: "0123456789abcdef",
    title: `较早的一条新闻，编号${i}`,
    versions: 0,
  }));
  mkdirSync(join(dir, "state"));
  writeFileSync(join(dir, "state/k.tsv"), formatSourceState(old));
  writeFeed(dir, ITEMS / 2);
  return dir;
}

/** The feed with the `count` oldest of the ITEMS items, newest first. */
function writeFeed(dir: string, count: number): void {
  const items = Array.from({ length: count }, (_, k) => {
    const i = count - 1 - k;
    return {
      title: `第${i}条`,
      link: `https://x.test/a/${i}`,
      pubDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString(),
      description: `<p>新闻正文${i}</p>`,
    };
  });
  writeFileSync(join(dir, "feed.xml"), rss(items));
}

/** Every article once in the state, every state line whole, lists as a full redraw draws them. */
function assertWhole(dir: string, label: string): void {
  const temp = [...readTree(dir).keys()].filter((p) => p.endsWith(".tmp"));
  assert.deepEqual(temp, [], `temp files left (${label})`);
  const text = readFileSync(join(dir, "state/k.tsv"), "utf8");
  assert.ok(text.endsWith("\n"), `the state ends its last line (${label})`);
  const lines = text.split("\n").slice(1, -1);
  assert.equal(lines.length, OLD + ITEMS, `state lines (${label})`);
  assert.ok(
    lines.every((l) => l.split("\t").length === 9),
    `every state line has its fields (${label})`,
  );
  const state = readSourceState(dir, "k");
  const numbers = new Set(state?.records.map((r) => r.n));
  assert.equal(numbers.size, OLD + ITEMS, `numbers once each (${label})`);
  for (const name of readdirSync(join(dir, "articles/k"))) {
    assert.ok(numbers.has(Number(name.slice(0, -3))), `${name} is in the state (${label})`);
  }
  assert.equal(readdirSync(join(dir, "articles/k")).length, ITEMS);
  for (const page of renderLists("k", "K", state?.records ?? [], "UTC", 300)) {
    assert.equal(readFileSync(join(dir, page.path), "utf8"), page.text, `${page.path} (${label})`);
  }
}

for (const point of ["mid-state-append", "after-state-write", "after-article-write:2"]) {
  test(`KA-01: a run adding to a large state killed at ${point} is repaired by the next run`, async () => {
    const dir = archive();
    // A first run draws the lists with half the items; the killed run appends the other half.
    const first = await cli(dir, "run", "--json");
    assert.equal(first.code, 0, first.err);
    assert.equal(JSON.parse(first.out).sources[0].new, ITEMS / 2);
    writeFeed(dir, ITEMS);
    assert.equal((await runWithFault(dir, point)).signal, "SIGKILL", "the run reached the crash point");
    const r = await cli(dir, "run", "--json");
    assert.equal(r.code, 0, r.err);
    assertWhole(dir, point);
    const again = JSON.parse((await cli(dir, "run", "--json")).out).sources[0];
    assert.equal(again.new + again.changed, 0);
  });
}
