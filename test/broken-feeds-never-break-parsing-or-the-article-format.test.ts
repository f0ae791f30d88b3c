import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { isSkipped, normalizeItem } from "../src/normalize/index.js";
import { parseFeed } from "../src/parse/index.js";
import { formatArticle, parseArticle } from "../src/store/files/article-format.js";
import { SEED } from "./support/fixtures.js";

// Pieces that break naive feed readers, spliced into real feeds at random places.
const HOSTILE = [
  "<",
  ">",
  "&",
  "]]>",
  "<![CDATA[",
  "</item>",
  "<item>",
  "<entry>",
  "\u0000",
  "\uffff",
  "&#xD800;",
  "&nbsp",
  "<?xml version='1.0' encoding='gbk'?>",
  '<a:b xmlns:a="',
  "\r",
  '<content type="xhtml">',
  '<link href="javascript:x"/>',
  "<pubDate>Mon, 99 Foo 2024</pubDate>",
  "\n](x)[\n",
];

test("thousands of randomly broken feeds never throw, and every archivable item round-trips", () => {
  const dir = resolve("src/parse/fixtures");
  const seeds = readdirSync(dir)
    .filter((f) => /\.(xml|rss|atom)$/.test(f))
    .map((f) => readFileSync(join(dir, f)));
  seeds.push(readFileSync(SEED.feed));
  let state = 11;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  let parsed = 0;
  let archived = 0;
  for (let i = 0; i < 2000; i++) {
    let body = seeds[rand(seeds.length)] as Buffer;
    for (let k = 1 + rand(4); k > 0; k--) {
      const at = rand(body.length + 1);
      const piece = Buffer.from(HOSTILE[rand(HOSTILE.length)] as string, "latin1");
      const cut = rand(3) === 0 ? rand(100) : 0;
      body = Buffer.concat([body.subarray(0, at), piece, body.subarray(Math.min(body.length, at + cut))]);
    }
    const result = parseFeed(body, { url: "https://x.test/feed.xml" });
    if (!result.ok) {
      assert.match(result.error, /^parse: /);
      assert.ok(!result.error.includes("\n"), "errors are one line");
      continue;
    }
    parsed++;
    for (const raw of result.feed.items) {
      const item = normalizeItem(raw, Date.now(), "https://x.test/feed.xml");
      if (isSkipped(item)) continue;
      archived++;
      const text = formatArticle({
        published: item.published,
        title: item.title,
        url: item.url,
        content: item.content,
      });
      assert.equal(text.split("\n").length, 6, "an article file is always six lines");
      const back = parseArticle(text);
      assert.equal(back?.title, item.title);
      assert.equal(back?.content, item.content);
    }
  }
  assert.ok(parsed > 1000 && archived > 1000, `enough cases exercised (${parsed} feeds, ${archived} items)`);
});
