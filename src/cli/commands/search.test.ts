import * as assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SEED } from "../../../test/support/fixtures.js";
import type { CliIO } from "../io.js";
import { runMain } from "../main.js";
import { parseDateOption } from "./search.js";

const base = mkdtempSync(join(tmpdir(), "newsark-cli-search-"));
after(() => rmSync(base, { recursive: true, force: true }));

function archive(): string {
  const root = join(base, `a${Math.random().toString(36).slice(2)}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "newsark.yaml"), "sources: [{id: voa, name: 美国之音, url: feed.xml}]\n");
  cpSync(SEED.articles, join(root, "articles/voa"), {
    recursive: true,
  });
  return root;
}

function capture(cwd: string, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY,
    cwd,
    env: {},
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("newsark search", () => {
  test("prints the --json shape: results with source, n, title, url, published, snippet, and total", async () => {
    const c = capture(archive());
    assert.equal(await runMain(["search", "李尚福", "--json"], c.io), 0);
    const json = JSON.parse(c.out());
    assert.deepEqual(Object.keys(json), ["results", "total"]);
    assert.equal(json.total, 2);
    for (const hit of json.results) {
      assert.deepEqual(Object.keys(hit), ["source", "n", "title", "url", "published", "snippet"]);
      assert.equal(hit.source, "voa");
      assert.match(hit.published, /^\d{4}-\d{2}-\d{2}T/);
      assert.ok(hit.snippet.includes("【李尚福】"));
    }
  });

  test("filters by --since and --until as days in the archive's time zone", async () => {
    const root = archive();
    const c = capture(root);
    await runMain(["search", "李尚福", "--json", "--since", "2023-08-01"], c.io);
    assert.deepEqual(
      JSON.parse(c.out()).results.map((h: { n: number }) => h.n),
      [1048573],
    );
    const d = capture(root);
    await runMain(["search", "李尚福", "--json", "--until", "2023-07-03"], d.io);
    assert.deepEqual(
      JSON.parse(d.out()).results.map((h: { n: number }) => h.n),
      [1048574],
    );
  });

  test("prints a readable list, bold only on a terminal", async () => {
    const root = archive();
    const plain = capture(root);
    await runMain(["search", "中俄", "--limit", "1"], plain.io);
    assert.match(plain.out(), /^2 articles match 中俄; the best 1:/);
    assert.match(plain.out(), /voa\/1048574 · 2023-07-03 · https:\/\/www\.voachinese\.com/);
    assert.ok(plain.out().includes("【中俄】"));
    assert.ok(!plain.out().includes("\x1b["));
    const tty = capture(root, true);
    await runMain(["search", "中俄"], tty.io);
    assert.ok(tty.out().includes("\x1b[1m中俄\x1b[22m"));
  });

  test("rejects a bad date, a bad limit and a missing query as usage errors", async () => {
    const root = archive();
    const c = capture(root);
    assert.equal(await runMain(["search", "李尚福", "--since", "x"], c.io), 2);
    assert.equal(c.err(), "newsark: search: --since: 'x' is not a date (YYYY-MM-DD)\n");
    const d = capture(root);
    assert.equal(await runMain(["search", "李尚福", "--limit", "0"], d.io), 2);
    const e = capture(root);
    assert.equal(await runMain(["search"], e.io), 2);
  });

  test("says so when nothing matches", async () => {
    const c = capture(archive());
    assert.equal(await runMain(["search", "不存在的词语"], c.io), 0);
    assert.equal(c.out(), "No articles match 不存在的词语.\n");
  });
});

describe("parseDateOption", () => {
  test("a day is midnight in the time zone; --until includes the whole day", () => {
    assert.equal(parseDateOption("since", "2023-08-15", "Asia/Shanghai", false), Date.UTC(2023, 7, 14, 16));
    assert.equal(parseDateOption("until", "2023-08-15", "Asia/Shanghai", true), Date.UTC(2023, 7, 15, 16));
    assert.equal(
      parseDateOption("since", "2023-08-15T10:00:00Z", "Asia/Shanghai", false),
      Date.UTC(2023, 7, 15, 10),
    );
    assert.throws(() => parseDateOption("since", "2023-02-30", "UTC", false), /is not a date/);
  });
});
