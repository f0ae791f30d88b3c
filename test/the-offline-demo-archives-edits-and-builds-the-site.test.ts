import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { readImageManifest } from "../src/store/files/images-manifest.js";
import { cli, removeDir, tempDir } from "./helpers.js";
import { SEED } from "./support/fixtures.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) removeDir(d);
});

test("the offline demo archives the bundled feeds, keeps an edit, archives an image and builds the site", async () => {
  const cwd = tempDir();
  dirs.push(cwd);
  const r = await cli(cwd, "demo", "--no-serve");
  assert.equal(r.code, 0, r.err);
  const root = join(cwd, "demo-archive");
  assert.match(r.out, /voa 美国之音: 2 new/);
  assert.match(r.out, /sample 示例: 0 new, 1 changed/);
  assert.match(r.out, new RegExp(`archive: ${root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  // The bundled seed feed gives the seed articles, byte for byte.
  for (const n of [1048573, 1048574]) {
    const expected = readFileSync(join(SEED.articles, `${n}.md`));
    assert.ok(expected.equals(readFileSync(join(root, `articles/voa/${n}.md`))), `voa/${n}`);
  }
  assert.match(
    readFileSync(join(root, "lists/示例.md"), "utf8"),
    /（更新）\]\(\/articles\/sample\/1048573\.md\) （已修改）/,
  );
  const history = await cli(
    cwd,
    "history",
    "sample/1048573",
    "--json",
    "--config",
    join(root, "newsark.yaml"),
  );
  assert.equal(history.code, 0, history.err);
  assert.equal(JSON.parse(history.out).versions.length, 2);
  const images = [...readImageManifest(root).values()];
  assert.equal(images.length, 1);
  assert.equal(images[0]?.status, "ok");
  assert.ok(existsSync(join(root, images[0]?.file ?? "-")));
  assert.ok(existsSync(join(root, "site/index.html")));
  assert.ok(existsSync(join(root, "site/a/voa/1048573.html")));

  const again = await cli(cwd, "demo", "--no-serve");
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /sample 示例: nothing new|sample 示例: 0 new, 0 changed/);
});
