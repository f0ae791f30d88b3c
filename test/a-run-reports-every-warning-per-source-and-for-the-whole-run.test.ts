import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { loadConfig } from "../src/config/index.js";
import { runArchive } from "../src/pipeline/run.js";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { REAL_ARCHIVE } from "./support/fixtures.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

function archive(feed: string | Buffer, extra = ""): string {
  const dir = tempDir();
  dirs.push(dir);
  writeFileSync(join(dir, "feed.xml"), feed);
  writeConfig(dir, `sources:\n  - { id: t, name: T, url: feed.xml }\n${extra}`);
  return dir;
}

test("RW-01: parse warnings reach the source's warnings in run --json, once prefixed", async () => {
  const dir = archive(readFileSync(resolve("src/parse/fixtures/rss-stray-ampersand.xml")));
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  const source = JSON.parse(r.out).sources[0];
  assert.ok(source.warnings.includes("parse: stray '&' kept as text (7 times)"), source.warnings.join("; "));
});

test("RW-02: items sharing one guid with different links are all kept, told apart by link, with a warning", async () => {
  const items = [0, 1, 2].map((i) => ({ title: `标题${i}`, link: `https://x.test/${i}`, guid: "same-guid" }));
  // A true repeat (same guid, same link) is still archived once.
  items.push({ title: "标题0", link: "https://x.test/0", guid: "same-guid" });
  const dir = archive(rss(items));
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  const source = JSON.parse(r.out).sources[0];
  assert.equal(source.new, 3);
  assert.ok(
    source.warnings.some((w: string) =>
      /4 items share the guid 'same-guid' but link to different pages/.test(w),
    ),
    source.warnings.join("; "),
  );
  const urls = readdirSync(join(dir, "articles/t")).map(
    (f) => parseArticle(readFileSync(join(dir, "articles/t", f), "utf8"))?.url,
  );
  assert.deepEqual(urls.sort(), ["https://x.test/0", "https://x.test/1", "https://x.test/2"]);
  const again = JSON.parse((await cli(dir, "run", "--json")).out).sources[0];
  assert.deepEqual([again.new, again.changed], [0, 0]);
});

test("RW-03: legacy folders BBC and bbc are two sources, archived apart, with a run warning about case", async () => {
  const dir = tempDir();
  dirs.push(dir);
  for (const id of ["BBC", "bbc"]) {
    cpSync(join(REAL_ARCHIVE.articles, id), join(dir, "articles", id), {
      recursive: true,
    });
    writeFileSync(join(dir, `${id}.xml`), rss([{ title: `${id} 新闻`, link: `https://x.test/${id}/1` }]));
  }
  writeConfig(
    dir,
    "sources:\n  - { id: BBC, name: BBC中文, url: BBC.xml }\n  - { id: bbc, name: BBC 中文, url: bbc.xml }\n",
  );
  const config = loadConfig(dir);
  const before = readdirSync(join(dir, "articles/BBC")).length;
  const report = await runArchive(config);
  assert.deepEqual(
    report.sources.map((s) => [s.id, s.new, s.error]),
    [
      ["BBC", 1, null],
      ["bbc", 1, null],
    ],
  );
  assert.equal(readdirSync(join(dir, "articles/BBC")).length, before + 1);
  assert.match(readFileSync(join(dir, "state/BBC.tsv"), "utf8"), /https:\/\/x\.test\/BBC\/1/);
  assert.match(readFileSync(join(dir, "state/bbc.tsv"), "utf8"), /https:\/\/x\.test\/bbc\/1/);
  assert.ok(
    report.warnings.some((w) =>
      /sources\[1\]\.id: 'bbc' and sources\[0\]\.id 'BBC' differ only in case/.test(w),
    ),
    report.warnings.join("; "),
  );
  assert.ok(report.sources.every((s) => !s.warnings.some((w) => /differ only in case/.test(w))));
});

test("RW-04: a feed cut off mid-document is archived as far as it goes, and the report says it was truncated", async () => {
  const whole = rss([
    { title: "第一条", link: "https://x.test/a" },
    { title: "第二条", link: "https://x.test/b" },
  ]);
  // Cut inside the second item: the first is whole, the document never closes.
  const cut = whole.slice(0, whole.indexOf("第二条") + 3);
  const dir = archive(cut);
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  const source = JSON.parse(r.out).sources[0];
  assert.ok(source.new >= 1, JSON.stringify(source));
  assert.ok(
    source.warnings.some((w: string) => /truncated/.test(w)),
    source.warnings.join("; "),
  );
});
