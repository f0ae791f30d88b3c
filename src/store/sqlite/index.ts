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

const SCHEMA = `
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  n INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  published INTEGER,
  body TEXT NOT NULL,
  UNIQUE (source, n)
);
CREATE INDEX articles_published ON articles (published);
-- Contentless: the tokens are only needed in the index; snippets come from articles.body.
-- ascii: tokens arrive space-separated from src/search/tokenize.ts and must not be split again.
-- prefix='1': one-character CJK queries are prefix queries over the bigrams.
CREATE VIRTUAL TABLE fts USING fts5 (
  title, body, content='', contentless_delete=1, tokenize='ascii', prefix='1'
);
`;

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

  private insertAll(entries: Iterable<CatalogEntry>, replace: boolean): void {
    const find = this.stmt("SELECT id FROM articles WHERE source = ? AND n = ?");
    const insert = this.stmt(
      "INSERT INTO articles (source, n, title, url, published, body) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const update = this.stmt("UPDATE articles SET title = ?, url = ?, published = ?, body = ? WHERE id = ?");
    const unindex = this.stmt("DELETE FROM fts WHERE rowid = ?");
    const index = this.stmt("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)");
    for (const e of entries) {
      const body = htmlToText(e.content);
      const published = Number.isFinite(e.published) ? Math.trunc(e.published) : null;
      const existing = replace ? (find.get(e.source, e.n) as { id: number } | undefined) : undefined;
      let id: number | bigint;
      if (existing) {
        id = existing.id;
        update.run(e.title, e.url, published, body, id);
        unindex.run(id);
      } else {
        id = insert.run(e.source, e.n, e.title, e.url, published, body).lastInsertRowid;
      }
      index.run(id, indexText(e.title), indexText(body));
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
        this.statements.clear();
        this.insertAll(entries, false);
        this.db.exec("INSERT INTO fts (fts) VALUES ('optimize')");
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
    const match = terms.map(phraseOf).join(" AND ");
    const where = ["fts MATCH @match"];
    const params: Record<string, string | number> = { match };
    if (q.source !== undefined) {
      where.push("a.source = @source");
      params.source = q.source;
    }
    if (q.since !== undefined) {
      where.push("a.published >= @since");
      params.since = q.since;
    }
    if (q.until !== undefined) {
      where.push("a.published < @until");
      params.until = q.until;
    }
    const filtered = where.length > 1;
    const limit = Math.max(0, Math.trunc(q.limit ?? DEFAULT_LIMIT));
    const offset = Math.max(0, Math.trunc(q.offset ?? 0));
    // CROSS JOIN keeps the FTS index as the outer loop; the planner might otherwise walk a source's
    // rows and probe the index once per row.
    const from = "fts CROSS JOIN articles a ON a.id = fts.rowid";
    return this.guard(() => {
      const rows = this.stmt(
        `SELECT a.source, a.n, a.title, a.url, a.published, a.body FROM ${from}
         WHERE ${where.join(" AND ")}
         ORDER BY bm25(fts, ${TITLE_WEIGHT}, 1) ASC, a.published DESC LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit, offset }) as Row[];
      let total: number;
      if (rows.length < limit && (rows.length > 0 || offset === 0)) total = offset + rows.length;
      else {
        const sql = filtered
          ? `SELECT count(*) AS c FROM ${from} WHERE ${where.join(" AND ")}`
          : "SELECT count(*) AS c FROM fts WHERE fts MATCH @match";
        total = (this.stmt(sql).get(params) as { c: number }).c;
      }
      const results = rows.map((row): SearchHit => {
        const snippet = makeSnippet(row.body, terms);
        return {
          source: row.source,
          n: row.n,
          title: row.title,
          url: row.url,
          published: row.published === null ? "" : new Date(row.published).toISOString(),
          snippet: snippet.text,
          snippetHtml: snippet.html,
        };
      });
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
