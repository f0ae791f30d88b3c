import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fold, tokensOfFolded, units } from "../../search/tokenize.js";

/** One document of the static index: what a result shows and where it links. */
export interface SearchDoc {
  title: string;
  /** Index into the source table of meta.js. */
  source: number;
  n: number;
  /** "YYYY-MM-DD" in the archive's time zone. */
  date: string;
  /** 1 when the original is gone or moved. */
  gone: 0 | 1;
  /** The first words of the article's text, shown (with matches marked) under the title. */
  lead?: string | undefined;
  /** Where the result links when the article has no page of its own (see SiteArticle.link). */
  link?: string | undefined;
}

/** Docs per doc-table chunk: a result page loads only the chunks of the docs it shows. */
export const DOC_CHUNK = 50;

/**
 * 32-bit FNV-1a over UTF-16 code units. The browser computes the same hash to find a token's shard,
 * so this must stay byte-for-byte identical to `hashToken` in the site script.
 */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Tokens a title is indexed under: the search tokenizer's bigrams and words, plus every CJK character
 * alone, so a one-character query (a prefix in the CLI search) finds titles holding that character.
 */
export function titleTokens(title: string): Set<string> {
  const set = new Set<string>();
  for (const token of tokensOfFolded(fold(title))) {
    set.add(token);
    // A CJK bigram's first character is a token too; words never start with a CJK character.
    const first = token.codePointAt(0) as number;
    if (first >= 0x2e80 && token.length > 1) {
      const ch = String.fromCodePoint(first);
      if (token.length - ch.length <= 2 && isCjk(ch)) set.add(ch);
    }
  }
  return set;
}

const cjkCache = new Map<string, boolean>();
/** Whether the tokenizer treats a character as CJK: it then stands alone as one unit. */
export function isCjk(ch: string): boolean {
  let known = cjkCache.get(ch);
  if (known === undefined) {
    known = units(ch)[0]?.cjk === true;
    cjkCache.set(ch, known);
  }
  return known;
}

/** Enough shards that each holds a few thousand postings, a power of two between `least` and 4096. */
export function shardCountFor(postings: number, least = 16): number {
  let count = least;
  while (count < 4096 && postings / count > 3000) count *= 2;
  return count;
}

/** What building the static index made: its shard count and how many title postings it holds. */
export interface SearchIndexMade {
  shards: number;
  postings: number;
}

/** Receives each file of the static index as it is made: a site-relative path and its text (a JSONP-style script). */
export type WriteIndexFile = (rel: string, text: string) => void;

/**
 * One shard's script: tokens sorted, ascending ids delta-encoded to keep the numbers (and files) small.
 * `head` opens the call (`newsarkShard(i,` for the main title index, `newsarkTitles("name/i",` for a
 * title segment).
 */
function shardText(head: string, postings: Map<string, ArrayLike<number>>): string {
  const entries: string[] = [];
  for (const [token, ids] of postings) {
    if (ids.length === 0) continue;
    let last = 0;
    let text = "";
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      text += text === "" ? String(id - last) : `,${id - last}`;
      last = id;
    }
    entries.push(`${JSON.stringify(token)}:[${text}]`);
  }
  entries.sort();
  return `${head}{${entries.join(",")}});\n`;
}

/** The search docs by id: undefined for ids of articles no longer in the archive. */
export interface SearchDocs {
  count: number;
  at(id: number): SearchDoc | undefined;
  /** The title alone, when that is cheaper than the whole doc (the title index needs no more). */
  titleAt?: (id: number) => string | undefined;
}

/** Wraps an array as SearchDocs. */
export function docsOf(list: (SearchDoc | undefined)[]): SearchDocs {
  return { count: list.length, at: (id) => list[id] };
}

/** One doc-table row as the site script reads it, or 0 for an id whose article is gone. */
function docRow(d: SearchDoc | undefined): string {
  if (!d) return "0";
  const row = [d.title, d.source, d.n, d.date, d.gone, d.lead ?? ""];
  // A seventh column only for articles without a page, so rows of the others stay as they were.
  if (d.link !== undefined) row.push(d.link);
  return JSON.stringify(row);
}

function docChunkText(c: number, rows: string[]): string {
  return `newsarkDocs(${c},[${rows.join(",\n")}]);\n`;
}

/**
 * Writes the doc table as rows come in id order, a chunk at a time, so a full build holds no lead
 * text for the end: the same files `buildSearchIndex` writes from the same docs.
 */
export class DocTableStream {
  private rows: string[] = [];
  private chunk = 0;
  /** The id the next row is for. */
  private next = 0;
  constructor(private readonly write: WriteIndexFile) {}

