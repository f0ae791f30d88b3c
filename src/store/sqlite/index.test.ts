import * as assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { NewsarkError } from "../../model/errors.js";
import { entry } from "../catalog.contract.js";
import type { Tokenizer } from "../catalog.js";
import { openSqliteCatalog as openWith, RANK_WINDOW, SCHEMA_VERSION } from "./index.js";

/** Whitespace words, lower case: the catalog needs no language of its own (src/search/ gives it Chinese). */
const words: Tokenizer = {
  name: "words",
  plainText: (html) => html.replace(/<[^>]*>/g, " "),
  index: (text) => ({ tokens: text.toLowerCase().split(/\s+/).filter(Boolean).join(" "), chars: "" }),
  queryPhrases: (q) =>
    q
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => ({ tokens: [w], prefix: false })),
};
const openSqliteCatalog = (file: string) => openWith(file, words);

const dir = mkdtempSync(join(tmpdir(), "newsark-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshFile = () => join(dir, `c${++counter}`, "catalog.sqlite");

describe("SQLite catalog file", () => {
  test("Q01: creates its folder and keeps what it indexed across openings", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.upsert([entry({ n: 1, content: "<p>taiwan</p>" })]);
    await a.close();
    assert.ok(existsSync(file));
    const b = openSqliteCatalog(file);
    assert.equal(await b.count(), 1);
    assert.equal((await b.search({ text: "TAIWAN" })).total, 1);
    await b.close();
  });

  test("Q02: a corrupt catalog file is deleted and recreated", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.upsert([entry({ n: 1, content: "<p>taiwan</p>" })]);
    await a.close();
    writeFileSync(file, "this is not a database, it is a cache that got damaged\n".repeat(100));
    const b = openSqliteCatalog(file);
    assert.equal(await b.count(), 0);
    await b.upsert([entry({ n: 2, content: "<p>taiwan</p>" })]);
    assert.deepEqual(
      (await b.search({ text: "taiwan" })).results.map((r) => r.n),
      [2],
    );
    await b.close();
  });

  test("Q03: a catalog of another schema version is recreated", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.upsert([entry({ n: 1, content: "<p>taiwan</p>" })]);
    await a.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const b = openSqliteCatalog(file);
    assert.equal(await b.count(), 0);
    await b.close();
  });

  test("Q04: the catalog uses WAL", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.count();
    await a.close();
    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
    raw.close();
  });
});

describe("rebuilding in batches", () => {
  const articles = (count: number) =>
    Array.from({ length: count }, (_, i) => entry({ n: i + 1, content: `<p>word${i + 1} common</p>` }));

  test("Q06: a rebuild stopped after a batch keeps that batch, is incomplete, and the next one resumes", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.upsert([entry({ n: 99, content: "<p>old</p>" })]);
    let batches = 0;
    await assert.rejects(
      a.rebuild(articles(10), { batchSize: 3, onBatch: () => batches++, shouldStop: () => batches >= 2 }),
      (err) => err instanceof NewsarkError && err.code === "interrupted",
    );
    await a.close();
    const b = openSqliteCatalog(file);
    assert.equal(await b.count(), 6);
    assert.equal(await b.complete(), false);
    assert.equal((await b.search({ text: "old" })).total, 0);
    const seen: number[] = [];
    // The resumed rebuild skips the six committed articles without indexing them again.
    const count = await b.rebuild(articles(10), { batchSize: 3, onBatch: (p) => seen.push(p.done) });
    assert.equal(count, 10);
    assert.deepEqual(seen, [6, 6, 9, 10]);
    assert.equal(await b.complete(), true);
    assert.equal((await b.search({ text: "common" })).total, 10);
    assert.equal((await b.search({ text: "word4" })).total, 1);
    await b.close();
  });

  test("Q07: a rebuild of a complete catalog starts over", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.rebuild(articles(4), { batchSize: 3 });
    assert.equal(await a.rebuild(articles(2), { batchSize: 3 }), 2);
    assert.equal((await a.search({ text: "word4" })).total, 0);
    await a.close();
  });
});

describe("entries tokenized ahead", () => {
  test("Q10: a rebuild uses the tokens an entry brings from its own tokenizer and refuses another's", async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    const tokenized = (tokenizer: string) => ({
      tokenizer,
      title: { tokens: "ready", chars: "" },
      body: { tokens: "made elsewhere", chars: "" },
    });
    // The content is empty: only the tokens brought along can make "elsewhere" searchable.
    await a.rebuild([entry({ n: 1, content: "", tokenized: tokenized("words") })]);
    assert.equal((await a.search({ text: "elsewhere" })).total, 1);
    await assert.rejects(
      a.rebuild([entry({ n: 2, content: "", tokenized: tokenized("bigrams") })]),
      /was tokenized by bigrams, not words/,
    );
    await a.close();
  });
});

