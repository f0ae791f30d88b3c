import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mediaKey } from "../keys.js";
import { mediaStoreContract } from "../media-store.contract.js";
import { createRepoMediaStore } from "./index.js";

mediaStoreContract("repo", async () => {
  const dir = mkdtempSync(join(tmpdir(), "newsark-repo-store-"));
  return { store: createRepoMediaStore(dir), close: () => rmSync(dir, { recursive: true, force: true }) };
});

test("RMS-01: symlinks in images/ (to a file or as a shard folder) are never read, listed or located", async () => {
  const dir = mkdtempSync(join(tmpdir(), "newsark-repo-store-"));
  try {
    const secret = join(dir, "secret.png");
    writeFileSync(secret, "\x89PNG\r\n\x1a\nsecret");
    const linked = mediaKey(Buffer.from("a"), "png");
    mkdirSync(join(dir, "images", linked.slice(0, 2)), { recursive: true });
    symlinkSync(secret, join(dir, "images", linked));
    // A whole shard folder pointing elsewhere.
    const outside = join(dir, "outside");
    const viaDir = mediaKey(Buffer.from("b"), "png");
    mkdirSync(outside);
    writeFileSync(join(outside, viaDir.slice(3)), "\x89PNG\r\n\x1a\nelsewhere");
    symlinkSync(outside, join(dir, "images", viaDir.slice(0, 2)));
    const store = createRepoMediaStore(dir);
    for (const key of [linked, viaDir]) {
      assert.equal(await store.has(key), false, key);
      assert.equal(await store.read(key), undefined, key);
      assert.equal(store.locate(key), undefined, key);
    }
    const listed = [];
    for await (const o of store.list()) listed.push(o);
    assert.deepEqual(listed, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
