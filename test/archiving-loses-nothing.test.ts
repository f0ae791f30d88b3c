import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseArticle } from "../src/store/files/article-format.js";
import { cli, removeDir, rss, serveFiles, tempDir, writeConfig } from "./helpers.js";
import { REAL_ARCHIVE } from "./support/fixtures.js";

const files = new Map<string, string>();
let server: Awaited<ReturnType<typeof serveFiles>>;
const dirs: string[] = [];

before(async () => {
  server = await serveFiles(files);
});
after(async () => {
  await server.close();
  for (const d of dirs) removeDir(d);
});

function archive(feedPath: string, extra = ""): string {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(
    dir,
    `timezone: Asia/Shanghai\nsources:\n  - { id: t, name: Test, url: "${server.url}${feedPath}"${extra} }\n`,
  );
  return dir;
}

async function run(dir: string) {
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out).sources[0];
}

function articles(dir: string) {
  const d = join(dir, "articles/t");
  return readdirSync(d)
    .filter((f) => f.endsWith(".md"))
    .map((f) => ({ n: Number(f.slice(0, -3)), ...parseArticle(readFileSync(join(d, f), "utf8")) }))
    .sort((a, b) => b.n - a.n);
}

const day = (d: number) => new Date(Date.UTC(2024, 0, d, 12)).toUTCString();

test("LN-01: a late, older item arriving after newer ones is archived (the old system skipped it)", async () => {
  files.set("/late.xml", rss([{ title: "新", link: "https://x.test/2", pubDate: day(10) }]));
  const dir = archive("/late.xml");
  assert.equal((await run(dir)).new, 1);
  files.set(
    "/late.xml",
    rss([
      { title: "新", link: "https://x.test/2", pubDate: day(10) },
      { title: "迟到的旧文", link: "https://x.test/1", pubDate: day(2) },
    ]),
  );
  const second = await run(dir);
  assert.equal(second.new, 1);
  assert.equal(second.unchanged, 1);
  assert.deepEqual(
    articles(dir).map((a) => a.title),
    ["新", "迟到的旧文"],
  );
  const list = readFileSync(join(dir, "lists/Test.md"), "utf8");
  assert.ok(list.indexOf("新") < list.indexOf("迟到的旧文"), "lists stay newest first by date");
});

test("LN-02: an edited item is updated and its earlier version is kept", async () => {
  files.set(
    "/edit.xml",
    rss([
      {
        title: "原标题",
        link: "https://x.test/e",
        guid: "e1",
        pubDate: day(3),
        description: "<p>第一版</p>",
      },
    ]),
  );
  const dir = archive("/edit.xml");
  await run(dir);
  files.set(
    "/edit.xml",
    rss([
      {
        title: "改过的标题",
        link: "https://x.test/e",
        guid: "e1",
        pubDate: day(3),
        description: "<p>第二版</p>",
      },
    ]),
  );
  const r = await run(dir);
  assert.deepEqual([r.new, r.changed], [0, 1]);
  const [a] = articles(dir);
  assert.equal(a?.title, "改过的标题");
  const versionsDir = join(dir, "versions/t", String(a?.n));
  const kept = readdirSync(versionsDir);
  assert.equal(kept.length, 1);
  assert.match(readFileSync(join(versionsDir, kept[0] as string), "utf8"), /原标题[\s\S]*第一版/);
  assert.match(readFileSync(join(dir, "state/t.tsv"), "utf8"), /\t1\t-\t-\tg:e1\t改过的标题\n/);
  assert.match(
    readFileSync(join(dir, "lists/Test.md"), "utf8"),
    /改过的标题\]\(\/articles\/t\/1048574\.md\) （已修改）/,
  );
  assert.equal((await run(dir)).changed, 0, "the same edit is not counted twice");
});

test("LN-03: bad items are reported and skipped without blocking the items behind them", async () => {
  files.set(
    "/bad.xml",
    rss([
      { title: "无正文", link: "https://x.test/a", pubDate: day(4), description: "" },
      { title: "坏链接", link: "javascript:alert(1)", pubDate: day(4) },
      { title: "坏日期", link: "https://x.test/c", pubDate: "not a date at all" },
      { title: "好的", link: "https://x.test/d", pubDate: day(4) },
    ]),
  );
  const dir = archive("/bad.xml");
  const r = await cli(dir, "run");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 new/);
  assert.match(r.out, /no content/);
  assert.match(r.out, /not an http\(s\) URL/);
  assert.match(r.out, /cannot be read/);
  assert.deepEqual(
    articles(dir).map((a) => a.title),
    ["好的"],
  );
});

test("LN-04: missing dates take the time first seen; future dates are clamped to it", async () => {
  files.set(
    "/dates.xml",
    rss([
      { title: "无日期", link: "https://x.test/n" },
      {
        title: "未来",
        link: "https://x.test/f",
        pubDate: new Date(Date.now() + 30 * 86400_000).toUTCString(),
      },
    ]),
  );
  const dir = archive("/dates.xml");
  const before = Date.now();
  await run(dir);
  for (const a of articles(dir)) {
    assert.ok((a.published ?? 0) >= before - 1000 && (a.published ?? 0) <= Date.now() + 1000, a.title);
  }
});

