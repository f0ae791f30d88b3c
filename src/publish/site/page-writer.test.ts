import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { PageWriter } from "./page-writer.js";

const temp = mkdtempSync(join(tmpdir(), "newsark-page-writer-"));
after(() => rmSync(temp, { recursive: true, force: true }));

describe("page writer", () => {
  test("PW-01: many pages written a few at a time all arrive whole, with no temp file left", async () => {
    const writer = new PageWriter(3);
    for (let i = 0; i < 200; i++)
      await writer.write(join(temp, "a", String(i % 7), `${i}.html`), `page ${i}`);
    await writer.drain();
    let files = 0;
    for (const dir of readdirSync(join(temp, "a"))) {
      for (const name of readdirSync(join(temp, "a", dir))) {
        assert.match(name, /^\d+\.html$/);
        assert.equal(readFileSync(join(temp, "a", dir, name), "utf8"), `page ${name.slice(0, -5)}`);
        files++;
      }
    }
    assert.equal(files, 200);
  });

  test("PW-02: a write the file system refuses fails the drain, naming the file, and leaves no temp file", async () => {
    const dir = join(temp, "b");
    // The target is a folder: the rename that would put the page there fails.
    mkdirSync(join(dir, "1.html"), { recursive: true });
    const writer = new PageWriter(2);
    await writer.write(join(dir, "0.html"), "ok");
    await writer.write(join(dir, "1.html"), "refused");
    await assert.rejects(writer.drain(), /1\.html/);
    await assert.rejects(writer.write(join(dir, "2.html"), "after"));
    assert.deepEqual(readdirSync(dir).sort(), ["0.html", "1.html"]);
  });
});
