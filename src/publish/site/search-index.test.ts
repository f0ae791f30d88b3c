import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { buildSearchIndex, DocTableStream, docsOf, type SearchDoc } from "./search-index.js";

const temp = mkdtempSync(join(tmpdir(), "newsark-search-index-"));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Titles of CJK characters (simplified and traditional) and a few words, from a fixed seed. */
function titles(count: number): (SearchDoc | undefined)[] {
  const chars = "中国台灣臺湾美国之音新闻报道選舉选举经济經濟香港北京上海人民政府总统總統俄乌战争";
  const words = ["BBC", "VOA", "covid", "Trump", "NATO", "2024"];
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: count }, (_, n) => {
    // Every 37th id is a dropped article: its row is 0 and it has no postings.
    if (n % 37 === 5) return undefined;
    let title = "";
    for (let k = 0; k < 8 + Math.floor(random() * 14); k++)
      title += chars[Math.floor(random() * chars.length)];
    title += ` ${words[Math.floor(random() * words.length)]} ${n}`;
    return { title, source: n % 3, n, date: "2024-05-01", gone: 0, lead: `导语 ${n}` };
  });
}

function build(docs: (SearchDoc | undefined)[], options: Parameters<typeof buildSearchIndex>[2] = {}) {
  const files = new Map<string, string>();
  const made = buildSearchIndex(docsOf(docs), (rel, text) => files.set(rel, text), options);
  return { files, made };
}

describe("static search index", () => {
  test("SIX-01: title postings spilled to disk give the same files as postings held in memory", () => {
    // Over 96,000 postings: 64 shards or more, so each spilled part is read back alone.
    const docs = titles(5000);
    const held = build(docs);
    assert.ok(held.made.shards >= 64, `${held.made.shards} shards`);
    const dir = join(temp, "spill-big");
    const spilled = build(docs, { spillDir: dir, spillAt: 7000 });
    assert.deepEqual(spilled.made, held.made);
    assert.deepEqual([...spilled.files.keys()].sort(), [...held.files.keys()].sort());
    for (const [rel, text] of held.files) assert.equal(spilled.files.get(rel), text, rel);
    assert.equal(existsSync(dir), false, "the spill folder is removed");
  });

  test("SIX-02: a small index spilled (fewer shards than parts) is the same too", () => {
    const docs = titles(300);
    const held = build(docs);
    assert.ok(held.made.shards < 64);
    const spilled = build(docs, { spillDir: join(temp, "spill-small"), spillAt: 50 });
    assert.deepEqual(spilled.files, held.files);
  });

  test("SIX-03: the doc table written as rows come equals the one written at the end", () => {
    const docs = titles(260);
    const whole = build(docs);
    const streamed = new Map<string, string>();
    const table = new DocTableStream((rel, text) => streamed.set(rel, text));
    // Gone docs are skipped: the stream fills their rows itself.
    docs.forEach((d, id) => {
      if (d) table.add(id, d);
    });
    table.end(docs.length + 3);
    const tail = build([...docs, undefined, undefined, undefined]);
    for (const [rel, text] of streamed) assert.equal(text, tail.files.get(rel), rel);
    assert.equal(streamed.size, [...tail.files.keys()].filter((r) => r.startsWith("search/d/")).length);
    assert.equal(streamed.get("search/d/0.js"), whole.files.get("search/d/0.js"));
    assert.throws(() => table.add(3, docs[3]), /doc 3 came after doc 262/);
  });
});
