import type { ParsedFeed } from "../model/feed.js";
import { detectAtom, parseAtom } from "./atom/index.js";
import { decodeFeedBytes } from "./encoding.js";
import { detectJsonFeed, parseJsonFeed } from "./jsonfeed/index.js";
import { messages } from "./messages.js";
import { detectRss, parseRss } from "./rss/index.js";
import type { ParseHints, ParseResult } from "./types.js";
import { Warnings } from "./warnings.js";
import { parseXml } from "./xml/tree.js";

export { parseDate } from "./dates.js";
export type { DecodedText } from "./encoding.js";
export { decodeFeedBytes } from "./encoding.js";
export type { ParseHints, ParseResult } from "./types.js";

/**
 * Reads feed bytes (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) into a ParsedFeed. Pure and
 * lenient: recoverable problems become `feed.warnings`; only input that holds no feed at all gives
 * `{ ok: false }`. Never throws.
 *
 * @example
 * const result = parseFeed(body, { contentType: "application/rss+xml; charset=gbk", url: "https://example.com/rss" });
 * if (result.ok) console.log(result.feed.items.length);
 */
export function parseFeed(body: Buffer | string, hints: ParseHints = {}): ParseResult {
  const warnings = new Warnings();
  let text: string;
  if (typeof body === "string") text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  else {
    const decoded = decodeFeedBytes(body, hints.contentType);
    for (const w of decoded.warnings) warnings.add(w);
    text = decoded.text;
  }
  const start = text.search(/\S/);
  if (start === -1) return { ok: false, error: messages.empty() };
  let feed: ParsedFeed | { error: string };
  try {
    feed = text[start] === "{" ? readJson(text, hints.url, warnings) : readXml(text, hints.url, warnings);
  } catch (err) {
    // The readers are written not to throw; this keeps the promise if one ever does.
    return {
      ok: false,
      error: `parse: ${err instanceof Error ? err.message : String(err)}`.split("\n")[0] ?? "",
    };
  }
  if ("error" in feed) return { ok: false, error: feed.error };
  feed.warnings = warnings.list();
  return { ok: true, feed };
}

function readXml(text: string, url: string | undefined, warnings: Warnings): ParsedFeed | { error: string } {
  if (!text.includes("<")) return { error: messages.notXmlOrJson() };
  const doc = parseXml(text, warnings, url);
  if (!doc) return { error: messages.noRoot() };
  const rss = detectRss(doc.root);
  if (rss) return parseRss(doc, rss, url, warnings);
  if (detectAtom(doc.root)) return parseAtom(doc, url, warnings);
  if (doc.root.name === "html" || doc.root.name.endsWith(":html")) return { error: messages.htmlPage() };
  return { error: messages.notFeed(doc.root.name) };
}

function readJson(text: string, url: string | undefined, warnings: Warnings): ParsedFeed | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Raw control characters inside strings are the one JSON fault feeds commonly ship.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the characters JSON forbids is the point.
    const cleaned = text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F]/g, "");
    try {
      value = JSON.parse(cleaned);
      warnings.add(messages.jsonControlChars());
    } catch {
      return { error: messages.badJson(err instanceof Error ? err.message : String(err)) };
    }
  }
  if (!detectJsonFeed(value)) return { error: messages.notJsonFeed() };
  return parseJsonFeed(value, url, warnings);
}
