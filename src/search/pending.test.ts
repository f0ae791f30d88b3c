import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatArticle } from "../store/files/article-format.js";
import { pendingPath, queueForCatalog, takePending } from "./pending.js";

const entry = (n: number) => ({ source: "s", n });

function writeArticle(root: string, n: number): void {
  mkdirSync(join(root, "articles/s"), { recursive: true });
  const text = formatArticle({ published: 1, title: `t${n}`, url: "https://x.test/", content: "<p>x</p>" });
  writeFileSync(join(root, `articles/s/${n}.md`), text);
}

test("PQ-01: queued entries are taken once, a torn line skipped", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-pending-"));
  try {
    assert.equal(takePending(root), undefined, "nothing queued");
    for (const n of [1, 2, 4]) writeArticle(root, n);
    queueForCatalog(root, [entry(1), entry(2)]);
    appendFileSync(pendingPath(root), '{"source":"s","n":3,"ti');
    const taken = takePending(root);
    assert.deepEqual(
      taken?.entries.map((e) => e.n),
      [1, 2],
    );
    queueForCatalog(root, [entry(4)]);
    taken?.done();
    assert.deepEqual(
      takePending(root)?.entries.map((e) => e.n),
      [4],
      "entries queued while taking are kept",
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
