import * as assert from "node:assert/strict";
import { test } from "node:test";
import { makeSnippet } from "./snippet.js";
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
