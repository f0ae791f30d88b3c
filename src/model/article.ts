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

/** What one run decided for one item. */
export type Decision = "new" | "changed" | "unchanged";

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

/** Outcome of a whole `newsark run`. */
export interface RunReport {
  sources: SourceReport[];
  durationMs: number;
  /** Commit hash when --commit made one. */
  commit?: string | undefined;
}
