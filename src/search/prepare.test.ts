import * as assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { REAL_ARCHIVE, SEED } from "../../test/support/fixtures.js";
import { NewsarkError } from "../model/errors.js";
import type { CatalogEntry } from "../store/catalog.js";
import { chineseTokenizer } from "./chinese-tokenizer.js";
import { archivedSourceIds, archiveEntries } from "./entries.js";
import { tokenizedArchiveEntries } from "./prepare.js";
import { AHEAD } from "./prepare-protocol.js";

const base = mkdtempSync(join(tmpdir(), "newsark-prepare-"));
after(() => rmSync(base, { recursive: true, force: true }));

/** The real-archive sample plus the seed articles, copied to a fresh folder. */
function makeArchive(name: string): string {
  const root = join(base, name);
  cpSync(REAL_ARCHIVE.articles, join(root, "articles"), { recursive: true });
  cpSync(SEED.articles, join(root, "articles/voa"), { recursive: true });
  return root;
}

async function collect(entries: AsyncIterable<CatalogEntry>): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for await (const e of entries) out.push(e);
  return out;
}

describe("tokenizedArchiveEntries", () => {
  test("W01: the worker gives every article, in order, with the tokens the tokenizer makes here", async () => {
    const root = makeArchive("same");
    const sources = archivedSourceIds(root);
    const expected = [...archiveEntries(root, sources)];
    // Two entries per message: many more messages than the worker may post ahead, so it has to wait.
    const got = await collect(tokenizedArchiveEntries(root, sources, 2));
    assert.ok(expected.length > 2 * AHEAD * 2, `the sample holds ${expected.length} articles`);
    assert.equal(got.length, expected.length);
    const { name, plainText, index } = chineseTokenizer;
    for (const [i, e] of expected.entries()) {
      const g = got[i] as CatalogEntry;
      assert.deepEqual(
        { source: g.source, n: g.n, title: g.title, url: g.url, published: g.published },
        { source: e.source, n: e.n, title: e.title, url: e.url, published: e.published },
      );
      assert.deepEqual(g.tokenized, {
        tokenizer: name,
        title: index(e.title),
        body: index(plainText(e.content)),
      });
    }
  });

  test("W02: an article file that cannot be read stops the entries with an archive-io error naming it", async () => {
    const root = makeArchive("unreadable");
    // A folder where an article file should be: reading it fails (EISDIR), whoever runs the test.
    mkdirSync(join(root, "articles/voa/77.md"));
    await assert.rejects(
      collect(tokenizedArchiveEntries(root, archivedSourceIds(root))),
      (err) =>
        err instanceof NewsarkError && err.code === "archive-io" && /articles\/voa\/77\.md/.test(err.message),
    );
  });

  test("W03: a consumer that stops early ends the worker", async () => {
    const root = makeArchive("early");
    const entries = tokenizedArchiveEntries(root, archivedSourceIds(root));
    const first = await entries.next();
    assert.equal(first.done, false);
    // return() runs the generator's cleanup, which waits for the worker to end.
    assert.deepEqual(await entries.return(undefined), { done: true, value: undefined });
  });
});
