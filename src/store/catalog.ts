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
  /** The article body as archived: HTML ("" when `tokenized` carries its tokens instead). */
  content: string;
  /**
   * Title and body already tokenized, by the tokenizer named here: a rebuild reads and tokenizes
   * the files in a worker thread while the catalog inserts. A catalog uses these tokens only when
   * the name is its own tokenizer's, and refuses the entry otherwise.
   */
  tokenized?: TokenizedEntry;
}

/**
 * Index tokens of one text as Tokenizer.index makes them: tokens and distinct characters, each
 * space-separated.
 *
 * @example
 * { tokens: "台湾 湾关 关系 系", chars: "台 湾 关 系" }
 */
export interface IndexedText {
  tokens: string;
  chars: string;
}

/**
 * An entry's title and body tokenized ahead of the catalog, and by which tokenizer.
 *
 * @example
 * { tokenizer: "zh-bigram", title: { tokens: "台湾", chars: "台 湾" }, body: { tokens: "", chars: "" } }
 */
export interface TokenizedEntry {
  tokenizer: string;
  title: IndexedText;
  body: IndexedText;
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
 * One article the catalog found: what it stores about it, no text. Snippets are made by the caller
 * from the article file (the truth), so a catalog never has to keep the article text.
 *
 * @example
 * { source: "voa", n: 1048573, title: "…", url: "https://…", published: "2023-08-15T09:39:04.000Z" }
 */
export interface CatalogHit {
  source: string;
  n: number;
  title: string;
  url: string;
  /** ISO-8601 UTC; "" when the article has no date. */
  published: string;
}

/**
 * One search result as shown to a reader: a catalog hit with a snippet of the article's text.
 *
 * @example
 * { ...hit, snippet: "中国国防部长【李尚福】出访俄罗斯…", snippetHtml: "中国国防部长<mark>李尚福</mark>出访俄罗斯…" }
 */
export interface SearchHit extends CatalogHit {
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
export interface SearchResponse<H extends CatalogHit = SearchHit> {
  results: H[];
  total: number;
}

/** Default number of hits per search. */
export const DEFAULT_LIMIT = 20;

/**
 * A query term as the catalog matches it: a phrase of index tokens, optionally with the last one a
 * prefix. A term of one token that is one character with `prefix` set is a one-character query: any
 * document holding that character (see Tokenizer.index).
 *
 * @example
 * { tokens: ["李尚", "尚福"], prefix: false }
 */
export interface TokenPhrase {
  tokens: string[];
  prefix: boolean;
}

/**
 * How text becomes index tokens, given to a catalog by whoever opens it (src/search/ provides the
 * Chinese-aware one), so the catalog stores and matches tokens without knowing any language.
 *
 * @example
 * const tokenizer: Tokenizer = { name: "zh-bigram", plainText: htmlToText, index: indexWithChars, queryPhrases: parseQuery };
 */
export interface Tokenizer {
  /** Names the tokens this tokenizer makes, so tokens made elsewhere are used only if they match. */
  name: string;
  /** Article HTML → plain text (tags, attributes and scripts removed). */
  plainText(html: string): string;
  /**
   * Plain text → space-separated index tokens, and its distinct single characters as tokens (for
   * one-character queries).
   */
  index(text: string): IndexedText;
  /** A user's query → phrases that must all match; none when the query has nothing searchable. */
  queryPhrases(query: string): TokenPhrase[];
}

/** How far a rebuild has got, reported after each committed batch. */
export interface RebuildProgress {
  /** Articles in the catalog so far (those kept from an interrupted rebuild included). */
  done: number;
}

/** Options of a rebuild: progress reports and a way to stop it between batches. */
export interface RebuildOptions {
  /** Articles per committed batch (each implementation has a sensible default). */
  batchSize?: number;
  /** Called after each committed batch. */
  onBatch?: (progress: RebuildProgress) => void;
  /**
   * Asked after each committed batch; when it returns true the rebuild stops with
   * NewsarkError("interrupted") and the next rebuild resumes after the last committed batch.
   */
  shouldStop?: () => boolean;
}

/**
 * An index over the archive's articles: best match first (title counts more than body), newest first
 * among equal matches. Asynchronous, so a catalog on a server fits the same seam.
 *
 * @example
 * await catalog.upsert(entries);
 * const { results, total } = await catalog.search({ text: "台湾" });
 */
export interface Catalog {
  /** Whether the catalog has been created (without creating it). */
  exists(): Promise<boolean>;
  /** Whether it holds a complete index: created, and no rebuild is unfinished. */
  complete(): Promise<boolean>;
  /** Adds or replaces entries by (source, n), all in one transaction. */
  upsert(entries: Iterable<CatalogEntry>): Promise<void>;
  /** Forgets one article; no error if it is not there. */
  remove(source: string, n: number): Promise<void>;
  /**
   * Replaces the whole index with `entries`, committed in batches. A rebuild that was interrupted
   * resumes: the articles it committed are kept and skipped, so `entries` must be the same set.
   * Returns the number of articles indexed.
   */
  rebuild(
    entries: Iterable<CatalogEntry> | AsyncIterable<CatalogEntry>,
    options?: RebuildOptions,
  ): Promise<number>;
  /** Number of articles indexed. */
  count(): Promise<number>;
  search(q: SearchQuery): Promise<SearchResponse<CatalogHit>>;
  close(): Promise<void>;
}
