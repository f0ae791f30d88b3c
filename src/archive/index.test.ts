import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ArticleRecord, Item } from "../model/article.js";
import { NewsarkError } from "../model/errors.js";
import { FIRST_N, WIDE_FIRST_N } from "../store/files/paths.js";
import { formatSourceState, makeSourceState, readSourceState } from "../store/files/state.js";
import {
  decide,
  loadSourceState,
  loadStateForItems,
  previousRecord,
  saveStates,
  writeRevision,
} from "./index.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), "newsark-archive-"));
  dirs.push(dir);
  return dir;
}

function item(i: number, hash = `h${i}`): Item {
  return {
    key: `g:${i}`,
    linkKey: `l:https://x.test/${i}`,
    title: `标题${i}`,
    url: `https://x.test/${i}`,
    published: 1_700_000_000_000 + i,
    content: `<p>${hash}</p>`,
    categories: [],
    hash,
  };
}

function record(n: number, key: string, hash = "h"): ArticleRecord {
  return { n, key, published: 1, seen: 1, hash, title: "t", versions: 0 };
}

test("AR-01: decide tells new, changed and unchanged from the previous record", () => {
  assert.equal(decide(item(1), undefined), "new");
  assert.equal(decide(item(1, "a"), record(5, "g:1", "a")), "unchanged");
  assert.equal(decide(item(1, "b"), record(5, "g:1", "a")), "changed");
});

test("AR-02: a record known only by link takes the item's guid as its key", () => {
  const state = makeSourceState([record(7, "l:https://x.test/1")]);
  const found = previousRecord(state, item(1));
  assert.equal(found?.n, 7);
  assert.equal(found?.key, "g:1");
  assert.equal(state.byKey.get("g:1"), found);
  assert.equal(state.dirty, true);
});

test("AR-03: new revisions get numbers counting down, then 0 is followed by the second range", () => {
  const dir = root();
  const state = makeSourceState([]);
  assert.equal(writeRevision(dir, "s", state, item(1), 10).record.n, FIRST_N - 1);
  assert.equal(writeRevision(dir, "s", state, item(2), 10).record.n, FIRST_N - 2);
  const legacy = makeSourceState([record(1, "g:a"), record(0, "g:b")]);
  assert.equal(writeRevision(dir, "s", legacy, item(3), 10).record.n, WIDE_FIRST_N);
  assert.equal(writeRevision(dir, "s", legacy, item(4), 10).record.n, WIDE_FIRST_N - 1);
  // Read back, the state gives out the next number of the second range again.
  saveStates(dir, [{ sourceId: "s", state: legacy }]);
  assert.equal(readSourceState(dir, "s")?.nextN, WIDE_FIRST_N - 2);
});

test("AR-04: an edit keeps the current file under versions/ and replaces it; a new revision never overwrites", () => {
  const dir = root();
  const state = makeSourceState([]);
  const first = writeRevision(dir, "s", state, item(1, "a"), 10).record;
  const path = join(dir, "articles/s", `${first.n}.md`);
  const before = readFileSync(path, "utf8");
  writeRevision(dir, "s", state, { ...item(1, "b"), previous: first }, 20);
  assert.match(readFileSync(path, "utf8"), /<p>b<\/p>/);
  assert.deepEqual(readdirSync(join(dir, "versions/s", String(first.n))), ["10.md"]);
  assert.equal(readFileSync(join(dir, "versions/s", String(first.n), "10.md"), "utf8"), before);
  assert.deepEqual([first.versions, first.seen, first.hash], [1, 20, "b"]);
  // A stray file at the next number is refused, never overwritten.
  const next = state.nextN as number;
  writeFileSync(join(dir, "articles/s", `${next}.md`), "kept\n");
  assert.throws(
    () => writeRevision(dir, "s", state, item(2), 30),
    (err) =>
      err instanceof NewsarkError && err.code === "archive" && /will not write over it/.test(err.message),
  );
  assert.equal(readFileSync(join(dir, "articles/s", `${next}.md`), "utf8"), "kept\n");
});

