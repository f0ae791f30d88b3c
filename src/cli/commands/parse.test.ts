import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { SEED } from "../../../test/support/fixtures.js";
import { serveHttp } from "../../../test/support/http.js";
import type { CliIO } from "../io.js";
import { runMain } from "../main.js";

function capture(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    cwd: process.cwd(),
    env: {},
  };
}

describe("newsark parse", () => {
  it("prints the seed feed as JSON in the documented shape", async () => {
    const io = capture();
    const code = await runMain(["parse", SEED.feed, "--json"], io);
    assert.equal(code, 0, io.err.join(""));
    const json = JSON.parse(io.out.join(""));
    assert.deepEqual(Object.keys(json), [
      "format",
      "title",
      "link",
      "description",
      "language",
      "updated",
      "warnings",
      "items",
    ]);
    assert.equal(json.format, "rss");
    assert.equal(json.title, "美国之音");
    assert.equal(json.updated, null);
    assert.equal(json.items.length, 2);
    const item = json.items[0];
    assert.deepEqual(Object.keys(item), [
      "id",
      "title",
      "link",
      "published",
      "updated",
      "author",
      "summary",
      "content",
      "categories",
      "enclosures",
    ]);
    assert.equal(item.published, "2023-08-15T09:39:04.000Z");
    assert.equal(item.author, null);
    assert.equal(item.content, null);
    assert.ok(io.out.join("").includes('\n  "format": "rss"'), "2-space indent");
  });

  it("prints enclosures with url, type and length, null when missing", async () => {
    const io = capture();
    await runMain(["parse", path.resolve("src/parse/fixtures/rss20-full.xml"), "--json"], io);
    const json = JSON.parse(io.out.join(""));
    assert.deepEqual(json.items[0].enclosures[0], {
      url: "https://static.dw.com/audio/66543210.mp3",
      type: "audio/mpeg",
      length: 1234567,
    });
    assert.deepEqual(json.items[1].enclosures, []);
  });

  it("prints a short summary without --json", async () => {
    const io = capture();
    const code = await runMain(["parse", path.resolve("src/parse/fixtures/rss-stray-ampersand.xml")], io);
    assert.equal(code, 0);
    const text = io.out.join("");
    assert.match(text, /format: +rss/);
    assert.match(text, /items: +1/);
    assert.match(text, /warnings: 1\n {2}- parse: stray '&' kept as text/);
  });

  it("fails with one stderr line and a non-zero code on an HTML page", async () => {
    const io = capture();
    const file = path.resolve("src/parse/fixtures/not-a-feed.html");
    const code = await runMain(["parse", file], io);
    assert.notEqual(code, 0);
    assert.equal(io.out.length, 0);
    assert.equal(io.err.join("").trimEnd().split("\n").length, 1);
    assert.equal(io.err.join(""), `newsark: parse: ${file}: an HTML page, not a feed\n`);
  });

  it("fails with one line on a missing file", async () => {
    const io = capture();
    const code = await runMain(["parse", "no/such/feed.xml"], io);
    assert.notEqual(code, 0);
    assert.equal(io.err.join(""), "newsark: parse: no/such/feed.xml: cannot read (ENOENT)\n");
  });

  it("reads a feed from a 127.0.0.1 URL, using its charset header and URL", async () => {
    const server = await serveHttp((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      res.end(
        '<rss version="2.0"><channel><title>本地</title><item><link>/a/1</link></item></channel></rss>',
      );
    });
    try {
      const io = capture();
      const code = await runMain(["parse", `${server.url}/feed.xml`, "--json"], io);
      assert.equal(code, 0, io.err.join(""));
      const json = JSON.parse(io.out.join(""));
      assert.equal(json.title, "本地");
      assert.equal(json.items[0].link, `${server.url}/a/1`);
    } finally {
      await server.close();
    }
  });
});
