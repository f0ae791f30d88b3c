import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import iconv from "iconv-lite";
import { isFeedFixture } from "../../scripts/make-parse-fixtures.js";
import { SEED } from "../../test/support/fixtures.js";
import type { ParsedFeed, ParsedItem } from "../model/feed.js";
import { parseFeed } from "./index.js";

const fixtures = path.resolve("src/parse/fixtures");

function feedOf(body: Buffer | string, hints?: Parameters<typeof parseFeed>[1]): ParsedFeed {
  const result = parseFeed(body, hints);
  assert.ok(result.ok, result.ok ? "" : result.error);
  return result.feed;
}

function firstItem(body: Buffer | string, hints?: Parameters<typeof parseFeed>[1]): ParsedItem {
  const item = feedOf(body, hints).items[0];
  assert.ok(item, "expected an item");
  return item;
}

const rss = (items: string, channel = "") =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>${channel}${items}</channel></rss>`;
const atom = (entries: string, attrs = "") =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>A</title>${entries}</feed>`;

describe("fixture pairs: each feed under src/parse/fixtures reads as its <name>.json says", () => {
  for (const name of readdirSync(fixtures).filter(isFeedFixture).sort()) {
    it(name, () => {
      const result = parseFeed(readFileSync(path.join(fixtures, name)));
      const expected = JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), "utf8"));
      assert.deepEqual(JSON.parse(JSON.stringify(result)), expected);
    });
  }
});

describe("the seed feed", () => {
  it("gives each VOA description byte for byte as line 5 of the archived article", () => {
    const feed = feedOf(readFileSync(SEED.feed));
    const expected: Record<string, string> = {
      "https://www.voachinese.com/a/china-defense-minister-continues-visit-in-russia-20230815/7225511.html":
        "1048573",
      "https://www.voachinese.com/a/china-steps-military-tie-with-russia-20230703/7164552.html": "1048574",
    };
    assert.equal(feed.items.length, 2);
    for (const item of feed.items) {
      const file = expected[item.link ?? ""];
      assert.ok(file, `unexpected link ${item.link}`);
      const md = readFileSync(path.join(SEED.articles, `${file}.md`), "utf8");
      assert.equal(item.summary, md.split("\n")[4]);
      assert.equal(item.content, undefined);
    }
  });
});

describe("FMT: formats", () => {
  it("FMT-01: RSS 2.0 maps description to summary and content:encoded to content, distinct", () => {
    const item = firstItem(
      rss(
        "<item><description>short</description><content:encoded>&lt;p&gt;long&lt;/p&gt;</content:encoded></item>",
      ),
    );
    assert.equal(item.summary, "short");
    assert.equal(item.content, "<p>long</p>");
  });
  it("FMT-02: RDF (RSS 1.0) items beside the channel are read, format rdf", () => {
    const feed = feedOf(readFileSync(path.join(fixtures, "rss10-rdf.xml")));
    assert.equal(feed.format, "rdf");
    assert.equal(feed.items.length, 2);
  });
  it("FMT-03: JSON Feed 1.1 content_text becomes escaped HTML content", () => {
    const feed = feedOf(
      JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        items: [{ id: 1, content_text: "a<b" }],
      }),
    );
    assert.equal(feed.items[0]?.content, "a&lt;b");
    assert.equal(feed.items[0]?.id, "1");
  });
  it("FMT-04: dc:creator, dc:subject and dc:date fill author, categories and published", () => {
    const item = firstItem(
      rss(
        "<item><dc:creator>甲</dc:creator><dc:subject>政治</dc:subject><dc:date>2023-08-15T10:00:00+08:00</dc:date></item>",
      ),
    );
    assert.equal(item.author, "甲");
    assert.deepEqual(item.categories, ["政治"]);
    assert.equal(item.published, "2023-08-15T02:00:00.000Z");
  });
  it("FMT-05: media:group content, thumbnails and description are read", () => {
    const item = firstItem(
      rss(
        '<item><media:group><media:content url="https://v/1.mp4" type="video/mp4" fileSize="99"/><media:thumbnail url="https://v/1.png"/><media:description>说明 &amp; 更多</media:description></media:group></item>',
      ),
    );
    assert.deepEqual(item.enclosures, [
      { url: "https://v/1.mp4", type: "video/mp4", length: 99 },
      { url: "https://v/1.png", type: "image/png", length: undefined },
    ]);
    assert.equal(item.summary, "说明 &amp; 更多");
  });
  it("FMT-06: a namespace bound to an unusual prefix still reads as content:encoded", () => {
    const xml = `<rss version="2.0" xmlns:c="http://purl.org/rss/1.0/modules/content/"><channel><item><c:encoded>full</c:encoded></item></channel></rss>`;
    assert.equal(firstItem(xml).content, "full");
  });
  it("FMT-07: guid is the item id, trimmed, and a permalink guid stands in for a missing link", () => {
    const item = firstItem(rss("<item><guid>  https://e.com/p/1 \n</guid></item>"));
    assert.equal(item.id, "https://e.com/p/1");
    assert.equal(item.link, "https://e.com/p/1");
    const notLink = firstItem(rss('<item><guid isPermaLink="false">https://e.com/p/2</guid></item>'));
    assert.equal(notLink.link, undefined);
  });
});

