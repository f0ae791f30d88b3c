import { messages } from "../messages.js";
import { escapeHtml, isBlank } from "../text.js";
import type { Warnings } from "../warnings.js";
import type { XmlDocument, XmlElement } from "./tree.js";

/** The first child element with this canonical name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** All child elements with this canonical name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Text of the first child with this name, trimmed; undefined when absent or blank. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const text = child(el, name)?.text.trim();
  return text ? text : undefined;
}

/** All text below an element, in document order. */
export function deepText(el: XmlElement): string {
  if (el.children.length === 0) return el.text;
  return el.text + el.children.map(deepText).join("");
}

/**
 * The element's inner markup exactly as written, for XHTML content and for HTML that a feed put
 * into an element without escaping it. Namespace prefixes on tags (`<xhtml:p>`) are dropped and
 * CDATA sections escaped, so the result reads as HTML.
 */
export function innerMarkup(doc: XmlDocument, el: XmlElement): string {
  let s = doc.source.slice(el.start, el.end);
  if (s.includes("<![CDATA["))
    s = s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => escapeHtml(text));
  if (el.children.some((c) => c.name.includes(":")))
    s = s.replace(/<(\/?)[A-Za-z][\w.-]*:(?=[A-Za-z])/g, "<$1");
  return s;
}

/**
 * An element holding HTML (RSS description, content:encoded): its text after unescaping and CDATA,
 * byte for byte; or, when the feed left the HTML unescaped, the markup as written.
 */
export function htmlOf(doc: XmlDocument, el: XmlElement | undefined, warnings: Warnings): string | undefined {
  if (!el) return undefined;
  let html = el.text;
  if (el.children.length > 0) {
    warnings.add(messages.rawHtml(el.name));
    html = innerMarkup(doc, el);
  }
  return isBlank(html) ? undefined : html;
}
