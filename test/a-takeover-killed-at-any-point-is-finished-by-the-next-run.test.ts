import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { renderLists } from "../src/publish/lists/index.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { FIRST_N } from "../src/store/files/paths.js";
import { readSourceState } from "../src/store/files/state.js";
import { cli, readTree, removeDir, rss, tempDir, writeConfig } from "./helpers.js";
import { runWithFault } from "./support/fault-run.js";

// An archive of the earlier system (article files, no state/, no lists) taken over by a run that
// kills itself at a named point (src/util/fault.ts), or finds the disk full; the next run must end
// with exactly what an uninterrupted takeover leaves. Each source holds enough articles for a state
// file larger than the part a run reads of its end, so old items are picked from the rest of it.
const SOURCES = ["a", "b"];
const OLD = 500;
const dirs: string[] = [];
let legacy = "";
let reference: Map<string, string>;

/** Long titles make a state file of a few hundred lines larger than the end a run reads. */
function title(i: number): string {
  return `第${i}条：${"一则很长的旧新闻标题，".repeat(18)}[存档]`;
}

function link(source: string, i: number): string {
  return `https://x.test/${source}/${i}`;
}

/** Published times rise with i, with every seventh article published out of order. */
function published(i: number): number {
  return Date.UTC(2024, 0, 1) + (i % 7 === 0 ? i - 50 : i) * 3_600_000;
}

function body(i: number, edition = "初版"): string {
  return `<p>${edition}正文${i}</p>`;
}

/** The feed of a source: three archived items near the end, two near the start, one edit, three new. */
function feedItems(source: string) {
  const archived = [OLD - 1, OLD - 2, OLD - 3, 4, 2].map((i) => ({ i, description: body(i) }));
  const edited = [{ i: 10, description: body(10, "修订版") }];
  const fresh = [OLD, OLD + 1, OLD + 2].map((i) => ({ i, description: body(i) }));
  return [...fresh, ...archived, ...edited].map(({ i, description }) => ({
    title: title(i),
    link: link(source, i),
    guid: `${source}-${i}`,
    pubDate: new Date(published(i)).toUTCString(),
    description,
  }));
}

function makeLegacy(): string {
  const dir = tempDir();
  dirs.push(dir);
  for (const source of SOURCES) {
    const folder = join(dir, "articles", source);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < OLD; i++) {
      const n = FIRST_N - 1 - i;
      const text = formatArticle({
        published: published(i),
        title: title(i),
        url: link(source, i),
        content: body(i),
      });
      // The earlier system named some files after their titles.
      writeFileSync(join(folder, i % 5 === 0 ? `${n}_第${i}条.md` : `${n}.md`), text);
    }
    writeFileSync(join(dir, `feed-${source}.xml`), rss(feedItems(source)));
  }
  const sources = SOURCES.map((s) => `  - { id: ${s}, name: 来源${s}, url: feed-${s}.xml }`);
  writeConfig(dir, `timezone: UTC\nlistSize: 100\nsources:\n${sources.join("\n")}\n`);
  return dir;
}

function copyOf(dir: string): string {
  const copy = tempDir();
  dirs.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** The archive's files as text; the run's clock (when an article was seen, when the size was sampled) is left out. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, bytes] of readTree(dir)) {
    let text = bytes.toString("utf8");
    if (/^state\/[^/]+\.tsv$/.test(path)) {
      text = text
        .split("\n")
        .map((line) =>
          line
            .split("\t")
            .filter((_, k) => k !== 2)
            .join("\t"),
        )
        .join("\n");
    }
    // The size samples carry the time they were taken; the sizes themselves must match.
    if (path === "state/growth.json") text = text.replace(/\[\d+,/g, "[<time>,");
    out.set(path, text);
  }
  return out;
}

/** The repairing run leaves what the uninterrupted takeover left, and a run after it finds nothing to do. */
async function assertFinished(dir: string, label: string): Promise<void> {
  const r = await cli(dir, "run", "--json");
  assert.equal(r.code, 0, r.err);
  const now = snapshot(dir);
  assert.deepEqual([...now.keys()].sort(), [...reference.keys()].sort(), `the same files (${label})`);
  for (const [path, text] of reference) assert.equal(now.get(path), text, `${path} (${label})`);
  const again = JSON.parse((await cli(dir, "run", "--json")).out) as {
    sources: { new: number; changed: number }[];
  };
  assert.deepEqual(
    again.sources.map((s) => s.new + s.changed),
    [0, 0],
    `nothing new after the repair (${label})`,
  );
}

before(async () => {
  legacy = makeLegacy();
  const whole = copyOf(legacy);
  const r = await cli(whole, "run", "--json");
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { sources: { new: number; changed: number; unchanged: number }[] };
  assert.deepEqual(
    report.sources.map((s) => [s.new, s.changed, s.unchanged]),
    [
      [3, 1, 5],
      [3, 1, 5],
    ],
  );
  reference = snapshot(whole);
});

after(() => {
  for (const d of dirs) removeDir(d);
});

test("TK-01: a takeover keeps every article once, keys archived items by their guid and draws the lists a full redraw draws", async () => {
  const whole = copyOf(legacy);
  const r = await cli(whole, "run", "--json");
  assert.equal(r.code, 0, r.err);
  for (const source of SOURCES) {
    const records = readSourceState(whole, source)?.records ?? [];
    // Larger than the 256 KB a run reads of the end of a state file.
    assert.ok(statSync(join(whole, `state/${source}.tsv`)).size > 320 * 1024);
    assert.equal(new Set(records.map((x) => x.n)).size, OLD + 3, `articles of ${source}, once each`);
    const keys = new Set(records.map((x) => x.key));
    for (const i of [OLD - 1, 4, 2, 10, OLD])
      assert.ok(keys.has(`g:${source}-${i}`), `${source}-${i} by guid`);
    assert.ok(keys.has(`l:${link(source, 3)}`), "an article not in the feed keeps its link as key");
    for (const page of renderLists(source, `来源${source}`, records, "UTC", 100)) {
      assert.equal(readFileSync(join(whole, page.path), "utf8"), page.text, page.path);
    }
    assert.match(readFileSync(join(whole, `lists/来源${source}/2.md`), "utf8"), /第10条.*（已修改）/);
  }
});

// Renames count every file put in place: the lock, then per source the rebuilt state and its list
// pages, the articles, the lists and the states at the end.
const POINTS = [
  "before-rename:2",
  "before-rename:4",
  "after-takeover:1",
  "after-takeover:2",
  "after-article-write:5",
  "before-rename:20",
  "before-state-write",
  "after-state-write",
];

for (const point of POINTS) {
  test(`TK-02: a takeover killed at ${point} is finished by the next run, as if it had not been stopped`, async () => {
    const dir = copyOf(legacy);
    const killed = await runWithFault(dir, point);
    assert.equal(killed.signal, "SIGKILL", "the run reached the crash point");
    await assertFinished(dir, point);
  });
}

for (const where of ["/state/", "/lists/"]) {
  test(`TK-03: a takeover that finds the disk full under ${where} stops with exit 4, leaves no partial file, and the next run finishes it`, async () => {
    const dir = copyOf(legacy);
    const refused = await runWithFault(dir, `io:ENOSPC:${where}`);
    assert.equal(refused.code, 4);
    const temp = [...readTree(dir).keys()].filter((p) => p.endsWith(".tmp"));
    assert.deepEqual(temp, [], "no temp file left");
    await assertFinished(dir, where);
  });
}