  /** The row of `id`, which must be above every id added before; ids skipped get the row of a gone doc. */
  add(id: number, doc: SearchDoc | undefined): void {
    if (id < this.next)
      throw new Error(
        `site: doc ${id} came after doc ${this.next - 1}: the doc table is written in id order`,
      );
    while (this.next < id) this.push("0");
    this.push(docRow(doc));
  }

  /** Fills the table up to `count` docs and writes its last chunk. */
  end(count: number): void {
    while (this.next < count) this.push("0");
    if (this.rows.length > 0) this.flush();
  }

  private push(row: string): void {
    this.rows.push(row);
    this.next++;
    if (this.rows.length === DOC_CHUNK) this.flush();
  }

  private flush(): void {
    this.write(`search/d/${this.chunk}.js`, docChunkText(this.chunk, this.rows));
    this.chunk++;
    this.rows = [];
  }
}

function docChunkOf(c: number, docs: SearchDocs): string {
  const rows: string[] = [];
  for (let id = c * DOC_CHUNK; id < Math.min(docs.count, (c + 1) * DOC_CHUNK); id++)
    rows.push(docRow(docs.at(id)));
  return docChunkText(c, rows);
}

/** search/meta.js: title shard count, doc chunk size, source table, full-text and title segments. */
export function metaText(
  shards: number,
  docs: number,
  sources: [string, string][],
  segments: [name: string, shards: number][],
  titles: [name: string, shards: number][] = [],
): string {
  return `window.NEWSARK_SEARCH=${JSON.stringify({ shards, chunk: DOC_CHUNK, docs, sources, segments, titles })};\n`;
}

/**
 * Builds the sharded index over titles and the doc table, handing each file to `write` as soon as it
 * is made, so the build never holds the whole index as text (at 300,000 articles the doc table alone
 * is over 100 MB of strings); search/meta.js only when `sources` is given (the site build writes it
 * itself with the full-text segments, see metaText). `docs.at(id)` is undefined for ids whose article
 * is gone from the archive (ids stay stable across builds so an hourly run rewrites only a few shards).
 * Each doc is asked for once: its row goes out with its chunk, and only its title tokens are kept.
 */
export function buildSearchIndex(
  docs: SearchDocs,
  write: WriteIndexFile,
  options: {
    sources?: [string, string][] | undefined;
    docTable?: boolean;
    /** Where title postings go when they outgrow memory (see TitlePostings); kept in memory without. */
    spillDir?: string | undefined;
    spillAt?: number | undefined;
  } = {},
): SearchIndexMade {
  const { sources, docTable = true } = options;
  const postings = new TitlePostings(options.spillDir, options.spillAt);
  const table = docTable ? new DocTableStream(write) : undefined;
  for (let id = 0; id < docs.count; id++) {
    let title: string | undefined;
    if (table) {
      const doc = docs.at(id);
      table.add(id, doc);
      title = doc?.title;
    } else title = docs.titleAt ? docs.titleAt(id) : docs.at(id)?.title;
    if (title === undefined) continue;
    for (const token of titleTokens(title)) postings.add(token, id);
  }
  table?.end(docs.count);
  const shards = shardCountFor(postings.total);
  for (const [i, map] of postings.shards(shards))
    write(`search/s/${i}.js`, shardText(`newsarkShard(${i},`, map));
  // With a source table the title index stands alone (no full-text segments), as in the benchmark.
  if (sources) write("search/meta.js", metaText(shards, docs.count, sources, []));
  return { shards, postings: postings.total };
}

/** Title postings held in memory before they go to disk: 32 MB of ids and token numbers. */
const TITLE_SPILL_AT = 4_000_000;
/** Postings per block of the held ids: blocks are allocated once and reused after each spill. */
const TITLE_BLOCK = 1 << 18;
/** Files spilled title postings are spread over by token hash: a power of two, like shard counts. */
const TITLE_PARTS = 64;

/**
 * Token → ascending ids of the title index as it is collected. Postings are held as pairs of numbers
 * (the token's number, the doc id) in blocks of typed arrays reused after each spill, not as a list
 * per token: lists that grow leave their old copies behind, and at 300,000 titles that garbage let the
 * heap grow to 700 MB around 160 MB of live data. Past `spillAt` postings they go to `TITLE_PARTS`
 * files by token hash (appended, so each token's ids stay in order) and are read back one file at a
 * time, so a build of a million titles (some 40 million postings) never holds them all. Ids must be
 * added in ascending order.
 */
class TitlePostings {
  private numbers = new Map<string, number>();
  private tokens: string[] = [];
  private readonly tokenBlocks: Int32Array[] = [];
  private readonly idBlocks: Int32Array[] = [];
  private held = 0;
  /** Postings added. */
  total = 0;
  private spilled = false;

