/**
 * HTML → plain text for the search index and snippets. Kept apart from tokenize.ts because it needs
 * htmlparser2; the browser search gets plain text from the site build instead.
 */
import { Parser } from "../util/html-parser.js";

/** Elements whose end (or start) separates words, so "<p>台湾</p><p>关系</p>" does not make 湾关. */
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "audio",
  "blockquote",
  "br",
  "caption",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "iframe",
  "img",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "picture",
  "pre",
  "section",
  "source",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
  "video",
]);

/** Elements whose text is code or styling, never article text. */
const SKIP = new Set(["script", "style", "template", "head", "title", "svg", "math"]);

/** Receives a parser's events and keeps the text htmlTextWithBreaks gives (for a parser that also does other work). */
export interface TextCollector {
  onopentag(name: string): void;
  onclosetag(name: string): void;
  ontext(text: string): void;
  /** The text so far. */
  text(): string;
}

/**
 * Collects the text of an HTML fragment from an htmlparser2 Parser's events (lower-cased tag names,
 * entities decoded), with `separator` wherever a block element starts or ends; see htmlTextWithBreaks.
 */
export function textCollector(separator: string): TextCollector {
  const parts: string[] = [];
  let skipping = 0;
  return {
    onopentag(name) {
      if (SKIP.has(name)) skipping++;
      else if (BLOCK.has(name)) parts.push(separator);
    },
    onclosetag(name) {
      if (SKIP.has(name)) skipping = Math.max(0, skipping - 1);
      else if (BLOCK.has(name)) parts.push(separator);
    },
    ontext(text) {
      if (skipping === 0) parts.push(text);
    },
    text: () => parts.join(""),
  };
}

/**
 * The text of an HTML fragment with `separator` wherever a block element starts or ends: tags and
 * attributes dropped, entities decoded, scripts and styles skipped. Whitespace is left as it is.
 */
export function htmlTextWithBreaks(html: string, separator: string): string {
  const collector = textCollector(separator);
  const parser = new Parser(collector, { decodeEntities: true, lowerCaseTags: true });
  parser.write(html);
  parser.end();
  return collector.text();
}

/**
 * Text of an HTML fragment on one line: tags and attributes dropped, entities decoded, blocks
 * separated by a space, runs of whitespace collapsed.
 *
 * @example
 * htmlToText('<p style="color:red">台湾&amp;香港</p><p>关系</p>') // "台湾&香港 关系"
 */
export function htmlToText(html: string): string {
  return htmlTextWithBreaks(html, " ").replace(/\s+/g, " ").trim();
}
