import type { Enclosure, ParsedItem } from "../model/feed.js";
import { parseDate } from "./dates.js";
import { messages } from "./messages.js";
import { escapeHtml, isBlank } from "./text.js";
import { resolveUrl } from "./urls.js";
import type { Warnings } from "./warnings.js";
import { child, children, htmlOf } from "./xml/query.js";
import type { XmlDocument, XmlElement } from "./xml/tree.js";

/** What every format adapter needs while reading: warnings and the base for relative links. */
export interface ReadContext {
  warnings: Warnings;
  /** Base when no xml:base is in scope: the feed's own link, else the URL it came from. */
  base: string | undefined;
}

/** Absolute form of a link found in `el` (xml:base first, then the feed's base); warns when it cannot be. */
export function link(
  href: string | undefined,
  el: XmlElement | undefined,
  ctx: ReadContext,
): string | undefined {
  if (href === undefined || href.trim() === "") return undefined;
  const url = resolveUrl(href, el?.base ?? ctx.base);
  if (url === undefined) {
    ctx.warnings.add(messages.relativeLink(href.trim()));
    return href.trim();
  }
  return url;
}

/**
 * Reads an item's dates from candidates in order of preference. A date present but unreadable
 * lands in `badDate` (and a warning) when no other candidate fills its place.
 */
export function readDates(
  published: (string | undefined)[],
  updated: (string | undefined)[],
  warnings: Warnings,
): Pick<ParsedItem, "published" | "updated" | "badDate"> {
  let badDate: string | undefined;
  const pick = (candidates: (string | undefined)[]): string | undefined => {
    let bad: string | undefined;
    for (const raw of candidates) {
      if (raw === undefined || raw.trim() === "") continue;
      const iso = parseDate(raw);
      if (iso) return iso;
      bad ??= raw.trim();
    }
    if (bad !== undefined) {
      warnings.add(messages.badDate(bad));
      badDate ??= bad;
    }
    return undefined;
  };
  return { published: pick(published), updated: pick(updated), badDate };
}

/** Adds an enclosure unless its URL is already listed. */
export function addEnclosure(
  list: Enclosure[],
  url: string | undefined,
  type?: string,
  length?: string,
): void {
  if (!url || list.some((e) => e.url === url)) return;
  const size = length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined;
  list.push({
    url,
    type: type?.trim() || undefined,
    length: size !== undefined && size > 0 ? size : undefined,
  });
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
};

// Thumbnails and `medium="image"` carry no MIME type; the file extension usually tells it.
function imageType(url: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)(?:[?#]|$)/.exec(url)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

/**
 * Media RSS (media:content, media:thumbnail, media:group) of an item or entry: its files go to
 * `enclosures`, and media:description is returned as a fallback summary.
 */
export function readMedia(
  doc: XmlDocument,
  item: XmlElement,
  enclosures: Enclosure[],
  ctx: ReadContext,
): { description: string | undefined; title: string | undefined } {
  const holders = [item, ...children(item, "media:group")];
  let description: string | undefined;
  let title: string | undefined;
  for (const holder of holders) {
    for (const c of children(holder, "media:content")) {
      const url = link(c.attrs.url, c, ctx);
      const type = c.attrs.type ?? (c.attrs.medium === "image" && url ? imageType(url) : undefined);
      addEnclosure(enclosures, url, type, c.attrs.filesize);
      description ??= mediaDescription(doc, child(c, "media:description"), ctx);
      title ??= child(c, "media:title")?.text;
    }
    description ??= mediaDescription(doc, child(holder, "media:description"), ctx);
    title ??= child(holder, "media:title")?.text;
  }
  for (const holder of holders) {
    const thumbs = [...children(holder, "media:thumbnail")];
    for (const c of children(holder, "media:content")) thumbs.push(...children(c, "media:thumbnail"));
    for (const t of thumbs) {
      const url = link(t.attrs.url, t, ctx);
      if (url) addEnclosure(enclosures, url, imageType(url));
    }
  }
  return { description, title };
}

// INFO: media:description is plain text unless it says type="html" (Media RSS 1.5.1).
function mediaDescription(
  doc: XmlDocument,
  el: XmlElement | undefined,
  ctx: ReadContext,
): string | undefined {
  if (!el) return undefined;
  if (el.attrs.type === "html") return htmlOf(doc, el, ctx.warnings);
  return isBlank(el.text) ? undefined : escapeHtml(el.text);
}

/** Trimmed, non-empty, distinct category names. */
export function categoryList(values: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const name = v?.replace(/\s+/g, " ").trim();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}
