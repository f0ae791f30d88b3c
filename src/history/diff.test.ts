import * as assert from "node:assert/strict";
import { test } from "node:test";
import { diffText, renderDiff, tokenize } from "./diff.js";
import { articleText } from "./text.js";

test("HD-01: CJK text is compared character by character, other text word by word", () => {
  assert.deepEqual(tokenize("习近平 visited 北京."), [
    "习",
    "近",
    "平",
    " ",
    "visited",
    " ",
    "北",
    "京",
    ".",
  ]);
  const parts = diffText("警方逮捕了三名抗议者。", "警方拘留了三名抗议者。");
  assert.equal(renderDiff(parts, false), "警方[-逮捕-]{+拘留+}了三名抗议者。");
  assert.equal(
    renderDiff(diffText("the police arrested them", "the police detained them"), false),
    "the police [-arrested-]{+detained+} them",
  );
});

test("HD-02: colour is used only for terminals", () => {
  const parts = diffText("一二", "一三");
  assert.equal(renderDiff(parts, true), "一\x1b[31m二\x1b[0m\x1b[32m三\x1b[0m");
});

test("HD-03: article text keeps paragraphs as lines and decodes entities", () => {
  assert.equal(articleText("<p>台湾&amp;香港</p><p>关系<br>二</p><script>x</script>"), "台湾&香港\n关系\n二");
});
