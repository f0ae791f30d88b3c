import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ArticleRecord } from "../../model/article.js";
import { addToSourceLists, monthDayFormatter, renderLists, writeSourceLists } from "./index.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function record(n: number, published: number, title = `t${n}`): ArticleRecord {
  return { n, key: `k${n}`, published, seen: published, hash: "h", title, versions: 0 };
}

test("LI-01: newest first by published time, not by file number", () => {
  const [page] = renderLists(
    "voa",
    "美国之音",
    [record(1048574, Date.UTC(2023, 6, 3)), record(1048573, Date.UTC(2023, 5, 1))],
    "Asia/Shanghai",
  );
  assert.equal(
    page?.text,
    "美国之音\n------\n\n7-3 [t1048574](/articles/voa/1048574.md)\n\n6-1 [t1048573](/articles/voa/1048573.md)\n\n",
  );
});

test("LI-02: dates are in the archive's time zone", () => {
  const late = Date.UTC(2023, 7, 15, 20, 0); // 04:00 on 8-16 in Shanghai
  assert.match(renderLists("x", "X", [record(5, late)], "Asia/Shanghai")[0]?.text ?? "", /^8-16 /m);
  assert.match(renderLists("x", "X", [record(5, late)], "UTC")[0]?.text ?? "", /^8-15 /m);
});

test("LI-03: past the page size older entries page into lists/<name>/2.md (oldest) … , all linked", () => {
  const records = Array.from({ length: 650 }, (_, i) => record(1048574 - i, 1_600_000_000_000 + i * 60_000));
  const pages = renderLists("voa", "美国之音", records, "UTC", 300);
  assert.deepEqual(
    pages.map((p) => p.path),
    ["lists/美国之音.md", "lists/美国之音/3.md", "lists/美国之音/2.md"],
  );
  const enc = "%E7%BE%8E%E5%9B%BD%E4%B9%8B%E9%9F%B3";
  assert.match(pages[0]?.text ?? "", new RegExp(`\\[更早 →\\]\\(/lists/${enc}/3\\.md\\)\n$`));
  assert.match(
    pages[1]?.text ?? "",
    new RegExp(`\\[← 更新\\]\\(/lists/${enc}\\.md\\)\n\\[更早 →\\]\\(/lists/${enc}/2\\.md\\)\n$`),
  );
  assert.ok(!(pages[2]?.text ?? "").includes("更早"), "the oldest page links no further");
  const entries = pages.flatMap((p) => p.text.split("\n").filter((l) => /^\d+-\d+ \[/.test(l)));
  assert.equal(entries.length, 650);
  assert.equal(new Set(entries).size, 650);
  // The oldest page holds the 300 oldest entries, newest first within the page.
  const oldest = (pages[2]?.text ?? "").match(/articles\/voa\/(\d+)\.md\)/g) ?? [];
  assert.equal(oldest.length, 300);
  assert.equal(oldest[oldest.length - 1], "articles/voa/1048574.md)");
});

test("LI-03b: three new articles change only lists/<name>.md and the most recent older page", () => {
  const records = Array.from({ length: 1000 }, (_, i) => record(1048574 - i, 1_600_000_000_000 + i * 60_000));
  const before = renderLists("x", "X", records, "UTC", 300);
  const more = [...records, ...[1, 2, 3].map((i) => record(1047574 - i, 1_700_000_000_000 + i))];
  const after = renderLists("x", "X", more, "UTC", 300);
  const changed = after
    .filter((p) => before.find((b) => b.path === p.path)?.text !== p.text)
    .map((p) => p.path);
  assert.deepEqual(changed.sort(), ["lists/X.md", "lists/X/4.md"]);
});

test("LI-03c: month-day dates agree with Intl across daylight-saving changes", () => {
  const zones = [
    "America/New_York",
    "Europe/London",
    "Asia/Shanghai",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
  ];
  for (const timeZone of zones) {
    const format = new Intl.DateTimeFormat("en-US", { timeZone, month: "numeric", day: "numeric" });
    const fast = monthDayFormatter(timeZone);
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 37 * 60_000 + 13_000) {
      const parts = format.formatToParts(ms);
      const want = `${parts.find((p) => p.type === "month")?.value}-${parts.find((p) => p.type === "day")?.value}`;
      assert.equal(fast(ms), want, `${timeZone} ${new Date(ms).toISOString()}`);
    }
  }
});