describe("ENC: decoding bytes before XML", () => {
  it("ENC-01: a UTF-8 BOM is dropped and the feed reads", () => {
    assert.equal(feedOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss(""))])).title, "T");
  });
  it("ENC-02: the HTTP charset wins over the XML prolog", () => {
    const body = iconv.encode(
      '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>繁體</title></channel></rss>',
      "big5",
    );
    assert.equal(feedOf(body, { contentType: "application/rss+xml; charset=big5" }).title, "繁體");
  });
  it("ENC-03: GBK declared only in the XML prolog", () => {
    const body = iconv.encode(
      '<?xml version="1.0" encoding="gbk"?><rss><channel><title>朱镕基</title></channel></rss>',
      "gbk",
    );
    assert.equal(feedOf(body).title, "朱镕基");
  });
  it("ENC-04: gb2312 is read as its superset, so GBK-only characters survive", () => {
    const body = iconv.encode(
      '<?xml version="1.0" encoding="gb2312"?><rss><channel><title>王堃</title></channel></rss>',
      "gb18030",
    );
    const feed = feedOf(body);
    assert.equal(feed.title, "王堃");
    assert.deepEqual(feed.warnings, []);
  });
  it("ENC-05: a stray invalid byte in UTF-8 text becomes U+FFFD and a warning, not a failure", () => {
    const body = Buffer.concat([
      Buffer.from("<rss><channel><title>中文a"),
      Buffer.from([0xff]),
      Buffer.from("b</title></channel></rss>"),
    ]);
    const feed = feedOf(body);
    assert.equal(feed.title, "中文a\uFFFDb");
    assert.match(feed.warnings.join("\n"), /invalid in utf-8/);
  });
  it("ENC-06: a header charset that contradicts the bytes yields to the prolog that fits them", () => {
    const body = iconv.encode(
      '<?xml version="1.0" encoding="gbk"?><rss><channel><title>中文</title></channel></rss>',
      "gbk",
    );
    const feed = feedOf(body, { contentType: "text/xml; charset=utf-8" });
    assert.equal(feed.title, "中文");
    assert.match(feed.warnings.join("\n"), /does not fit/);
  });
});

