/** Plain data that flows out of the parse room: a feed as it was read, before normalisation. */

/** A media file attached to an item (RSS enclosure, media:content, Atom link rel=enclosure). */
export interface Enclosure {
  url: string;
  type?: string | undefined;
  length?: number | undefined;
}

/**
 * One entry of a feed, with absolute links and ISO-8601 UTC dates where they could be read.
 *
 * @example
 * { id: "https://example.com/a/1", title: "标题", link: "https://example.com/a/1",
 *   published: "2023-08-15T09:39:04.000Z", content: "<p>…</p>", categories: [], enclosures: [] }
 */
export interface ParsedItem {
  /** guid / atom:id / JSON Feed id, as given (trimmed). */
  id?: string | undefined;
  title?: string | undefined;
  link?: string | undefined;
  /** ISO-8601 UTC. */
  published?: string | undefined;
  /** ISO-8601 UTC. */
  updated?: string | undefined;
  /** Set when a date was present in the feed but could not be read (so the item can be reported). */
  badDate?: string | undefined;
  author?: string | undefined;
  /** HTML as the feed gave it (RSS description, Atom summary), byte for byte after XML unescaping. */
  summary?: string | undefined;
  /** Full HTML (content:encoded, Atom content, JSON content_html), byte for byte after XML unescaping. */
  content?: string | undefined;
  /** Base URL for relative links inside summary/content: xml:base in scope, else the feed's link or URL. */
  base?: string | undefined;
  categories: string[];
  enclosures: Enclosure[];
}

/** The formats newsark reads. */
export type FeedFormat = "rss" | "atom" | "json" | "rdf";

/** A whole feed, as printed by `newsark parse --json`. */
export interface ParsedFeed {
  format: FeedFormat;
  title?: string | undefined;
  link?: string | undefined;
  description?: string | undefined;
  language?: string | undefined;
  /** ISO-8601 UTC. */
  updated?: string | undefined;
  /** Recoverable problems met while reading (bad bytes, stray `&`, undeclared entities, bad dates). */
  warnings: string[];
  items: ParsedItem[];
}