test("LI-04: titles with brackets stay on one link; edited and deleted articles are marked", () => {
  const r = { ...record(9, 0, "a]b[c"), versions: 1, status: "gone" as const };
  const text = renderLists("x", "X", [r], "UTC")[0]?.text ?? "";
  assert.match(text, /\[a\\\]b\\\[c\]\(\/articles\/x\/9\.md\) （已修改） （原文已删除）/);
});

test("LI-05: ids past the 7-to-6-digit rollover keep newest-first order", () => {
  const records = [record(1000001, 3), record(1000000, 4), record(999999, 5)];
  const text = renderLists("x", "X", records, "UTC")[0]?.text ?? "";
  const order = [...text.matchAll(/\/(\d+)\.md/g)].map((m) => m[1]);
  assert.deepEqual(order, ["999999", "1000000", "1000001"]);
});

/** Every file under lists/ of an archive folder, by path. */
function listFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(root, "lists"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(root.length + 1)] = readFileSync(path, "utf8");
  }
  return files;
}

test("LI-06: adding articles to the lists page by page gives exactly what a full redraw gives", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-lists-"));
  const full = mkdtempSync(join(tmpdir(), "newsark-lists-full-"));
  dirs.push(root, full);
  const source = { id: "voa", name: "美国之音 (1)" };
  const pageSize = 5;
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const records: ArticleRecord[] = [];
  let n = 1048574;
  let clock = 1_700_000_000_000;
  const add = (count: number, late: boolean) =>
    Array.from({ length: count }, () => {
      clock += 3_600_000;
      // A late item was published before articles already listed (out of order in the feed).
      const published = late ? clock - Math.floor(random() * 40) * 3_600_000 : clock;
      const r = { ...record(n--, published, `标题 [${n}]`), versions: random() < 0.1 ? 1 : 0 };
      return r;
    });
  records.push(...add(3, false));
  writeSourceLists(root, source, records, "Asia/Shanghai", pageSize);
  let incremental = 0;
  let redrawn = 0;
  for (let step = 0; step < 60; step++) {
    const late = step % 7 === 3;
    const added = add(step % 11 === 5 ? 13 : 1 + Math.floor(random() * 4), late);
    // What a run knows without reading the whole state: the newest records by number (the end of
    // the state file); now and then every record.
    const known = step % 5 === 0 ? [...records] : records.slice(-Math.min(records.length, 12));
    const wrote = addToSourceLists(root, source, known, added, "Asia/Shanghai", pageSize);
    records.push(...added);
    if (wrote === undefined) {
      redrawn++;
      writeSourceLists(root, source, records, "Asia/Shanghai", pageSize);
    } else incremental++;
    rmSync(join(full, "lists"), { recursive: true, force: true });
    writeSourceLists(full, source, records, "Asia/Shanghai", pageSize);
    assert.deepEqual(listFiles(root), listFiles(full), `after step ${step}`);
  }
  assert.ok(incremental > 40, `most steps update in place (${incremental} did, ${redrawn} redrew)`);
  assert.ok(redrawn > 0, "late items deep in the list are redrawn in full");
});

test("LI-07: lists that are not what a full redraw gives are not updated in place", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-lists-"));
  dirs.push(root);
  const source = { id: "x", name: "X" };
  const records = Array.from({ length: 12 }, (_, i) => record(1048574 - i, 1_600_000_000_000 + i * 60_000));
  const fresh = [record(1048500, 1_700_000_000_000)];
  assert.equal(addToSourceLists(root, source, records, fresh, "UTC", 5), undefined, "no lists yet");
  writeSourceLists(root, source, records, "UTC", 5);
  assert.equal(
    addToSourceLists(root, source, records, fresh, "Pacific/Kiritimati", 5),
    undefined,
    "zone changed",
  );
  assert.equal(addToSourceLists(root, source, records, fresh, "UTC", 6), undefined, "page size changed");
  const retitled = records.map((r) => (r.n === 1048574 - 11 ? { ...r, title: "new" } : r));
  assert.equal(addToSourceLists(root, source, retitled, fresh, "UTC", 5), undefined, "title changed");
  assert.equal(
    addToSourceLists(root, source, records.slice(-3), fresh, "UTC", 5),
    undefined,
    "too little known",
  );
  assert.equal(addToSourceLists(root, source, records, fresh, "UTC", 5), 2);
});
