import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { ArticleRecord } from "../../model/article.js";
import { writeFileAtomic } from "../../util/atomic.js";
import { archivePaths, FIRST_N } from "./paths.js";
import {
  addRecord,
  appendStateLines,
  makeSourceState,
  pickFromHead,
  readSourceState,
  readStateEntries,
  readStateRecords,
  readStateTail,
  sourceStatePieces,
  unchangedInStateTail,
} from "./state.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function records(count: number): ArticleRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    n: FIRST_N - 1 - i,
    key: `g:item-${i}`,
    published: 1_700_000_000_000 + i,
    seen: 1_700_000_000_000 + i,
    hash: `hash${String(i).padStart(12, "0")}`,
    title: `标题 ${i}`,
    versions: 0,
    status: undefined,
    checked: undefined,
  }));
}

function archive(count: number): string {
  const root = mkdtempSync(join(tmpdir(), "newsark-state-"));
  dirs.push(root);
  writeFileAtomic(archivePaths.state(root, "s"), sourceStatePieces(makeSourceState(records(count))));
  return root;
}

const item = (i: number, hash = `hash${String(i).padStart(12, "0")}`) => ({ key: `g:item-${i}`, hash });

test("ST-01: the end of a large state file tells that recent items are unchanged", () => {
  // About 700 KB: more than the tail that is read.
  const root = archive(8000);
  assert.equal(unchangedInStateTail(root, "s", [item(7999), item(7990), item(7500)]), true);
  assert.equal(unchangedInStateTail(root, "s", [item(7999, "other-hash")]), false, "an edit");
  assert.equal(unchangedInStateTail(root, "s", [item(8000)]), false, "a new item");
  // Old items beyond the tail are not known from it: the caller reads the whole state.
  assert.equal(unchangedInStateTail(root, "s", [item(3)]), false);
  assert.equal(unchangedInStateTail(root, "missing", [item(1)]), false);
});

test("ST-02: a state written in pieces reads back the same records", () => {
  const root = archive(5000);
  const back = readSourceState(root, "s");
  assert.deepEqual(back?.records, records(5000));
  assert.equal(back?.nextN, FIRST_N - 5001);
});

test("ST-03: the end of a large state grows in place and reads back with the rest; older lines are picked by key", () => {
  const root = archive(5000);
  const path = archivePaths.state(root, "s");
  const before = readFileSync(path, "utf8");
  const tail = readStateTail(root, "s");
  assert.ok(tail?.keptFrom && tail.records.length < 5000);
  assert.equal(tail.records[tail.records.length - 1]?.n, FIRST_N - 5000);
  assert.equal(pickFromHead(tail, ["g:item-3"]), 1, "a key near the start");
  assert.equal(tail.byKey.get("g:item-3")?.title, "标题 3");
  assert.equal(pickFromHead(tail, ["g:item-4999", "g:item-5000"]), 0, "keys only in the tail, or nowhere");
  const more = records(5002).slice(5000);
  for (const r of more) addRecord(tail, r);
  appendStateLines(tail);
  const after = readFileSync(path, "utf8");
  assert.equal(after.slice(0, before.length), before, "the earlier lines are kept as they were");
  assert.deepEqual(readSourceState(root, "s")?.records, records(5002));
});

test("ST-04: an append cut short leaves an unterminated line that reading drops, marking the state for rewriting", () => {
  const root = archive(10);
  appendFileSync(archivePaths.state(root, "s"), `${FIRST_N - 11}\t17000`);
  const state = readSourceState(root, "s");
  assert.deepEqual(state?.records, records(10));
  assert.equal(state?.dirty, true);
  assert.equal(state?.text, undefined, "never appended to");
  // An empty file is not appended to either: it gets its header when a record is written.
  writeFileAtomic(archivePaths.state(root, "e"), "");
  assert.equal(readSourceState(root, "e")?.text, undefined);
});

test("ST-05: state entries read from bytes are the records without their keys, odd lines included", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-state-entries-"));
  dirs.push(root);
  const odd: ArticleRecord[] = [
    ...records(300),
    // No date, a status and its time, versions, a title with a tab and non-BMP characters.
    {
      ...records(1)[0],
      n: 17,
      key: "l:https://例子.cn/文章",
      published: Number.NaN,
      status: "gone",
      checked: 1_700_000_000_123,
      versions: 3,
      title: "标题\t𠀀 ２０２４",
    } as ArticleRecord,
    { ...records(1)[0], n: 16, key: "t:x", status: "redirected", checked: 5, title: "" } as ArticleRecord,
  ];
  writeFileAtomic(archivePaths.state(root, "s"), [...sourceStatePieces(makeSourceState(odd))]);
  // An append cut short: dropped by both readers.
  appendFileSync(archivePaths.state(root, "s"), "15\t17");
  const expected = (readStateRecords(root, "s") ?? []).map(({ key: _key, ...rest }) => rest);
  assert.equal(expected.length, 302);
  assert.deepEqual(readStateEntries(root, "s"), expected);
  assert.equal(readStateEntries(root, "none"), undefined);
  writeFileAtomic(archivePaths.state(root, "bad"), "# newsark state\n12\tx\n");
  assert.throws(() => readStateEntries(root, "bad"), /bad\.tsv:2: expected 9 tab-separated fields/);
  writeFileAtomic(archivePaths.state(root, "badn"), "x1\t1\t1\th\t0\t-\t-\tk\tt\n");
  assert.throws(() => readStateEntries(root, "badn"), /badn\.tsv:1: bad article number 'x1'/);
});