describe("a catalog the file system refuses", () => {
  test("Q08: a catalog path that cannot be opened is an archive-io error and nothing is deleted", async () => {
    const file = freshFile();
    // A folder where the file should be: SQLite cannot open it, like a file it may not write.
    mkdirSync(join(file, "keep"), { recursive: true });
    const a = openSqliteCatalog(file);
    await assert.rejects(
      a.count(),
      (err) => err instanceof NewsarkError && err.code === "archive-io" && err.message.includes(file),
    );
    await a.close();
    assert.ok(existsSync(join(file, "keep")));
  });

  test("Q09: a read-only catalog is never deleted", {
    skip: process.getuid?.() === 0 ? "permissions do not bind root" : false,
  }, async () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    await a.upsert([entry({ n: 1, content: "<p>taiwan</p>" })]);
    await a.close();
    chmodSync(file, 0o444);
    chmodSync(dirname(file), 0o555);
    try {
      const b = openSqliteCatalog(file);
      try {
        await b.upsert([entry({ n: 2, content: "<p>taiwan</p>" })]);
        assert.fail("a write to a read-only catalog succeeded");
      } catch (err) {
        assert.ok(err instanceof NewsarkError && err.code === "archive-io", String(err));
      } finally {
        await b.close();
      }
      assert.ok(existsSync(file));
    } finally {
      chmodSync(dirname(file), 0o755);
      chmodSync(file, 0o644);
    }
  });
});

describe("ranking", () => {
  test("Q11: hits are ranked by bm25 then newest first; past RANK_WINDOW matches among the newest RANK_WINDOW, the total counting all", async () => {
    const file = freshFile();
    const c = openSqliteCatalog(file);
    const list = [];
    for (let n = 1; n <= RANK_WINDOW + 100; n++) {
      // "common" in every article; "rare" in some, once or twice, some in the title: scores differ.
      const body = ["common", ...(n % 7 === 0 ? ["rare"] : []), ...(n % 13 === 0 ? ["rare"] : [])];
      for (let k = 0; k < n % 5; k++) body.push("filler");
      list.push(
        entry({
          n,
          published: Date.UTC(2024, 0, 1) + n * 60_000,
          title: n % 11 === 0 ? "rare title" : "title",
          content: `<p>${body.join(" ")}</p>`,
        }),
      );
    }
    await c.upsert(list);
    const db = new Database(file, { readonly: true });
    try {
      const nOf = db.prepare("SELECT n FROM articles WHERE id = ?").pluck();
      /** Article numbers of `word`'s matches in rank order, over every match or the newest `newest`. */
      const reference = (word: string, newest?: number): number[] => {
        const edge = newest
          ? (db
              .prepare(
                `SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${newest - 1}`,
              )
              .pluck()
              .get(word) as number)
          : 0;
        const ids = db
          .prepare(
            "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid >= ? ORDER BY bm25(fts, 10, 1, 0), rowid DESC",
          )
          .pluck()
          .all(word, edge) as number[];
        return ids.map((id) => nOf.get(id) as number);
      };
      const page = async (text: string, offset: number) =>
        (await c.search({ text, limit: 20, offset })).results.map((r) => r.n);
      const rare = reference("rare");
      assert.ok(rare.length > 100 && rare.length < RANK_WINDOW, `${rare.length} matches`);
      assert.equal((await c.search({ text: "rare" })).total, rare.length);
      for (const offset of [0, 20, 100, rare.length - 10])
        assert.deepEqual(await page("rare", offset), rare.slice(offset, offset + 20), `rare from ${offset}`);
      // More matches than RANK_WINDOW: the first pages rank the newest RANK_WINDOW; later ones all.
      assert.equal((await c.search({ text: "common" })).total, RANK_WINDOW + 100);
      assert.deepEqual(await page("common", 0), reference("common", RANK_WINDOW).slice(0, 20));
      assert.deepEqual(await page("common", 40), reference("common", RANK_WINDOW).slice(40, 60));
      assert.deepEqual(
        await page("common", RANK_WINDOW),
        reference("common").slice(RANK_WINDOW, RANK_WINDOW + 20),
      );
    } finally {
      db.close();
      await c.close();
    }
  });
});

describe("why not FTS5's trigram tokenizer", () => {
  test("Q05: trigram cannot match two-character words such as 台湾 or 中俄", () => {
    const db = new Database(":memory:");
    db.exec("CREATE VIRTUAL TABLE t USING fts5 (body, tokenize='trigram')");
    db.prepare("INSERT INTO t (body) VALUES (?)").run("中俄关系继续向前推进，台湾海峡局势紧张");
    const hits = (q: string) =>
      (db.prepare("SELECT count(*) AS c FROM t WHERE t MATCH ?").get(q) as { c: number }).c;
    // Three characters or more match...
    assert.equal(hits('"中俄关"'), 1);
    // ...but a two-character query has no trigram to look up, so it matches nothing,
    assert.equal(hits('"中俄"'), 0);
    assert.equal(hits('"台湾"'), 0);
    // and only a LIKE scan over every row finds it (no index use for < 3 characters).
    const like = db.prepare("SELECT count(*) AS c FROM t WHERE body LIKE ?").get("%中俄%") as { c: number };
    assert.equal(like.c, 1);
    // Trigram also knows nothing of 臺灣 = 台湾.
    db.prepare("INSERT INTO t (body) VALUES (?)").run("臺灣海峽局勢緊張");
    assert.equal(hits('"台湾海"'), 1);
    db.close();
  });
});
