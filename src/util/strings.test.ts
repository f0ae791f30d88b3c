import * as assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { detached } from "./strings.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap bytes still held by 200 titles cut from a 40 MB text once the text itself is dropped. */
function heldByTitles(keep: (title: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  let text: string | undefined = `<p>${"新闻正文".repeat(5_000_000)}</p>`;
  const titles = Array.from({ length: 200 }, (_, i) => keep(text?.slice(i * 7, i * 7 + 40) ?? ""));
  text = undefined;
  gc();
  const held = process.memoryUsage().heapUsed - before;
  assert.equal(titles.length, 200);
  return held;
}

test("STR-01: a detached string is equal to its source, lone surrogates included", () => {
  for (const s of ["", "a", "标题 · title", "\ud800 lone", "x".repeat(100)]) assert.equal(detached(s), s);
});

test("STR-02: titles detached from a large text do not keep the text in memory; plain slices do", () => {
  const sliced = heldByTitles((t) => t);
  const copied = heldByTitles(detached);
  assert.ok(sliced > 30 * 1024 ** 2, `slices hold the 40 MB text (held ${sliced} bytes)`);
  assert.ok(copied < 5 * 1024 ** 2, `detached titles hold only themselves (held ${copied} bytes)`);
});
