import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { REAL_ARCHIVE } from "../../../test/support/fixtures.js";
import { SITE_FIXTURES, unsafeMarkup, visibleText } from "../../../test/support/site.js";
import { htmlTextWithBreaks } from "../../search/html.js";
import { parseArticle } from "../../store/files/article-format.js";
import { capNesting } from "./nesting.js";
import { sanitizeHtml } from "./sanitize.js";

describe("sanitizer", () => {
  test("SAN-01: the hostile fixture loses every script vector and keeps its text", () => {
    const input = readFileSync(join(SITE_FIXTURES, "hostile.html"), "utf8");
    const { html } = sanitizeHtml(input, { baseUrl: "https://news.example/a/1.html" });
    assert.deepEqual(unsafeMarkup(html), []);
    for (const safe of [
      "SAFE-TEXT-1",
      "SAFE-TEXT-2",
      "SAFE-TEXT-3",
      "SAFE-TEXT-4",
      "SAFE-TEXT-5",
      "SAFE-LINK",
      "开头",
      "结尾",
    ]) {
      assert.ok(html.includes(safe), `${safe} kept`);
    }
    assert.match(
      html,
      /<a href="https:\/\/example\.org\/ok" rel="nofollow noopener noreferrer">SAFE-LINK<\/a>/,
    );
    assert.match(html, /<p style="color:#c00;text-align:center">SAFE-TEXT-4<\/p>/);
    assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo=" alt="ok-data-image"/);
  });

  test("SAN-02: foreign iframes become links to what they embedded", () => {
    const { html } = sanitizeHtml(
      '<p>a</p><iframe src="https://www.youtube.com/embed/x?&&&a=1"  width="100%"></iframe>',
    );
    assert.equal(
      html,
      '<p>a</p><p class="embed"><a href="https://www.youtube.com/embed/x?&amp;&amp;&amp;a=1" rel="nofollow noopener noreferrer">[嵌入内容：www.youtube.com]</a></p>',
    );
  });

  test("SAN-03: lazy images get their real src, the <noscript> twin is shown once", () => {
    const input =
      '<noscript><img src="https://img.example/a.jpg"></noscript><img class="lazyload" src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" data-src="https://img.example/a.jpg"><img src="data:image/gif;base64,R0lGOD" data-src="https://img.example/b.jpg">';
    const { html, images } = sanitizeHtml(input);
    assert.deepEqual(images, ["https://img.example/a.jpg", "https://img.example/b.jpg"]);
    assert.equal((html.match(/<img /g) ?? []).length, 2);
    assert.match(html, /src="https:\/\/img\.example\/b\.jpg"/);
  });

  test("SAN-04: local copies replace image URLs; relative and protocol-relative URLs are resolved", () => {
    const { html } = sanitizeHtml('<img src="//cdn.example/x.jpg"><img src="/y.png"><a href="z.html">z</a>', {
      baseUrl: "https://www.rfa.org/mandarin/a.html",
      localImage: (url) => (url === "https://cdn.example/x.jpg" ? "../../images/ab/x.jpg" : undefined),
    });
    assert.match(html, /<img src="\.\.\/\.\.\/images\/ab\/x\.jpg"/);
    assert.match(html, /<img src="https:\/\/www\.rfa\.org\/y\.png"/);
    assert.match(html, /<a href="https:\/\/www\.rfa\.org\/mandarin\/z\.html"/);
  });

  test("SAN-05: <picture> sources are dropped so only the (possibly local) <img> loads", () => {
    const { html } = sanitizeHtml(
      '<picture><source srcSet="https://i.example/a.webp 240w" type="image/webp"><img src="https://i.example/a.jpg" srcset="https://i.example/a2.jpg 2x"></picture><video controls autoplay><source src="https://v.example/a.mp4" type="video/mp4"></video>',
    );
    assert.doesNotMatch(html, /webp|srcset|a2\.jpg|autoplay/i);
    assert.match(
      html,
      /<video controls preload="none"><source src="https:\/\/v\.example\/a\.mp4" type="video\/mp4"><\/video>/,
    );
  });

  test("SAN-06: every real-archive article keeps its visible text", () => {
    const dir = REAL_ARCHIVE.articles;
    let checked = 0;
    for (const outlet of readdirSync(dir)) {
      for (const name of readdirSync(join(dir, outlet))) {
        const article = parseArticle(readFileSync(join(dir, outlet, name), "utf8"));
        assert.ok(article, `${outlet}/${name} parses`);
        const { html } = sanitizeHtml(article.content, { baseUrl: article.url });
        assert.deepEqual(unsafeMarkup(html), [], `${outlet}/${name} is safe`);
        // The link that replaces an iframe is new text; everything else must be the article's own.
        const shown = html.replace(/<p class="embed">.*?<\/p>/g, "");
        assert.equal(visibleText(shown), visibleText(article.content), `${outlet}/${name} keeps its text`);
        checked++;
      }
    }
    assert.equal(checked, 33);
  });

  test("SAN-07: the text the sanitizer gives alongside is exactly the search text of the same HTML", () => {
    const inputs = [readFileSync(join(SITE_FIXTURES, "hostile.html"), "utf8")];
    const dir = REAL_ARCHIVE.articles;
    for (const outlet of readdirSync(dir))
      for (const name of readdirSync(join(dir, outlet)))
        inputs.push(parseArticle(readFileSync(join(dir, outlet, name), "utf8"))?.content ?? "");
    inputs.push(
      "<p>台湾</p><p>关系<script>x()</script><style>p{}</style>&amp;<svg><text>不</text></svg></p><br>末",
      `${"<div>".repeat(300)}深${"</div>".repeat(300)}<template>模板</template><title>题</title>`,
      "<p>unclosed <b>bold <i>both</p> after</b> &lt;tag&gt; &#x53F0;",
    );
    for (const input of inputs) {
      for (const separator of ["\n", " "]) {
        const { text } = sanitizeHtml(input, { textSeparator: separator });
        assert.equal(text, htmlTextWithBreaks(capNesting(input), separator));
      }
    }
    assert.equal(sanitizeHtml("<p>x</p>").text, undefined);
  });
});
