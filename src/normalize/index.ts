import { createHash, hash } from "node:crypto";
import type { Item } from "../model/article.js";
import type { ParsedItem } from "../model/feed.js";
import { toOneLine } from "./one-line.js";

export type { Item } from "../model/article.js";
export { toOneLine } from "./one-line.js";

/** An item that cannot be archived, with the one-line reason reported for it. */
export interface SkippedItem {
  skip: string;
}

/**
 * Short content hash used to tell an edit from a repeat. `content` may be given as its UTF-8 bytes
 * (an article file read without decoding it): the hash is the same.
 */
export function contentHash(title: string, url: string, content: string | Uint8Array): string {
  // One-shot hash(): no Hash object per item, which shows in runs over thousands of items.
  if (typeof content === "string") return hash("sha1", `${title}\n${url}\n${content}`, "hex").slice(0, 16);
  return createHash("sha1").update(`${title}\n${url}\n`).update(content).digest("hex").slice(0, 16);
}

const TRACKING_PARAM = /^(utm_[a-z]+|fbclid|gclid|spm|from)$/i;

/** Canonical form of a link for identity: no fragment, no tracking parameters, lower-case host. */
export function normalizeLink(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    for (const name of [...u.searchParams.keys()]) if (TRACKING_PARAM.test(name)) u.searchParams.delete(name);
    if (u.protocol === "http:") u.protocol = "https:";
    return u.href;
  } catch {
    return url.trim();
  }
}

/** The identity key of an article known only from its file: its normalised link. */
export function linkKeyOf(url: string): string {
  return `l:${normalizeLink(url)}`;
}

/** Collapses a title to one line of plain text (no control characters, no line breaks). */
export function cleanTitle(title: string): string {
  return (
    title
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/g, " ")
      .trim()
  );
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z#0-9]+;/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Items dated more than this far ahead are taken as dated when first seen. */
const FUTURE_SLACK_MS = 60 * 60 * 1000;

/**
 * The published time: the feed's published date, else its updated date, else the time first seen.
 * A date more than an hour in the future (a wrong clock or zone at the source) becomes the time first
 * seen, so such an item cannot stay on top of the lists for ever.
 */
export function publishedTime(item: ParsedItem, seenMs: number): number {
  const iso = item.published ?? item.updated;
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) return seenMs;
  if (ms > seenMs + FUTURE_SLACK_MS) return seenMs;
  return ms;
}

function httpUrl(text: string | undefined, base?: string): string | undefined {
  if (!text) return undefined;
  try {
    const u = new URL(text.trim(), base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns a parsed item into an Item, or says why it cannot be archived (no content, a link that is
 * not a URL, a date that could not be read). One bad item never blocks the items behind it.
 */
export function normalizeItem(item: ParsedItem, seenMs: number, feedUrl?: string): Item | SkippedItem {
  const label = cleanTitle(item.title ?? "").slice(0, 60) || item.id || item.link || "(untitled)";
  const base = feedUrl && /^https?:/i.test(feedUrl) ? feedUrl : undefined;
  const url =
    httpUrl(item.link, base) ?? (item.id && /^https?:\/\//i.test(item.id) ? httpUrl(item.id) : undefined);
  if (!url) return { skip: `item '${label}': link '${item.link ?? ""}' is not an http(s) URL` };
  if (item.badDate !== undefined) return { skip: `item '${label}': date '${item.badDate}' cannot be read` };
  const raw = item.content ?? item.summary ?? "";
  if (raw.trim() === "") return { skip: `item '${label}': no content` };
  const content = toOneLine(raw);
  const published = publishedTime(item, seenMs);
  let title = cleanTitle(item.title ?? "");
  if (title === "") title = textOf(content).slice(0, 80) || url;
  const id = item.id?.trim();
  const linkKey = linkKeyOf(url);
  const key = id ? `g:${cleanTitle(id)}` : linkKey;
  return {
    key,
    linkKey,
    title,
    url,
    published,
    content,
    categories: item.categories,
    hash: contentHash(title, url, content),
  };
}

/** True when normalizeItem refused the item. */
export function isSkipped(value: Item | SkippedItem): value is SkippedItem {
  return "skip" in value;
}
