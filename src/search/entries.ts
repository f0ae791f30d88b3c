/**
 * The article files of an archive as catalog entries: what a rebuild indexes. Kept apart from
 * index.ts so the worker thread of prepare.ts loads only this and the tokenizer.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../model/article.js";
import { errorMessage, NewsarkError } from "../model/errors.js";
import type { CatalogEntry } from "../store/catalog.js";
import { articleFilePath, listArticleNumbers, readArticleFile } from "../store/files/index.js";

/** The folders under articles/, including legacy ones no longer in newsark.yaml (e.g. "BBC"). */
export function archivedSourceIds(root: string): string[] {
  const dir = join(root, "articles");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Every article file of the given sources as catalog entries, read one at a time so a large archive
 * never sits in memory. Legacy `<n>_<title>.md` files are read too. A file that cannot be read is
 * NewsarkError("archive-io") naming it.
 */
export function* archiveEntries(root: string, sourceIds: readonly string[]): Generator<CatalogEntry> {
  for (const source of sourceIds) {
    for (const n of listArticleNumbers(root, source)) {
      // readArticleFile also finds a legacy `<n>_<title>.md` (the 2020 BBC folder's names).
      let article: Article | undefined;
      try {
        article = readArticleFile(root, source, n);
      } catch (err) {
        throw new NewsarkError(
          "archive-io",
          `catalog: cannot read ${articleFilePath(root, source, n)}: ${errorMessage(err)}`,
        );
      }
      if (article) yield { source, n, ...article };
    }
  }
}

/** How many article files the given sources hold (the size of a rebuild). */
export function countArticles(root: string, sourceIds: readonly string[]): number {
  return sourceIds.reduce((sum, id) => sum + listArticleNumbers(root, id).length, 0);
}
