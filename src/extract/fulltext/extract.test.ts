import * as assert from "node:assert/strict";
import { test } from "node:test";
import { extractFulltext, selectorProblem } from "./extract.js";

const body = "这是一篇被审查的新闻报道的正文，记录了事件的经过。".repeat(6);
const page = `<html><head><title>页面</title></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<div class="story">
  <h1>标题</h1>
  <p>${body}</p>
  <p>另见<a href="related.html">相关报道</a>。<img src="/img/a.jpg" srcset="/img/a-small.jpg 320w, /img/a-big.jpg 1200w"></p>
  <script>track()</script>
</div>
<footer>版权所有</footer></body></html>`;

test("FT-01: a selector takes the inner HTML of the first match, on one line, with links resolved", () => {
  const got = extractFulltext(page, "https://www.voachinese.com/a/story.html", { selector: ".story" });
  assert.ok(got.ok);
  assert.ok(!got.html.includes("\n"));
  assert.ok(got.html.startsWith("<h1>标题</h1>"));
  assert.ok(got.html.includes('href="https://www.voachinese.com/a/related.html"'));
  assert.ok(got.html.includes('src="https://www.voachinese.com/img/a.jpg"'));
  assert.ok(got.html.includes("https://www.voachinese.com/img/a-big.jpg 1200w"));
  assert.ok(!got.html.includes("track()"), "scripts are page machinery, not article text");
  assert.ok(!got.html.includes("首页"));
});

test("FT-02: Readability finds the article and leaves navigation out, with lowercase tags", () => {
  const got = extractFulltext(page, "https://www.voachinese.com/a/story.html", "readability");
  assert.ok(got.ok);
  assert.ok(got.html.includes(body));
  assert.ok(!got.html.includes("版权所有"));
  assert.doesNotMatch(got.html, /<DIV|<\/DIV/);
  assert.ok(got.html.includes('href="https://www.voachinese.com/a/related.html"'));
});

test("FT-03: nothing found, or too little text, is a failure with a reason", () => {
  const none = extractFulltext(page, "https://x.test/", { selector: ".missing" });
  assert.deepEqual(none, { ok: false, reason: "nothing matches '.missing'" });
  const short = extractFulltext("<div class=s>短</div>", "https://x.test/", { selector: ".s" });
  assert.equal(short.ok, false);
  assert.match(short.ok ? "" : short.reason, /too short \(1 characters, want 40\)/);
});

test("FT-04: a selector that does not parse is reported once, before any page is fetched", () => {
  assert.equal(selectorProblem(".story p"), undefined);
  assert.ok(selectorProblem("div[") !== undefined);
});

test("FT-05: <base href> changes what relative links mean", () => {
  const html = `<base href="https://cdn.test/news/"><div id=a><p>${body}<img src="x.jpg"></p></div>`;
  const got = extractFulltext(html, "https://site.test/a/1", { selector: "#a" });
  assert.ok(got.ok && got.html.includes('src="https://cdn.test/news/x.jpg"'));
});