  constructor(
    private readonly dir: string | undefined,
    private readonly spillAt = TITLE_SPILL_AT,
  ) {
    // Left by an interrupted build.
    if (dir) rmSync(dir, { recursive: true, force: true });
  }

  add(token: string, id: number): void {
    let t = this.numbers.get(token);
    if (t === undefined) {
      t = this.tokens.length;
      this.tokens.push(token);
      this.numbers.set(token, t);
    }
    const block = Math.floor(this.held / TITLE_BLOCK);
    if (block === this.tokenBlocks.length) {
      this.tokenBlocks.push(new Int32Array(TITLE_BLOCK));
      this.idBlocks.push(new Int32Array(TITLE_BLOCK));
    }
    const at = this.held % TITLE_BLOCK;
    (this.tokenBlocks[block] as Int32Array)[at] = t;
    (this.idBlocks[block] as Int32Array)[at] = id;
    this.held++;
    this.total++;
    if (this.held >= this.spillAt && this.dir) this.spill(this.dir);
  }

  /**
   * The held postings grouped by token (a counting sort, stable, so each token's ids stay ascending):
   * token number t's ids are `ids[starts[t]…starts[t + 1]]`.
   */
  private grouped(): { ids: Int32Array; starts: Int32Array } {
    const starts = new Int32Array(this.tokens.length + 1);
    for (let k = 0; k < this.held; k++)
      (starts[((this.tokenBlocks[k >> 18] as Int32Array)[k & (TITLE_BLOCK - 1)] as number) + 1] as number)++;
    for (let t = 0; t < this.tokens.length; t++) (starts[t + 1] as number) += starts[t] as number;
    const next = starts.slice(0, this.tokens.length);
    const ids = new Int32Array(this.held);
    for (let k = 0; k < this.held; k++) {
      const t = (this.tokenBlocks[k >> 18] as Int32Array)[k & (TITLE_BLOCK - 1)] as number;
      ids[(next[t] as number)++] = (this.idBlocks[k >> 18] as Int32Array)[k & (TITLE_BLOCK - 1)] as number;
    }
    return { ids, starts };
  }

  /** Token → ids of what is held now. */
  private heldLists(): Map<string, ArrayLike<number>> {
    const { ids, starts } = this.grouped();
    const out = new Map<string, ArrayLike<number>>();
    this.tokens.forEach((token, t) => {
      out.set(token, ids.subarray(starts[t] as number, starts[t + 1] as number));
    });
    return out;
  }

  private clear(): void {
    this.numbers = new Map();
    this.tokens = [];
    this.held = 0;
  }

  private spill(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const { ids, starts } = this.grouped();
    // Token numbers by part, so each part's lines are made, appended and let go in turn.
    const byPart = Array.from({ length: TITLE_PARTS }, () => [] as number[]);
    this.tokens.forEach((token, t) => {
      byPart[hashToken(token) % TITLE_PARTS]?.push(t);
    });
    byPart.forEach((tokens, p) => {
      if (tokens.length === 0) return;
      const lines: string[] = [];
      for (const t of tokens) {
        const from = starts[t] as number;
        const to = starts[t + 1] as number;
        let list = String(ids[from]);
        for (let k = from + 1; k < to; k++) list += `,${ids[k]}`;
        lines.push(`${JSON.stringify(this.tokens[t])}\t${list}\n`);
      }
      appendFileSync(join(dir, `${p}.txt`), lines.join(""));
    });
    this.clear();
    this.spilled = true;
  }

