import * as assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { configFromObject } from "../../config/index.js";
import { writeImageManifest } from "../../store/files/images-manifest.js";
import { mediaKey } from "../../store/media/keys.js";
import { placeImages } from "./images.js";

test("SIMG-01: the site places regular image files only: never a symlink, never a file outside images/", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-site-images-"));
  try {
    const config = configFromObject({ sources: [{ id: "a", name: "A", url: "a.xml" }] }, root);
    const png = (s: string) => Buffer.from(`\x89PNG\r\n\x1a\n${s}`, "latin1");
    const good = `images/${mediaKey(png("good"), "png")}`;
    const linked = `images/${mediaKey(png("linked"), "png")}`;
    const viaDir = `images/${mediaKey(png("via-dir"), "png")}`;
    mkdirSync(dirname(join(root, good)), { recursive: true });
    writeFileSync(join(root, good), png("good"));
    writeFileSync(join(root, "private.txt"), "not for the site");
    mkdirSync(dirname(join(root, linked)), { recursive: true });
    symlinkSync(join(root, "private.txt"), join(root, linked));
    mkdirSync(join(root, "elsewhere"));
    writeFileSync(join(root, "elsewhere", viaDir.split("/")[2] ?? ""), "also private");
    symlinkSync(join(root, "elsewhere"), join(root, dirname(viaDir)));
    const records = new Map(
      [good, linked, viaDir, "images/../private.txt", "/etc/passwd"].map((file, i) => [
        `https://x.example/${i}.png`,
        { url: `https://x.example/${i}.png`, file, status: "ok" as const, tries: 0, store: "repo" as const },
      ]),
    );
    writeImageManifest(root, records);
    const out = join(root, "site");
    const placed = placeImages(config, out);
    assert.equal(placed.written, 1);
    assert.equal(placed.imageFile("https://x.example/0.png"), good);
    assert.ok(lstatSync(join(out, good)).isFile());
    for (const i of [1, 2, 3, 4]) assert.equal(placed.imageFile(`https://x.example/${i}.png`), undefined);
    for (const file of [linked, viaDir]) assert.ok(!existsSync(join(out, file)), file);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("SIMG-02: with a media store that has a public URL, pages link the store and no copy goes into the site", () => {
  const root = mkdtempSync(join(tmpdir(), "newsark-site-images-"));
  try {
    const config = configFromObject(
      {
        sources: [{ id: "a", name: "A", url: "a.xml" }],
        media: {
          store: "s3",
          endpoint: "http://127.0.0.1:9",
          bucket: "news",
          publicUrl: "https://cdn.example/i/",
        },
      },
      root,
    );
    const key = mediaKey(Buffer.from("\x89PNG\r\n\x1a\ncdn", "latin1"), "png");
    const url = "https://x.example/cdn.png";
    writeImageManifest(
      root,
      new Map([[url, { url, file: `images/${key}`, status: "ok", tries: 0, store: "s3" }]]),
    );
    const out = join(root, "site");
    const placed = placeImages(config, out);
    assert.equal(placed.written, 0);
    assert.equal(placed.imageFile(url), `https://cdn.example/i/${key}`);
    assert.ok(!existsSync(join(out, "images")));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
