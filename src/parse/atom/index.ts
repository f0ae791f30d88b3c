import { isUtf8 } from "node:buffer";
import type { ParsedFeed, ParsedItem } from "../../model/feed.js";
import { addEnclosure, categoryList, link, type ReadContext, readDates, readMedia } from "../common.js";
import { parseDate } from "../dates.js";
import { messages } from "../messages.js";
import { collapse, escapeHtml, isBlank, looksLikeHtml, plainText } from "../text.js";
import { resolveUrl } from "../urls.js";
import type { Warnings } from "../warnings.js";
import { child, children, childText, innerMarkup } from "../xml/query.js";
import type { XmlDocument, XmlElement } from "../xml/tree.js";

/** True when the root element is an Atom 0.3 or 1.0 feed. */
export function detectAtom(root: XmlElement): boolean {
  return root.name === "feed";
}

type Kind = "text" | "html" | "markup";

// Atom 1.0 says type="text|html|xhtml"; Atom 0.3 says a MIME type plus mode="xml|escaped|base64".
function kindOf(el: XmlElement): Kind {
  const type = (el.attrs.type ?? "text").trim().toLowerCase();
  if (type === "html" || type === "text/html") return "html";
  if (type === "xhtml" || type.endsWith("xml")) return "markup";
  if (el.attrs.mode === "xml" && el.children.length > 0) return "markup";
  return "text";
}

// INFO: RFC 4287 §4.1.3.3 — a type that is neither text, HTML, XHTML, text/* nor XML means the
// element holds Base64 (feeds write type="base64" or "application/octet-stream"); Atom 0.3 says mode="base64".
function isBase64(el: XmlElement): boolean {
  if (el.attrs.mode === "base64") return true;
  const type = el.attrs.type?.trim().toLowerCase();
  if (type === undefined || type === "" || type === "text" || type === "html" || type === "xhtml")
    return false;
  return !type.startsWith("text/") && !type.endsWith("/xml") && !type.endsWith("+xml");
}

// A Base64 payload whose type says neither text nor HTML (octet-stream, "base64") is HTML if it looks like it.
function base64Kind(el: XmlElement, text: string): Kind {
  const type = (el.attrs.type ?? "").trim().toLowerCase();
  if (el.attrs.mode === "base64" || type.startsWith("text/")) return kindOf(el);
  return looksLikeHtml(text) ? "html" : "text";
}

function base64Text(el: XmlElement, warnings: Warnings): string | undefined {
  const bytes = Buffer.from(el.text.replace(/\s+/g, ""), "base64");
  if (!isUtf8(bytes)) {
    warnings.add(messages.badBase64(el.name, el.attrs.type?.trim() || "text"));
    return undefined;
  }
  return bytes.toString("utf8");
}

// XHTML content wraps its markup in one <div>, which is not part of the content (RFC 4287 §3.1.1.3).
function xhtmlInner(doc: XmlDocument, el: XmlElement): string {
  const div = el.children.length === 1 && el.children[0]?.name.endsWith("div") ? el.children[0] : undefined;
  if (div && isBlank(el.text)) return innerMarkup(doc, div);
  return innerMarkup(doc, el);
}

/** An Atom text construct (content, summary) as HTML, exactly as the feed gave it where it gave HTML. */
function htmlConstruct(doc: XmlDocument, el: XmlElement | undefined, warnings: Warnings): string | undefined {
  if (!el || el.attrs.src !== undefined) return undefined;
  const kind = kindOf(el);
  let html: string | undefined;
  if (isBase64(el)) {
    const text = base64Text(el, warnings);
    html = text === undefined ? undefined : base64Kind(el, text) === "text" ? escapeHtml(text) : text;
  } else if (kind === "markup" || el.children.length > 0) {
    if (kind !== "markup") warnings.add(messages.rawHtml(el.name));
    html = xhtmlInner(doc, el);
  } else html = kind === "html" ? el.text : escapeHtml(el.text);
  return html === undefined || isBlank(html) ? undefined : html;
}

/** An Atom text construct (title, subtitle) as plain text. */
function textConstruct(doc: XmlDocument, el: XmlElement | undefined, warnings: Warnings): string | undefined {
  if (!el) return undefined;
  const kind = kindOf(el);
  if (isBase64(el)) {
    const text = base64Text(el, warnings);
    if (text === undefined) return undefined;
    return base64Kind(el, text) === "text" ? collapse(text) : plainText(text);
  }
  if (kind === "markup" || el.children.length > 0) return plainText(xhtmlInner(doc, el));
  // type="text" is plain already: "<b>" there is literal text, not a tag.
  return kind === "html" ? plainText(el.text) : collapse(el.text);
}

