import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { REAL_ARCHIVE } from "./support/fixtures.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

/** A copy of the legacy cdt folder (its numbers reached 0.md) with a local feed of `count` items. */
function legacyArchive(count: number): string {
  const dir = tempDir();
  dirs.push(dir);
  cpSync(join(REAL_ARCHIVE.articles, "cdt"), join(dir, "articles/cdt"), { recursive: true });
  writeFeed(dir, 0, count);
  writeConfig(dir, `timezone: Asia/Shanghai\nsources:\n  - { id: cdt, name: 中国数字时代, url: feed.xml }\n`);
  return dir;
}

function writeFeed(dir: string, from: number, count: number): void {
  const items = Array.from({ length: count }, (_, k) => {
    const i = from + count - 1 - k;
    return {
      title: `新文章${i}`,
      link: `https://chinadigitaltimes.net/chinese/new-${i}.html`,
      pubDate: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString(),
    };
  });
  writeFileSync(join(dir, "feed.xml"), rss(items));
}

function numbers(dir: string): number[] {
  return readdirSync(join(dir, "articles/cdt")).map((f) => Number(f.replace(/\.md$/, "")));
}

test("LT-01: after 0.md new articles go on from 99999999 down, never below 0, and are listed", async () => {
  const dir = legacyArchive(3);
  const legacy = new Map(
    readdirSync(join(dir, "articles/cdt")).map((f) => [f, readFileSync(join(dir, "articles/cdt", f))]),
  );
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).sources[0].new, 3);
  const ns = numbers(dir);
  assert.ok(
    ns.every((n) => Number.isInteger(n) && n >= 0),
    ns.join(","),
  );
  for (const n of [99_999_999, 99_999_998, 99_999_997]) assert.ok(ns.includes(n), `${n}.md`);
  // The newest item gets the lowest number, as in the first range.
  assert.equal(parseArticle(readFileSync(join(dir, "articles/cdt/99999997.md"), "utf8"))?.title, "新文章2");
  for (const [name, bytes] of legacy)
    assert.deepEqual(readFileSync(join(dir, "articles/cdt", name)), bytes, name);
  const list = readFileSync(join(dir, "lists/中国数字时代.md"), "utf8");
  assert.match(list, /\/articles\/cdt\/99999997\.md/);
  const state = readFileSync(join(dir, "state/cdt.tsv"), "utf8");
  assert.match(state, /^99999997\t/m);
});

test("LT-02: after reindex --state a later run writes new numbers and overwrites no article", async () => {
  const dir = legacyArchive(2);
  assert.equal((await cli(dir, "run", "--json")).code, 0);
  const re = await cli(dir, "reindex", "--state");
  assert.equal(re.code, 0, re.err);
  const before = new Map(
    readdirSync(join(dir, "articles/cdt")).map((f) => [f, readFileSync(join(dir, "articles/cdt", f))]),
  );
  writeFeed(dir, 0, 4);
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).sources[0].new, 2);
  for (const [name, bytes] of before)
    assert.deepEqual(readFileSync(join(dir, "articles/cdt", name), "utf8"), bytes.toString(), name);
  const urls = readdirSync(join(dir, "articles/cdt")).map(
    (f) => parseArticle(readFileSync(join(dir, "articles/cdt", f), "utf8"))?.url,
  );
  assert.equal(new Set(urls).size, urls.length, "no article twice");
  assert.ok(numbers(dir).every((n) => n >= 0));
});

test("LT-03: a file at the next number that the state does not list is refused and reported, never overwritten", async () => {
  const dir = legacyArchive(1);
  assert.equal((await cli(dir, "run", "--json")).code, 0);
  // Not an article file, so it cannot be taken back in as one: the run must leave it alone.
  writeFileSync(join(dir, "articles/cdt/99999998.md"), "notes kept by hand\n");
  writeFeed(dir, 0, 2);
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 2);
  assert.match(r.err, /articles\/cdt\/99999998\.md exists but state\/cdt\.tsv does not list it/);
  assert.equal(readFileSync(join(dir, "articles/cdt/99999998.md"), "utf8"), "notes kept by hand\n");
});

test("LT-04: reindex --state reports the articles the old state listed whose files are gone", async () => {
  const dir = legacyArchive(2);
  assert.equal((await cli(dir, "run", "--json")).code, 0);
  rmSync(join(dir, "articles/cdt/99999999.md"));
  const r = await cli(dir, "reindex", "--state");
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    /cdt: 1 articles the old state or lists point at have no file and are left out: articles\/cdt\/99999999\.md/,
  );
  assert.ok(!existsSync(join(dir, "articles/cdt/-1.md")));
});

test("LT-05: reindex --state names the legacy list entries whose article files are gone", async () => {
  const dir = legacyArchive(0);
  cpSync(join(REAL_ARCHIVE.lists, "中国数字时代.md"), join(dir, "lists/中国数字时代.md"));
  const listed = new Set(
    [...readFileSync(join(dir, "lists/中国数字时代.md"), "utf8").matchAll(/\/articles\/cdt\/(\d+)\.md/g)].map(
      (m) => Number(m[1]),
    ),
  );
  const present = new Set(numbers(dir));
  const gone = [...listed].filter((n) => !present.has(n));
  assert.ok(gone.length > 0);
  const r = await cli(dir, "reindex", "--state");
  assert.equal(r.code, 0, r.err);
  assert.match(
    r.out,
    new RegExp(
      `cdt: ${gone.length} articles the old state or lists point at have no file and are left out: articles/cdt/\\d+\\.md`,
    ),
  );
});
