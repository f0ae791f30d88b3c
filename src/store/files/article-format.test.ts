import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REAL_ARCHIVE, SEED } from "../../../test/support/fixtures.js";
import { cleanTitle, contentHash } from "../../normalize/index.js";
import { articleLayout, formatArticle, parseArticle } from "./article-format.js";

test("AF-01: the seed articles parse and format back to the same bytes", () => {
  const dir = SEED.articles;
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), "utf8");
    const article = parseArticle(text);
    assert.ok(article, name);
    assert.equal(formatArticle(article), text);
  }
});

test("AF-02: every real legacy article parses, with its title and url", () => {
  const root = REAL_ARCHIVE.articles;
  let count = 0;
  for (const outlet of readdirSync(root)) {
    for (const name of readdirSync(join(root, outlet))) {
      const path = join(root, outlet, name);
      if (!statSync(path).isFile()) continue;
      const article = parseArticle(readFileSync(path, "utf8"));
      assert.ok(article, path);
      assert.match(article.url, /^https?:\/\//, path);
      assert.ok(article.title.length > 0, path);
      assert.ok(!article.content.includes("\n"), path);
      count++;
    }
  }
  assert.equal(count, 33);
});

test("AF-03: a legacy title with a backslash before a curly quote is read as it stands", () => {
  const a = parseArticle("<!--1-->\n[中国品牌\\“囚爱\\“男性](https://x.test/a)\n------\n\n<p>x</p>\n");
  assert.equal(a?.title, "中国品牌\\“囚爱\\“男性");
});

test("AF-04: missing or NaN timestamps and CRLF are tolerated", () => {
  assert.ok(Number.isNaN(parseArticle("<!--NaN-->\n[t](https://x.test/)\n------\n\nc\n")?.published));
  assert.equal(parseArticle("[t](https://x.test/)\r\n------\r\n\r\nc\r\n")?.content, "c");
  assert.equal(parseArticle("not an article"), undefined);
});

// A small deterministic generator: titles built from the characters that break naive formats.
function* hostileTitles(): Generator<string> {
  const pieces = [
    "/",
    "../",
    "\n",
    "\r\n",
    "](",
    "[",
    "]",
    "\\",
    "<b>粗</b>",
    "😀",
    "👨‍👩‍👧",
    "(",
    ")",
    " ",
    "\t",
    "台湾",
    "a",
    "`",
    "*",
    "#",
    "\u3000",
    "\u2028",
  ];
  yield "x".repeat(10_000);
  yield "](javascript:alert(1))";
  yield "\\]";
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let i = 0; i < 2000; i++) {
    let t = "";
    const len = 1 + (rand() % 12);
    for (let j = 0; j < len; j++) t += pieces[rand() % pieces.length];
    yield t;
  }
}

test("AF-05: any title and url round-trip through the link line (property test)", () => {
  const urls = [
    "https://x.test/a(b)c",
    "https://x.test/a b",
    "https://x.test/?q=](x)",
    "https://x.test/中文",
  ];
  let i = 0;
  for (const raw of hostileTitles()) {
    const title = cleanTitle(raw) || "untitled";
    const url = urls[i++ % urls.length] as string;
    const text = formatArticle({ published: 1, title, url, content: "<p>c</p>" });
    assert.equal(text.split("\n").length, 6, JSON.stringify(raw));
    const back = parseArticle(text);
    assert.equal(back?.title, title, JSON.stringify(raw));
    assert.equal(decodeURI(back?.url ?? ""), decodeURI(url.replace(/ /g, "%20")));
  }
});

test("AF-06: an article read as bytes gives what parseArticle gives, and the same content hash, or is left to parseArticle", () => {
  const texts = [
    "<!--1700000000000-->\n[标题 \\[一\\]](https://x.test/a?b=1)\n------\n\n<p>正文</p>\n",
    "<!--NaN-->\n[t](https://x.test/b)\n------\n\n<p>a</p>\n<p>second line</p>\n",
    "<!-- 17 -->\n[t](https://x.test/c)\n------\n\n",
    "<!--17-->\n[t](https://x.test/d)\n------\n\n<p>no final line break</p>",
    "<!--17-->\n[旧系统\\“标题](https://x.test/e)\n------\n\n\n<p>a blank line first</p>\n",
  ];
  for (const text of texts) {
    const bytes = Buffer.from(text);
    const layout = articleLayout(bytes);
    const article = parseArticle(text);
    assert.ok(layout && article, text);
    const content = bytes.subarray(layout.contentStart, layout.contentEnd);
    assert.deepEqual(
      { published: layout.published, title: layout.title, url: layout.url, content: content.toString() },
      article,
    );
    assert.equal(
      contentHash(layout.title, layout.url, content),
      contentHash(article.title, article.url, article.content),
    );
  }
  const others = [
    Buffer.from("[t](https://x.test/f)\n------\n\n<p>no comment line</p>\n"),
    Buffer.from("<!--17-->\r\n[t](https://x.test/g)\r\n------\r\n\r\n<p>CR LF</p>\r\n"),
    Buffer.from("<!--\n17-->\n[t](https://x.test/h)\n------\n\n<p>a comment over two lines</p>\n"),
    Buffer.from("<!--17-->\n[t](https://x.test/i)\n-----\n\n<p>short rule</p>\n"),
    Buffer.concat([
      Buffer.from("<!--17-->\n[t](https://x.test/j)\n------\n\n<p>"),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("</p>\n"),
    ]),
    Buffer.from("<!--17-->\n[t](https://x.test/k)\n------\n"),
  ];
  for (const bytes of others) assert.equal(articleLayout(bytes), undefined, bytes.toString());
});

test("AF-07: every real legacy article read as bytes gives the record parseArticle gives", () => {
  let fast = 0;
  for (const outlet of readdirSync(REAL_ARCHIVE.articles)) {
    for (const name of readdirSync(join(REAL_ARCHIVE.articles, outlet))) {
      const path = join(REAL_ARCHIVE.articles, outlet, name);
      if (!statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      const article = parseArticle(bytes.toString("utf8"));
      const layout = articleLayout(bytes);
      if (!layout || !article) continue;
      fast++;
      const content = bytes.subarray(layout.contentStart, layout.contentEnd);
      assert.equal(content.toString(), article.content, path);
      assert.deepEqual(
        [layout.published, layout.title, layout.url],
        [article.published, article.title, article.url],
      );
      assert.equal(
        contentHash(layout.title, layout.url, content),
        contentHash(article.title, article.url, article.content),
      );
    }
  }
  assert.ok(fast > 0, "the usual shape is read as bytes");
});
