import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { ArticleRecord } from "../../model/article.js";
import { NewsarkError } from "../../model/errors.js";
import { asArchiveIoError, writeFileAtomic } from "../../util/atomic.js";
import { faultPoint, ioFault } from "../../util/fault.js";
import { articleLayout, parseArticle } from "./article-format.js";
import { listedArticleNumbers } from "./listed.js";
import { allocationOrder, archivePaths, FIRST_N, numberAfter } from "./paths.js";

const HEADER = "# newsark state v1\tn\tpublished\tseen\thash\tversions\tstatus\tchecked\tkey\ttitle";

/** What a run needs to know about one source's archived articles, without reading article files. */
export interface SourceState {
  /** Oldest first (the order numbers are given out in), as in the state file, so new lines append at the end. */
  records: ArticleRecord[];
  byKey: Map<string, ArticleRecord>;
  /** The number the next new article gets; undefined when every number is used. */
  nextN: number | undefined;
  /** The state file's text as read; with `appended` it lets a run append instead of reformatting. */
  text?: string | undefined;
  /** Records added since the file was read (they go at the end, as the file is ordered oldest first). */
  appended: ArticleRecord[];
  /**
   * True once a record that was in the file changed (an edit, a status, a key) or files were taken
   * back: the state must be saved. A state read whole is then rewritten whole; one read in part keeps
   * its file's other lines.
   */
  dirty: boolean;
  /**
   * Set when `records` holds only some lines of the state file (the newest ones, from byte
   * `parsedFrom` on, and lines picked from before them by key): the first `bytes` bytes of the file at
   * `path` are kept as they are, except the `held` lines whose records changed, and the `appended`
   * records are written after them. So a run over a large archive holds only what deciding its feed's
   * items needs.
   */
  keptFrom?: KeptFile | undefined;
}

/** The state file a state read in part keeps, and where its held records' lines are in it. */
export interface KeptFile {
  path: string;
  bytes: number;
  parsedFrom: number;
  /** Every record parsed from the file, in file order, with where its line is (to rewrite it if changed). */
  held: HeldLine[];
}

/** A record parsed from a state file, with the byte span of its line (line break included). */
export interface HeldLine {
  record: ArticleRecord;
  start: number;
  end: number;
}

function inAllocationOrder(records: readonly ArticleRecord[]): boolean {
  for (let i = 1; i < records.length; i++) {
    if (allocationOrder((records[i - 1] as ArticleRecord).n, (records[i] as ArticleRecord).n) > 0)
      return false;
  }
  return true;
}

/** Builds the lookup structures over a list of records. */
export function makeSourceState(records: ArticleRecord[]): SourceState {
  // A state file is already in this order: checking is linear, sorting 100,000 records is not free.
  if (!inAllocationOrder(records)) records.sort((a, b) => allocationOrder(a.n, b.n));
  const byKey = new Map<string, ArticleRecord>();
  for (const r of records) byKey.set(r.key, r);
  const last = records[records.length - 1];
  return { records, byKey, nextN: last ? numberAfter(last.n) : FIRST_N - 1, appended: [], dirty: false };
}

/** Adds a new record (numbered below all others) to a state. */
export function addRecord(state: SourceState, record: ArticleRecord): void {
  state.records.push(record);
  state.byKey.set(record.key, record);
  state.appended.push(record);
}

/** Lines formatted per piece: a state of a million articles is written without building it whole. */
const LINES_PER_PIECE = 4096;

/**
 * The text to write for a state, in pieces so a large state is never one big string: the file as read
 * plus lines for the new records when nothing in it changed (the hourly case: no need to format
 * 100,000 lines again), otherwise every record formatted.
 */
export function* sourceStatePieces(state: SourceState): Generator<string | Uint8Array> {
  const kept = state.keptFrom;
  const appendOnly = (state.text !== undefined || kept !== undefined) && !state.dirty;
  if (kept) yield* keptPieces(state, kept);
  else if (appendOnly) yield state.text as string;
  else yield `${HEADER}\n`;
  yield* linePieces(kept || appendOnly ? state.appended : state.records);
}