test("LN-05: multi-line content goes on one line without gluing words", async () => {
  files.set(
    "/lines.xml",
    rss([
      {
        title: "t",
        link: "https://x.test/l",
        pubDate: day(5),
        description: "<p>hello\nworld</p>\n<p>中国\n国防</p><pre>a\nb</pre>",
      },
    ]),
  );
  const dir = archive("/lines.xml");
  await run(dir);
  assert.equal(articles(dir)[0]?.content, "<p>hello world</p><p>中国国防</p><pre>a&#10;b</pre>");
});

test("LN-06: hostile titles never escape the archive folder and stay on the link line", async () => {
  const hostile = [
    "../../etc/passwd",
    "a/b\\c",
    "line\nbreak",
    "x](javascript:alert(1))",
    "<script>x</script>😀",
    "t".repeat(10_000),
  ];
  files.set(
    "/titles.xml",
    rss(hostile.map((title, i) => ({ title, link: `https://x.test/h${i}`, pubDate: day(6 + i) }))),
  );
  const dir = archive("/titles.xml");
  assert.equal((await run(dir)).new, hostile.length);
  const names = readdirSync(join(dir, "articles/t"));
  for (const name of names) assert.match(name, /^\d+\.md$/);
  const titles = articles(dir).map((a) => a.title);
  assert.ok(titles.includes("line break"));
  assert.ok(titles.includes("x](javascript:alert(1))"));
  assert.ok(titles.includes("t".repeat(10_000)));
  assert.deepEqual(readdirSync(dir).sort(), [".newsark", "articles", "lists", "newsark.yaml", "state"]);
});

test("LN-07: numbers keep counting down past the 7-to-6-digit rollover without collisions", async () => {
  files.set("/roll.xml", rss([{ title: "a", link: "https://x.test/r1", pubDate: day(1) }]));
  const dir = archive("/roll.xml");
  await run(dir);
  // Pretend 48,573 articles came before: rewrite the one record's number to just above the rollover.
  const state = readFileSync(join(dir, "state/t.tsv"), "utf8").replace("\n1048574\t", "\n1000001\t");
  writeFileSync(join(dir, "state/t.tsv"), state);
  writeFileSync(join(dir, "articles/t/1000001.md"), readFileSync(join(dir, "articles/t/1048574.md")));
  files.set(
    "/roll.xml",
    rss([1, 2, 3].map((i) => ({ title: `r${i}`, link: `https://x.test/r${i + 1}`, pubDate: day(1 + i) }))),
  );
  assert.equal((await run(dir)).new, 3);
  for (const n of [1000000, 999999, 999998])
    assert.ok(existsSync(join(dir, `articles/t/${n}.md`)), String(n));
  const list = readFileSync(join(dir, "lists/Test.md"), "utf8");
  const order = [...list.matchAll(/\/(\d+)\.md/g)].map((m) => m[1]);
  assert.deepEqual(order, ["999998", "999999", "1000000", "1000001"]);
});

test("LN-08: include/exclude category filters choose what is archived", async () => {
  files.set(
    "/cats.xml",
    rss([
      { title: "政治", link: "https://x.test/c1", pubDate: day(7), category: "中国政治" },
      { title: "体育", link: "https://x.test/c2", pubDate: day(7), category: "体育" },
    ]),
  );
  const dir = archive("/cats.xml", ', exclude: { categories: "体育" }');
  await run(dir);
  assert.deepEqual(
    articles(dir).map((a) => a.title),
    ["政治"],
  );
});

test("LN-09: a failing source is one line and the run goes on with exit 0", async () => {
  const dir = tempDir();
  dirs.push(dir);
  files.set("/ok.xml", rss([{ title: "ok", link: "https://x.test/ok", pubDate: day(8) }]));
  writeConfig(
    dir,
    `sources:\n  - { id: gone, name: Gone, url: "${server.url}/missing.xml" }\n  - { id: ok, name: OK, url: "${server.url}/ok.xml" }\n`,
  );
  const r = await cli(dir, "run");
  assert.equal(r.code, 0);
  assert.match(r.out, /^gone Gone: failed: .*404.*missing\.xml|^gone Gone: failed: .*missing\.xml.*404/m);
  assert.match(r.out, /^ok OK: 1 new/m);
});

test("LN-10: bad config is a one-line error naming the field, with a non-zero exit", async () => {
  const dir = tempDir();
  dirs.push(dir);
  writeConfig(dir, "sources:\n  - { id: Bad/Id, name: X, url: x.xml }\n");
  const r = await cli(dir, "run");
  assert.equal(r.code, 2);
  assert.match(r.err, /^newsark: .*newsark\.yaml:2: sources\[0\]\.id: 'Bad\/Id'/);
  assert.equal(r.err.trim().split("\n").length, 1);
  const missing = await cli(tempDir(), "run");
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*newsark\.yaml/);
});

