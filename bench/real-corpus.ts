/**
 * A realistic archive for scale measurements: article files recombined from the paragraphs of the
 * real-archive sample (duty-machine's own files), markup and all, so the index sees real Chinese and
 * real HTML in real proportions. Random characters would inflate a bigram index (every pair new)
 * and mislead.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArticle } from "../src/store/files/article-format.js";
import { writeArchive } from "./archives.js";
import { prng, type SyntheticSource } from "./corpus.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** The real-archive sample kept in the repository's test fixtures. */
export function realArchiveDir(): string {
  return join(PROJECT, "test/fixtures/real-archive");
}

/** Paragraph chunks (each ends with `</p>` and carries the markup before it) and titles of the sample. */
export interface RealPieces {
  chunks: string[];
  titles: string[];
  /** Mean size in bytes of a sample article file, the target mean of generated ones. */
  meanFileBytes: number;
}

/** Reads every article of the sample and cuts its body into paragraph chunks. */
export function readRealPieces(dir = realArchiveDir()): RealPieces {
  const chunks: string[] = [];
  const titles: string[] = [];
  let bytes = 0;
  let files = 0;
  const articles = join(dir, "articles");
  for (const source of readdirSync(articles)) {
    for (const name of readdirSync(join(articles, source))) {
      if (!name.endsWith(".md")) continue;
      const text = readFileSync(join(articles, source, name), "utf8");
      const article = parseArticle(text);
      if (!article) continue;
      bytes += Buffer.byteLength(text);
      files++;
      titles.push(article.title);
      for (const chunk of article.content.split(/(?<=<\/p>)/)) {
        if (/[\u4e00-\u9fff]/.test(chunk)) chunks.push(chunk.replace(/\n/g, ""));
      }
    }
  }
  return { chunks, titles, meanFileBytes: Math.round(bytes / Math.max(1, files)) };
}

/** One article body of about `target` bytes, real chunks in a random order. */
function body(random: () => number, pieces: RealPieces, target: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < target) {
    const chunk = pieces.chunks[Math.floor(random() * pieces.chunks.length)] as string;
    parts.push(chunk);
    size += Buffer.byteLength(chunk);
  }
  return parts.join("");
}

/**
 * Writes `perSource` articles of real paragraphs for every source into `root` (files, and state lines
 * when `withState`); see writeArchive. Returns the bytes of article files written.
 */
export function writeRealArchive(
  root: string,
  sources: SyntheticSource[],
  perSource: number,
  pieces: RealPieces,
  withState: boolean,
): number {
  const random = prng(4242);
  return writeArchive(
    root,
    sources,
    perSource,
    (_source, j) => ({
      title: `${pieces.titles[Math.floor(random() * pieces.titles.length)]}（${j}）`,
      // Sizes spread around the sample's mean file size (½× to 1½×).
      content: body(random, pieces, pieces.meanFileBytes * (0.5 + random()) - 300),
    }),
    withState,
  );
}
