import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REAL_ARCHIVE, SEED } from "../../../test/support/fixtures.js";
import { cleanTitle } from "../../normalize/index.js";
import { formatArticle, parseArticle } from "./article-format.js";

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
