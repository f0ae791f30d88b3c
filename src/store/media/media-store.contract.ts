import * as assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { mediaKey } from "./keys.js";
import type { MediaStore } from "./types.js";

/**
 * The suite every MediaStore must pass: content-addressed put (a no-op when the key is there), has, read,
 * list, delete and locate. `open` gives a fresh, empty store (`close` removes what it made), or the reason
 * the store cannot be tested here, which skips the suite.
 *
 * @example
 * mediaStoreContract("repo", async () => { const dir = tempDir(); return { store: createRepoMediaStore(dir), close: () => removeDir(dir) }; });
 */
export function mediaStoreContract(
  name: string,
  open: () => Promise<{ store: MediaStore; close: () => void | Promise<void> } | string>,
): void {
  const png = (seed: string) =>
    Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.from(seed)]);
  const use = async (t: TestContext, body: (store: MediaStore) => Promise<void>) => {
    const opened = await open();
    if (typeof opened === "string") {
      t.skip(opened);
      return;
    }
    const { store, close } = opened;
    try {
      await body(store);
    } finally {
      store.close();
      await close();
    }
  };

  test(`MS-01 (${name}): a stored object reads back byte for byte; storing it again is a no-op`, (t) =>
    use(t, async (store) => {
      const bytes = png("one");
      const key = mediaKey(bytes, "png");
      assert.equal(await store.has(key), false);
      assert.equal(await store.read(key), undefined);
      assert.equal(await store.put(key, bytes, "image/png"), "stored");
      assert.equal(await store.put(key, bytes, "image/png"), "exists");
      assert.equal(await store.has(key), true);
      assert.deepEqual(Buffer.from((await store.read(key)) ?? []), bytes);
    }));

  test(`MS-02 (${name}): list gives every object with its size; delete removes one, twice is fine`, (t) =>
    use(t, async (store) => {
      const a = png("a");
      const b = png("bb");
      const ka = mediaKey(a, "png");
      const kb = mediaKey(b, "png");
      await store.put(ka, a, "image/png");
      await store.put(kb, b, "image/png");
      const listed = [];
      for await (const o of store.list()) listed.push(o);
      listed.sort((x, y) => (x.key < y.key ? -1 : 1));
      const want = [
        { key: ka, bytes: a.length },
        { key: kb, bytes: b.length },
      ].sort((x, y) => (x.key < y.key ? -1 : 1));
      assert.deepEqual(listed, want);
      await store.delete(ka);
      await store.delete(ka);
      assert.equal(await store.has(ka), false);
      assert.equal(await store.has(kb), true);
    }));

  test(`MS-03 (${name}): only well-formed keys are accepted, so no key names a path outside the store`, (t) =>
    use(t, async (store) => {
      await assert.rejects(store.put("../../etc/passwd", png("x"), "image/png"));
      assert.equal(await store.has("../x.png"), false);
      assert.equal(store.locate("../x.png"), undefined);
    }));
}
