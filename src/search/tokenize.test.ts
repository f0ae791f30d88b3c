import * as assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fold, foldWithOrigin, indexText, parseQuery, tokensOfFolded } from "./tokenize.js";

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
