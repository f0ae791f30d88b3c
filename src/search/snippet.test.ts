import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { REAL_ARCHIVE } from "../../test/support/fixtures.js";
import { parseArticle } from "../store/files/index.js";
import { htmlToText } from "./html.js";
import { findMatches, makeSnippet } from "./snippet.js";
import { parseQuery } from "./tokenize.js";

test("P01: matches in folded form, shows the original characters", () => {
  const s = makeSnippet("民进党在臺灣举行集会", parseQuery("台湾"));
  assert.equal(s.text, "民进党在【臺灣】举行集会");
  assert.equal(s.html, "民进党在<mark>臺灣</mark>举行集会");
});

test("P02: Latin matches are whole words, case kept", () => {
  const s = makeSnippet("Putting Putin first", parseQuery("putin"));
  assert.equal(s.text, "Putting 【Putin】 first");
});

test("P03: long text is cut around the first match with ellipses", () => {
  const text = `${"甲".repeat(100)}李尚福${"乙".repeat(100)}`;
  const s = makeSnippet(text, parseQuery("李尚福"));
  assert.ok(s.text.startsWith("…") && s.text.endsWith("…"));
  assert.ok(s.text.includes(`${"甲".repeat(20)}【李尚福】乙`));
});

test("P04: a cut never splits a surrogate pair", () => {
  const text = `${"𠀀".repeat(60)}台湾${"𠀀".repeat(60)}`;
  const s = makeSnippet(text, parseQuery("台湾"));
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s.text));
});

/** Every article body of the real-archive sample as plain text. */
function realTexts(): string[] {
  const texts: string[] = [];
  for (const source of readdirSync(REAL_ARCHIVE.articles)) {
    for (const name of readdirSync(join(REAL_ARCHIVE.articles, source))) {
      const article = parseArticle(readFileSync(join(REAL_ARCHIVE.articles, source, name), "utf8"));
      if (article) texts.push(htmlToText(article.content));
    }
  }
  return texts;
}

test("P05: looking in a prefix first gives the snippet of the whole text, on real articles and cut words", () => {
  const texts = realTexts();
  // Queries taken from the texts: CJK runs of 1–6 characters, Latin words, two terms, a phrase.
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const queries: string[] = ["putin", "台湾 关系", '"vladimir putin"', "新冠", "美国", "a"];
  for (let i = 0; i < 120; i++) {
    const text = texts[Math.floor(random() * texts.length)] as string;
    const at = Math.floor(random() * text.length);
    const piece = text.slice(at, at + 1 + Math.floor(random() * 6)).trim();
    if (piece !== "") queries.push(i % 3 === 0 ? `"${piece}"` : piece);
  }
  // A word cut at the prefix's end, and a phrase whose match runs over it past punctuation.
  texts.push(`${"字".repeat(95)} putinism ${"字".repeat(50)} Putin`);
  texts.push(`${"字".repeat(97)}台湾。。。。。。关系${"字".repeat(200)}台湾关系`);
  // The window (characters 20–100, after 美国) shows the start of a 台湾……关系 match that ends past 104.
  texts.push(`${"字".repeat(40)}美国${"字".repeat(53)}台湾${"。".repeat(10)}关系${"字".repeat(200)}`);
  queries.push("美国 台湾关系");
  let fast = 0;
  for (const text of texts) {
    for (const q of queries) {
      const terms = parseQuery(q);
      const whole = makeSnippet(text, terms, 0);
      for (const prefix of [1, 40, 100, 101, 104, 500, 2000]) {
        assert.deepEqual(
          makeSnippet(text, terms, prefix),
          whole,
          `${q} in ${text.slice(0, 30)}…, prefix ${prefix}`,
        );
      }
      if (text.length > 600 && findMatches(text.slice(0, 600), terms).length > 0) fast++;
    }
  }
  assert.ok(fast > 100, `the prefix answered ${fast} snippets`);
});
