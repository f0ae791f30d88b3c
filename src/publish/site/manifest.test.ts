import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { StateEntry } from "../../store/files/state.js";
import { SiteArticle } from "./archive.js";
import {
  ArticleLines,
  type BuildManifest,
  formatLine,
  lineId,
  MANIFEST,
  MANIFEST_VERSION,
  ManifestWriter,
  parseLine,
  readManifest,
  removeStaleManifests,
  type Stamped,
  unchangedWithPages,
  writeManifest,
} from "./manifest.js";

const temp = mkdtempSync(join(tmpdir(), "newsark-manifest-"));
after(() => rmSync(temp, { recursive: true, force: true }));

const STAMP = "3f2a|1700000000000|1700000000000||#";

describe("build manifest", () => {
  test("MAN-01: a line keeps its fields, images by key, through format and parse", () => {
    const line = { id: 42, stamp: STAMP, bytes: 8123, link: "", images: ["k1", "k2"] };
    assert.deepEqual(parseLine(formatLine(line)), line);
    assert.equal(lineId(formatLine(line)), 42);
    const trimmed = { id: 7, stamp: STAMP, bytes: 0, link: "https://example.org/a", images: [] };
    assert.deepEqual(parseLine(formatLine(trimmed)), trimmed);
  });

  test("MAN-02: an unchanged article with pages is told from its line alone, and nothing else is", () => {
    const withPages = formatLine({ id: 5, stamp: STAMP, bytes: 100, link: "", images: [] });
    const withImages = formatLine({ id: 5, stamp: STAMP, bytes: 100, link: "", images: ["k1"] });
    const trimmed = formatLine({ id: 5, stamp: STAMP, bytes: 0, link: "https://x.org/", images: [] });
    assert.equal(unchangedWithPages(withPages, 5, STAMP), true);
    assert.equal(unchangedWithPages(withImages, 5, STAMP), true);
    assert.equal(unchangedWithPages(trimmed, 5, STAMP), false, "no pages: it links elsewhere");
    assert.equal(unchangedWithPages(withPages, 6, STAMP), false, "another search id");
    assert.equal(unchangedWithPages(withPages, 5, `${STAMP}x`), false, "another stamp");
    assert.equal(unchangedWithPages(withPages, 5, STAMP.slice(0, -1)), false, "a stamp's prefix");
    assert.equal(unchangedWithPages(withPages, 55, STAMP), false, "an id's prefix");
  });

  test("MAN-03: lines are kept per source by number, counted, and read back as written", () => {
    const lines = new ArticleLines();
    // Source ids are never read off an object's prototype.
    lines.set("constructor", 1039694, "1\ta#\t10\t");
    lines.set("voa", 2, "2\tb#\t20\t");
    lines.set("voa", 1, "3\tc#\t30\thttps://例子.cn/文章\tk1\tk2");
    const manifest = header();
    writeManifest(temp, manifest, lines);
    const read = readManifest(temp);
    assert.ok(read);
    assert.equal(read.manifest.articleCount, 3);
    assert.equal(read.manifest.nextId, 4);
    assert.equal(read.lines.get("constructor", 1039694), "1\ta#\t10\t");
    assert.equal(read.lines.get("voa", 1), "3\tc#\t30\thttps://例子.cn/文章\tk1\tk2");
    assert.equal(read.lines.get("voa", 3), undefined);
    assert.equal(read.lines.get("toString", 1), undefined);
  });

  test("MAN-04: a manifest of another version, cut short or not there is not read (a full build follows)", () => {
    const dir = mkdtempSync(join(temp, "v-"));
    assert.equal(readManifest(dir), undefined);
    writeManifest(dir, { ...header(), version: 7 } as unknown as BuildManifest, new ArticleLines());
    assert.equal(readManifest(dir), undefined);
    const lines = new ArticleLines();
    lines.set("voa", 1, "1\ta#\t1\t");
    lines.set("voa", 2, "2\tb#\t1\t");
    writeManifest(dir, header(), lines);
    assert.ok(readManifest(dir));
    const text = readFileSync(join(dir, MANIFEST), "utf8");
    // Cut short: the header (the last line) missing, or the last line unfinished.
    writeFileSync(join(dir, MANIFEST), text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1));
    assert.equal(readManifest(dir), undefined);
    writeFileSync(join(dir, MANIFEST), text.slice(0, -1));
    assert.equal(readManifest(dir), undefined);
    // A line lost from the middle: the count in the header tells.
    writeFileSync(join(dir, MANIFEST), text.replace("1\t1\ta#\t1\t\n", ""));
    assert.equal(readManifest(dir), undefined);
    writeFileSync(join(dir, MANIFEST), "{not json\n");
    assert.equal(readManifest(dir), undefined);
  });
});