describe("XML: malformed feeds recovered with a warning", () => {
  it("XML-01: a stray '&' stays text", () => {
    const feed = feedOf(rss("<item><title>R&D</title><description>Q&A</description></item>"));
    assert.equal(feed.items[0]?.title, "R&D");
    assert.equal(feed.items[0]?.summary, "Q&A");
    assert.match(feed.warnings.join("\n"), /stray '&'/);
  });
  it("XML-02: control characters illegal in XML are removed", () => {
    const feed = feedOf(rss("<item><title>a\u0001b\u001fc</title></item>"));
    assert.equal(feed.items[0]?.title, "abc");
    assert.match(feed.warnings.join("\n"), /control characters/);
  });
  it("XML-03: undeclared HTML entities are read as HTML", () => {
    const feed = feedOf(rss("<item><description>a&nbsp;b&mdash;c&reg;</description></item>"));
    assert.equal(feed.items[0]?.summary, "a\u00a0b\u2014c\u00ae");
    assert.match(feed.warnings.join("\n"), /&nbsp;/);
  });
  it("XML-04: garbage before <?xml is skipped", () => {
    const feed = feedOf(`\n  PHP Warning: x\n${rss("")}`);
    assert.equal(feed.title, "T");
    assert.match(feed.warnings.join("\n"), /skipped/);
  });
  it("XML-05: a truncated feed keeps the items it has", () => {
    const feed = feedOf(
      rss("<item><title>one</title></item><item><title>tw").replace("</channel></rss>", ""),
    );
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ["one", "tw"],
    );
    assert.deepEqual(feed.warnings, [
      "parse: the document ends before </rss> (truncated); kept what was read",
    ]);
  });
  it("XML-08: an element closed by its parent's end tag, not by the end of input, is named", () => {
    const feed = feedOf(rss("<item><title>one</item>"));
    assert.deepEqual(feed.warnings, ["parse: <title> was not closed"]);
  });
  it("XML-06: entities declared in the internal DTD subset are used", () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY site "美国之音">]><rss><channel><title>&site;</title></channel></rss>`;
    const feed = feedOf(xml);
    assert.equal(feed.title, "美国之音");
    assert.deepEqual(feed.warnings, []);
  });
  it("XML-07: CR LF line ends read as LF, as XML requires", () => {
    assert.equal(firstItem(rss("<item><description>a\r\nb\rc</description></item>")).summary, "a\nb\nc");
  });
});

describe("JSON: recoverable JSON Feed faults are warnings", () => {
  it("JSON-01: a JSON Feed without an items array reads as empty, with a warning", () => {
    const feed = feedOf(JSON.stringify({ version: "https://jsonfeed.org/version/1", title: "x" }));
    assert.deepEqual(feed.items, []);
    assert.deepEqual(feed.warnings, ["parse: JSON Feed has no items array; read as empty"]);
  });
});

describe("CONTENT: HTML kept exactly", () => {
  it("CONTENT-01: CDATA content keeps its inner whitespace, untrimmed", () => {
    assert.equal(
      firstItem(rss("<item><content:encoded><![CDATA[\n  <p>x</p>  \n]]></content:encoded></item>")).content,
      "\n  <p>x</p>  \n",
    );
  });
  it("CONTENT-02: escaped HTML is unescaped once, not twice", () => {
    assert.equal(
      firstItem(rss("<item><description>&lt;p&gt;a &amp;amp; b&lt;/p&gt;</description></item>")).summary,
      "<p>a &amp; b</p>",
    );
  });
  it("CONTENT-03: Atom type=xhtml gives the div's children as written", () => {
    const entry = atom(
      '<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>a <b>b</b></p>\n<p>c</p></div></content></entry>',
    );
    assert.equal(firstItem(entry).content, "<p>a <b>b</b></p>\n<p>c</p>");
  });
  it("CONTENT-04: Atom xhtml with a prefix loses the prefix", () => {
    const entry = atom(
      '<entry><content type="xhtml"><x:div xmlns:x="http://www.w3.org/1999/xhtml"><x:p>a</x:p></x:div></content></entry>',
    );
    assert.equal(firstItem(entry).content, "<p>a</p>");
  });
  it("CONTENT-05: Atom type=html is unescaped once; type=text is escaped into HTML", () => {
    const item = firstItem(
      atom(
        '<entry><summary type="text">1 &lt; 2</summary><content type="html">&lt;p&gt;&amp;amp;&lt;/p&gt;</content></entry>',
      ),
    );
    assert.equal(item.content, "<p>&amp;</p>");
    assert.equal(item.summary, "1 &lt; 2");
  });
  it("CONTENT-06: Atom 0.3 mode=base64 content is decoded", () => {
    const b64 = Buffer.from("<p>内容</p>").toString("base64");
    const xml = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><content type="text/html" mode="base64">${b64}</content></entry></feed>`;
    assert.equal(firstItem(xml).content, "<p>内容</p>");
  });
  it("CONTENT-07: Atom 0.3 mode=escaped content is unescaped once", () => {
    const xml = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><content type="text/html" mode="escaped">&lt;i&gt;x&lt;/i&gt;</content></entry></feed>`;
    assert.equal(firstItem(xml).content, "<i>x</i>");
  });
  it("CONTENT-08: HTML left unescaped inside <description> is kept as markup", () => {
    assert.equal(
      firstItem(rss("<item><description><p>a<br>b</p></description></item>")).summary,
      "<p>a<br>b</p>",
    );
  });
});

describe("TITLE: plain-text titles", () => {
  it("TITLE-01: HTML in an RSS title is stripped, entities decoded, whitespace collapsed", () => {
    assert.equal(
      firstItem(rss("<item><title>  &lt;b&gt;AT&amp;amp;T&lt;/b&gt;\n  新闻 </title></item>")).title,
      "AT&T 新闻",
    );
  });
  it("TITLE-02: an Atom type=text title keeps '<' as text", () => {
    assert.equal(firstItem(atom('<entry><title type="text">a &lt;b&gt; c</title></entry>')).title, "a <b> c");
  });
  it("TITLE-03: an ideographic space inside a Chinese title is kept", () => {
    assert.equal(firstItem(rss("<item><title>标题\u3000副题</title></item>")).title, "标题\u3000副题");
  });
});

describe("LINK: absolute links", () => {
  it("LINK-01: relative item links resolve against the channel link", () => {
    assert.equal(
      firstItem(rss("<item><link>/a/1</link></item>", "<link>https://e.com/zh/</link>")).link,
      "https://e.com/a/1",
    );
  });
  it("LINK-02: without a channel link they resolve against the URL hint", () => {
    assert.equal(
      firstItem(rss("<item><link>a/1</link></item>"), { url: "https://f.com/rss/x.xml" }).link,
      "https://f.com/rss/a/1",
    );
  });
  it("LINK-03: xml:base wins and nests", () => {
    const xml = atom('<entry xml:base="b/"><link href="c.html"/></entry>', ' xml:base="https://x.com/a/"');
    const item = firstItem(xml);
    assert.equal(item.link, "https://x.com/a/b/c.html");
    assert.equal(item.base, "https://x.com/a/b/");
  });
  it("LINK-04: a relative xml:base resolves against the URL hint", () => {
    const xml = atom('<entry><link href="c.html"/></entry>', ' xml:base="/blog/"');
    assert.equal(firstItem(xml, { url: "https://y.com/feed.atom" }).link, "https://y.com/blog/c.html");
  });
  it("LINK-05: an absolute link with Chinese characters is kept as written", () => {
    assert.equal(
      firstItem(rss("<item><link> https://e.com/新闻/1 </link></item>")).link,
      "https://e.com/新闻/1",
    );
  });
  it("LINK-06: the Atom alternate link is preferred over self and JSON alternates", () => {
    const xml = atom(
      '<entry><link rel="self" href="https://e.com/s"/><link rel="alternate" type="application/json" href="https://e.com/j"/><link href="https://e.com/h"/></entry>',
    );
    assert.equal(firstItem(xml).link, "https://e.com/h");
  });
});

describe("DATE: dates in items", () => {
  it("DATE-01: an unreadable date sets badDate, leaves published undefined and warns", () => {
    const feed = feedOf(rss("<item><pubDate>sometime soon</pubDate></item>"));
    assert.equal(feed.items[0]?.published, undefined);
    assert.equal(feed.items[0]?.badDate, "sometime soon");
    assert.match(feed.warnings.join("\n"), /unreadable date/);
  });
  it("DATE-02: Atom published/updated are read separately", () => {
    const item = firstItem(
      atom(
        "<entry><published>2023-08-15T08:00:00+08:00</published><updated>2023-08-16T00:00:00Z</updated></entry>",
      ),
    );
    assert.equal(item.published, "2023-08-15T00:00:00.000Z");
    assert.equal(item.updated, "2023-08-16T00:00:00.000Z");
  });
});

describe("BAD: unusable input", () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ["empty", "", /^parse: empty document$/],
    ["whitespace", Buffer.from(" \n\t "), /^parse: empty document$/],
    ["an HTML page", "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", /HTML page/],
    ["plain text", "just some words", /neither XML nor JSON/],
    ["another XML vocabulary", "<?xml version='1.0'?><svg/>", /not a feed \(root element <svg>\)/],
    ["JSON that is no feed", '{"a":1}', /not a JSON Feed/],
    ["broken JSON", "{ nope", /invalid JSON/],
  ];
  for (const [name, body, why] of cases) {
    it(`BAD: ${name} gives ok:false with one line`, () => {
      const result = parseFeed(body);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.error, why);
        assert.ok(!result.error.includes("\n"));
      }
    });
  }
});
