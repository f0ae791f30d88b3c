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
 * Article lines of one build (see BuildManifest.articleCount), by source id and article number, so
 * looking an article up makes no key string. Lines read from a manifest stay where they are in its
 * text (an offset), so reading 300,000 of them makes no string per line, an unchanged article is
 * told from its line in place (`unchangedWithPages`), and writing the manifest again copies runs of
 * unchanged lines as they were; lines set since are held as strings.
 */
export class ArticleLines {
  /** Source id → article number → offset of `<n>\t<line>` in `text`, or the line set since. */
  private readonly bySource = new Map<string, Map<number, number | string>>();

  constructor(private readonly text = "") {}

  /** The line of article `n` of `source`. */
  get(source: string, n: number): string | undefined {
    const at = this.bySource.get(source)?.get(n);
    if (typeof at !== "number") return at;
    return this.text.slice(this.text.indexOf("\t", at) + 1, this.text.indexOf("\n", at));
  }

  /** The search id on the line of article `n` of `source`, read in place. */
  idOf(source: string, n: number): number | undefined {
    const at = this.bySource.get(source)?.get(n);
    if (at === undefined) return undefined;
    if (typeof at === "string") return lineId(at);
    const { text } = this;
    let id = 0;
    for (
      let p = text.indexOf("\t", at) + 1, c = text.charCodeAt(p);
      c >= 48 && c <= 57;
      c = text.charCodeAt(++p)
    )
      id = id * 10 + c - 48;
    return id;
  }

  set(source: string, n: number, line: string): void {
    this.section(source).set(n, line);
  }

  delete(source: string, n: number): void {
    this.bySource.get(source)?.delete(n);
  }

  /** Each source with its article numbers (numbers may be deleted while they are walked). */
  *numbers(): Generator<[source: string, numbers: Iterable<number>]> {
    for (const [source, lines] of this.bySource) yield [source, lines.keys()];
  }

  /** Lines held. */
  get size(): number {
    let size = 0;
    for (const lines of this.bySource.values()) size += lines.size;
    return size;
  }

  /**
   * Whether the line of article `n` of `source` says it has search id `id` and its pages, written with
   * `article`'s stamp followed by `mark` (`#` and the image mark): the common case on an hourly build,
   * told in place, without making the stamps of unchanged articles.
   */
  unchangedWithPages(source: string, n: number, id: number, article: Stamped, mark: string): boolean {
    const at = this.bySource.get(source)?.get(n);
    if (at === undefined) return false;
    if (typeof at === "string") return unchangedWithPages(at, id, `${article.stamp}${mark}`);
    const { text } = this;
    const end = text.indexOf("\n", at);
    let p = numberEndIn(text, text.indexOf("\t", at) + 1, id, 9);
    if (p < 0) return false;
    p = article.stampEndIn(text, p);
    if (p < 0 || !text.startsWith(mark, p)) return false;
    p += mark.length;
    if (text.charCodeAt(p) !== 9) return false;
    const bytesEnd = text.indexOf("\t", p + 1);
    // The link field follows the bytes: empty when the article has its pages.
    return bytesEnd !== -1 && bytesEnd < end && (bytesEnd + 1 === end || text.charCodeAt(bytesEnd + 1) === 9);
  }

  /** Hands every line to `writer`, runs of lines unchanged since they were read as one piece each. */
  writeTo(writer: ManifestWriter): void {
    const { text } = this;
    for (const [source, lines] of this.bySource) {
      writer.section(source);
      // A run of read lines that follow each other in the text: [from, to) and how many.
      let from = 0;
      let to = 0;
      let count = 0;
      for (const [n, at] of lines) {
        if (typeof at === "number" && at === to && count > 0 && to - from < PIECE_CHARS) {
          to = text.indexOf("\n", at) + 1;
          count++;
          continue;
        }
        if (count > 0) writer.addText(text.slice(from, to), count);
        count = 0;
        if (typeof at === "string") writer.add(source, n, at);
        else {
          from = at;
          to = text.indexOf("\n", at) + 1;
          count = 1;
        }
      }
      if (count > 0) writer.addText(text.slice(from, to), count);
    }
  }

