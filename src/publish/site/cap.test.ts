import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { writeConfig } from "../../../test/support/site.js";
import { runMain } from "../../cli/main.js";
import { formatArticle } from "../../store/files/article-format.js";
import { buildSite } from "./index.js";
import { DOC_CHUNK } from "./search-index.js";
import { decodeIds } from "./text-index.js";

const REPO = "https://github.com/owner/repo/blob/main/";
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Bytes of the files under `dir`, the manifest aside. */
function bytesOf(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) total += bytesOf(path);
    // The build's own files (manifest, lock, feed items) are not the site, as the build counts it.
    else if (!name.startsWith(".newsark-")) total += st.size;
  }
  return total;
}

/** Writes article n of voa, published n hours after 2025-03-01, with a body of a few KB and a unique word. */
function addArticle(root: string, n: number): void {
  mkdirSync(join(root, "articles", "voa"), { recursive: true });
  writeFileSync(
    join(root, "articles", "voa", `${n}.md`),
    formatArticle({
      published: Date.UTC(2025, 2, 1) + n * 3_600_000,
      title: `第${n}篇新闻`,
      url: `https://www.voachinese.com/a/${n}.html`,
      content: `<p>独特词${String.fromCharCode(0x4e00 + n)}${String.fromCharCode(0x4e80 + n)}。</p>${"<p>长长的正文，关于天气和经济的报道。</p>".repeat(20)}`,
    }),
  );
}

/** Ids of the docs holding `token` in the full-text index, mapped to their rows. */
function rowsWith(out: string, token: string): unknown[][] {
  const ids = new Set<number>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const text = readFileSync(path, "utf8");
        const data = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as Record<
          string,
          string
        >;
        for (const id of decodeIds(data[token] ?? "")) ids.add(id);
      }
    }
  };
  walk(join(out, "search", "b"));
  return [...ids]
    .map((id) => {
      const text = readFileSync(join(out, "search", "d", `${Math.floor(id / DOC_CHUNK)}.js`), "utf8");
      const list = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as unknown[];
      return list[id % DOC_CHUNK] as unknown[];
    })
    .filter((r) => Array.isArray(r));
}

describe("site.maxBytes", () => {
  test("CAP-01: a capped build stays under site.maxBytes, keeps the newest pages and links the rest to the repository", async () => {
    const root = mkdtempSync(join(tmpdir(), "newsark-cap-"));
    roots.push(root);
    for (let n = 1; n <= 70; n++) addArticle(root, n);
    // The whole site, uncapped, to pick a cap that leaves out about 30 article pages; more articles
    // than the feeds carry (50), so new articles do not make the rest of the site grow.
    const whole = join(root, "whole");
    await buildSite(writeConfig(root, [["voa", "美国之音"]]), whole);
    const pageBytes = statSync(join(whole, "a", "voa", "70.html")).size;
    const cap = bytesOf(whole) - 30 * pageBytes;
    const config = writeConfig(
      root,
      [["voa", "美国之音"]],
      `site:\n  maxBytes: ${cap}\n  repoUrl: ${REPO}\n`,
    );
    const out = join(root, "site");
    const lines: string[] = [];
    const io = {
      stdout: (t: string) => lines.push(t),
      stderr: (t: string) => lines.push(t),
      isTTY: false,
      cwd: root,
      env: {},
    };
    assert.equal(await runMain(["build", "--out", "site"], io), 0, lines.join(""));
    assert.ok(bytesOf(out) <= cap, `${bytesOf(out)} bytes over the cap ${cap}`);
    const note = lines.join("").split("\n")[1] ?? "";
    const trimmed = Number(/^site: (\d+) older articles have no page of their own/.exec(note)?.[1]);
    assert.ok(trimmed >= 25 && trimmed <= 35, note);
    assert.match(note, /site\.maxBytes/);
    // Newest first: the newest articles have pages, the older ones none.
    for (let n = 1; n <= 70; n++)
      assert.equal(existsSync(join(out, "a", "voa", `${n}.html`)), n > trimmed, `article ${n}`);
    // Lists link the left-out ones to their file in the repository, the others to their page.
    const lists = readdirSync(join(out, "s", "voa"))
      .map((f) => readFileSync(join(out, "s", "voa", f), "utf8"))
      .join("");
    assert.ok(lists.includes(`href="${REPO}articles/voa/1.md"`));
    assert.ok(lists.includes(`href="../../a/voa/70.html"`));
    assert.ok(!lists.includes("a/voa/1.html"));
    // Search still finds a left-out article, and its row links to the repository.
    const rows = rowsWith(out, `独特词${String.fromCharCode(0x4e00 + 1)}`.slice(2, 4));
    assert.ok(
      rows.some((r) => r[2] === 1 && r[6] === `${REPO}articles/voa/1.md`),
      JSON.stringify(rows),
    );
    const keptRows = rowsWith(out, `${String.fromCharCode(0x4e00 + 70)}${String.fromCharCode(0x4e80 + 70)}`);
    assert.ok(keptRows.some((r) => r[2] === 70 && r.length === 6));
    // Hourly: five newer articles; the site stays under the cap, they get pages, older ones give way.
    for (let n = 71; n <= 75; n++) addArticle(root, n);
    const next = await buildSite(config, out);
    assert.ok(bytesOf(out) <= cap, `${bytesOf(out)} bytes over the cap ${cap} after a rebuild`);
    for (let n = 71; n <= 75; n++)
      assert.ok(existsSync(join(out, "a", "voa", `${n}.html`)), `new article ${n}`);
    assert.ok(next.trimmed > trimmed, `${next.trimmed} left out after adding five, ${trimmed} before`);
    for (let n = 1; n <= 75; n++)
      assert.equal(
        existsSync(join(out, "a", "voa", `${n}.html`)),
        n > next.trimmed,
        `article ${n} after the rebuild`,
      );
    const newest = readFileSync(join(out, "s", "voa", "index.html"), "utf8");
    assert.ok(newest.includes(`href="${REPO}articles/voa/${next.trimmed}.md"`));
    assert.ok(next.trimmed < 75);
  });

  test("CAP-02: without site.repoUrl a left-out article links to its original URL", async () => {
    const root = mkdtempSync(join(tmpdir(), "newsark-cap-"));
    roots.push(root);
    for (let n = 1; n <= 6; n++) addArticle(root, n);
    // So small that no article page fits: every list links to the originals.
    const config = writeConfig(root, [["voa", "美国之音"]], "site:\n  maxBytes: 1KB\n");
    const out = join(root, "site");
    const result = await buildSite(config, out);
    assert.equal(result.trimmed, 6);
    assert.match(result.note ?? "", /over site\.maxBytes/);
    assert.equal(existsSync(join(out, "a", "voa", "1.html")), false);
    const home = readFileSync(join(out, "index.html"), "utf8");
    assert.ok(home.includes('href="https://www.voachinese.com/a/6.html"'));
  });
});
