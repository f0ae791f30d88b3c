import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { REAL_ARCHIVE } from "../../test/support/fixtures.js";
import { parseArticle } from "../store/files/index.js";
import { htmlToText } from "./html.js";
import { fold, foldWithOrigin, indexText, indexWithChars, parseQuery, tokensOfFolded } from "./tokenize.js";

/** What indexWithChars must return: the tokens and distinct CJK characters of the folded text. */
function reference(text: string): { tokens: string; chars: string } {
  const chars = new Set<string>();
  const tokens = tokensOfFolded(fold(text), chars).join(" ");
  return { tokens, chars: [...chars].join(" ") };
}

describe("fold", () => {
  test("T01: traditional and Taiwan/Hong Kong forms fold to simplified", () => {
    assert.equal(fold("臺灣"), "台湾");
    assert.equal(fold("台灣"), "台湾");
    assert.equal(fold("台湾"), "台湾");
    assert.equal(fold("國"), "国");
    assert.equal(fold("發"), "发");
    assert.equal(fold("髮"), "发");
    assert.equal(fold("颱風"), "台风");
  });

  test("T02: NFKC and lower case: fullwidth ＡＢＣ and ideographic space", () => {
    assert.equal(fold("ＡＢＣ　Putin"), "abc putin");
  });

  test("T03: folding is idempotent", () => {
    const text = "臺灣國發髮後乾颱檯著裡為ＡＢＣ";
    assert.equal(fold(fold(text)), fold(text));
  });

  test("T04: foldWithOrigin points back into the original text", () => {
    const text = "a臺灣𠀀Ｂ";
    const { folded, origin } = foldWithOrigin(text);
    assert.equal(folded, "a台湾𠀀b");
    assert.equal(origin.length, folded.length + 1);
    assert.equal(text.slice(origin[1], origin[3]), "臺灣");
    assert.equal(origin[folded.length], text.length);
  });
});

describe("index tokens", () => {
  test("T05: CJK runs give bigrams and their last character; words stay whole", () => {
    assert.deepEqual(tokensOfFolded("中俄关系"), ["中俄", "俄关", "关系", "系"]);
    assert.deepEqual(tokensOfFolded("国"), ["国"]);
    assert.deepEqual(tokensOfFolded("a股 iphone15上市"), ["a", "股", "iphone15", "上市", "市"]);
    assert.deepEqual(tokensOfFolded("台湾，中国"), ["台湾", "湾", "中国", "国"]);
  });

  test("T06: indexText folds first", () => {
    assert.equal(indexText("臺灣 Putin"), "台湾 湾 putin");
  });

  test("T10: indexWithChars gives the tokens and characters of the folded text, in one pass", () => {
    const samples = [
      "",
      "臺灣，台湾",
      "中俄关系 Putin said",
      "a股 iphone15上市",
      "ＡＢＣ　㈱會社 ﬁle Ⅻ",
      "𠀀𠀁 x𠀂y",
      "lone \ud800 high, lone \udc00 low 台\ud800灣",
      "かなカナー한국어ㄅㄆ",
      "e\u0301cole café",
      "123,456.7 臺北市 2024年",
    ];
    for (const text of samples) assert.deepEqual(indexWithChars(text), reference(text), text);
    const dir = REAL_ARCHIVE.articles;
    for (const outlet of readdirSync(dir)) {
      for (const name of readdirSync(join(dir, outlet))) {
        const article = parseArticle(readFileSync(join(dir, outlet, name), "utf8"));
        if (!article) continue;
        for (const text of [article.title, htmlToText(article.content)])
          assert.deepEqual(indexWithChars(text), reference(text), `${outlet}/${name}`);
      }
    }
  });
});

describe("queries", () => {
  test("T07: CJK terms become phrases of bigrams; one character is a prefix", () => {
    assert.deepEqual(
      parseQuery("臺灣").map((t) => [t.tokens, t.prefix]),
      [[["台湾"], false]],
    );
    assert.deepEqual(
      parseQuery("李尚福").map((t) => [t.tokens, t.prefix]),
      [[["李尚", "尚福"], false]],
    );
    assert.deepEqual(
      parseQuery("福").map((t) => [t.tokens, t.prefix]),
      [[["福"], true]],
    );
    assert.deepEqual(
      parseQuery("a股").map((t) => [t.tokens, t.prefix]),
      [[["a", "股"], true]],
    );
  });

  test("T08: terms are split on spaces; quotes keep a phrase", () => {
    assert.deepEqual(
      parseQuery('台湾　Putin "Vladimir Putin" 「中国 美国」').map((t) => t.tokens),
      [["台湾"], ["putin"], ["vladimir", "putin"], ["中国", "国", "美国"]],
    );
  });

  test("T09: punctuation-only terms are dropped", () => {
    assert.deepEqual(parseQuery("— ， *"), []);
  });
});
