import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Article } from "../../model/article.js";
import { parseArticle } from "./article-format.js";
import { articleFilePath } from "./state.js";

export { escapeTitle, formatArticle, parseArticle, parseLinkLine, unescapeTitle } from "./article-format.js";
export { archivePaths, articleHref, FIRST_N } from "./paths.js";
export {
  articleFilePath,
  formatSourceState,
  listArticleNumbers,
  makeSourceState,
  parseSourceState,
  readSourceState,
  recordsFromFiles,
  type SourceState,
  writeSourceState,
} from "./state.js";

/**
 * Reads articles/<source>/<n>.md (or the earlier system's <n>_<title>.md); undefined when it is
 * missing or not an article file.
 */
export function readArticleFile(root: string, sourceId: string, n: number): Article | undefined {
  try {
    return parseArticle(readFileSync(join(root, articleFilePath(root, sourceId, n)), "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
export {
  type ImageRecord,
  imageManifestPath,
  readImageManifest,
  writeImageManifest,
} from "./images-manifest.js";
export { type ArchiveLock, acquireLock } from "./lock.js";
