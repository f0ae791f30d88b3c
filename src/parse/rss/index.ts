import type { ParsedFeed, ParsedItem } from "../../model/feed.js";
import { addEnclosure, categoryList, link, type ReadContext, readDates, readMedia } from "../common.js";
import { parseDate } from "../dates.js";
import { messages } from "../messages.js";
import { collapse, escapeHtml, isBlank, looksLikeHtml, plainText } from "../text.js";
import { isAbsoluteUrl, resolveUrl } from "../urls.js";
import type { Warnings } from "../warnings.js";
import { child, children, childText, deepText, htmlOf, innerMarkup } from "../xml/query.js";
import type { XmlDocument, XmlElement } from "../xml/tree.js";

/** Which RSS dialect a root element is: "rss" (0.91–2.0), "rdf" (0.90 and 1.0), or undefined. */
export function detectRss(root: XmlElement): "rss" | "rdf" | undefined {
  if (root.name === "rss") return "rss";
  if (root.name === "rdf:rdf" || root.name === "rdf") return "rdf";
  return undefined;
}

// A title may hold HTML, escaped or not; newsark keeps titles as plain text.
function titleOf(doc: XmlDocument, el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return plainText(el.children.length > 0 ? innerMarkup(doc, el) : el.text);
}

function alternate(el: XmlElement): string | undefined {
  for (const l of children(el, "atom:link")) {
    const rel = l.attrs.rel ?? "alternate";
    if (rel === "alternate" && l.attrs.href) return l.attrs.href;
  }
  return undefined;
}

function authorOf(item: XmlElement): string | undefined {
  const names = [
    ...children(item, "author").map((a) => a.text),
    ...children(item, "dc:creator").map((a) => a.text),
    ...children(item, "atom:author").map((a) => child(a, "atom:name")?.text),
  ];
  const list = names.map((n) => collapse(n)).filter((n): n is string => n !== undefined);
  return list.length > 0 ? [...new Set(list)].join(", ") : childText(item, "itunes:author");
}

// INFO: itunes:summary and itunes:subtitle are plain text by Apple's rules, yet podcast feeds
// routinely put HTML in them, escaped or not.
function plainOrHtml(doc: XmlDocument, el: XmlElement | undefined, warnings: Warnings): string | undefined {
  if (!el) return undefined;
  if (el.children.length > 0) return htmlOf(doc, el, warnings);
  if (isBlank(el.text)) return undefined;
  return looksLikeHtml(el.text) ? el.text : escapeHtml(el.text);
}

function bodyMarkup(doc: XmlDocument, body: XmlElement): string | undefined {
  const html = body.children.length > 0 ? innerMarkup(doc, body) : escapeHtml(body.text);
  return isBlank(html) ? undefined : html;
}

// itunes:category names its category in the text attribute and nests subcategories inside.
function itunesCategories(el: XmlElement): (string | undefined)[] {
  return children(el, "itunes:category").flatMap((c) => [c.attrs.text, ...itunesCategories(c)]);
}

function readItem(doc: XmlDocument, item: XmlElement, ctx: ReadContext): ParsedItem {
  const guid = child(item, "guid");
  const id = guid?.text.trim() || childText(item, "atom:id") || item.attrs["rdf:about"]?.trim() || undefined;
  let href = childText(item, "link") ?? alternate(item);
  // INFO: RSS 2.0 — a guid is the item's permalink unless isPermaLink="false".
  if (href === undefined && guid && guid.attrs.ispermalink !== "false" && isAbsoluteUrl(id)) href = id;
  href ??= item.attrs["rdf:about"];
  const enclosures: ParsedItem["enclosures"] = [];
  for (const e of children(item, "enclosure")) {
    addEnclosure(enclosures, link(e.attrs.url, e, ctx), e.attrs.type, e.attrs.length);
  }
  for (const l of children(item, "atom:link")) {
    if (l.attrs.rel === "enclosure")
      addEnclosure(enclosures, link(l.attrs.href, l, ctx), l.attrs.type, l.attrs.length);
  }
  const media = readMedia(doc, item, enclosures, ctx);
  const description = child(item, "description") ?? child(item, "dc:description");
  const encoded = child(item, "content:encoded");
  // INFO: some feeds carry the full article as XHTML in <body xmlns="http://www.w3.org/1999/xhtml">.
  const body = encoded ? undefined : child(item, "xhtml:body");
  const summary =
    htmlOf(doc, description, ctx.warnings) ??
    plainOrHtml(doc, child(item, "itunes:summary") ?? child(item, "itunes:subtitle"), ctx.warnings) ??
    media.description;
  return {
    id,
    title: titleOf(doc, child(item, "title") ?? child(item, "dc:title")) ?? plainText(media.title),
    link: link(href, child(item, "link") ?? item, ctx),
    ...readDates(
      [
        childText(item, "pubdate"),
        childText(item, "dc:date"),
        childText(item, "dcterms:issued"),
        childText(item, "dcterms:created"),
        childText(item, "atom:published"),
        childText(item, "dcterms:date"),
      ],
      [childText(item, "dcterms:modified"), childText(item, "atom:updated")],
      ctx.warnings,
    ),
    author: authorOf(item),
    summary,
    content: body ? bodyMarkup(doc, body) : htmlOf(doc, encoded, ctx.warnings),
    base: (encoded ?? body ?? description ?? item).base ?? ctx.base,
    categories: categoryList([
      ...children(item, "category").map((c) => c.text),
      ...children(item, "dc:subject").map((c) => c.text),
      ...itunesCategories(item),
    ]),
    enclosures,
  };
}

/** Reads an RSS 0.9x/2.0 or RDF (RSS 0.90/1.0) document into a ParsedFeed. */
export function parseRss(
  doc: XmlDocument,
  format: "rss" | "rdf",
  docUrl: string | undefined,
  warnings: Warnings,
): ParsedFeed {
  const root = doc.root;
  const channel = child(root, "channel") ?? root;
  const rawLink = childText(channel, "link") ?? alternate(channel);
  const feedLink = rawLink !== undefined ? resolveUrl(rawLink, channel.base ?? docUrl) : undefined;
  // Relative item links point into the site, so the site's link is the better base than the feed's URL.
  const ctx: ReadContext = { warnings, base: feedLink ?? docUrl };
  // RSS 1.0 and sloppy 2.0 feeds put items beside the channel rather than inside it.
  const items = [...children(channel, "item"), ...(channel === root ? [] : children(root, "item"))];
  const updatedRaw =
    childText(channel, "lastbuilddate") ??
    childText(channel, "pubdate") ??
    childText(channel, "dc:date") ??
    childText(channel, "dcterms:modified") ??
    childText(channel, "atom:updated");
  const updated = parseDate(updatedRaw);
  if (updatedRaw !== undefined && updated === undefined) warnings.add(messages.badDate(updatedRaw));
  return {
    format,
    title: titleOf(doc, child(channel, "title") ?? child(channel, "dc:title")),
    link: feedLink ?? (rawLink !== undefined ? link(rawLink, channel, ctx) : undefined),
    description: plainText(descriptionOf(channel)),
    language:
      collapse(childText(channel, "language") ?? childText(channel, "dc:language")) ??
      root.attrs["xml:lang"] ??
      channel.attrs["xml:lang"],
    updated,
    warnings: [],
    items: items.map((item) => readItem(doc, item, ctx)),
  };
}

function descriptionOf(channel: XmlElement): string | undefined {
  const el =
    child(channel, "description") ??
    child(channel, "dc:description") ??
    child(channel, "itunes:subtitle") ??
    child(channel, "itunes:summary");
  return el ? deepText(el) : undefined;
}
