/**
 * The build manifest (`.newsark-build` in the site folder): what the previous build wrote, so the next
 * one writes only what changed. Read once at the start of a build and written once at its end: lines
 * `#<source id>` and, under each, `<n>\t<article line>` per article (see BuildManifest.articleCount;
 * a source may come back in later sections), then the manifest's header as JSON on the last line.
 * Plain lines, not one JSON object: at 300,000 articles JSON took 1.3 s of an hourly build to read
 * and write, and its 300,000 strings were copies; lines are slices of the file's text. The header
 * comes last so that a full build can write each article's line as the article is done, not hold
 * them all to the end.
 */
import { isAscii } from "node:buffer";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { asArchiveIoError } from "../../util/atomic.js";
import type { BodySegment } from "./text-index.js";

/** The build manifest's file name inside the output folder. */
export const MANIFEST = ".newsark-build";
/** The name of the manifest before it held lines: removed by the next build. */
const OLD_MANIFEST = ".newsark-build.json";
/** The manifest format this build reads and writes: another one means a full build. */
export const MANIFEST_VERSION = 8;

/**
 * Article lines of one build: source id → article number → line (see BuildManifest.articles). Keyed by
 * number inside each source, so looking an article up makes no key string.
 */
export type ArticleLines = Map<string, Map<number, string>>;

/** What the previous build wrote, so the next one writes only what changed. */
export interface BuildManifest {
  version: typeof MANIFEST_VERSION;
  /** Hash of everything every page depends on (markup version, time zone, source names, CSS). */
  template: string;
  /** Hash of the tokenizer script: a new tokenizer means a new index. */
  tokenizer: string;
  /**
   * How many article lines follow the header. Each is "searchId\tstamp\tbytes\tlink\timageKey…": the
   * search doc id (ids never move, so an hourly run touches only a few index files), the stamp its
   * pages were written with (the state's stamp, then `#` and a hash of where its images' copies
   * were, empty when none had one), the bytes of its pages, where it links when left out of the site
   * (empty when it has pages), and the images shown, by key (`imageKey`): outlets' image URLs run to
   * hundreds of characters each, which made these lines 600 bytes on average.
   */
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
  /**
   * Title segments (search/t/<name>/) beside the main title index (search/s/), which holds the docs
   * below `base`; absent in manifests written before there were any (their main index holds every doc).
   */
  titles?: TitleSegments;
}

/** The title index's segments: the main one holds docs below `base`, each segment later ones. */
export interface TitleSegments {
  base: number;
  segments: [name: string, shards: number][];
  serial: number;
}

/** A manifest as read: its header and its article lines. */
export interface ReadManifest {
  manifest: BuildManifest;
  lines: ArticleLines;
}

/**
 * The previous build's manifest; undefined when there is none, it cannot be read whole, or it is of
 * another version (a full build follows).
 */
export function readManifest(outDir: string): ReadManifest | undefined {
  let text: string;
  try {
    const bytes = readFileSync(join(outDir, MANIFEST));
    // Lines are ASCII unless a link is not: read as Latin-1 then, which is the same text and twice as
    // fast to make as UTF-8 (30 MB at 300,000 articles).
    text = bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
  } catch {
    return undefined;
  }
  // The header is the last line; a file that does not end with a line break was cut short.
  if (!text.endsWith("\n")) return undefined;
  const headerAt = text.lastIndexOf("\n", text.length - 2) + 1;
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(text.slice(headerAt)) as BuildManifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== MANIFEST_VERSION) return undefined;
  const lines = headerAt === 0 ? [] : text.slice(0, headerAt - 1).split("\n");
  const articles: ArticleLines = new Map();
  let bySource: Map<number, string> | undefined;
  let count = 0;
  for (const line of lines) {
    if (line.startsWith("#")) {
      const source = line.slice(1);
      bySource = articles.get(source);
      if (!bySource) {
        bySource = new Map();
        articles.set(source, bySource);
      }
      continue;
    }
    const tab = line.indexOf("\t");
    if (tab <= 0 || !bySource) continue;
    bySource.set(Number(line.slice(0, tab)), line.slice(tab + 1));
    count++;
  }
  // A manifest cut short (it is written whole, so only by hand) is not trusted.
  if (count !== manifest.articleCount) return undefined;
  return { manifest, lines: articles };
}

/** Lines kept before they are written: the manifest of a million articles is never one string. */
const LINES_PER_PIECE = 4096;

/**
 * Writes a manifest line by line into a temp file beside it, and into place (renamed) with its header
 * by `finish`: a full build adds each article's line as it is done. A build that fails calls `abort`;
 * a temp file left by a killed build is removed by the next one (`removeStaleManifests`).
 */
export class ManifestWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private source: string | undefined;
  private count = 0;
  private closed = false;

  constructor(private readonly outDir: string) {
    this.tmp = join(outDir, `${MANIFEST}.${process.pid}.tmp`);
    try {
      mkdirSync(outDir, { recursive: true });
      this.fd = openSync(this.tmp, "w");
    } catch (err) {
      throw asArchiveIoError(err, this.tmp);
    }
  }

  /** Adds the line of article `n` of `source`. */
  add(source: string, n: number, line: string): void {
    if (source !== this.source) {
      this.pending.push(`#${source}`);
      this.source = source;
    }
    this.pending.push(`${n}\t${line}`);
    this.count++;
    if (this.pending.length >= LINES_PER_PIECE) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(`${this.pending.join("\n")}\n`);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    } catch (err) {
      throw asArchiveIoError(err, this.tmp);
    }
    this.pending = [];
  }

  /** Writes the header (with the count of lines added) and puts the manifest in place. */
  finish(manifest: BuildManifest): void {
    this.pending.push(JSON.stringify({ ...manifest, articleCount: this.count }));
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    try {
      renameSync(this.tmp, join(this.outDir, MANIFEST));
    } catch (err) {
      throw asArchiveIoError(err, join(this.outDir, MANIFEST));
    }
    rmSync(join(this.outDir, OLD_MANIFEST), { force: true });
  }

  /** Drops what was written (the previous manifest stays). */
  abort(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    rmSync(this.tmp, { force: true });
  }
}

/** Writes the manifest with `lines` as its articles (atomically, as the build's last write). */
export function writeManifest(outDir: string, manifest: BuildManifest, lines: ArticleLines): void {
  const writer = new ManifestWriter(outDir);
  try {
    for (const [source, bySource] of lines) for (const [n, line] of bySource) writer.add(source, n, line);
    writer.finish(manifest);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** Removes temp manifests left by builds that were killed. */
export function removeStaleManifests(outDir: string): void {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(`${MANIFEST}.`) && name.endsWith(".tmp")) rmSync(join(outDir, name), { force: true });
}

/** The line of article `n` of `source`. */
export function lineAt(lines: ArticleLines, source: string, n: number): string | undefined {
  return lines.get(source)?.get(n);
}

/** Sets the line of article `n` of `source`. */
export function setLine(lines: ArticleLines, source: string, n: number, line: string): void {
  let bySource = lines.get(source);
  if (!bySource) {
    bySource = new Map();
    lines.set(source, bySource);
  }
  bySource.set(n, line);
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
