/**
 * The default Catalog: one SQLite file with an FTS5 index over pre-tokenized text (see
 * src/search/README.md for why bigrams over the `ascii` tokenizer and not trigram or unicode61).
 * The file is a cache: a schema mismatch or a corrupt file is deleted and recreated, never fatal.
 */
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { NewsarkError } from "../../model/errors.js";
import { htmlToText } from "../../search/html.js";
import { makeSnippet } from "../../search/snippet.js";
import { indexText, parseQuery, type QueryTerm } from "../../search/tokenize.js";
import {
  type Catalog,
  type CatalogEntry,
  DEFAULT_LIMIT,
  type SearchHit,
  type SearchQuery,
  type SearchResponse,
} from "../catalog.js";

/** Bump when the schema or the tokenizer changes: older files are then rebuilt, not misread. */
export const SCHEMA_VERSION = 1;

/** bm25 column weights: a match in the title counts this many times a match in the body. */
const TITLE_WEIGHT = 10;

/** How many of the newest matches bm25 ranks; see search(). */
export const RANK_WINDOW = 5000;

const SCHEMA = `
CREATE TABLE articles (
  -- The id encodes the published time (see idBase), so "newest first" and date filters are rowid
  -- order and rowid ranges inside the FTS index, with no join to this wide table.
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  n INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  published INTEGER,
  body TEXT NOT NULL,
  UNIQUE (source, n)
);
-- Contentless: the tokens are only needed in the index; snippets come from articles.body.
-- ascii: tokens arrive space-separated from src/search/tokenize.ts and must not be split again.
-- prefix='1': one-character CJK queries are prefix queries over the bigrams.
-- src holds one token naming the source, so the source filter is an index lookup too.
CREATE VIRTUAL TABLE fts USING fts5 (
  title, body, src, content='', contentless_delete=1, tokenize='ascii', prefix='1'
);
`;

/**
 * Ids of articles published in second t are t·SLOTS … t·SLOTS + SLOTS − 1, so rowid order is newest
 * first and a date filter is a rowid range, at one-second precision (feed dates have no finer one).
 * Seconds rather than ms keep rowid deltas, stored for every token of every article, short.
 */
const SLOTS = 256;
const UNDATED = -(2 ** 52);

function idBase(published: number | null): number {
  return published === null ? UNDATED : Math.floor(published / 1000) * SLOTS;
}

/** The token of a source in the src column: hex, so "BBC" and "bbc" stay apart. */
function sourceToken(source: string): string {
  return `s${Buffer.from(source, "utf8").toString("hex")}`;
}

type Db = Database.Database;

interface Row {
  source: string;
  n: number;
  title: string;
  url: string;
  published: number | null;
  body: string;
}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB");
}

function removeFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/** Opens an existing catalog, or returns undefined when it must be recreated. */
function openExisting(file: string): Db | undefined {
  let db: Db | undefined;
  try {
    db = new Database(file);
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
  } catch {
    try {
      db?.close();
    } catch {
      // Closing a broken handle may fail too; the file is deleted next anyway.
    }
    return undefined;
  }
}