function* linePieces(records: readonly ArticleRecord[]): Generator<string> {
  for (let i = 0; i < records.length; i += LINES_PER_PIECE) {
    let piece = "";
    for (const r of records.slice(i, i + LINES_PER_PIECE)) piece += `${formatRecordLine(r)}\n`;
    yield piece;
  }
}

/** The kept bytes of a state file read in part, with the lines of its changed records rewritten. */
function* keptPieces(state: SourceState, kept: KeptFile): Generator<string | Uint8Array> {
  let at = 0;
  for (const { held: h } of changedLines(state)) {
    yield* fileBytes(kept.path, at, h.start);
    yield `${formatRecordLine(h.record)}\n`;
    at = h.end;
  }
  yield* fileBytes(kept.path, at, kept.bytes);
}

/**
 * The held lines whose records no longer say what their line in the file says, in file order, with
 * the record as the line has it. The lines are read again rather than kept: a run holds thousands of
 * records it does not change. Every change of a record marks its state dirty, so a clean state has none.
 */
function changedLines(state: SourceState): { held: HeldLine; before: ArticleRecord }[] {
  const kept = state.keptFrom;
  if (!kept || !state.dirty) return [];
  const changed: { held: HeldLine; before: ArticleRecord }[] = [];
  const fd = openSync(kept.path, "r");
  try {
    let buffer = Buffer.alloc(4096);
    for (const held of kept.held) {
      const length = held.end - held.start - 1;
      if (length > buffer.length) buffer = Buffer.alloc(length * 2);
      for (let done = 0; done < length; ) {
        const got = readSync(fd, buffer, done, length - done, held.start + done);
        if (got === 0) throw new Error(`internal: ${kept.path} is shorter than when it was read`);
        done += got;
      }
      const before = parseRecordLine(buffer.toString("utf8", 0, length), kept.path, 0);
      if (formatRecordLine(before) !== formatRecordLine(held.record)) changed.push({ held, before });
    }
  } finally {
    closeSync(fd);
  }
  return changed;
}

/** The records of a state read in part that changed since they were read, with what they were. */
export function changedRecords(state: SourceState): { before: ArticleRecord; after: ArticleRecord }[] {
  return changedLines(state).map(({ held, before }) => ({ before, after: held.record }));
}

/** Bytes `from` to `to` of a file, read a megabyte at a time. */
function* fileBytes(path: string, from: number, to: number): Generator<Buffer> {
  if (to <= from) return;
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(Math.min(to - from, 1 << 20));
    for (let at = from; at < to; ) {
      const got = readSync(fd, chunk, 0, Math.min(chunk.length, to - at), at);
      if (got === 0) throw new Error(`internal: ${path} is shorter than when it was read`);
      // A copy: the caller may keep the piece while the next one is read.
      yield Buffer.from(chunk.subarray(0, got));
      at += got;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Every record of a state read in part, as the file and this run make them (oldest first): the
 * file's lines, held records in place of their lines, then the appended records. For a full redraw of
 * the lists; other states hold every record already.
 */
export function allRecords(state: SourceState): ArticleRecord[] {
  const kept = state.keptFrom;
  if (!kept) return state.records;
  const heldAt = new Map(kept.held.map((h) => [h.start, h.record]));
  const records: ArticleRecord[] = [];
  forEachLine(kept.path, kept.bytes, (line, start) => {
    const held = heldAt.get(start);
    if (held) records.push(held);
    else if (line[0] !== 0x23) records.push(parseRecordLine(line.toString("utf8"), kept.path, 0));
  });
  return [...records, ...state.appended];
}

function clean(text: string): string {
  return /[\t\r\n]/.test(text) ? text.replace(/[\t\r\n]/g, " ") : text;
}

/** Serialises a source's state: a header line, then one tab-separated line per article. */
export function formatSourceState(records: readonly ArticleRecord[]): string {
  const lines = [HEADER];
  for (const r of records) lines.push(formatRecordLine(r));
  return `${lines.join("\n")}\n`;
}

/** One record as its tab-separated state line (without the line break). */
export function formatRecordLine(r: ArticleRecord): string {
  const published = Number.isFinite(r.published) ? r.published : "NaN";
  return `${r.n}\t${published}\t${r.seen}\t${r.hash}\t${r.versions}\t${r.status ?? "-"}\t${r.checked ?? "-"}\t${clean(r.key)}\t${clean(r.title)}`;
}

/** Parses a state file; `where` names it in errors. */
export function parseSourceState(text: string, where: string): ArticleRecord[] {
  const records: ArticleRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "" || line.startsWith("#")) continue;
    records.push(parseRecordLine(line, where, i + 1));
  }
  return records;
}

