/**
 * Feeds of the archive: RSS 2.0, Atom 1.0 and JSON Feed 1.1. A mirror's host is unknown, so item
 * links point to the original article and ids are stable `newsark:<source>/<n>` URIs.
 */
import { htmlToText } from "../../search/html.js";

/** One archived article as a feed entry. */
export interface FeedItem {
  /** Stable id, e.g. "newsark:voa/1048573". */
  id: string;
  title: string;
  /** The original article URL. */
  url: string;
  /** ms since epoch; NaN when unknown (the archive time is used instead). */
  published: number;
  /** When the archive saw the current version, ms since epoch. */
  updated: number;
  /** Sanitized HTML of the full article. */
  contentHtml: string;
  /** The outlet's display name. */
  author: string;
}

/**
 * What a feed says about itself.
 *
 * @example
 * { id: "newsark:feed/voa", title: "美国之音 - 新闻存档", link: "https://www.voachinese.com/" }
 */
export interface FeedMeta {
  id: string;
  title: string;
  description: string;
  /** A web page for the feed; the newest item's site when nothing better is known. */
  link: string;
}

/** The three files of one feed, by extension. */
export interface FeedFiles {
  xml: string;
  atom: string;
  json: string;
}

const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these code points are not allowed in XML 1.0
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML content or a double-quoted attribute, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, "")
    .replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}

function when(item: FeedItem): number {
  return Number.isFinite(item.published) && item.published > 0 ? item.published : item.updated;
}

function iso(ms: number): string {
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : 0).toISOString();
}

/** The newest time among the items, for the feed's own date. */
function newest(items: FeedItem[]): number {
  return items.reduce((m, i) => Math.max(m, i.updated, when(i)), 0);
}

/** The first words of an article as plain text, for RSS readers that show only `<description>`. */
export function excerpt(html: string, length = 160): string {
  const text = htmlToText(html);
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** RSS 2.0 with an excerpt in `<description>` and the full content in `<content:encoded>`. */
export function renderRss(meta: FeedMeta, items: FeedItem[]): string {
  const entries = items.map(
    (i) => `<item>
<title>${escapeXml(i.title)}</title>
<link>${escapeXml(i.url)}</link>
<guid isPermaLink="false">${escapeXml(i.id)}</guid>
<pubDate>${new Date(when(i)).toUTCString()}</pubDate>
<description>${escapeXml(excerpt(i.contentHtml))}</description>
<content:encoded>${escapeXml(i.contentHtml)}</content:encoded>
</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>${escapeXml(meta.title)}</title>
<link>${escapeXml(meta.link)}</link>
<description>${escapeXml(meta.description)}</description>
<language>zh-cn</language>
<lastBuildDate>${new Date(newest(items)).toUTCString()}</lastBuildDate>
<generator>newsark</generator>
${entries.join("\n")}
</channel>
</rss>
`;
}

/** Atom 1.0 with the full content as escaped HTML. */
export function renderAtom(meta: FeedMeta, items: FeedItem[]): string {
  const entries = items.map(
    (i) => `<entry>
<id>${escapeXml(i.id)}</id>
<title type="text">${escapeXml(i.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(i.url)}"/>
<published>${iso(when(i))}</published>
<updated>${iso(Math.max(i.updated, when(i)))}</updated>
<author><name>${escapeXml(i.author)}</name></author>
<content type="html">${escapeXml(i.contentHtml)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">
<id>${escapeXml(meta.id)}</id>
<title type="text">${escapeXml(meta.title)}</title>
<subtitle type="text">${escapeXml(meta.description)}</subtitle>
<link rel="alternate" type="text/html" href="${escapeXml(meta.link)}"/>
<updated>${iso(newest(items))}</updated>
<generator>newsark</generator>
${entries.join("\n")}
</feed>
`;
}

/** JSON Feed 1.1. */
export function renderJsonFeed(meta: FeedMeta, items: FeedItem[]): string {
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: meta.title,
    home_page_url: meta.link,
    description: meta.description,
    language: "zh-CN",
    items: items.map((i) => ({
      id: i.id,
      url: i.url,
      title: i.title,
      content_html: i.contentHtml,
      date_published: iso(when(i)),
      date_modified: iso(Math.max(i.updated, when(i))),
      authors: [{ name: i.author }],
    })),
  };
  return `${JSON.stringify(feed, null, 1)}\n`;
}

/** All three formats of one feed. */
export function renderFeeds(meta: FeedMeta, items: FeedItem[]): FeedFiles {
  return { xml: renderRss(meta, items), atom: renderAtom(meta, items), json: renderJsonFeed(meta, items) };
}
