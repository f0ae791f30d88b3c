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
  /** Local, rebuildable caches (search catalog, lock); never committed. */
  cacheDir: (root: string) => join(root, ".newsark"),
  catalog: (root: string) => join(root, ".newsark", "catalog.sqlite"),
  lock: (root: string) => join(root, ".newsark", "lock"),
};

/** Article links inside lists, as the archive format writes them. */
export function articleHref(sourceId: string, n: number): string {
  return `/articles/${sourceId}/${n}.md`;
}

/** The first file number of a source is FIRST_N - 1; numbers count down so newer sorts first. */
export const FIRST_N = 1048575;