/** Parses one state line (without its line break); `where` and `lineNo` name it in errors (0: unknown line). */
function parseRecordLine(line: string, where: string, lineNo: number): ArticleRecord {
  const at = lineNo > 0 ? `${where}:${lineNo}` : where;
  const f = line.split("\t");
  if (f.length < 9) throw new NewsarkError("archive", `${at}: expected 9 tab-separated fields`);
  const n = Number(f[0]);
  if (!Number.isInteger(n)) throw new NewsarkError("archive", `${at}: bad article number '${f[0]}'`);
  const status = f[5];
  return {
    n,
    published: Number(f[1]),
    seen: Number(f[2]),
    hash: f[3] as string,
    versions: Number(f[4]) || 0,
    status: status === "alive" || status === "gone" || status === "redirected" ? status : undefined,
    checked: f[6] === "-" ? undefined : Number(f[6]),
    key: f[7] as string,
    // A title may hold tabs only if a hand edit put them there; keep everything after the key.
    title: f.slice(8).join("\t"),
  };
}

/** A record held with where its line is: `length` bytes at `start`, without the line break. */
function held(record: ArticleRecord, start: number, length: number): HeldLine {
  return { record, start, end: start + length + 1 };
}

/**
 * Calls `each` with every line (without its line break) of a file's first `to` bytes and the offset
 * it starts at. The line's bytes are valid only during the call.
 */
function forEachLine(path: string, to: number, each: (line: Buffer, start: number) => void): void {
  forEachLines(path, to, (lines, base) => {
    let start = 0;
    for (let nl = lines.indexOf(0x0a); nl !== -1; nl = lines.indexOf(0x0a, start)) {
      if (nl > start) each(lines.subarray(start, nl), base + start);
      start = nl + 1;
    }
  });
}

/** The text of state/<id>.tsv; undefined when the source has none yet. */
function readStateText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new NewsarkError("archive", `archive: cannot read ${path}`, { cause: err });
  }
}

/**
 * The records of state/<id>.tsv, oldest first, for readers that only look (the site, history): no
 * lookup tables for a run are made. An unterminated last line (an append cut short) is left out, as
 * readSourceState does; undefined when the source has no state yet.
 */
export function readStateRecords(root: string, sourceId: string): ArticleRecord[] | undefined {
  const path = archivePaths.state(root, sourceId);
  const text = readStateText(path);
  if (text === undefined) return undefined;
  return parseSourceState(text.slice(0, text.lastIndexOf("\n") + 1), path);
}

/** What readers of the whole archive (the site) need of a state line: the record without its key. */
export type StateEntry = Omit<ArticleRecord, "key">;

/**
 * The entries of state/<id>.tsv, oldest first, read from its bytes: only the title is decoded as
 * text, the key (a URL) not at all. The site reads every state on each build, and at 300,000 articles
 * decoding the 57 MB of state lines as text and splitting them was a second of an hourly build. The
 * same entries as readStateRecords without their keys (tested); an unterminated last line is left out.
 */