function alternateHref(el: XmlElement): { href: string; el: XmlElement } | undefined {
  let found: { href: string; el: XmlElement } | undefined;
  for (const l of children(el, "link")) {
    const rel = (l.attrs.rel ?? "alternate").trim();
    const href = l.attrs.href ?? (l.text.trim() || undefined);
    if (rel !== "alternate" || href === undefined) continue;
    const type = l.attrs.type;
    // Prefer the HTML page when a feed offers several alternates (HTML, AMP, JSON…).
    if (!type || type.includes("html")) return { href, el: l };
    found ??= { href, el: l };
  }
  return found;
}

function authorsOf(el: XmlElement): string | undefined {
  const names = children(el, "author")
    .map((a) => collapse(child(a, "name")?.text ?? a.text))
    .filter((n): n is string => n !== undefined);
  const dc = children(el, "dc:creator").map((c) => collapse(c.text));
  const all = [...new Set([...names, ...dc.filter((n): n is string => n !== undefined)])];
  return all.length > 0 ? all.join(", ") : undefined;
}

function readEntry(doc: XmlDocument, entry: XmlElement, ctx: ReadContext): ParsedItem {
  const alt = alternateHref(entry);
  const enclosures: ParsedItem["enclosures"] = [];
  for (const l of children(entry, "link")) {
    if (l.attrs.rel === "enclosure")
      addEnclosure(enclosures, link(l.attrs.href, l, ctx), l.attrs.type, l.attrs.length);
  }
  const media = readMedia(doc, entry, enclosures, ctx);
  const content = child(entry, "content");
  const summary = child(entry, "summary");
  return {
    id: childText(entry, "id"),
    title: textConstruct(doc, child(entry, "title"), ctx.warnings) ?? plainText(media.title),
    link: alt ? link(alt.href, alt.el, ctx) : undefined,
    ...readDates(
      [
        childText(entry, "published"),
        childText(entry, "issued"),
        childText(entry, "created"),
        childText(entry, "dc:date"),
        childText(entry, "dcterms:issued"),
        childText(entry, "dcterms:created"),
      ],
      [childText(entry, "updated"), childText(entry, "modified"), childText(entry, "dcterms:modified")],
      ctx.warnings,
    ),
    author: authorsOf(entry),
    summary: htmlConstruct(doc, summary, ctx.warnings) ?? media.description,
    content: htmlConstruct(doc, content, ctx.warnings),
    base: (content ?? summary ?? entry).base ?? ctx.base,
    categories: categoryList([
      ...children(entry, "category").map((c) => c.attrs.term ?? c.attrs.label ?? c.text),
      ...children(entry, "dc:subject").map((c) => c.text),
    ]),
    enclosures,
  };
}

/** Reads an Atom 0.3 or 1.0 document into a ParsedFeed. */
export function parseAtom(doc: XmlDocument, docUrl: string | undefined, warnings: Warnings): ParsedFeed {
  const root = doc.root;
  const alt = alternateHref(root);
  const feedLink = alt ? resolveUrl(alt.href, alt.el.base ?? docUrl) : undefined;
  const ctx: ReadContext = { warnings, base: feedLink ?? docUrl };
  const updatedRaw =
    childText(root, "updated") ?? childText(root, "modified") ?? childText(root, "dcterms:modified");
  const updated = parseDate(updatedRaw);
  if (updatedRaw !== undefined && updated === undefined) warnings.add(messages.badDate(updatedRaw));
  const subtitle = child(root, "subtitle") ?? child(root, "tagline");
  return {
    format: "atom",
    title: textConstruct(doc, child(root, "title"), warnings),
    link: alt ? link(alt.href, alt.el, ctx) : undefined,
    description: subtitle ? textConstruct(doc, subtitle, warnings) : plainText(childText(root, "info")),
    language: collapse(root.attrs["xml:lang"]) ?? collapse(childText(root, "dc:language")),
    updated,
    warnings: [],
    items: children(root, "entry").map((entry) => readEntry(doc, entry, ctx)),
  };
}
