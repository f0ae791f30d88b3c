import type { ParsedFeed, ParsedItem } from "../../model/feed.js";
import { addEnclosure, categoryList, readDates } from "../common.js";
import { messages } from "../messages.js";
import { collapse, escapeHtml, plainText } from "../text.js";
import { resolveUrl } from "../urls.js";
import type { Warnings } from "../warnings.js";

type Json = Record<string, unknown>;

/** True when parsed JSON is a JSON Feed (version 1 or 1.1). */
export function detectJsonFeed(value: unknown): value is Json {
  if (typeof value !== "object" || value === null) return false;
  const version = (value as Json).version;
  return typeof version === "string" && /^https?:\/\/jsonfeed\.org\/version\/1/.test(version);
}

function str(value: unknown): string | undefined {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// JSON Feed 1.1 has `authors`; 1.0 had a single `author`.
function authorsOf(item: Json, feed: Json): string | undefined {
  const own = [...list(item.authors), item.author].map((a) => collapse(str(obj(a)?.name)));
  const names = own.filter((n): n is string => n !== undefined);
  if (names.length > 0) return [...new Set(names)].join(", ");
  const inherited = [...list(feed.authors), feed.author].map((a) => collapse(str(obj(a)?.name)));
  const fallback = inherited.filter((n): n is string => n !== undefined);
  return fallback.length > 0 ? [...new Set(fallback)].join(", ") : undefined;
}

/** Reads a JSON Feed 1.0/1.1 object into a ParsedFeed. */
export function parseJsonFeed(feed: Json, docUrl: string | undefined, warnings: Warnings): ParsedFeed {
  const home = str(feed.home_page_url);
  const homeAbs = home !== undefined ? resolveUrl(home, str(feed.feed_url) ?? docUrl) : undefined;
  const base = homeAbs ?? resolveUrl(str(feed.feed_url) ?? "", docUrl) ?? docUrl;
  const abs = (href: string | undefined): string | undefined => {
    if (href === undefined) return undefined;
    const url = resolveUrl(href, base);
    if (url === undefined) warnings.add(messages.relativeLink(href.trim()));
    return url ?? href.trim();
  };
  if (!Array.isArray(feed.items)) warnings.add(messages.jsonNoItems());
  const items = list(feed.items)
    .map(obj)
    .filter((item): item is Json => {
      if (item === undefined) warnings.add(messages.jsonBadItem());
      return item !== undefined;
    })
    .map((item): ParsedItem => {
      const enclosures: ParsedItem["enclosures"] = [];
      for (const a of list(item.attachments).map(obj)) {
        const size = a?.size_in_bytes;
        addEnclosure(
          enclosures,
          abs(str(a?.url)),
          str(a?.mime_type),
          typeof size === "number" ? String(size) : undefined,
        );
      }
      const image = abs(str(item.image));
      if (image) addEnclosure(enclosures, image);
      const html = str(item.content_html);
      const text = str(item.content_text);
      const summary = str(item.summary);
      return {
        id: str(item.id)?.trim(),
        title: plainText(str(item.title)),
        link: abs(str(item.url) ?? str(item.external_url)),
        ...readDates([str(item.date_published)], [str(item.date_modified)], warnings),
        author: authorsOf(item, feed),
        // summary and content_text are plain text; newsark's summary/content are HTML.
        summary: summary !== undefined ? escapeHtml(summary) : undefined,
        content: html ?? (text !== undefined ? escapeHtml(text) : undefined),
        base,
        categories: categoryList(list(item.tags).map(str)),
        enclosures,
      };
    });
  return {
    format: "json",
    title: plainText(str(feed.title)),
    link: homeAbs,
    description: plainText(str(feed.description)),
    language: collapse(str(feed.language)),
    updated: undefined,
    warnings: [],
    items,
  };
}