export function readStateEntries(root: string, sourceId: string): StateEntry[] | undefined {
  const path = archivePaths.state(root, sourceId);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new NewsarkError("archive", `archive: cannot read ${path}`, { cause: err });
  }
  const entries: StateEntry[] = [];
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tabs = new Int32Array(8);
  let lineNo = 0;
  for (let start = 0; start < end; ) {
    const nl = bytes.indexOf(0x0a, start);
    lineNo++;
    if (nl > start && bytes[start] !== 0x23) entries.push(entryAt(bytes, start, nl, tabs, path, lineNo));
    start = nl + 1;
  }
  return entries;
}

/**
 * The entry of the state line at bytes `start`…`end` (line `lineNo` of `path`, named only in errors);
 * `tabs` is scratch space for its first 8 tabs.
 */
function entryAt(
  b: Buffer,
  start: number,
  end: number,
  tabs: Int32Array,
  path: string,
  lineNo: number,
): StateEntry {
  // A loop over the bytes: Buffer#indexOf costs more per call than the few bytes between tabs.
  let found = 0;
  for (let i = start; i < end && found < 8; i++) if (b[i] === 0x09) tabs[found++] = i;
  if (found < 8) throw new NewsarkError("archive", `${path}:${lineNo}: expected 9 tab-separated fields`);
  // Field k runs from the tab before it (or the line's start) to the tab after it.
  const t0 = tabs[0] as number;
  const t1 = tabs[1] as number;
  const t2 = tabs[2] as number;
  const t3 = tabs[3] as number;
  const t4 = tabs[4] as number;
  const t5 = tabs[5] as number;
  const t6 = tabs[6] as number;
  const t7 = tabs[7] as number;
  const n = numberIn(b, start, t0);
  if (!Number.isInteger(n))
    throw new NewsarkError(
      "archive",
      `${path}:${lineNo}: bad article number '${b.toString("utf8", start, t0)}'`,
    );
  return {
    n,
    published: numberIn(b, t0 + 1, t1),
    seen: numberIn(b, t1 + 1, t2),
    hash: b.toString("latin1", t2 + 1, t3),
    versions: numberIn(b, t3 + 1, t4) || 0,
    status: statusIn(b, t4 + 1, t5),
    checked: t6 - t5 === 2 && b[t5 + 1] === 0x2d ? undefined : numberIn(b, t5 + 1, t6),
    title: b.toString("utf8", t7 + 1, end),
  };
}

const STATUSES = (["alive", "gone", "redirected"] as const).map((name) => ({
  name,
  bytes: Buffer.from(name),
}));

/** The status named by the bytes `from`…`to`, told without making a string (most lines have none). */
function statusIn(b: Buffer, from: number, to: number): ArticleRecord["status"] {
  for (const { name, bytes } of STATUSES)
    if (to - from === bytes.length && b.compare(bytes, 0, bytes.length, from, to) === 0) return name;
  return undefined;
}

/** `Number()` of the bytes `from`…`to`, without making a string when they are plain digits. */
function numberIn(b: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 15) return Number(b.toString("utf8", from, to));
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) return Number(b.toString("utf8", from, to));
    value = value * 10 + d;
  }
  return value;
}

/** Reads state/<id>.tsv; undefined when the source has none yet. */
export function readSourceState(root: string, sourceId: string): SourceState | undefined {
  const path = archivePaths.state(root, sourceId);
  const text = readStateText(path);
  if (text === undefined) return undefined;
  // An empty file is written whole (with its header) when a record is added.
  if (text === "") return makeSourceState([]);
  if (text.endsWith("\n")) {
    const state = makeSourceState(parseSourceState(text, path));
    state.text = text;
    return state;
  }
  // An unterminated last line is an append cut short (a killed run, a full disk): it is dropped, and
  // its article, whose file was made durable before the line was written, is taken back from the file
  // (loadSourceState). The file is then written whole again.
  const state = makeSourceState(parseSourceState(text.slice(0, text.lastIndexOf("\n") + 1), path));
  state.dirty = true;
  return state;
}

/** True when a state read in part is saved by appending its new lines: none of its lines changed. */
export function appendsOnly(state: SourceState): boolean {
  return state.keptFrom !== undefined && changedLines(state).length === 0;
}

