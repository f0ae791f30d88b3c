/**
 * The default Catalog: one SQLite file with a contentless FTS5 index over tokens made by the
 * Tokenizer it is given (see src/search/README.md for why bigrams over the `ascii` tokenizer and not
 * trigram or unicode61). The file is a cache: a schema mismatch or a corrupt file is deleted and
 * recreated, never fatal; a file the system will not let us write is an error, never deleted.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { errorMessage, NewsarkError } from "../../model/errors.js";
import {
  type Catalog,
  type CatalogEntry,
  type CatalogHit,
  DEFAULT_LIMIT,
  type RebuildOptions,
  type SearchQuery,
  type SearchResponse,
  type Tokenizer,
  type TokenPhrase,
} from "../catalog.js";

/** Bump when the schema or the tokenizer changes: older files are then rebuilt, not misread. */
export const SCHEMA_VERSION = 3;

/** Articles per committed batch of a rebuild: what an interruption loses, and the WAL between checkpoints. */
export const REBUILD_BATCH = 2000;

/** bm25 column weights: a match in the title counts this many times a match in the body. */
const TITLE_WEIGHT = 10;

/** How many of the newest matches bm25 ranks; see search(). */
export const RANK_WINDOW = 5000;

/** FTS5 pending-token memory before a segment is written; see SCHEMA. */
const FTS_HASH_BYTES = 64 * 1024 * 1024;

const SCHEMA = `
CREATE TABLE articles (
  -- The id encodes the published time (see idBase), so "newest first" and date filters are rowid
  -- order and rowid ranges inside the FTS index, with no join to this table.
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  n INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  published INTEGER,
  UNIQUE (source, n)
);
-- Row 'unfinished' until the first rebuild completes: 'new' (never built from the files; a rebuild
-- starts over) or 'rebuilding' (interrupted; the next rebuild resumes instead of starting over).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('unfinished', 'new');
-- Contentless: no article text is stored; snippets are made from the article files.
-- ascii: tokens arrive space-separated from the Tokenizer and must not be split again.
-- detail=full: positions are kept, so a phrase (李尚福 = "李尚 尚福") matches only in order; no prefix
-- index: it would add half the article bytes again (see src/search/README.md, measured).
-- src holds one token naming the source, so the source filter is an index lookup too.
CREATE VIRTUAL TABLE fts USING fts5 (
  title, body, src, content='', contentless_delete=1, tokenize='ascii', detail=full
);
-- One-character queries: which articles hold a character (and the source token), nothing more, so
-- detail=none: a sixth of the size a prefix index on fts would take, and one doclist per query.
CREATE VIRTUAL TABLE chars USING fts5 (c, content='', contentless_delete=1, tokenize='ascii', detail=none);
-- FTS5 writes a new segment each time its pending tokens pass hashsize (default 1 MB), then merges
-- them: a 2,000-article batch made ~30 segments and the merging cost more than the inserts. At 64 MB
-- a batch is one or two segments (a rebuild takes a third less CPU in SQLite, measured); the pending
-- tokens of one transaction stay in memory up to that size, so memory stays bounded.
INSERT INTO fts (fts, rank) VALUES ('hashsize', ${FTS_HASH_BYTES});
INSERT INTO chars (chars, rank) VALUES ('hashsize', ${FTS_HASH_BYTES});
`;

/**
 * Ids of articles published in minute t are t·SLOTS … t·SLOTS + SLOTS − 1, so rowid order is newest
 * first and a date filter is a rowid range, at one-minute precision (every time zone's day starts on
 * a whole minute). Minutes rather than seconds keep rowid deltas, stored for every token of every
 * article, short: the index is a quarter smaller than with second × 256 (measured, README).
 */
const SLOTS = 4;
const UNIT_MS = 60_000;
const UNDATED = -(2 ** 48);

function idBase(published: number | null): number {
  return published === null ? UNDATED : Math.floor(published / UNIT_MS) * SLOTS;
}

/** The token of a source in the src column: hex, so "BBC" and "bbc" stay apart. */
function sourceToken(source: string): string {
  return `s${Buffer.from(source, "utf8").toString("hex")}`;
}