  /** The lines of `source`, made empty when it has none yet (for reading a manifest). */
  section(source: string): Map<number, number | string> {
    let lines = this.bySource.get(source);
    if (!lines) {
      lines = new Map();
      this.bySource.set(source, lines);
    }
    return lines;
  }
}

/**
 * Where `text` holds `String(value)` at `at` (followed by the character `then`, -1 for none): the
 * index after that character, else -1; -1 too when `at` is. Digits are read, not made into a string.
 */
export function numberEndIn(text: string, at: number, value: number, then: number): number {
  if (at < 0) return -1;
  let p = at;
  if (Number.isSafeInteger(value) && value >= 0) {
    let read = 0;
    for (let c = text.charCodeAt(p); c >= 48 && c <= 57 && p - at < 16; c = text.charCodeAt(++p))
      read = read * 10 + c - 48;
    // "007" is not how 7 is written.
    if (p === at || read !== value || (text.charCodeAt(at) === 48 && p - at > 1)) return -1;
  } else {
    const written = String(value);
    if (!text.startsWith(written, at)) return -1;
    p += written.length;
  }
  if (then === -1) return p;
  return text.charCodeAt(p) === then ? p + 1 : -1;
}

/** What a page's stamp is made of (SiteArticle): the stamp, and where a text holds it. */
export interface Stamped {
  readonly stamp: string;
  /** Where `text` holds the stamp at `at`: the index just after it, else -1. */
  stampEndIn(text: string, at: number): number;
}

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
  const articles = new ArticleLines(text);
  let section: Map<number, number | string> | undefined;
  let count = 0;
  for (let at = 0; at < headerAt; ) {
    const end = text.indexOf("\n", at);
    if (text.charCodeAt(at) === 35 /* # */) section = articles.section(text.slice(at + 1, end));
    else if (section) {
      let n = 0;
      let p = at;
      for (let c = text.charCodeAt(p); c >= 48 && c <= 57; c = text.charCodeAt(++p)) n = n * 10 + c - 48;
      if (p > at && text.charCodeAt(p) === 9) {
        section.set(n, at);
        count++;
      }
    }
    at = end + 1;
  }
  // A manifest cut short (it is written whole, so only by hand) is not trusted.
  if (count !== manifest.articleCount) return undefined;
  return { manifest, lines: articles };
}

/**
 * Characters gathered before they are written: the manifest of a million articles is never one
 * string, and pieces of megabytes took ten times as long to encode and write as pieces of a few
 * hundred kilobytes (measured on 30 MB, Node 20).
 */
const PIECE_CHARS = 256 * 1024;

/**
 * Writes a manifest line by line into a temp file beside it, and into place (renamed) with its header
 * by `finish`: a full build adds each article's line as it is done. A build that fails calls `abort`;
 * a temp file left by a killed build is removed by the next one (`removeStaleManifests`).
 */
export class ManifestWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
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
    this.section(source);
    this.push(`${n}\t${line}\n`);
    this.count++;
  }

  /** Starts the lines of `source`, unless they are the ones being written. */
  section(source: string): void {
    if (source === this.source) return;
    this.push(`#${source}\n`);
    this.source = source;
  }

  /** Adds `count` whole lines (`<n>\t<line>\n` each) of the current section as they were read. */
  addText(lines: string, count: number): void {
    this.push(lines);
    this.count += count;
  }

  /** Pieces of text are gathered and written a few hundred kilobytes at a time (see PIECE_CHARS). */
  private push(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= PIECE_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(""));
    this.pending = [];
    this.pendingChars = 0;
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    } catch (err) {
      throw asArchiveIoError(err, this.tmp);
    }
  }

  /** Writes the header (with the count of lines added) and puts the manifest in place. */
  finish(manifest: BuildManifest): void {
    this.push(`${JSON.stringify({ ...manifest, articleCount: this.count })}\n`);
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
    lines.writeTo(writer);
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