/**
 * Saves a state read only in part by appending its new records' lines to the file in place: adding a
 * few lines must not cost a rewrite (and a flush) of megabytes. The lines go in one write at the
 * file's known end, after the articles they point at were flushed; a run killed or refused mid-write
 * leaves an unterminated last line, which readSourceState drops on the next run.
 */
export function appendStateLines(state: SourceState): void {
  const kept = state.keptFrom;
  if (!kept || !appendsOnly(state))
    throw new Error("internal: only a state read in part whose lines did not change is appended to");
  if (state.appended.length === 0) return;
  let lines = "";
  for (const r of state.appended) lines += `${formatRecordLine(r)}\n`;
  const bytes = Buffer.from(lines);
  let fd: number | undefined;
  try {
    ioFault(kept.path);
    fd = openSync(kept.path, "r+");
    if (fstatSync(fd).size !== kept.bytes) {
      throw new NewsarkError("archive", `archive: ${kept.path} changed while this run held the lock`);
    }
    // Written in two parts only so the crash tests can stop between them (an append cut short).
    const half = bytes.length >> 1;
    for (let done = 0; done < half; ) done += writeSync(fd, bytes, done, half - done, kept.bytes + done);
    faultPoint("mid-state-append");
    for (let done = half; done < bytes.length; ) {
      done += writeSync(fd, bytes, done, bytes.length - done, kept.bytes + done);
    }
  } catch (err) {
    // Best effort: take back a part written before the refusal, so the file still ends a line.
    if (fd !== undefined) {
      try {
        ftruncateSync(fd, kept.bytes);
      } catch {
        // The next run drops the unterminated line instead.
      }
    }
    throw asArchiveIoError(err, kept.path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  kept.bytes += bytes.length;
}

/** Writes state/<id>.tsv atomically (the caller fsyncs the batch). */
export function writeSourceState(root: string, sourceId: string, state: SourceState): void {
  writeFileAtomic(archivePaths.state(root, sourceId), formatSourceState(state.records));
}

/** Article numbers present in articles/<id>/ (numeric file names only; legacy title-named files too). */
export function listArticleNumbers(root: string, sourceId: string): number[] {
  const dir = archivePaths.articlesDir(root, sourceId);
  if (!existsSync(dir)) return [];
  const numbers: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(\d+)(?:_.*)?\.md$/.exec(name);
    if (m) numbers.push(Number(m[1]));
  }
  return numbers;
}

/**
 * The file of article n, relative to the archive: `articles/<id>/<n>.md`, or the earlier system's
 * `articles/<id>/<n>_<title>.md` when only that one is there.
 */
export function articleFilePath(root: string, sourceId: string, n: number): string {
  const plain = join("articles", sourceId, `${n}.md`);
  if (existsSync(join(root, plain))) return plain;
  const legacy = legacyNames(archivePaths.articlesDir(root, sourceId)).get(n);
  return legacy === undefined ? plain : join("articles", sourceId, legacy);
}

// Legacy names per folder, read once while the folder is unchanged: a reindex of a legacy folder asks
// for each of its thousands of files, and one directory listing per article would be quadratic.
const legacyByDir = new Map<string, { mtimeMs: number; names: Map<number, string> }>();

/** The `<n>_<title>.md` files of a folder, by number. */
function legacyNames(dir: string): Map<number, string> {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch {
    return new Map();
  }
  const cached = legacyByDir.get(dir);
  if (cached?.mtimeMs === mtimeMs) return cached.names;
  const names = new Map<number, string>();
  for (const name of readdirSync(dir)) {
    const m = /^(\d+)_.*\.md$/.exec(name);
    if (m) names.set(Number(m[1]), name);
  }
  legacyByDir.set(dir, { mtimeMs, names });
  return names;
}

/**
 * The identity key of an article known only from its file (legacy archives, lost state, files written
 * by a run that was killed before it saved its state): its normalised link.
 */
export type KeyOfUrl = (url: string) => string;

/** The content hash of an article (title, url, and content as text or as its UTF-8 bytes). */
export type HashOf = (title: string, url: string, content: string | Uint8Array) => string;

/** A copy of a string that shares no memory with the text it was cut from. */
function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/**
 * The article files of a folder by number: `<n>.md`, else the earlier system's `<n>_<title>.md` (both
 * are there only when a run was killed while replacing a legacy file; `<n>.md` is the newer text).
 */
function articleFiles(dir: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^(\d+)(_.*)?\.md$/.exec(name);
    if (!m) continue;
    const n = Number(m[1]);
    if (m[2] === undefined || !names.has(n)) names.set(n, name);
  }
  return names;
}

