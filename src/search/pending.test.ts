import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { archivePaths } from "../store/files/paths.js";
import { pendingPath, queueForCatalog, takePending } from "./pending.js";

const entry = (n: number) => ({
  source: "s",
  n,
  title: `t${n}`,
  url: "https://x.test/",
  published: 1,
  content: "<p>x</p>",
});

test("PQ-01: nothing is queued without a catalog; queued entries are taken once, a torn line skipped", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-pending-"));
  try {
    queueForCatalog(root, [entry(1)]);
    assert.equal(takePending(root), undefined, "no catalog: the first search builds it from the files");
    mkdirSync(archivePaths.cacheDir(root), { recursive: true });
    writeFileSync(archivePaths.catalog(root), "");
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
