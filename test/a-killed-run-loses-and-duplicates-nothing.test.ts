import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, readTree, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { runWithFault } from "./support/fault-run.js";

// Crash points are injected deterministically (src/util/fault.ts): the run SIGKILLs itself at a named
// point, so every point is tested on every run of this test, whatever the machine's speed.
const ITEMS = 12;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

function writeFeed(dir: string, edition: string): void {
  const items = Array.from({ length: ITEMS }, (_, k) => {
    const i = ITEMS - 1 - k;
    return {
      title: `第${i}条`,
      link: `https://x.test/a/${i}`,
      pubDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString(),
      description: `<p>${edition}新闻正文${i}</p>`,
    };
  });
  writeFileSync(join(dir, "feed.xml"), rss(items));
}

function archive(): string {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, "sources:\n  - { id: k, name: K, url: feed.xml }\n");
  writeFeed(dir, "初版");
  return dir;
}

/** After the repairing run: whole articles, each item once, a complete state, no temp files. */
function assertWhole(dir: string, label: string, edition: string): void {
  const temp = [...readTree(dir).keys()].filter((p) => p.endsWith(".tmp"));
  assert.deepEqual(temp, [], `temp files left (${label})`);
  const names = readdirSync(join(dir, "articles/k"));
  assert.equal(names.length, ITEMS, `article count (${label})`);
  const urls = new Set<string>();
  for (const name of names) {
    const a = parseArticle(readFileSync(join(dir, "articles/k", name), "utf8"));
    assert.ok(a, `${name} is a whole article (${label})`);
    assert.match(a.content, new RegExp(edition), `${name} has the latest text (${label})`);
    urls.add(a.url);
  }
  assert.equal(urls.size, ITEMS, `no duplicates (${label})`);
  const lines = readFileSync(join(dir, "state/k.tsv"), "utf8").trim().split("\n").slice(1);
  assert.equal(lines.length, ITEMS, `state lines (${label})`);
}

// Renames count every file put in place: the 1st is the lock, the 2nd the first article, and the one
// after the last article is the first list page.
const FIRST_RUN_POINTS = [
  "before-rename:1",
  "before-rename:2",
  "after-article-write:1",
  `after-article-write:${ITEMS / 2}`,
  `after-article-write:${ITEMS}`,
  `before-rename:${ITEMS + 2}`,
  "before-state-write",
  "after-state-write",
];

for (const point of FIRST_RUN_POINTS) {
  test(`KR-01: a first run killed at ${point} is repaired by the next run: nothing lost, nothing twice`, async () => {
    const dir = archive();
    assert.equal((await runWithFault(dir, point)).signal, "SIGKILL", "the run reached the crash point");
    const r = await cli(dir, "run", "--json");
    assert.equal(r.code, 0, r.err);
    assertWhole(dir, point, "初版");
    const again = JSON.parse((await cli(dir, "run", "--json")).out).sources[0];
    assert.equal(again.new + again.changed, 0);
  });
}

for (const point of ["after-version-kept:1", "after-article-write:3", "before-state-write"]) {
  test(`KR-02: a run keeping edits killed at ${point} keeps exactly one earlier version of each article`, async () => {
    const dir = archive();
    assert.equal((await cli(dir, "run", "--json")).code, 0);
    writeFeed(dir, "修订版");
    assert.equal((await runWithFault(dir, point)).signal, "SIGKILL", "the run reached the crash point");
    const r = await cli(dir, "run", "--json");
    assert.equal(r.code, 0, r.err);
    assertWhole(dir, point, "修订版");
    for (const n of readdirSync(join(dir, "versions/k"))) {
      const kept = readdirSync(join(dir, "versions/k", n));
      assert.equal(kept.length, 1, `versions of ${n} (${point})`);
      assert.match(readFileSync(join(dir, "versions/k", n, kept[0] as string), "utf8"), /初版/);
    }
    assert.equal(readdirSync(join(dir, "versions/k")).length, ITEMS);
    const state = readFileSync(join(dir, "state/k.tsv"), "utf8").trim().split("\n").slice(1);
    assert.ok(
      state.every((line) => line.split("\t")[4] === "1"),
      "every state line counts one version",
    );
    const again = JSON.parse((await cli(dir, "run", "--json")).out).sources[0];
    assert.equal(again.new + again.changed, 0);
  });
}