/**
 * Reads whole files one after another into one buffer that grows as needed: reading a million
 * article files allocates nothing per file. A file's bytes are valid until the next read.
 */
function fileReader(): (path: string) => Buffer {
  let buffer = Buffer.alloc(64 * 1024);
  return (path) => {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.alloc(Math.max(size, buffer.length * 2));
      let done = 0;
      while (done < size) {
        const got = readSync(fd, buffer, done, size - done, done);
        if (got === 0) break;
        done += got;
      }
      return buffer.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  };
}

/** The record of article n from the bytes of its file; undefined when the file is not an article. */
function recordOfFile(
  bytes: Buffer,
  n: number,
  keyOfUrl: KeyOfUrl,
  hashOf: HashOf,
): ArticleRecord | undefined {
  // Files of the usual shape are hashed as bytes: decoding every content is most of the cost.
  const layout = articleLayout(bytes);
  const article = layout
    ? { ...layout, content: bytes.subarray(layout.contentStart, layout.contentEnd) }
    : parseArticle(bytes.toString("utf8"));
  if (!article) return undefined;
  return {
    n,
    key: keyOfUrl(article.url),
    published: article.published,
    seen: Number.isFinite(article.published) ? article.published : 0,
    hash: hashOf(article.title, article.url, article.content),
    // A copy: the parsed title is a slice that would keep the whole file's text alive with it,
    // which over a large archive taken over without state/ adds up to gigabytes.
    title: detached(article.title),
    versions: 0,
  };
}

/** Rebuilds a source's records from its article files: for archives without state, or to verify it. */
export function recordsFromFiles(
  root: string,
  sourceId: string,
  keyOfUrl: KeyOfUrl,
  hashOf: HashOf,
  numbers?: number[],
): ArticleRecord[] {
  const dir = archivePaths.articlesDir(root, sourceId);
  const names = articleFiles(dir);
  const read = fileReader();
  const records: ArticleRecord[] = [];
  for (const n of numbers ?? names.keys()) {
    const name = names.get(n);
    const record = name === undefined ? undefined : recordOfFile(read(join(dir, name)), n, keyOfUrl, hashOf);
    if (record) records.push(record);
  }
  return records;
}

/**
 * A source's state rebuilt from its article files, as the text of a state file in pieces: the files
 * are read one at a time in the order numbers are given out, and `each` sees every record on the way
 * (to keep what it needs of it), so a source of any size is rebuilt without holding its records.
 */
export function* statePiecesFromFiles(
  root: string,
  sourceId: string,
  keyOfUrl: KeyOfUrl,
  hashOf: HashOf,
  each: (record: ArticleRecord) => void,
): Generator<string> {
  const dir = archivePaths.articlesDir(root, sourceId);
  const names = articleFiles(dir);
  const numbers = [...names.keys()].sort(allocationOrder);
  yield `${HEADER}\n`;
  let piece = "";
  let lines = 0;
  const read = fileReader();
  for (const n of numbers) {
    const record = recordOfFile(read(join(dir, names.get(n) as string)), n, keyOfUrl, hashOf);
    if (!record) continue;
    each(record);
    piece += `${formatRecordLine(record)}\n`;
    if (++lines % LINES_PER_PIECE === 0) {
      yield piece;
      piece = "";
    }
  }
  if (piece !== "") yield piece;
}

