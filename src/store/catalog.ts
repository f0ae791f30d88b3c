/**
 * The search catalog: an index of the archive's articles that can always be rebuilt from the article
 * files. Plain data in and out, so a SQLite catalog and a later postgres one are interchangeable;
 * both must pass catalog.contract.ts.
 */

/**
 * One article as the catalog indexes it.
 *
 * @example
 * { source: "voa", n: 1048573, title: "李尚福到访", url: "https://www.voachinese.com/a/1.html",
 *   published: 1692092344000, content: "<p>中国国防部长李尚福…</p>" }
 */
export interface CatalogEntry {
  source: string;
  n: number;
  title: string;
  url: string;
  /** ms since epoch; NaN when the article file has no date. */
  published: number;
  /** The article body as archived: HTML. */
  content: string;
}

/**
 * A search: terms that must all match, optional filters and paging.
 *
 * @example
 * { text: "台湾 关系", source: "voa", since: Date.parse("2023-01-01"), limit: 20 }
 */
export interface SearchQuery {
  text: string;
  source?: string | undefined;
  /** Inclusive lower bound on the published time, ms since epoch. */
  since?: number | undefined;
  /** Exclusive upper bound on the published time, ms since epoch. */
  until?: number | undefined;
  /** How many hits to return (default 20). */
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * One search result.
 *
 * @example
 * { source: "voa", n: 1048573, title: "…", url: "https://…", published: "2023-08-15T09:39:04.000Z",
 *   snippet: "中国国防部长【李尚福】出访俄罗斯…", snippetHtml: "中国国防部长<mark>李尚福</mark>出访俄罗斯…" }
 */
export interface SearchHit {
  source: string;
  n: number;
  title: string;
  url: string;
  /** ISO-8601 UTC; "" when the article has no date. */
  published: string;
  /** Plain text around the first match, in the article's own characters, the match wrapped in 【 】. */
  snippet: string;
  /** The same snippet HTML-escaped, with <mark> around matches. */
  snippetHtml?: string;
}

/**
 * Hits of one page and how many articles match in all.
 *
 * @example
 * { results: [], total: 0 }
 */
export interface SearchResponse {
  results: SearchHit[];
  total: number;
}

/** Default number of hits per search. */
export const DEFAULT_LIMIT = 20;

/**
 * An index over the archive's articles: best match first (title counts more than body), newest first
 * among equal matches.
 *
 * @example
 * catalog.upsert(entries);
 * const { results, total } = catalog.search({ text: "台湾" });
 */
export interface Catalog {
  /** Adds or replaces entries by (source, n), all in one transaction. */
  upsert(entries: Iterable<CatalogEntry>): void;
  /** Forgets one article; no error if it is not there. */
  remove(source: string, n: number): void;
  /** Replaces the whole index with `entries`. */
  rebuild(entries: Iterable<CatalogEntry>): void;
  /** Number of articles indexed. */
  count(): number;
  search(q: SearchQuery): SearchResponse;
  close(): void;
}
