import * as assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { REAL_ARCHIVE, SEED } from "../../test/support/fixtures.js";
import { archivePaths, formatArticle } from "../store/files/index.js";
import { openSqliteCatalog } from "../store/sqlite/index.js";
import { archivedSourceIds, archiveEntries, indexArticles, reindexCatalog, searchArchive } from "./index.js";

const base = mkdtempSync(join(tmpdir(), "newsark-search-"));
after(() => rmSync(base, { recursive: true, force: true }));

/** An archive folder: the real duty-machine sample, the two seed articles and two written here. */
function makeArchive(name: string): string {
  const root = join(base, name);
  cpSync(REAL_ARCHIVE.articles, join(root, "articles"), { recursive: true });
  cpSync(SEED.articles, join(root, "articles/voa"), {
    recursive: true,
  });
  mkdirSync(join(root, "articles/rfa"), { recursive: true });
  writeFileSync(
    archivePaths.article(root, "rfa", 2000001),
    formatArticle({
      published: Date.UTC(2024, 0, 13),
      title: "臺灣總統大選結果揭曉",
      url: "https://www.rfa.org/cantonese/1.html",
      content: '<p style="color:red">臺灣選民投票踴躍。</p>',
    }),
  );
  writeFileSync(
    archivePaths.article(root, "rfa", 2000002),
    formatArticle({
      published: Number.NaN,
      title: "没有日期的文章",
      url: "https://www.rfa.org/mandarin/2.html",
      content: "<p>台湾海峡</p>",
    }),
  );
  return root;
}

const ids = (r: { results: { source: string; n: number }[] }) =>
  r.results.map((h) => `${h.source}/${h.n}`).sort();

describe("searchArchive over a real archive folder", () => {
  const root = makeArchive("real");

  test("R01: a fresh clone (no catalog) is indexed on the first search; 李尚福 finds the seeds", () => {
    assert.ok(!existsSync(archivePaths.catalog(root)));
    const r = searchArchive(root, { text: "李尚福" });
    assert.deepEqual(ids(r), ["voa/1048573", "voa/1048574"]);
    assert.equal(r.total, 2);
    assert.ok(existsSync(archivePaths.catalog(root)));
    // The newer seed has 李尚福 in its title and many times in its body.
    assert.ok(r.results.every((h) => h.snippet.includes("【李尚福】")));
  });

  test("R02: every article file is indexed, legacy title-named ones included", () => {
    const catalog = openSqliteCatalog(archivePaths.catalog(root));
    const files = [...archiveEntries(root, archivedSourceIds(root))].length;
    assert.equal(catalog.count(), files);
    assert.ok(files >= 37, `${files}`);
    catalog.close();
    const legacy = searchArchive(root, { text: "贞操锁" });
    assert.deepEqual(ids(legacy), ["BBC/1047474"]);
  });

  test("R03: traditional text is found with simplified queries and vice versa", () => {
    assert.ok(ids(searchArchive(root, { text: "台湾总统" })).includes("rfa/2000001"));
    assert.ok(ids(searchArchive(root, { text: "臺灣海峽" })).includes("rfa/2000002"));
    // cdt's title 做書｜… is traditional.
    assert.ok(ids(searchArchive(root, { text: "做书" })).includes("cdt/365613"));
  });

  test("R04: source and date filters over the archive", () => {
    const all = searchArchive(root, { text: "普京" });
    assert.ok(all.total >= 3, `${all.total}`);
    const voa = searchArchive(root, { text: "普京", source: "voa" });
    assert.ok(voa.total > 0 && voa.results.every((h) => h.source === "voa"));
    const since = Date.UTC(2023, 7, 1);
    const recent = searchArchive(root, { text: "普京", since, limit: 100 });
    assert.ok(recent.results.every((h) => Date.parse(h.published) >= since));
    assert.ok(recent.total < all.total);
  });

  test("R05: attributes of real articles are not searchable", () => {
    // Every VOA seed carries style="text-align:start"; none says "start" in its text.
    assert.equal(searchArchive(root, { text: "start" }).results.filter((h) => h.n === 1048573).length, 0);
    assert.equal(searchArchive(root, { text: "weserv" }).total, 0);
  });
});

describe("keeping the catalog in step", () => {
  test("R06: indexArticles adds new articles incrementally", () => {
    const root = makeArchive("incremental");
    searchArchive(root, { text: "台湾" });
    const entry = {
      source: "voa",
      n: 1048572,
      title: "中俄联合军演",
      url: "https://www.voachinese.com/a/3.html",
      published: Date.UTC(2023, 8, 1),
      content: "<p>中俄海军在日本海举行联合演习。</p>",
    };
    writeFileSync(archivePaths.article(root, entry.source, entry.n), formatArticle(entry));
    indexArticles(root, [entry]);
    assert.deepEqual(ids(searchArchive(root, { text: "联合军演" })), ["voa/1048572"]);
  });

  test("R07: indexArticles into a missing catalog builds it from all files", () => {
    const root = makeArchive("missing");
    indexArticles(root, []);
    assert.deepEqual(ids(searchArchive(root, { text: "李尚福" })), ["voa/1048573", "voa/1048574"]);
  });

  test("R08: reindexCatalog rebuilds from the configured sources only", () => {
    const root = makeArchive("reindex");
    searchArchive(root, { text: "台湾" });
    const count = reindexCatalog(root, [{ id: "voa" }, { id: "rfa" }]);
    assert.equal(count, 12);
    assert.deepEqual(ids(searchArchive(root, { text: "贞操锁" })), []);
  });

  test("R09: a corrupt catalog is recreated and refilled on the next search", () => {
    const root = makeArchive("corrupt");
    searchArchive(root, { text: "台湾" });
    writeFileSync(archivePaths.catalog(root), "garbage".repeat(1000));
    rmSync(`${archivePaths.catalog(root)}-wal`, { force: true });
    assert.deepEqual(ids(searchArchive(root, { text: "李尚福" })), ["voa/1048573", "voa/1048574"]);
  });
});