/**
 * Rebuilds a source's records from its article files, keeping what the old state knew (identity key,
 * versions, checks) for the articles it had. `missing` holds the numbers that the old state or the
 * source's list pages (when `listName` is given) point at but whose files are gone, in the order
 * numbers are given out, so the caller can report them instead of dropping them silently.
 */
export function rebuildRecords(
  root: string,
  sourceId: string,
  keyOfUrl: KeyOfUrl,
  hashOf: HashOf,
  old: readonly ArticleRecord[] = [],
  listName?: string,
): { records: ArticleRecord[]; missing: number[] } {
  const records = recordsFromFiles(root, sourceId, keyOfUrl, hashOf);
  const known = new Map(old.map((r) => [r.n, r]));
  for (const r of records) {
    const k = known.get(r.n);
    if (k)
      Object.assign(r, {
        key: k.key,
        seen: k.seen,
        versions: k.versions,
        status: k.status,
        checked: k.checked,
      });
  }
  const found = new Set(records.map((r) => r.n));
  const pointed = [
    ...old.map((r) => r.n),
    ...(listName ? listedArticleNumbers(root, sourceId, listName) : []),
  ];
  const missing = [...new Set(pointed.filter((n) => !found.has(n)))].sort((a, b) => allocationOrder(a, b));
  return { records, missing };
}

/** How much of the end of a state file is read to decide an hourly run: the lines of the newest articles. */
const TAIL_BYTES = 256 * 1024;

/** The last whole lines of a file, the offset they start at, and the file's size. */
interface TailText {
  text: string;
  /** The same lines as bytes. */
  bytes: Buffer;
  start: number;
  size: number;
}

/**
 * The tail read last, with what identified its file: a run asks for a source's tail twice in a row
 * (unchangedInStateTail, then readStateTail when items are new), and the second ask reads nothing.
 */
let lastTail: { path: string; bytes: number; id: string; tail: TailText } | undefined;

function readTailText(path: string, bytes: number): TailText | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    // A file written since (by this process or another) differs in size, mtime or inode.
    const id = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
    if (lastTail?.path === path && lastTail.bytes === bytes && lastTail.id === id) return lastTail.tail;
    lastTail = undefined;
    const size = Number(stat.size);
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    for (let done = 0; done < length; ) {
      const got = readSync(fd, buffer, done, length - done, size - length + done);
      if (got === 0) return undefined;
      done += got;
    }
    // Only whole lines: drop the one the window cut into (unless the window is the whole file).
    const cut = length < size ? buffer.indexOf(0x0a) + 1 : 0;
    if (length < size && cut === 0) return undefined;
    const lines = buffer.subarray(cut);
    const tail = { text: lines.toString("utf8"), bytes: lines, start: size - length + cut, size };
    lastTail = { path, bytes, id, tail };
    return tail;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * True when the last lines of state/<id>.tsv show every given item (identity key and hash) archived
 * and unchanged. A feed lists recent articles and the state file ends with the newest ones, so the
 * usual hourly run (the feed changed, its items did not) is answered from the end of the file, at
 * the same cost however large the archive grows. False means "not known from the tail": the caller
 * reads the whole state.
 */
export function unchangedInStateTail(
  root: string,
  sourceId: string,
  items: readonly { key: string; hash: string }[],
): boolean {
  const tail = readTailText(archivePaths.state(root, sourceId), TAIL_BYTES);
  if (!tail) return false;
  const { text } = tail;
  if (!text.endsWith("\n")) return false;
  for (const item of items) {
    const at = text.lastIndexOf(`\t${clean(item.key)}\t`);
    if (at === -1) return false;
    const line = text.slice(text.lastIndexOf("\n", at) + 1, at);
    // Fields before the key: n, published, seen, hash, versions, status, checked.
    if (line.split("\t")[3] !== item.hash) return false;
  }
  return true;
}

/**
 * The newest records of a large state file, read from its last 256 KB, as a state read in part: the
 * file's other lines are never parsed unless pickFromHead asks for them, and saving keeps them as
 * they are. Undefined when the file is missing, small enough to read whole, or does not end its last
 * line.
 */
