import { join } from "node:path";

/** Where everything lives inside an archive folder. One place, so the layout is easy to see. */
export const archivePaths = {
  config: (root: string) => join(root, "newsark.yaml"),
  articlesDir: (root: string, sourceId: string) => join(root, "articles", sourceId),
  article: (root: string, sourceId: string, n: number) => join(root, "articles", sourceId, `${n}.md`),
  /** Earlier versions of an edited article, one file per version named by the ms it was first seen. */
  versionsDir: (root: string, sourceId: string, n: number) => join(root, "versions", sourceId, String(n)),
  list: (root: string, name: string) => join(root, "lists", `${name}.md`),
  listPage: (root: string, name: string, page: number) => join(root, "lists", name, `${page}.md`),
  /** Committed, diff-friendly state: one line per article, so a fresh clone runs incrementally. */
  state: (root: string, sourceId: string) => join(root, "state", `${sourceId}.tsv`),
  /** Committed per-source fetch validators (ETag, Last-Modified, body hash). */
  feedsState: (root: string) => join(root, "state", "feeds.json"),
  /** Committed daily samples of the archive's size, so the growth warning needs no history walk. */
  growth: (root: string) => join(root, "state", "growth.json"),
  /** Local, rebuildable caches (search catalog, lock); never committed. */
  cacheDir: (root: string) => join(root, ".newsark"),
  catalog: (root: string) => join(root, ".newsark", "catalog.sqlite"),
  lock: (root: string) => join(root, ".newsark", "lock"),
  /** Held while the search catalog is rebuilt from the files, so two rebuilds never write it at once. */
  catalogLock: (root: string) => join(root, ".newsark", "catalog.lock"),
};

/** Article links inside lists, as the archive format writes them. */
export function articleHref(sourceId: string, n: number): string {
  return `/articles/${sourceId}/${n}.md`;
}

/** The first file number of a source is FIRST_N - 1; numbers count down so newer sorts first. */
export const FIRST_N = 1048575;

/**
 * Numbers never go below 0. A source whose numbers reach 0 (an archive taken over from the system
 * newsark replaces, whose numbering ran out) goes on in a second range counting down from WIDE_FIRST_N,
 * above anything that system could write, so a new file never lands on an old one.
 */
export const WIDE_FIRST_N = 99_999_999;
/** The lowest number of the second range; below it numbers are exhausted. */
export const WIDE_LAST_N = 10_000_000;

/** 0 for the first range (0 … FIRST_N), 1 for the second (WIDE_LAST_N … WIDE_FIRST_N). */
function rangeOf(n: number): number {
  return n >= WIDE_LAST_N ? 1 : 0;
}

/**
 * Orders numbers as they are given out: the first range from the top down, then the second range
 * from the top down. The state file and the recovery of unrecorded files follow this order.
 */
export function allocationOrder(a: number, b: number): number {
  return rangeOf(a) - rangeOf(b) || b - a;
}

/** The number given out after `n`; undefined when both ranges are used up. */
export function numberAfter(n: number): number | undefined {
  if (n === 0) return WIDE_FIRST_N;
  if (n === WIDE_LAST_N) return undefined;
  return n - 1;
}