function openDb(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  let db = openExisting(file);
  if (!db) {
    removeFiles(file);
    db = openExisting(file);
  }
  if (!db) throw new NewsarkError("archive", `catalog: cannot create ${file}`);
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

/** FTS5 phrase for one query term; tokens hold only letters, digits and CJK, quoting is for safety. */
function phraseOf(term: QueryTerm): string {
  const phrase = `"${term.tokens.join(" ").replace(/"/g, '""')}"`;
  return term.prefix ? `${phrase} *` : phrase;
}

/** A Catalog in one SQLite file, with its statements prepared once. */
class SqliteCatalog implements Catalog {
  private db: Db;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly file: string) {
    this.db = openDb(file);
  }

  private stmt(sql: string): Database.Statement {
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
      if (!isCorruption(err)) throw err;
      this.reset();
      return work();
    }
  }

  private reset(): void {
    this.statements.clear();
    try {
      this.db.close();
    } catch {
      // Already unusable; it is replaced below.
    }
    removeFiles(this.file);
    this.db = openDb(this.file);
  }

  /** A free id for an article published at `published`: the next free slot of its second. */
  private freeId(published: number | null): number {
    const base = idBase(published);
    const top = published === null ? UNDATED + 2 ** 50 : base + SLOTS;
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

  private insertAll(entries: Iterable<CatalogEntry>, replace: boolean): void {
    const find = this.stmt("SELECT id, published FROM articles WHERE source = ? AND n = ?");
    const insert = this.stmt(
      "INSERT INTO articles (id, source, n, title, url, published, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const drop = this.stmt("DELETE FROM articles WHERE id = ?");
    const unindex = this.stmt("DELETE FROM fts WHERE rowid = ?");
    const index = this.stmt("INSERT INTO fts (rowid, title, body, src) VALUES (?, ?, ?, ?)");
    for (const e of entries) {
      const body = htmlToText(e.content);
      const published = Number.isFinite(e.published) ? Math.trunc(e.published) : null;
      const existing = replace ? (find.get(e.source, e.n) as { id: number } | undefined) : undefined;
      if (existing) {
        unindex.run(existing.id);
        drop.run(existing.id);
      }
      const id = this.freeId(published);
      insert.run(id, e.source, e.n, e.title, e.url, published, body);
      index.run(id, indexText(e.title), indexText(body), sourceToken(e.source));
    }
  }

  upsert(entries: Iterable<CatalogEntry>): void {
    // Materialised first so a retry after a corruption reset sees the same entries.
    const list = Array.isArray(entries) ? (entries as CatalogEntry[]) : [...entries];
    this.guard(() => this.db.transaction(() => this.insertAll(list, true))());
  }

  remove(source: string, n: number): void {
    this.guard(() =>
      this.db.transaction(() => {
        const row = this.stmt("SELECT id FROM articles WHERE source = ? AND n = ?").get(source, n) as
          | { id: number }
          | undefined;
        if (!row) return;
        this.stmt("DELETE FROM fts WHERE rowid = ?").run(row.id);
        this.stmt("DELETE FROM articles WHERE id = ?").run(row.id);
      })(),
    );
  }

  rebuild(entries: Iterable<CatalogEntry>): void {
    // Dropping and recreating is much faster than deleting row by row, and one transaction keeps
    // readers in other processes on the old index until the new one is complete.
    const run = () => {
      this.statements.clear();
      this.db.transaction(() => {
        this.db.exec("DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS articles;");
        this.db.exec(SCHEMA);
        // A bulk load merges once at the end ('optimize') instead of as it goes: about 15% faster.
        this.db.exec("INSERT INTO fts (fts, rank) VALUES ('automerge', 0)");
        this.statements.clear();
        this.insertAll(entries, false);
        this.db.exec("INSERT INTO fts (fts) VALUES ('optimize')");
        this.db.exec("INSERT INTO fts (fts, rank) VALUES ('automerge', 4)");
      })();
      this.statements.clear();
      this.db.pragma("wal_checkpoint(TRUNCATE)");
    };
    try {
      run();
    } catch (err) {
      if (!isCorruption(err)) throw err;
      this.reset();
      run();
    }
  }

  count(): number {
    return this.guard(() => (this.stmt("SELECT count(*) AS c FROM articles").get() as { c: number }).c);
  }

  search(q: SearchQuery): SearchResponse {
    const terms = parseQuery(q.text);
    if (terms.length === 0) return { results: [], total: 0 };
    let match = terms.map(phraseOf).join(" AND ");
    if (q.source !== undefined) match = `(${match}) AND src : ${sourceToken(q.source)}`;
    const where = ["fts MATCH @match"];
    const params: Record<string, string | number> = { match };
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
      // bm25 costs one evaluation per match. A term found in a large part of the archive is ranked
      // among its newest RANK_WINDOW matches only: walking rowids newest first to find the window's
      // edge is cheap, and for such terms recency matters more than small score differences.
      const edge =
        offset + limit <= RANK_WINDOW
          ? (this.stmt(
              `SELECT rowid AS id FROM fts WHERE ${cond} ORDER BY rowid DESC LIMIT 1 OFFSET ${RANK_WINDOW - 1}`,
            ).get(params) as { id: number } | undefined)
          : undefined;
      const ranked = edge ? `${cond} AND rowid >= @edge` : cond;
      // Ranking reads only the FTS index: bm25 (src weighs nothing), then rowid = newest first.
      const ids = this.stmt(
        `SELECT rowid AS id FROM fts WHERE ${ranked}
         ORDER BY bm25(fts, ${TITLE_WEIGHT}, 1, 0), rowid DESC LIMIT @limit OFFSET @offset`,
      ).all({ ...params, ...(edge ? { edge: edge.id } : {}), limit, offset }) as { id: number }[];
      let total: number;
      if (ids.length < limit && (ids.length > 0 || offset === 0)) total = offset + ids.length;
      else total = (this.stmt(`SELECT count(*) AS c FROM fts WHERE ${cond}`).get(params) as { c: number }).c;
      const article = this.stmt("SELECT source, n, title, url, published, body FROM articles WHERE id = ?");
      const results: SearchHit[] = [];
      for (const { id } of ids) {
        const row = article.get(id) as Row | undefined;
        if (!row) continue;
        const snippet = makeSnippet(row.body, terms);
        results.push({
          source: row.source,
          n: row.n,
          title: row.title,
          url: row.url,
          published: row.published === null ? "" : new Date(row.published).toISOString(),
          snippet: snippet.text,
          snippetHtml: snippet.html,
        });
      }
      return { results, total };
    });
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating the folder and file if needed) the SQLite catalog at `file`. A file with another
 * schema version, or one SQLite cannot read, is deleted and recreated empty.
 *
 * @example
 * const catalog = openSqliteCatalog(archivePaths.catalog(root));
 */
export function openSqliteCatalog(file: string): Catalog {
  return new SqliteCatalog(file);
}