export function readStateTail(root: string, sourceId: string, bytes = TAIL_BYTES): SourceState | undefined {
  const path = archivePaths.state(root, sourceId);
  const tail = readTailText(path, bytes);
  if (!tail || tail.start === 0 || !tail.text.endsWith("\n")) return undefined;
  // Parsed as one text (the records' strings share it), then matched line by line to byte offsets:
  // parseSourceState skips the same empty and comment lines.
  const records = parseSourceState(tail.text, `${path} (end)`);
  const lines: HeldLine[] = [];
  const text = tail.bytes;
  for (let start = 0, nl = text.indexOf(0x0a); nl !== -1; start = nl + 1, nl = text.indexOf(0x0a, start)) {
    const record = records[lines.length];
    if (nl > start && text[start] !== 0x23 && record)
      lines.push(held(record, tail.start + start, nl - start));
  }
  const state = makeSourceState(records);
  if (state.records.length === 0) return undefined;
  state.keptFrom = { path, bytes: tail.size, parsedFrom: tail.start, held: lines };
  return state;
}

/**
 * Adds to a state read in part the records of the lines before its tail whose identity key is one of
 * `keys` (keys already known to the state are not looked for). Searches the bytes a megabyte at a time
 * and parses only the lines that hold a key, so telling that new items are new, or finding the record
 * of an old one, costs a read of the file, never its records in memory. Returns how many it added.
 */
export function pickFromHead(state: SourceState, keys: readonly string[]): number {
  const kept = state.keptFrom;
  const wanted = new Set(keys.map(clean).filter((k) => !state.byKey.has(k)));
  if (!kept || wanted.size === 0 || kept.parsedFrom === 0) return 0;
  const needles = [...wanted].map((k) => Buffer.from(`\t${k}\t`));
  const picked: HeldLine[] = [];
  forEachLines(kept.path, kept.parsedFrom, (lines, base) => {
    for (const needle of needles) {
      for (let at = lines.indexOf(needle); at !== -1; at = lines.indexOf(needle, at + 1)) {
        const start = lines.lastIndexOf(0x0a, at) + 1;
        const end = lines.indexOf(0x0a, at);
        if (lines[start] === 0x23) continue;
        const record = parseRecordLine(lines.toString("utf8", start, end), kept.path, 0);
        const h = held(record, base + start, end - start);
        // A needle inside another field (never in files newsark writes) is not this key's line.
        if (wanted.has(h.record.key) && !picked.some((p) => p.start === h.start)) picked.push(h);
      }
    }
  });
  if (picked.length === 0) return 0;
  picked.sort((a, b) => a.start - b.start);
  // Older lines first, as in the file; of two lines with one key the later one counts, as when the
  // whole file is read.
  for (const h of picked) state.byKey.set(h.record.key, h.record);
  state.records = [...picked.map((h) => h.record), ...state.records];
  kept.held = [...picked, ...kept.held];
  return picked.length;
}

/** Calls `each` with runs of whole lines of a file's first `to` bytes (which must end a line). */
function forEachLines(path: string, to: number, each: (lines: Buffer, start: number) => void): void {
  const fd = openSync(path, "r");
  try {
    let buffer = Buffer.alloc(Math.min(to, 1 << 18));
    let have = 0;
    let base = 0;
    while (base < to) {
      if (have === buffer.length) {
        const larger = Buffer.alloc(buffer.length * 2);
        buffer.copy(larger, 0, 0, have);
        buffer = larger;
      }
      const got = readSync(fd, buffer, have, Math.min(buffer.length - have, to - base - have), base + have);
      if (got === 0) throw new Error(`internal: ${path} is shorter than when it was read`);
      have += got;
      const whole = buffer.lastIndexOf(0x0a, have - 1) + 1;
      if (whole === 0) continue;
      each(buffer.subarray(0, whole), base);
      buffer.copy(buffer, 0, whole, have);
      have -= whole;
      base += whole;
    }
  } finally {
    closeSync(fd);
  }
}
