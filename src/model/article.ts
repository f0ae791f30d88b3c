/** An article as the archive stores it: one markdown file, `articles/<source>/<n>.md`. */
export interface Article {
  /** Published time, ms since epoch (line 1 of the file). NaN for legacy files that lack it. */
  published: number;
  title: string;
  url: string;
  /** HTML on one line. */
  content: string;
}

/** What the archive remembers about one article, so a run needs no article file to decide. */
export interface ArticleRecord {
  /** File number; counts down from 1048575. */
  n: number;
  /** Identity key: guid, else normalised link, else title+date. */
  key: string;
  /** Published time, ms since epoch. */
  published: number;
  /** When the current version was first seen, ms since epoch. */
  seen: number;
  /** Short hash of title + url + feed content, to tell an edit from a repeat. */
  hash: string;
  title: string;
  /** How many earlier versions are kept under versions/. */
  versions: number;
  /** Last liveness check of the original URL, if any. */
  status?: "alive" | "gone" | "redirected" | undefined;
  /** When the status was found, ms since epoch. */
  checked?: number | undefined;
}

/**
 * An item ready to archive: identity, one-line title, absolute URL, time and one-line content.
 *
 * @example
 * { key: "g:urn:voa:1", linkKey: "l:https://www.voachinese.com/a/1.html", title: "标题", url: "https://www.voachinese.com/a/1.html",
 *   published: 1700000000000, content: "<p>正文</p>", categories: [], hash: "0123456789abcdef" }
 */
export interface Item {
  /** `g:<guid>`, else `l:<normalised link>`, else `t:<hash of title+date>`. */
  key: string;
  /** `l:<normalised link>`: finds articles known only by their file (legacy archives, lost state). */
  linkKey: string;
  title: string;
  url: string;
  /** ms since epoch; see `publishedTime` in normalize/ for how missing and future dates are handled. */
  published: number;
  content: string;
  categories: string[];
  /** Hash of title, url and content: an edit changes it, a repeat does not. */
  hash: string;
}

/** What the archive decides for one item against its previous record: a new article, an edit, or a repeat. */
export type Decision = "new" | "changed" | "unchanged";

/** An item on its way into the archive; extractors may replace `content` (full text). */
export interface PendingArticle {
  item: Item;
  /** The one-line HTML that will be written; starts as the feed's content. */
  content: string;
  /** Whether this is a new article or a new version of an archived one. */
  decision: Exclude<Decision, "unchanged">;
  /** The archived record a "changed" article replaces. */
  previous?: ArticleRecord | undefined;
}

/** An article a run or check wrote (new, or a new version), for the search catalog's queue. */
export interface WrittenArticle {
  record: ArticleRecord;
}

/** Outcome of one source in a run; failures are data, not crashes. */
export interface SourceReport {
  id: string;
  fetched: boolean;
  new: number;
  changed: number;
  unchanged: number;
  /** One line: why the source failed, naming the URL. null when it did not fail. */
  error: string | null;
  /** Items skipped and other recoverable problems. */
  warnings: string[];
}

/** A source's report before anything happened: not fetched, nothing counted. */
export function emptySourceReport(id: string): SourceReport {
  return { id, fetched: false, new: 0, changed: 0, unchanged: 0, error: null, warnings: [] };
}

/** Outcome of a whole `newsark run`. */
export interface RunReport {
  sources: SourceReport[];
  /** Problems of the run as a whole, not of one source (image retries, the search queue, id clashes). */
  warnings: string[];
  durationMs: number;
}
