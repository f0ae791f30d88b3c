/**
 * The build manifest (`.newsark-build.json` in the site folder): what the previous build wrote, so the
 * next one writes only what changed. Read once at the start of a build and written once at its end.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../util/atomic.js";
import type { BodySegment } from "./text-index.js";

/** The build manifest's file name inside the output folder. */
export const MANIFEST = ".newsark-build.json";

/**
 * Article lines of one build: source id → article number → line (see BuildManifest.articles). Keyed by
 * number inside each source, so looking an article up makes no key string: at 300,000 articles the
 * `<source>/<n>` keys were a string each on every build.
 */
export type ArticleLines = Map<string, Record<number, string>>;

/** What the previous build wrote, so the next one writes only what changed. */
export interface BuildManifest {
  version: 7;
  /** Hash of everything every page depends on (markup version, time zone, source names, CSS). */
  template: string;
  /** Hash of the tokenizer script: a new tokenizer means a new index. */
  tokenizer: string;
  /**
   * Source id → article number → "searchId\tstamp\tbytes\tlink\timageKey…": the search doc id (ids
   * never move, so an hourly run touches only a few index files), the stamp its pages were written
   * with (the state's stamp, then `#` and a hash of where its images' copies were, empty when none
   * had one), the bytes of its pages, where it links when left out of the site (empty when it has
   * pages), and the images shown, by key (`imageKey`): outlets' image URLs run to hundreds of
   * characters each, which made these lines 600 bytes on average. One string per article keeps the
   * manifest quick to read.
   */
  articles: Record<string, Record<number, string>>;
  /** How many article lines `articles` holds. */
  articleCount: number;
  /** Site-relative path → content hash, for every file that is not an article page. */
  files: Record<string, string>;
  /** Shard count of the search index. */
  shards: number;
  /** The search id the next new article gets. */
  nextId: number;
  /** Full-text segments, oldest (the main one) first; `stale` counts ids dropped since the main was built. */
  body: { segments: BodySegment[]; serial: number; stale: number };
  /** Bytes of everything but article and version pages at the end of the build, for `site.maxBytes`. */
  restBytes: number;
}

/** The previous build's manifest; undefined when there is none or it is of another version (a full build follows). */
export function readManifest(outDir: string): BuildManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(outDir, MANIFEST), "utf8")) as BuildManifest;
    return m.version === 7 ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the manifest with `lines` as its articles (atomically, as the build's last write). */
export function writeManifest(outDir: string, manifest: BuildManifest, lines: ArticleLines): void {
  let count = 0;
  const articles: Record<string, Record<number, string>> = {};
  for (const [source, bySource] of lines) {
    articles[source] = bySource;
    for (const _ in bySource) count++;
  }
  writeFileAtomic(join(outDir, MANIFEST), JSON.stringify({ ...manifest, articles, articleCount: count }));
}

/** The manifest's article lines as a map (source ids are never looked up on an object's prototype). */
export function articleLines(manifest: BuildManifest | undefined): ArticleLines {
  return new Map(Object.entries(manifest?.articles ?? {}));
}

/** The line of article `n` of `source`. */
export function lineAt(lines: ArticleLines, source: string, n: number): string | undefined {
  return lines.get(source)?.[n];
}

/** Sets the line of article `n` of `source`. */
export function setLine(lines: ArticleLines, source: string, n: number, line: string): void {
  let bySource = lines.get(source);
  if (!bySource) {
    bySource = {};
    lines.set(source, bySource);
  }
  bySource[n] = line;
}

/** The search id of a manifest line. */
export function lineId(line: string): number {
  return Number(line.slice(0, line.indexOf("\t")));
}

/** A manifest line's fields (see BuildManifest.articles). */
export interface ArticleLine {
  id: number;
  stamp: string;
  bytes: number;
  /** Where the article links when it has no page; "" when it has its pages. */
  link: string;
  /** Keys (`imageKey`) of the image URLs its pages show. */
  images: string[];
}

export function parseLine(line: string): ArticleLine {
  const [id, stamp, bytes, link, ...images] = line.split("\t");
  return { id: Number(id), stamp: stamp ?? "", bytes: Number(bytes), link: link ?? "", images };
}

export function formatLine(l: ArticleLine): string {
  return [l.id, l.stamp, l.bytes, l.link, ...l.images].join("\t");
}

/**
 * Whether `line` says an article with search id `id` has its pages, written with exactly `stamp`
 * (the image mark included): the common case on an hourly build, told without splitting the line.
 */
export function unchangedWithPages(line: string, id: number, stamp: string): boolean {
  const head = `${id}\t${stamp}\t`;
  if (!line.startsWith(head)) return false;
  const bytesEnd = line.indexOf("\t", head.length);
  // The link field follows the bytes: empty when the article has its pages.
  return bytesEnd !== -1 && (line.length === bytesEnd + 1 || line.charCodeAt(bytesEnd + 1) === 9);
}