function header(): BuildManifest {
  return {
    version: MANIFEST_VERSION,
    template: "t",
    tokenizer: "k",
    articleCount: 0,
    files: {},
    shards: 16,
    nextId: 4,
    body: { segments: [], serial: 0, stale: 0 },
    restBytes: 0,
  };
}

/** A stamp given as a string. */
function plain(stamp: string): Stamped {
  return { stamp, stampEndIn: (text, at) => (text.startsWith(stamp, at) ? at + stamp.length : -1) };
}

describe("manifest written line by line", () => {
  test("MAN-05: a source may come back in later sections; lines read back as added; no temp file is left", () => {
    const dir = mkdtempSync(join(temp, "w-"));
    const writer = new ManifestWriter(dir);
    writer.add("voa", 3, "1\ta#\t1\t");
    writer.add("bbc", 7, "2\tb#\t1\t");
    writer.add("voa", 2, "3\tc#\t1\t");
    writer.finish(header());
    const read = readManifest(dir);
    assert.ok(read);
    assert.equal(read.manifest.articleCount, 3);
    assert.equal(read.lines.get("voa", 3), "1\ta#\t1\t");
    assert.equal(read.lines.get("voa", 2), "3\tc#\t1\t");
    assert.equal(read.lines.get("bbc", 7), "2\tb#\t1\t");
    assert.deepEqual(readdirSync(dir), [MANIFEST]);
  });

  test("MAN-08: an article's stamp is found in a text exactly as the stamp is written", () => {
    const entry = (over: Partial<StateEntry>): StateEntry => ({
      n: 7,
      published: 1700000000000,
      seen: 1700000360000,
      hash: "3f2a9c",
      title: "标题",
      versions: 0,
      ...over,
    });
    const articles = [
      new SiteArticle("voa", entry({}), "/a", undefined, []),
      new SiteArticle("voa", entry({ status: "gone" }), "/a", undefined, [1700000100000, 1700000200000]),
      new SiteArticle(
        "voa",
        entry({ published: Number.NaN, seen: 0, hash: "file|1.5|20" }),
        "/a",
        undefined,
        [5],
      ),
    ];
    for (const a of articles) {
      const text = `12\t${a.stamp}#\t10\t`;
      assert.equal(a.stampEndIn(text, 3), 3 + a.stamp.length, a.stamp);
      assert.equal(a.stampEndIn(text, 2), -1);
      // Any other stamp: a character more, one less, another digit, leading zeros.
      for (const other of [
        `${a.stamp}1`,
        a.stamp.slice(0, -1),
        a.stamp.replace(/7(?=\d{8})/, "8"),
        a.stamp.replace(/\|(\d)/, "|0$1"),
      ]) {
        if (other === a.stamp) continue;
        const end = a.stampEndIn(`${other}#`, 0);
        assert.ok(end === -1 || `${other}#`[end] !== "#", `${a.stamp} found in ${other}`);
      }
    }
  });

  test("MAN-07: lines read are looked up, told unchanged and written again in place, beside lines changed, added and removed", () => {
    const dir = mkdtempSync(join(temp, "r-"));
    const first = new ArticleLines();
    const stamped = (id: number, stamp: string, link = "") =>
      formatLine({ id, stamp, bytes: 10, link, images: link ? [] : ["k1"] });
    for (let n = 1; n <= 6; n++) first.set("voa", n, stamped(n, `${STAMP}${n}`));
    first.set("bbc", 9, stamped(7, `${STAMP}9`, "https://例子.cn/文章"));
    writeManifest(dir, header(), first);
    const read = readManifest(dir);
    assert.ok(read);
    const { lines } = read;
    for (let n = 1; n <= 6; n++) {
      assert.equal(lines.get("voa", n), stamped(n, `${STAMP}${n}`));
      assert.equal(lines.idOf("voa", n), n);
      assert.equal(lines.unchangedWithPages("voa", n, n, plain(`${STAMP}${n}`), ""), true);
      assert.equal(lines.unchangedWithPages("voa", n, n, plain(`${STAMP}${n}x`), ""), false, "another stamp");
      assert.equal(lines.unchangedWithPages("voa", n, n, plain(STAMP), ""), false, "a stamp's prefix");
      assert.equal(
        lines.unchangedWithPages("voa", n, n + 10, plain(`${STAMP}${n}`), ""),
        false,
        "another id",
      );
    }
    assert.equal(lines.unchangedWithPages("voa", 1, 11, plain(`${STAMP}1`), ""), false, "an id's prefix");
    assert.equal(
      lines.unchangedWithPages("bbc", 9, 7, plain(`${STAMP}9`), ""),
      false,
      "no pages: it links elsewhere",
    );
    assert.equal(lines.unchangedWithPages("voa", 7, 7, plain(`${STAMP}7`), ""), false, "no line");
    lines.set("voa", 3, stamped(30, "changed"));
    lines.delete("voa", 5);
    lines.set("voa", 8, stamped(31, "new"));
    lines.set("rfi", 1, stamped(32, "new"));
    assert.equal(lines.idOf("voa", 3), 30);
    assert.equal(lines.idOf("voa", 5), undefined);
    assert.equal(lines.unchangedWithPages("voa", 3, 30, plain("changed"), ""), true);
    writeManifest(dir, header(), lines);
    const again = readManifest(dir);
    assert.ok(again);
    assert.equal(again.manifest.articleCount, 8);
    const all = (l: ArticleLines) =>
      [...l.numbers()].flatMap(([source, ns]) => [...ns].map((n) => `${source} ${n} ${l.get(source, n)}`));
    assert.deepEqual(all(again.lines), [
      ...[1, 2].map((n) => `voa ${n} ${stamped(n, `${STAMP}${n}`)}`),
      `voa 3 ${stamped(30, "changed")}`,
      `voa 4 ${stamped(4, `${STAMP}4`)}`,
      `voa 6 ${stamped(6, `${STAMP}6`)}`,
      `voa 8 ${stamped(31, "new")}`,
      `bbc 9 ${stamped(7, `${STAMP}9`, "https://例子.cn/文章")}`,
      `rfi 1 ${stamped(32, "new")}`,
    ]);
  });

  test("MAN-06: an aborted writer leaves the previous manifest; a killed one's temp file goes with the next build's start", () => {
    const dir = mkdtempSync(join(temp, "a-"));
    const lines = new ArticleLines();
    lines.set("voa", 1, "1\ta#\t1\t");
    writeManifest(dir, header(), lines);
    const before = readFileSync(join(dir, MANIFEST), "utf8");
    const writer = new ManifestWriter(dir);
    writer.add("voa", 1, "9\tz#\t1\t");
    writer.abort();
    assert.equal(readFileSync(join(dir, MANIFEST), "utf8"), before);
    assert.deepEqual(readdirSync(dir), [MANIFEST]);
    writeFileSync(join(dir, `${MANIFEST}.12345.tmp`), "partial");
    removeStaleManifests(dir);
    assert.deepEqual(readdirSync(dir), [MANIFEST]);
  });
});
