import assert from "node:assert/strict";
import { test } from "node:test";
import { toOneLine } from "./one-line.js";

const cases: [string, string, string][] = [
  ["OL-01: content already on one line is untouched", "<p>a  b</p>", "<p>a  b</p>"],
  ["OL-02: a break between tags disappears", "<p>a</p>\n  <p>b</p>", "<p>a</p><p>b</p>"],
  ["OL-03: a break between CJK characters disappears", "<p>中国\n国防</p>", "<p>中国国防</p>"],
  ["OL-04: a break between words becomes one space", "<p>hello\nworld</p>", "<p>hello world</p>"],
  ["OL-05: a break between a word and a tag becomes a space", "<b>x</b>\nword", "<b>x</b> word"],
  ["OL-06: CRLF and CR count as breaks", "a\r\nb\rc", "a b c"],
  [
    "OL-07: <pre> keeps its breaks as &#10;",
    "<p>a</p>\n<pre>line1\nline2</pre>\n<p>b</p>",
    "<p>a</p><pre>line1&#10;line2</pre><p>b</p>",
  ],
  ["OL-08: CJK punctuation joins", "你好。\n再见", "你好。再见"],
  ["OL-09: leading and trailing breaks vanish", "\n<p>x</p>\n", "<p>x</p>"],
];

for (const [name, input, expected] of cases) {
  test(name, () => assert.equal(toOneLine(input), expected));
}