  /** Reads spilled part `p` back: token → its ids, the lists of each spill joined in order. */
  private readPart(dir: string, p: number, into: Map<string, number[]>): void {
    const file = join(dir, `${p}.txt`);
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const tab = line.lastIndexOf("\t");
      if (tab < 0) continue;
      const token = JSON.parse(line.slice(0, tab)) as string;
      const ids = line
        .slice(tab + 1)
        .split(",")
        .map(Number);
      const list = into.get(token);
      if (list) for (const id of ids) list.push(id);
      else into.set(token, ids);
    }
  }

  /** Each shard's token → ids of an index of `shards` shards; shards come out in any order, each once. */
  *shards(shards: number): Generator<[number, Map<string, ArrayLike<number>>]> {
    const dir = this.dir;
    if (!this.spilled || !dir) {
      yield* groupByShard(this.heldLists(), shards, 0, 1);
      this.clear();
      return;
    }
    try {
      this.spill(dir);
      if (shards < TITLE_PARTS) {
        // A small index (only with a low spillAt): every part feeds every shard.
        const all = new Map<string, number[]>();
        for (let p = 0; p < TITLE_PARTS; p++) this.readPart(dir, p, all);
        yield* groupByShard(all, shards, 0, 1);
        return;
      }
      // Shard counts and TITLE_PARTS are powers of two: shard i's tokens are all in part i % TITLE_PARTS.
      for (let p = 0; p < TITLE_PARTS; p++) {
        const part = new Map<string, number[]>();
        this.readPart(dir, p, part);
        yield* groupByShard(part, shards, p, TITLE_PARTS);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Shards first, first + step, … of `postings` grouped by token hash, each with its tokens' lists. */
function* groupByShard(
  postings: Map<string, ArrayLike<number>>,
  shards: number,
  first: number,
  step: number,
): Generator<[number, Map<string, ArrayLike<number>>]> {
  const byShard = new Map<number, Map<string, ArrayLike<number>>>();
  for (let i = first; i < shards; i += step) byShard.set(i, new Map());
  for (const [token, ids] of postings) byShard.get(hashToken(token) % shards)?.set(token, ids);
  for (const [i, map] of byShard) {
    yield [i, map];
    // Written shards' lists are let go as the next ones are made.
    byShard.delete(i);
  }
}

/**
 * Writes a title segment: the title index of the docs `ids` (ascending) alone, in its own folder
 * `search/t/<name>/`, which the site script reads beside the main title index. An hourly build adds
 * one instead of patching the main index, whose new titles' tokens touch hundreds of its shards.
 * Returns the segment's shard count.
 */
export function writeTitleSegment(
  docs: SearchDocs,
  ids: Iterable<number>,
  name: string,
  write: WriteIndexFile,
): number {
  const postings = new TitlePostings(undefined);
  for (const id of ids) {
    const title = docs.titleAt ? docs.titleAt(id) : docs.at(id)?.title;
    if (title === undefined) continue;
    for (const token of titleTokens(title)) postings.add(token, id);
  }
  // An hourly segment's few thousand postings fit one file: a query then loads one more file per segment.
  const shards = shardCountFor(postings.total, 1);
  for (const [i, map] of postings.shards(shards))
    write(`search/t/${name}/${i}.js`, shardText(`newsarkTitles(${JSON.stringify(`${name}/${i}`)},`, map));
  return shards;
}

/**
 * The doc-table chunks holding the docs `ids` (new, edited, removed or relinked), made again from
 * `docs`: site-relative path → text. A removed doc's row becomes 0, which the site script skips, so
 * its id can stay in the title index and the full-text segments until they are next built whole.
 */
export function docChunkFiles(docs: SearchDocs, ids: Iterable<number>): Map<string, string> {
  const files = new Map<string, string>();
  const chunks = new Set<number>();
  for (const id of ids) chunks.add(Math.floor(id / DOC_CHUNK));
  for (const c of [...chunks].sort((a, b) => a - b)) files.set(`search/d/${c}.js`, docChunkOf(c, docs));
  return files;
}

/**
 * Turns the compiled tokenizer module (ES module plus its JSON data) into a classic script that sets
 * `window.NewsarkTokenize`. Module scripts are refused on file:// pages, and readers open clones from
 * disk, so the site loads only classic scripts. Throws when the module uses a form it cannot convert,
 * so a tokenizer change that breaks the site fails the build tests rather than the reader's search.
 */
export function tokenizerScript(modulePath = defaultTokenizerPath()): string {
  let code = readFileSync(modulePath, "utf8");
  const dir = dirname(modulePath);
  code = code.replace(
    /^import\s+([\w$]+)\s+from\s+"(\.{1,2}\/[^"]+\.json)"\s+with\s*\{\s*type:\s*"json"\s*\};?\s*$/gm,
    (_m, name: string, rel: string) => {
      const data = JSON.parse(readFileSync(jsonPath(dir, rel), "utf8")) as unknown;
      return `const ${name} = ${JSON.stringify(data)};`;
    },
  );
  if (/^\s*import[\s{*]/m.test(code) || /^\s*export\s*(\{|\*|default)/m.test(code)) {
    throw new Error(`site: cannot turn ${modulePath} into a classic script (imports or export lists)`);
  }
  const names: string[] = [];
  code = code.replace(
    /^export\s+((?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+))/gm,
    (_m, decl, name) => {
      names.push(name);
      return decl;
    },
  );
  return `(function () {\n"use strict";\n${code}\nwindow.NewsarkTokenize = { ${names.join(", ")} };\n})();\n`;
}

/** The JSON may sit next to the compiled module (tsc copies imported JSON) or only in the sources. */
function jsonPath(dir: string, rel: string): string {
  const next = resolve(dir, rel);
  return existsSync(next) ? next : resolve(repoRoot(), "src", "search", rel);
}

function repoRoot(): string {
  // dist*/src/publish/site/ → repository root.
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
}

function defaultTokenizerPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../search/tokenize.js");
}