type Db = BetterSqlite3.Database;

// INFO: loaded on first use, so code that only asks exists() (an hourly run) never loads SQLite.
let sqlite: typeof BetterSqlite3 | undefined;
function loadSqlite(): typeof BetterSqlite3 {
  sqlite ??= createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  return sqlite;
}

interface Row {
  source: string;
  n: number;
  title: string;
  url: string;
  published: number | null;
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB");
}

function removeFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/** The file system refused, as opposed to a damaged file: never a reason to delete anything. */
function ioFailure(file: string, err: unknown): NewsarkError {
  return new NewsarkError(
    "archive-io",
    `catalog: cannot write ${file}: ${errorMessage(err)} (is the archive read-only?)`,
  );
}

function isIoRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === "string" &&
    (code.startsWith("SQLITE_READONLY") ||
      code.startsWith("SQLITE_CANTOPEN") ||
      code.startsWith("SQLITE_IOERR") ||
      code === "SQLITE_PERM" ||
      code === "SQLITE_FULL" ||
      code === "EACCES" ||
      code === "EROFS" ||
      code === "EPERM")
  );
}

/**
 * Opens an existing catalog, or returns undefined when it must be recreated (another schema version,
 * a damaged file). A refusal of the file system is thrown as archive-io.
 */
function openExisting(file: string): Db | undefined {
  let db: Db | undefined;
  try {
    db = new (loadSqlite())(file);
    // Takes effect only on a new file, before its first page is written (so before journal_mode):
    // merges free the pages of the segments they replace, and a rebuild ends with the last merges'
    // pages free; incremental_vacuum then hands them back (see rebuild). On an existing file, a no-op.
    db.pragma("auto_vacuum = INCREMENTAL");
    db.pragma("journal_mode = WAL");
    const version = db.pragma("user_version", { simple: true });
    const tables = db.prepare("SELECT count(*) AS c FROM sqlite_schema").get() as { c: number };
    if (tables.c === 0) {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } else if (version !== SCHEMA_VERSION) {
      db.close();
      return undefined;
    }
    // Touch both tables so a damaged file shows itself now rather than mid-search.
    db.prepare("SELECT id FROM articles ORDER BY id DESC LIMIT 1").get();
    db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'a' LIMIT 1").get();
    return db;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // Closing a broken handle may fail too; the file is deleted next anyway.
    }
    if (isIoRefusal(err) && !isCorruption(err)) throw ioFailure(file, err);
    return undefined;
  }
}

function openDb(file: string): Db {
  let db: Db | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = openExisting(file);
    if (!db) {
      removeFiles(file);
      db = openExisting(file);
    }
  } catch (err) {
    if (err instanceof NewsarkError) throw err;
    throw ioFailure(file, err);
  }
  if (!db) throw new NewsarkError("archive", `catalog: cannot create ${file}`);
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

/** FTS5 phrase for one query term; tokens hold only letters, digits and CJK, quoting is for safety. */
function phraseOf(term: TokenPhrase): string {
  const phrase = `"${term.tokens.join(" ").replace(/"/g, '""')}"`;
  return term.prefix ? `${phrase} *` : phrase;
}

/** A term of one character that may start a longer token: looked up in the `chars` table. */
function isOneCharacter(term: TokenPhrase): boolean {
  return term.prefix && term.tokens.length === 1 && [...(term.tokens[0] as string)].length === 1;
}

