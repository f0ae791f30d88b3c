/**
 * A realistic archive for scale measurements: article files recombined from the paragraphs of the
 * real-archive sample (duty-machine's own files), markup and all, so the index sees real Chinese and
 * real HTML in real proportions. Random characters would inflate a bigram index (every pair new)
 * and mislead.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArticleRecord } from "../src/model/article.js";
import { formatArticle, parseArticle } from "../src/store/files/article-format.js";
import { archivePaths, FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState, makeSourceState } from "../src/store/files/state.js";
import { itemHead, prng, type SyntheticSource } from "./corpus.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** The real-archive sample: in the repository's fixtures once copied there, else next to the repository. */
export function realArchiveDir(): string {
  const inRepo = join(PROJECT, "test/fixtures/real-archive");
  return existsSync(inRepo) ? inRepo : join(PROJECT, "../shared/fixtures/real-archive");
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
 * Writes `perSource` articles for every source into `root` (files, and state lines when `withState`),
 * published before the sources' feed items, oldest with the highest number as the archiver numbers
 * them. Returns the bytes of article files written.
 */
export function writeRealArchive(
  root: string,
  sources: SyntheticSource[],
  perSource: number,
  pieces: RealPieces,
  withState: boolean,
): number {
  const random = prng(4242);
  let bytes = 0;
  for (const source of sources) {
    const dir = archivePaths.articlesDir(root, source.id);
    mkdirSync(dir, { recursive: true });
    const records: ArticleRecord[] = [];
    for (let j = perSource; j >= 1; j--) {
      const head = itemHead(source, -j);
      const n = FIRST_N - 1 - (perSource - j);
      const title = `${pieces.titles[Math.floor(random() * pieces.titles.length)]}（${j}）`;
      // Sizes spread around the sample's mean file size (½× to 1½×).
      const content = body(random, pieces, pieces.meanFileBytes * (0.5 + random()) - 300);
      const text = formatArticle({ published: head.published, title, url: head.link, content });
      writeFileSync(join(dir, `${n}.md`), text);
      bytes += Buffer.byteLength(text);
      const hash = ((j * 2654435761 + source.index) >>> 0).toString(16).padStart(8, "0");
      records.push({
        n,
        key: `g:${head.link}`,
        published: head.published,
        seen: head.published + 60_000,
        hash: `${hash}${hash}`,
        title,
        versions: 0,
      });
    }
    if (withState) {
      mkdirSync(join(root, "state"), { recursive: true });
      writeFileSync(archivePaths.state(root, source.id), formatSourceState(makeSourceState(records).records));
    }
  }
  return bytes;
}
