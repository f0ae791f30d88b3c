import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { contentHash } from "./content-hash.js";
import { BodyPostings } from "./postings.js";
import { PostingsThread } from "./postings-thread.js";

const temp = mkdtempSync(join(tmpdir(), "newsark-postings-thread-"));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Texts enough for several batches and a spill, in an order that is not the ids' order. */
function texts(): [number, string, string][] {
  const words = ["台湾", "選舉", "中俄关系", "Putin", "新闻", "自由", "香港", "经济", "COVID", "访问"];
  const out: [number, string, string][] = [];
  for (let k = 0; k < 500; k++) {
    const id = (k * 37) % 500;
    let text = "";
    for (let j = 0; j < 60; j++)
      text += `${words[(id * 7 + j * 3) % words.length]}${j % 5 === 0 ? "。" : ""}`;
    out.push([id, `标题${id}`, text]);
  }
  return out;
}

describe("full-text postings in a worker thread", () => {
  test("PT-01: the worker writes the same segment files as collecting on the main thread", async () => {
    const here = new BodyPostings({ dir: join(temp, "spill-here"), bytes: 4096 });
    const expected = new Map<string, string>();
    for (const [id, title, text] of texts()) here.addText(id, title, text);
    const segment = here.writeSegment("m1", (rel, text) => expected.set(rel, text));

    const out = join(temp, "site");
    const thread = new PostingsThread(join(temp, "spill-thread"), out);
    try {
      for (const [id, title, text] of texts()) await thread.addText(id, title, text);
      const made = await thread.writeSegment("m1");
      assert.deepEqual(made.segment, segment);
      assert.equal(thread.docs, 500);
      assert.deepEqual(made.files.map(([rel]) => rel).sort(), [...expected.keys()].sort());
      for (const [rel, hash] of made.files) {
        const text = readFileSync(join(out, rel), "utf8");
        assert.equal(text, expected.get(rel), rel);
        assert.equal(hash, contentHash(text));
      }
    } finally {
      await thread.close();
    }
  });

  test("PT-02: a segment the worker cannot write fails the build's call with the file system's reason", async () => {
    // The site folder is a file: nothing can be written under it.
    const out = join(temp, "not-a-folder");
    writeFileSync(out, "x");
    const thread = new PostingsThread(join(temp, "spill-fail"), out);
    try {
      await thread.addText(0, "标题", "正文");
      await assert.rejects(thread.writeSegment("m1"), /ENOTDIR|not a directory/);
    } finally {
      await thread.close();
    }
  });
});
