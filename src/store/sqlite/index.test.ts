import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { catalogContract, entry } from "../catalog.contract.js";
import { openSqliteCatalog, SCHEMA_VERSION } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "newsark-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshFile = () => join(dir, `c${++counter}`, "catalog.sqlite");

catalogContract("sqlite", () => openSqliteCatalog(freshFile()));

describe("SQLite catalog file", () => {
  test("Q01: creates its folder and keeps what it indexed across openings", () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    a.upsert([entry({ n: 1, content: "<p>台湾</p>" })]);
    a.close();
    assert.ok(existsSync(file));
    const b = openSqliteCatalog(file);
    assert.equal(b.count(), 1);
    assert.equal(b.search({ text: "臺灣" }).total, 1);
    b.close();
  });

  test("Q02: a corrupt catalog file is deleted and recreated", () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    a.upsert([entry({ n: 1, content: "<p>台湾</p>" })]);
    a.close();
    writeFileSync(file, "this is not a database, it is a cache that got damaged\n".repeat(100));
    const b = openSqliteCatalog(file);
    assert.equal(b.count(), 0);
    b.upsert([entry({ n: 2, content: "<p>台湾</p>" })]);
    assert.deepEqual(
      b.search({ text: "台湾" }).results.map((r) => r.n),
      [2],
    );
    b.close();
  });

  test("Q03: a catalog of another schema version is recreated", () => {
    const file = freshFile();
    const a = openSqliteCatalog(file);
    a.upsert([entry({ n: 1, content: "<p>台湾</p>" })]);
    a.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const b = openSqliteCatalog(file);
    assert.equal(b.count(), 0);
    b.close();
  });

  test("Q04: the catalog uses WAL", () => {
    const file = freshFile();
    openSqliteCatalog(file).close();
    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
    raw.close();
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