test("LN-11: --commit makes one commit counting what changed, and none when nothing did", async () => {
  const { execFileSync } = await import("node:child_process");
  files.set("/git.xml", rss([{ title: "g", link: "https://x.test/g", pubDate: day(9) }]));
  const dir = archive("/git.xml");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  const r1 = await cli(dir, "run", "--commit");
  assert.equal(r1.code, 0, r1.err);
  const log = () =>
    execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
  assert.deepEqual(log(), ["newsark: 1 new, 0 changed"]);
  await cli(dir, "run", "--commit");
  assert.equal(log().length, 1);
});

test("LN-11b: --push sends the commit to the archive's remote", async () => {
  const { execFileSync } = await import("node:child_process");
  files.set("/push.xml", rss([{ title: "p", link: "https://x.test/p", pubDate: day(9) }]));
  const dir = archive("/push.xml");
  const remote = tempDir();
  dirs.push(remote);
  execFileSync("git", ["init", "-q", "--bare", remote]);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  execFileSync("git", ["remote", "add", "origin", remote], { cwd: dir });
  const r = await cli(dir, "run", "--commit", "--push");
  assert.equal(r.code, 0, r.err);
  const pushed = execFileSync("git", ["log", "--all", "--format=%s"], { cwd: remote, encoding: "utf8" });
  assert.equal(pushed.trim(), "newsark: 1 new, 0 changed");
});

test("LN-12: a second run while one holds the lock exits with a clear message", async () => {
  const { mkdirSync } = await import("node:fs");
  const { hostname } = await import("node:os");
  files.set("/lock.xml", rss([{ title: "l", link: "https://x.test/l", pubDate: day(9) }]));
  const dir = archive("/lock.xml");
  mkdirSync(join(dir, ".newsark"), { recursive: true });
  writeFileSync(join(dir, ".newsark/lock"), `${process.pid}\t${hostname()}\t2026-01-01T00:00:00Z\trun\n`);
  const r = await cli(dir, "run");
  assert.equal(r.code, 3);
  assert.match(r.err, /busy: another newsark run \(pid \d+/);
  assert.ok(!existsSync(join(dir, "articles")));
});

test("LN-13: a source may be a local file, by relative or absolute path", async () => {
  const dir = tempDir();
  dirs.push(dir);
  writeFileSync(
    join(dir, "local.xml"),
    rss([{ title: "本地", link: "https://x.test/local", pubDate: day(11) }]),
  );
  const abs = join(dir, "local.xml");
  writeConfig(
    dir,
    `sources:\n  - { id: rel, name: Rel, url: local.xml }\n  - { id: abs, name: Abs, url: "${abs}" }\n`,
  );
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    JSON.parse(r.out).sources.map((s: { new: number }) => s.new),
    [1, 1],
  );
});

test("LN-14: an archive made by the earlier system continues below its lowest number, without renumbering", async () => {
  const { cpSync } = await import("node:fs");
  const dir = tempDir();
  dirs.push(dir);
  cpSync(join(REAL_ARCHIVE.articles, "voa"), join(dir, "articles/v"), { recursive: true });
  const before = readdirSync(join(dir, "articles/v")).sort();
  files.set("/legacy.xml", rss([{ title: "新文章", link: "https://x.test/legacy-new", pubDate: day(12) }]));
  writeConfig(dir, `sources:\n  - { id: v, name: V, url: "${server.url}/legacy.xml" }\n`);
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).sources[0].new, 1);
  const after = readdirSync(join(dir, "articles/v")).sort();
  assert.deepEqual(
    after.filter((f) => !before.includes(f)),
    ["1008879.md"],
  );
  const state = readFileSync(join(dir, "state/v.tsv"), "utf8").trim().split("\n");
  assert.equal(state.length, 1 + before.length + 1, "the legacy articles are in the state");
});

test("LN-15: an unreadable state file is a one-line error naming it, exit 2, and costs no data", async () => {
  files.set("/corrupt.xml", rss([{ title: "c", link: "https://x.test/c1", pubDate: day(13) }]));
  const dir = archive("/corrupt.xml");
  await run(dir);
  writeFileSync(join(dir, "state/t.tsv"), "# newsark state v1\nthis is not a state line\n");
  files.set("/corrupt.xml", rss([{ title: "c2", link: "https://x.test/c2", pubDate: day(14) }]));
  const r = await cli(dir, "run");
  assert.equal(r.code, 2);
  assert.match(r.err, /^newsark: .*state\/t\.tsv:2: expected 9 tab-separated fields\n$/);
  assert.ok(existsSync(join(dir, "articles/t/1048574.md")), "the archived article is untouched");
});
