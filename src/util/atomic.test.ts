import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { NewsarkError } from "../model/errors.js";
import { writeFileAtomic, writeFileExclusive } from "./atomic.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "newsark-atomic-"));
  dirs.push(d);
  return d;
}

test("AT-01: an exclusive write creates once and leaves an existing file untouched", () => {
  const path = join(dir(), "a", "1.md");
  assert.equal(writeFileExclusive(path, "first"), true);
  assert.equal(writeFileExclusive(path, "second"), false);
  assert.equal(readFileSync(path, "utf8"), "first");
  assert.deepEqual(readdirSync(join(path, "..")), ["1.md"], "no temp file left");
});

test("AT-02: text given in pieces is written whole; a folder removed since the last write is made again", () => {
  const root = dir();
  const path = join(root, "s", "x.tsv");
  writeFileAtomic(path, ["a\n", "b\n"]);
  rmSync(join(root, "s"), { recursive: true });
  writeFileAtomic(
    path,
    (function* () {
      yield "c\n";
      yield "日\n";
    })(),
  );
  assert.equal(readFileSync(path, "utf8"), "c\n日\n");
});

test("AT-03: a refusal of the file system becomes one archive-io line naming the path", () => {
  const path = join(dir(), "full", "1.md");
  process.env.NEWSARK_FAULT = "io:ENOSPC:/full/";
  try {
    assert.throws(
      () => writeFileAtomic(path, "x"),
      (err) =>
        err instanceof NewsarkError &&
        err.code === "archive-io" &&
        err.message === `archive: cannot write ${path}: the disk is full (ENOSPC)`,
    );
  } finally {
    delete process.env.NEWSARK_FAULT;
  }
});