test("AR-05: articles written but not recorded (a killed run) are taken back in when the state is loaded", () => {
  const dir = root();
  const state = makeSourceState([]);
  writeRevision(dir, "s", state, item(1), 10);
  saveStates(dir, [{ sourceId: "s", state }]);
  const unrecorded = loadSourceState(dir, "s");
  writeRevision(dir, "s", unrecorded, item(2), 20);
  writeRevision(dir, "s", unrecorded, item(3), 20);
  // The state on disk still lists one article; loading finds the two others by their numbers.
  const repaired = loadSourceState(dir, "s");
  assert.deepEqual(
    repaired.records.map((r) => r.n),
    [FIRST_N - 1, FIRST_N - 2, FIRST_N - 3],
  );
  assert.equal(repaired.nextN, FIRST_N - 4);
  assert.equal(repaired.dirty, true);
});

/**
 * An archive whose state/s.tsv lists `count` articles (items 0 … count-1), larger than the tail read;
 * items 7, 107, … are known by their link only, as records rebuilt from files are.
 */
function largeState(count: number): string {
  const dir = root();
  mkdirSync(join(dir, "state"));
  const records = Array.from({ length: count }, (_, i) => ({
    ...record(FIRST_N - 1 - i, i % 100 === 7 ? item(i).linkKey : `g:${i}`, `h${i}`),
    title: `标题${i} 一篇很长的文章的标题`,
  }));
  writeFileSync(join(dir, "state/s.tsv"), formatSourceState(records));
  return dir;
}

/** Decides and writes `items` as a run does, then saves the state. */
function runItems(dir: string, items: Item[], load: typeof loadStateForItems) {
  const state = load(dir, "s", items);
  for (const it of items) {
    const previous = previousRecord(state, it);
    if (decide(it, previous) !== "unchanged") writeRevision(dir, "s", state, { ...it, previous }, 99);
  }
  saveStates(dir, [{ sourceId: "s", state }]);
  return state;
}

test("AR-06: new items on a large state read only its end, and save exactly what reading it whole saves", () => {
  const dir = largeState(4000);
  const whole = root();
  cpSync(dir, whole, { recursive: true });
  const items = [item(3999, "h3999"), item(5000), item(5001), item(3998, "h3998")];
  const partial = runItems(dir, items, loadStateForItems);
  assert.ok(partial.keptFrom, "read from the end of the state file");
  assert.ok(partial.records.length < 4000);
  runItems(whole, items, loadSourceState);
  assert.equal(
    readFileSync(join(dir, "state/s.tsv"), "utf8"),
    readFileSync(join(whole, "state/s.tsv"), "utf8"),
  );
  assert.equal(readSourceState(dir, "s")?.records.length, 4002);
});

test("AR-07: old articles, edits, records known by link and unrecorded files are decided from the part read, saving what reading it whole saves", () => {
  const twice = [item(7000), { ...item(7001), key: item(7000).linkKey, linkKey: item(7000).linkKey }];
  const cases: [string, Item[]][] = [
    ["an old article and a new one", [item(5000), item(5, "h5")]],
    ["an edit near the end", [item(3999, "edited")]],
    ["an edit near the start", [item(5, "edited"), item(5001)]],
    ["records known by link near the start and the end", [item(7), item(3907, "edited"), item(5002)]],
    ["one page twice, with a guid and without", twice],
    ["an unrecorded file", [item(5000)]],
  ];
  for (const [what, items] of cases) {
    const dir = largeState(4000);
    if (what === "an unrecorded file") {
      mkdirSync(join(dir, "articles/s"), { recursive: true });
      writeFileSync(
        join(dir, "articles/s", `${FIRST_N - 1 - 4000}.md`),
        "<!--1-->\n[t](https://x.test/9)\n------\n\nc\n",
      );
    }
    const whole = root();
    cpSync(dir, whole, { recursive: true });
    const partial = runItems(dir, items, loadStateForItems);
    assert.ok(partial.keptFrom && partial.records.length < 4000, `read in part (${what})`);
    runItems(whole, items, loadSourceState);
    assert.equal(
      readFileSync(join(dir, "state/s.tsv"), "utf8"),
      readFileSync(join(whole, "state/s.tsv"), "utf8"),
      what,
    );
  }
});