/** A Catalog in one SQLite file, opened on first use, with its statements prepared once. */
class SqliteCatalog implements Catalog {
  private handle: Db | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly file: string,
    private readonly loadTokenizer: () => Promise<Tokenizer>,
  ) {}

  private tokenizer: Tokenizer | undefined;

  /** The tokenizer, loaded on first need: asking exists() loads neither SQLite nor any language. */
  private async tokens(): Promise<Tokenizer> {
    this.tokenizer ??= await this.loadTokenizer();
    return this.tokenizer;
  }

  private get db(): Db {
    this.handle ??= openDb(this.file);
    return this.handle;
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs `work`; if the file turns out to be corrupt, recreates it empty and runs `work` again. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (!isCorruption(err)) throw isIoRefusal(err) ? ioFailure(this.file, err) : err;
      this.reset();
      return work();
    }
  }

  private reset(): void {
    this.closeHandle();
    removeFiles(this.file);
  }

  /** Closes the file (its statements first); the next use opens it again. */
  private closeHandle(): void {
    this.statements.clear();
    try {
      this.handle?.close();
    } catch {
      // Already unusable; it is replaced or reopened next.
    }
    this.handle = undefined;
  }

  /** A free id for an article published at `published`: the next free slot of its second. */
  private freeId(published: number | null): number {
    const base = idBase(published);
    const top = published === null ? UNDATED + 2 ** 46 : base + SLOTS;
    const row = this.stmt("SELECT max(id) AS m FROM articles WHERE id >= ? AND id < ?").get(base, top) as {
      m: number | null;
    };
    if (row.m === null) return base;
    if (row.m + 1 < top) return row.m + 1;
    // More than SLOTS articles in one second (feeds that give dates without times): take the
    // nearest free id below, which sorts as a moment earlier.
    const below = this.stmt("SELECT id FROM articles WHERE id < ? ORDER BY id DESC");
    let want = base - 1;
    for (const r of below.iterate(base) as Iterable<{ id: number }>) {
      if (r.id < want) break;
      want = r.id - 1;
    }
    return want;
  }

  /** Indexes `entries`; `replace` looks each up first (upsert), `skip` leaves already indexed ones alone (resume). */
  private insertAll(
    tokenizer: Tokenizer,
    entries: Iterable<CatalogEntry>,
    mode: "replace" | "skip" | "fresh",
  ): number {
    const find = this.stmt("SELECT id FROM articles WHERE source = ? AND n = ?");
    const insert = this.stmt(
      "INSERT INTO articles (id, source, n, title, url, published) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const drop = this.stmt("DELETE FROM articles WHERE id = ?");
    const index = this.stmt("INSERT INTO fts (rowid, title, body, src) VALUES (?, ?, ?, ?)");
    const indexChars = this.stmt("INSERT INTO chars (rowid, c) VALUES (?, ?)");
    const { name, plainText, index: tokenize } = tokenizer;
    const rows: { id: number; e: CatalogEntry }[] = [];
    for (const e of entries) {
      const existing = mode === "fresh" ? undefined : (find.get(e.source, e.n) as { id: number } | undefined);
      if (existing && mode === "skip") continue;
      if (existing) {
        this.unindex(existing.id);
        drop.run(existing.id);
      }
      const published = Number.isFinite(e.published) ? Math.trunc(e.published) : null;
      const id = this.freeId(published);
      insert.run(id, e.source, e.n, e.title, e.url, published);
      rows.push({ id, e });
    }
    // FTS5 writes a new segment whenever a rowid is lower than the one before; articles come newest
    // first, so unsorted every article became its own segment (4× slower loads, measured).
    rows.sort((a, b) => a.id - b.id);
    for (const { id, e } of rows) {
      const ready = e.tokenized;
      if (ready && ready.tokenizer !== name) {
        throw new Error(`catalog: ${e.source}/${e.n} was tokenized by ${ready.tokenizer}, not ${name}`);
      }
      const title = ready ? ready.title : tokenize(e.title);
      const body = ready ? ready.body : tokenize(plainText(e.content));
      const src = sourceToken(e.source);
      index.run(id, title.tokens, body.tokens, src);
      indexChars.run(id, `${title.chars} ${body.chars} ${src}`);
    }
    return rows.length;
  }

  private unindex(id: number): void {
    this.stmt("DELETE FROM fts WHERE rowid = ?").run(id);
    this.stmt("DELETE FROM chars WHERE rowid = ?").run(id);
  }

  async exists(): Promise<boolean> {
    return this.handle !== undefined || existsSync(this.file);
  }

  async complete(): Promise<boolean> {
    if (!(await this.exists())) return false;
    return this.guard(() => this.unfinished() === undefined);
  }

  /** Why the catalog is not complete: never built, or a rebuild was interrupted; undefined when complete. */
  private unfinished(): "new" | "rebuilding" | undefined {
    const row = this.stmt("SELECT value FROM meta WHERE key = 'unfinished'").get() as
      | { value: "new" | "rebuilding" }
      | undefined;
    return row?.value;
  }

  async upsert(entries: Iterable<CatalogEntry>): Promise<void> {
    // Materialised first so a retry after a corruption reset sees the same entries.
    const list = Array.isArray(entries) ? (entries as CatalogEntry[]) : [...entries];
    const tokenizer = await this.tokens();
    this.guard(() => this.db.transaction(() => this.insertAll(tokenizer, list, "replace"))());
  }

  async remove(source: string, n: number): Promise<void> {
    this.guard(() =>
      this.db.transaction(() => {
        const row = this.stmt("SELECT id FROM articles WHERE source = ? AND n = ?").get(source, n) as
          | { id: number }
          | undefined;
        if (!row) return;
        this.unindex(row.id);
        this.stmt("DELETE FROM articles WHERE id = ?").run(row.id);
      })(),
    );
  }

  async rebuild(
    entries: Iterable<CatalogEntry> | AsyncIterable<CatalogEntry>,
    options: RebuildOptions = {},
  ): Promise<number> {
    const tokenizer = await this.tokens();
    const resume = this.guard(() => this.unfinished() === "rebuilding");
    if (!resume) {
      // A new file rather than DROP TABLE: dropping makes SQLite visit every page of the old index to
      // free it (9 s for a 1.1 GB catalog, measured). The old file goes first, so the disk never
      // holds two indexes; a process still reading it keeps its own handle on the old file.
      // Taking the write lock first: a catalog that may not be written is an error, never deleted.
      this.guard(() => this.db.exec("BEGIN IMMEDIATE; ROLLBACK;"));
      this.closeHandle();
      try {
        removeFiles(this.file);
      } catch (err) {
        throw ioFailure(this.file, err);
      }
      this.guard(() => this.db.exec("UPDATE meta SET value = 'rebuilding' WHERE key = 'unfinished'"));
    }
    // Each batch is one transaction: an interruption loses at most one batch, and the WAL, checkpointed
    // between batches, stays the size of one batch instead of the whole index.
    let done = this.countNow();
    const commit = async (batch: CatalogEntry[]) => {
      done += this.db.transaction(() => this.insertAll(tokenizer, batch, resume ? "skip" : "fresh"))();
      this.db.pragma("wal_checkpoint(TRUNCATE)");
      options.onBatch?.({ done });
      // Indexing is synchronous: yield once per batch so a SIGINT handler gets to run and ask to stop.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.shouldStop?.()) {
        throw new NewsarkError("interrupted", "catalog rebuild interrupted; run it again to resume");
      }
    };
    let batch: CatalogEntry[] = [];
    for await (const e of entries) {
      batch.push(e);
      if (batch.length >= (options.batchSize ?? REBUILD_BATCH)) {
        await commit(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await commit(batch);
    this.db.prepare("DELETE FROM meta WHERE key = 'unfinished'").run();
    // Free pages left by the last merges (a tenth of the file or more) go back to the file system.
    this.db.pragma("incremental_vacuum");
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    return this.countNow();
  }

  private countNow(): number {
    return (this.stmt("SELECT count(*) AS c FROM articles").get() as { c: number }).c;
  }

  async count(): Promise<number> {
    return this.guard(() => this.countNow());
  }

  async search(q: SearchQuery): Promise<SearchResponse<CatalogHit>> {
    const terms = (await this.tokens()).queryPhrases(q.text);
    if (terms.length === 0) return { results: [], total: 0 };
    // One-character terms are looked up in `chars`; the others are phrases in `fts`. A query of
    // one-character terms only is answered from `chars`, newest first (it has no positions to rank by).
    const charTerms = terms.filter(isOneCharacter).map((t) => `"${t.tokens[0]}"`);
    const phrases = terms.filter((t) => !isOneCharacter(t)).map(phraseOf);
    const table = phrases.length > 0 ? "fts" : "chars";
    const params: Record<string, string | number> = {};
    const where: string[] = [];
    if (table === "fts") {
      params.match = phrases.join(" AND ");
      if (q.source !== undefined) params.match = `(${params.match}) AND src : ${sourceToken(q.source)}`;
      where.push("fts MATCH @match");
      if (charTerms.length > 0) {
        params.chars = charTerms.join(" AND ");
        where.push("rowid IN (SELECT rowid FROM chars WHERE chars MATCH @chars)");
      }
    } else {
      params.match =
        charTerms.join(" AND ") + (q.source !== undefined ? ` AND ${sourceToken(q.source)}` : "");
      where.push("chars MATCH @match");
    }
    if (q.since !== undefined) {
      where.push("rowid >= @since");
      params.since = idBase(Math.ceil(q.since));
    }
    if (q.until !== undefined) {
      where.push("rowid < @until");
      params.until = idBase(Math.ceil(q.until));
    }
    const limit = Math.max(0, Math.trunc(q.limit ?? DEFAULT_LIMIT));
    const offset = Math.max(0, Math.trunc(q.offset ?? 0));
    const cond = where.join(" AND ");
    return this.guard(() => {
      const count = () =>
        (this.stmt(`SELECT count(*) AS c FROM ${table} WHERE ${cond}`).get(params) as { c: number }).c;
      let total: number;
      let ids: number[];
      if (table === "fts" && offset + limit <= RANK_WINDOW) {
        // bm25 costs one evaluation per match, and checking a phrase's positions costs about as much
        // again. So one pass, newest first, scores up to RANK_WINDOW + 1 matches: a query with no more
        // than RANK_WINDOW is counted, ranked and paged from them (counting it in a pass of its own
        // checked every phrase twice); one with more, a term found in a large part of the archive, is
        // counted in a second pass and ranked among its newest RANK_WINDOW, where recency matters
        // more than small score differences. Ranking: bm25 (src weighs nothing), then newest first.
        const rows = this.stmt(
          `SELECT rowid, bm25(fts, ${TITLE_WEIGHT}, 1, 0) FROM fts WHERE ${cond} ORDER BY rowid DESC LIMIT ${RANK_WINDOW + 1}`,
        )
          .raw(true)
          .all(params) as [number, number][];
        total = rows.length > RANK_WINDOW ? count() : rows.length;
        if (rows.length > RANK_WINDOW) rows.length = RANK_WINDOW;
        rows.sort((a, b) => a[1] - b[1] || b[0] - a[0]);
        ids = rows.slice(offset, offset + limit).map((r) => r[0]);
      } else {
        // One-character terms (`chars` has no positions to rank by) come newest first; so do pages
        // past the ranked window, ranked over every match.
        total = count();
        const order = table === "fts" ? `bm25(fts, ${TITLE_WEIGHT}, 1, 0), rowid DESC` : "rowid DESC";
        ids =
          offset < total
            ? (
                this.stmt(
                  `SELECT rowid AS id FROM ${table} WHERE ${cond} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
                ).all({ ...params, limit, offset }) as { id: number }[]
              ).map((r) => r.id)
            : [];
      }
      const article = this.stmt("SELECT source, n, title, url, published FROM articles WHERE id = ?");
      const results: CatalogHit[] = [];
      for (const id of ids) {
        const row = article.get(id) as Row | undefined;
        if (!row) continue;
        results.push({
          source: row.source,
          n: row.n,
          title: row.title,
          url: row.url,
          published: row.published === null ? "" : new Date(row.published).toISOString(),
        });
      }
      return { results, total };
    });
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.handle?.open) this.handle.close();
    this.handle = undefined;
  }
}

/**
 * The SQLite catalog at `file`, tokenizing with `tokenizer` (or what `tokenizer()` loads, on first
 * need). Nothing is opened or created until the first call that needs the index; then a file of
 * another schema version, or one SQLite cannot read, is deleted and recreated empty.
 *
 * @example
 * const catalog = openSqliteCatalog(archivePaths.catalog(root), async () => chineseTokenizer);
 */
export function openSqliteCatalog(file: string, tokenizer: Tokenizer | (() => Promise<Tokenizer>)): Catalog {
  return new SqliteCatalog(file, typeof tokenizer === "function" ? tokenizer : async () => tokenizer);
}
