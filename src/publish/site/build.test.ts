import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, describe, test } from "node:test";
import { makeArchive, SITE_FIXTURES, unsafeMarkup, writeConfig } from "../../../test/support/site.js";
import { runMain } from "../../cli/main.js";
import { formatArticle, parseArticle } from "../../store/files/article-format.js";
import { writeImageManifest } from "../../store/files/images-manifest.js";
import { formatSourceState } from "../../store/files/state.js";
import { mediaKey } from "../../store/media/keys.js";
import { Parser } from "../../util/html-parser.js";
import { buildSite } from "./index.js";
import { capNesting, MAX_NESTING } from "./nesting.js";
import { sanitizeHtml } from "./sanitize.js";
import { DOC_CHUNK } from "./search-index.js";
import { decodeIds } from "./text-index.js";

/** The seed article's lead image, as the archiver keys it (resolved, so with a "/" before "?"). */
const SEED_IMAGE =
  "https://images.weserv.nl/?url=gdb.voanews.com/023e097b-5894-4bd2-abd7-95762e943ca9_r1_s_w900.jpg";
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function archive(real = true) {
  const made = makeArchive({ real });
  roots.push(made.root);
  return made;
}

/** The JSON inside a `callback(key,JSON);` index script. */
function scriptJson(file: string): unknown {
  const text = readFileSync(file, "utf8");
  return JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")")));
}

/**
 * Token → ids of a site's title index as the site script reads it: the main shards and every title
 * segment meta.js lists, ids of docs whose row is gone (0) left out.
 */
function titlePostings(out: string): [string, number[]][] {
  const metaText = readFileSync(join(out, "search", "meta.js"), "utf8");
  const meta = JSON.parse(metaText.slice(metaText.indexOf("=") + 1).replace(/;\s*$/, "")) as {
    titles: [string, number][];
  };
  const live = (id: number) => {
    const file = join(out, "search", "d", `${Math.floor(id / DOC_CHUNK)}.js`);
    return existsSync(file) && Array.isArray((scriptJson(file) as unknown[])[id % DOC_CHUNK]);
  };
  const files = [
    ...walk(join(out, "search", "s")),
    ...meta.titles.flatMap(([name]) => walk(join(out, "search", "t", name))),
  ];
  const all = new Map<string, number[]>();
  for (const f of files) {
    for (const [token, deltas] of Object.entries(scriptJson(f) as Record<string, number[]>)) {
      let id = 0;
      const ids = deltas.map((d) => (id += d)).filter(live);
      if (ids.length > 0)
        all.set(
          token,
          [...(all.get(token) ?? []), ...ids].sort((a, b) => a - b),
        );
    }
  }
  return [...all].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Writes article n of voa, titled 第n篇, as an hourly run would add it. */
function addVoaArticle(root: string, n: number, body: string): void {
  writeFileSync(
    join(root, "articles", "voa", `${n}.md`),
    formatArticle({
      published: Date.UTC(2025, 2, 1) + n,
      title: `第${n}篇`,
      url: `https://www.voachinese.com/a/${n}.html`,
      content: `<p>${body}</p>`,
    }),
  );
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Every href/src of a page, with whether it is an image, the original link, or inside the article text. */
function links(
  html: string,
): { attr: string; value: string; img: boolean; orig: boolean; content: boolean }[] {
  const found: { attr: string; value: string; img: boolean; orig: boolean; content: boolean }[] = [];
  const stack: boolean[] = [];
  let contentDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const isContent = name === "div" && attribs.class === "content";
        stack.push(isContent);
        if (isContent) contentDepth++;
        for (const attr of ["href", "src", "action", "poster"]) {
          const value = attribs[attr];
          if (value === undefined) continue;
          found.push({
            attr,
            value,
            img: name === "img",
            orig: attribs.class === "orig",
            content: contentDepth > 0,
          });
        }
      },
      onclosetag() {
        if (stack.pop()) contentDepth--;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

/** A python3 that can import feedparser (Debian's module lives in /usr/bin/python3's path). */
function feedparserPython(): string | undefined {
  for (const python of ["/usr/bin/python3", "python3"]) {
    try {
      execFileSync(python, ["-c", "import feedparser"], { stdio: "ignore" });
      return python;
    } catch {}
  }
  return undefined;
}

describe("newsark build", () => {
  test("BLD-01: every link of every page is relative, except images without a copy, the original and the article's own links", async () => {
    const { root, config } = archive();
    const out = join(root, "site");
    const result = await buildSite(config, out);
    assert.ok(result.pages > 40, `${result.pages} pages`);
    const pages = walk(out).filter((f) => f.endsWith(".html"));
    assert.equal(pages.length, result.pages);
    for (const page of pages) {
      for (const link of links(readFileSync(page, "utf8"))) {
        const where = `${relative(out, page)}: ${link.attr}=${link.value}`;
        assert.ok(!link.value.startsWith("/"), `root-relative link ${where}`);
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.value)) {
          const allowed =
            (link.img && /^(https?|data):/.test(link.value)) ||
            link.orig ||
            (link.content && /^(https?|mailto):/.test(link.value));
          assert.ok(allowed, `absolute link ${where}`);
        }
      }
      if (!page.includes(`${join(out, "a")}`)) continue;
      // Site navigation outside the article text must stay inside the site.
      assert.match(readFileSync(page, "utf8"), /<link rel="stylesheet" href="(\.\.\/)+site\.css">/);
    }
  });

  test("BLD-02: every page is under 100 KB", async () => {
    const { root, config } = archive();
    const out = join(root, "site");
    await buildSite(config, out);
    for (const file of walk(out).filter((f) => f.endsWith(".html"))) {
      assert.ok(statSync(file).size < 100 * 1024, `${relative(out, file)} is ${statSync(file).size} bytes`);
    }
  });

  test("BLD-03: a rebuild writes only the pages that changed", async () => {
    const { root, config } = archive();
    const out = join(root, "site");
    const first = await buildSite(config, out);
    assert.equal(first.written > first.pages, true);
    const untouched = join(out, "a", "dw", "1022765.html");
    const before = statSync(untouched);
    assert.equal((await buildSite(config, out)).written, 0);

    // An hourly run adds one article to voa.
    const text = formatArticle({
      published: Date.UTC(2025, 2, 1),
      title: "新文章 测试",
      url: "https://www.voachinese.com/a/new.html",
      content: "<p>新内容</p>",
    });
    writeFileSync(join(root, "articles", "voa", "1008879.md"), text);
    const mainTitles = () => walk(join(out, "search", "s")).map((f) => [f, readFileSync(f, "utf8")]);
    const mainBefore = mainTitles();
    const third = await buildSite(config, out);
    assert.ok(third.written > 0 && third.written < 25, `${third.written} files written`);
    assert.ok(readFileSync(join(out, "a", "voa", "1008879.html"), "utf8").includes("新内容"));
    assert.ok(readFileSync(join(out, "s", "voa", "index.html"), "utf8").includes("新文章 测试"));
    assert.ok(readFileSync(join(out, "index.html"), "utf8").includes("新文章 测试"));
    assert.equal(statSync(untouched).mtimeMs, before.mtimeMs);
    // The doc table equals one built from scratch. The title index and the full-text index add a
    // small segment instead of rewriting their shards, and hold the same postings as a fresh build.
    const fresh = join(root, "fresh");
    await buildSite(config, fresh);
    const docFiles = (dir: string) =>
      walk(join(dir, "search", "d"))
        .map((f) => [relative(dir, f), readFileSync(f, "utf8")])
        .sort();
    assert.deepEqual(docFiles(out), docFiles(fresh));
    assert.deepEqual(mainTitles(), mainBefore, "the main title shards are left as they were");
    assert.ok(existsSync(join(out, "search", "t", "1")), "a title segment was added");
    assert.deepEqual(titlePostings(out), titlePostings(fresh));
    const postings = (dir: string) => {
      const all = new Map<string, number[]>();
      for (const f of walk(join(dir, "search", "b"))) {
        const text = readFileSync(f, "utf8");
        const data = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as Record<
          string,
          string
        >;
        for (const [token, enc] of Object.entries(data))
          all.set(token, [...(all.get(token) ?? []), ...decodeIds(enc)]);
      }
      return [...all].map(([token, ids]) => [token, ids.sort((a, b) => a - b)]).sort();
    };
    assert.ok(
      walk(join(out, "search", "b")).some((f) => f.includes(`${join("b", "u")}`)),
      "a small segment was added",
    );
    assert.deepEqual(postings(out), postings(fresh));

    // A local copy of an image arriving later rewrites just the page that shows it.
    const file = `images/${mediaKey(PNG, "png")}`;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), PNG);
    writeImageManifest(
      root,
      new Map([[SEED_IMAGE, { url: SEED_IMAGE, file, bytes: PNG.length, status: "ok", tries: 1 }]]),
    );
    const fourth = await buildSite(config, out);
    assert.equal(fourth.written, 2, "the image and the one page using it");
    assert.ok(
      readFileSync(join(out, "a", "voa", "1048573.html"), "utf8").includes(`<img src="../../${file}"`),
    );
    assert.deepEqual(readFileSync(join(out, file)), PNG);
  });

  test("BLD-04: the feeds parse in python3-feedparser with title, link, date, content and id", async (t) => {
    const python = feedparserPython();
    if (!python) {
      if (process.env.CI)
        assert.fail("python3-feedparser is missing (apt-get install -y python3-feedparser)");
      t.skip("python3-feedparser is not installed");
      return;
    }
    const { root, config } = archive();
    const out = join(root, "site");
    await buildSite(config, out);
    const script = `
import feedparser, json, sys
for path in sys.argv[1:]:
    if path.endswith(".json"):
        # Debian's feedparser 6.0 has no JSON Feed reader: check JSON Feed 1.1's required fields instead.
        feed = json.load(open(path, encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1", path
        assert feed["title"] and feed["items"], path
        for item in feed["items"]:
            assert item["id"].startswith("newsark:") and item["url"].startswith("http") and item["title"], path
            assert item["content_html"] and item["date_published"], path
        continue
    d = feedparser.parse(open(path, "rb").read())
    assert not d.bozo, (path, repr(d.get("bozo_exception")))
    assert d.feed.get("title"), path
    assert len(d.entries) > 0, path
    for e in d.entries:
        assert e.get("title") and e.get("link", "").startswith("http"), (path, e.get("title"))
        assert e.get("published_parsed"), (path, e.get("title"))
        assert e.get("content") and e.content[0].value, (path, e.get("title"))
        assert e.get("id", "").startswith("newsark:"), (path, e.get("id"))
print("ok", len(sys.argv) - 1)
`;
    const feeds = ["all", "voa", "bbc2020", "cdt"].flatMap((id) =>
      ["xml", "atom", "json"].map((ext) => join(out, "feeds", `${id}.${ext}`)),
    );
    const output = execFileSync(python, ["-c", script, ...feeds], { encoding: "utf8" });
    assert.equal(output.trim(), `ok ${feeds.length}`);
    const all = JSON.parse(readFileSync(join(out, "feeds", "all.json"), "utf8")) as { items: unknown[] };
    assert.equal(all.items.length, 35, "every article of the sample (fewer than 50)");
  });

  test("BLD-05: the page of a hostile article holds none of its attacks", async () => {
    const { root } = archive(false);
    const config = writeConfig(root, [
      ["voa", "美国之音"],
      ["t", "测试"],
    ]);
    const content = readFileSync(join(SITE_FIXTURES, "hostile.html"), "utf8").replace(/\n/g, "");
    mkdirSync(join(root, "articles", "t"), { recursive: true });
    writeFileSync(
      join(root, "articles", "t", "1048574.md"),
      formatArticle({
        published: Date.UTC(2024, 0, 1),
        title: "<script>alert(1)</script> 标题",
        url: "https://news.example/a/1.html",
        content,
      }),
    );
    const out = join(root, "site");
    await buildSite(config, out);
    const page = readFileSync(join(out, "a", "t", "1048574.html"), "utf8");
    assert.deepEqual(unsafeMarkup(page), []);
    assert.ok(page.includes("SAFE-TEXT-5") && page.includes("&lt;script&gt;alert(1)&lt;/script&gt; 标题"));
    for (const file of walk(out).filter((f) => /\.(html|xml|atom)$/.test(f))) {
      assert.doesNotMatch(readFileSync(file, "utf8"), /<script>alert|<svg|<iframe/i, relative(out, file));
    }
  });

  test("BLD-06: article pages show both times, the versions and the deletion mark", async () => {
    const { root, config } = archive(false);
    const dir = join(root, "articles", "voa");
    const current = parseArticle(readFileSync(join(dir, "1048573.md"), "utf8"));
    assert.ok(current);
    const seen = 1692100000000;
    const earlier = 1692093000000;
    mkdirSync(join(root, "versions", "voa", "1048573"), { recursive: true });
    writeFileSync(
      join(root, "versions", "voa", "1048573", `${earlier}.md`),
      formatArticle({ ...current, title: "旧标题", content: "<p>旧版本的内容</p>" }),
    );
    mkdirSync(join(root, "state"), { recursive: true });
    writeFileSync(
      join(root, "state", "voa.tsv"),
      formatSourceState([
        {
          n: 1048574,
          key: "k1",
          published: 1688380743000,
          seen: 1688380800000,
          hash: "h1",
          title: "中国防长李尚福会见俄罗斯海军总司令 寻求加强军事联系与美西方抗衡",
          versions: 0,
        },
        {
          n: 1048573,
          key: "k2",
          published: current.published,
          seen,
          hash: "h2",
          title: current.title,
          versions: 1,
          status: "gone",
          checked: seen,
        },
      ]),
    );
    const out = join(root, "site");
    await buildSite(config, out);
    const page = readFileSync(join(out, "a", "voa", "1048573.html"), "utf8");
    assert.match(page, /<p class="gone">原文已删除<\/p>/);
    assert.match(page, /发布 <time datetime="2023-08-15T09:39:04.000Z">2023-08-15 17:39<\/time>/);
    assert.match(page, /存档 <time datetime="2023-08-15T09:50:00.000Z">2023-08-15 17:50<\/time>/);
    assert.match(page, /<a href="1048573\/1692093000000\.html">较早版本 · 2023-08-15 17:50<\/a>/);
    assert.match(page, /<a class="orig" href="https:\/\/www\.voachinese\.com\/a\/china-defense-minister/);
    const old = readFileSync(join(out, "a", "voa", "1048573", `${earlier}.html`), "utf8");
    assert.ok(
      old.includes("旧版本的内容") && old.includes("旧标题") && old.includes('href="../1048573.html"'),
    );
    assert.match(old, /href="\.\.\/\.\.\/\.\.\/site\.css"/);
    const list = readFileSync(join(out, "s", "voa", "index.html"), "utf8");
    assert.ok(list.includes("（原文已删除）") && list.includes("（已修改）"));
  });

  test("BLD-07: newsark build writes the site into --out", async () => {
    const { root } = archive(false);
    const lines: string[] = [];
    const io = {
      stdout: (t: string) => lines.push(t),
      stderr: (t: string) => lines.push(t),
      isTTY: false,
      cwd: root,
      env: {},
    };
    assert.equal(await runMain(["build", "--out", "public"], io), 0, lines.join(""));
    assert.match(lines.join(""), /^build: \d+ pages, \d+ files written/);
    assert.ok(readFileSync(join(root, "public", "index.html"), "utf8").includes("美国之音"));
    assert.equal(await runMain(["build", "--bogus"], io), 2);
  });

  test("BLD-08: the deletions page lists what check found gone, newest first, and its feeds parse", async (t) => {
    const { root, config } = archive(false);
    const current = parseArticle(readFileSync(join(root, "articles", "voa", "1048573.md"), "utf8"));
    assert.ok(current);
    mkdirSync(join(root, "state"), { recursive: true });
    const found = Date.UTC(2024, 0, 2, 3, 4);
    writeFileSync(
      join(root, "state", "voa.tsv"),
      formatSourceState([
        {
          n: 1048574,
          key: "k1",
          published: 1688380743000,
          seen: 1688380800000,
          hash: "h1",
          title: "中国防长李尚福会见俄罗斯海军总司令 寻求加强军事联系与美西方抗衡",
          versions: 0,
          status: "redirected",
          checked: found - 86_400_000,
        },
        {
          n: 1048573,
          key: "k2",
          published: current.published,
          seen: 1692100000000,
          hash: "h2",
          title: current.title,
          versions: 0,
          status: "gone",
          checked: found,
        },
      ]),
    );
    const out = join(root, "site");
    await buildSite(config, out);
    assert.match(readFileSync(join(out, "index.html"), "utf8"), /href="gone.html"/);
    for (const page of ["gone.html", join("s", "voa", "gone.html")]) {
      const html = readFileSync(join(out, page), "utf8");
      const gone = html.indexOf(current.title);
      const moved = html.indexOf("中国防长李尚福会见俄罗斯海军总司令");
      assert.ok(gone > 0 && moved > gone, `${page}: the most recently found first`);
      assert.ok(html.includes("HTTP 404/410") && html.includes("2024-01-02 11:04"), page);
    }
    const python = feedparserPython();
    if (!python) {
      if (process.env.CI)
        assert.fail("python3-feedparser is missing (apt-get install -y python3-feedparser)");
      t.skip("python3-feedparser is not installed");
      return;
    }
    const script = `
import feedparser, sys
for path in sys.argv[1:]:
    d = feedparser.parse(open(path, "rb").read())
    assert d.bozo == 0, (path, repr(d.get("bozo_exception")))
    assert len(d.entries) == 2, (path, len(d.entries))
    assert "404" in d.entries[0].content[0].value, path
print("ok")
`;
    const feeds = ["gone", "gone-voa"].flatMap((n) =>
      ["xml", "atom"].map((ext) => join(out, "feeds", `${n}.${ext}`)),
    );
    assert.match(execFileSync(python, ["-c", script, ...feeds], { encoding: "utf8" }), /ok/);
  });

  test("BLD-09: an edited article's newer version marks the changed characters, and the edits page lists it", async () => {
    const { root, config } = archive(false);
    const file = join(root, "articles", "voa", "1048573.md");
    const current = parseArticle(readFileSync(file, "utf8"));
    assert.ok(current?.content.includes("李尚福"));
    assert.ok(current);
    const earlier = 1692093000000;
    mkdirSync(join(root, "versions", "voa", "1048573"), { recursive: true });
    writeFileSync(
      join(root, "versions", "voa", "1048573", `${earlier}.md`),
      formatArticle({ ...current, content: current.content.replace("李尚福", "李尚富") }),
    );
    const out = join(root, "site");
    await buildSite(config, out);
    const page = readFileSync(join(out, "a", "voa", "1048573.html"), "utf8");
    assert.match(page, /<section class="changes">/);
    assert.match(page, /李尚<del>富<\/del><ins>福<\/ins>/);
    // The oldest version has nothing before it.
    assert.doesNotMatch(
      readFileSync(join(out, "a", "voa", "1048573", `${earlier}.html`), "utf8"),
      /class="changes"/,
    );
    const edited = readFileSync(join(out, "edited.html"), "utf8");
    assert.match(edited, /href="a\/voa\/1048573\.html"/);
    assert.match(readFileSync(join(out, "index.html"), "utf8"), /href="edited.html"/);
  });

  test("BLD-10: build never reads articles or versions through symlinks that lead out of the archive", async () => {
    const { root, config } = archive(false);
    const outside = join(root, "..", `outside-${process.pid}-${Date.now()}`);
    roots.push(outside);
    mkdirSync(join(outside, "v"), { recursive: true });
    const secret = formatArticle({
      published: Date.UTC(2025, 0, 1),
      title: "SECRET-TITLE",
      url: "https://example.com/secret",
      content: "<p>SECRET-BODY</p>",
    });
    writeFileSync(join(outside, "1000001.md"), secret);
    writeFileSync(join(outside, "v", "1692093000000.md"), secret);
    symlinkSync(join(outside, "1000001.md"), join(root, "articles", "voa", "1000001.md"));
    mkdirSync(join(root, "versions", "voa"), { recursive: true });
    symlinkSync(join(outside, "v"), join(root, "versions", "voa", "1048573"));
    symlinkSync(outside, join(root, "articles", "elsewhere"));
    const out = join(root, "site");
    await buildSite(config, out);
    for (const file of walk(out)) {
      assert.doesNotMatch(readFileSync(file, "utf8"), /SECRET-/, relative(out, file));
    }
    assert.equal(statSync(join(out, "a", "voa", "1048573.html")).isFile(), true);
  });

  test("BLD-11: an article of 100,000 nested elements is capped before parsing, its text kept", () => {
    const deep = `${"<div><span>".repeat(50_000)}深层文字${"</span></div>".repeat(50_000)}<p>之后的段落</p>`;
    const capped = capNesting(deep);
    let depth = 0;
    let deepest = 0;
    for (const m of capped.matchAll(/<(\/?)[a-z]+>/g)) {
      depth += m[1] ? -1 : 1;
      deepest = Math.max(deepest, depth);
    }
    assert.equal(deepest, MAX_NESTING);
    assert.equal(depth, 0, "every kept start tag keeps its end tag");
    const { html } = sanitizeHtml(deep);
    assert.ok(html.includes("深层文字") && html.includes("<p>之后的段落</p>"));
    // Real articles are far below the cap and pass unchanged.
    const real = readFileSync(join(SITE_FIXTURES, "hostile.html"), "utf8");
    assert.equal(capNesting(real), real);
  });

  test("BLD-12: hourly builds add small full-text segments, merge them past eight, and an edit replaces the old text", async () => {
    const { root, config } = archive(false);
    const out = join(root, "site");
    await buildSite(config, out);
    const add = (n: number, body: string) => addVoaArticle(root, n, body);
    for (let k = 0; k < 11; k++) {
      add(1009000 + k, `每小时的新闻${k}号，关键词乌鲁木齐。`);
      await buildSite(config, out);
      const segments = readdirSync(join(out, "search", "b"));
      assert.ok(segments.length <= 9, `${segments.length} segments after ${k + 1} runs`);
      const titles = readdirSync(join(out, "search", "t"));
      assert.equal(titles.length, k < 8 ? k + 1 : k - 7, `title segments after ${k + 1} runs`);
    }
    // Eight title segments, then one merged, then two more: the same titles as a build from scratch.
    const fresh = join(root, "fresh");
    await buildSite(config, fresh);
    assert.deepEqual(titlePostings(out), titlePostings(fresh));
    assert.ok(titlePostings(out).some(([token]) => token === "1009010"));
    // An edit: the article's text changes; the old words no longer find it, the new ones do.
    add(1009003, "改写后的内容提到喀什。");
    await buildSite(config, out);
    const rows = (id: number) => {
      const text = readFileSync(join(out, "search", "d", `${Math.floor(id / DOC_CHUNK)}.js`), "utf8");
      const list = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as unknown[];
      return list[id % DOC_CHUNK];
    };
    const find = (token: string) => {
      const ids = new Set<number>();
      for (const f of walk(join(out, "search", "b"))) {
        const text = readFileSync(f, "utf8");
        const data = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))) as Record<
          string,
          string
        >;
        for (const id of decodeIds(data[token] ?? "")) ids.add(id);
      }
      return [...ids]
        .map(rows)
        .filter((r): r is unknown[] => Array.isArray(r))
        .map((r) => r[2])
        .sort();
    };
    assert.equal(find("乌鲁").length, 10);
    assert.ok(!find("乌鲁").includes(1009003));
    assert.deepEqual(find("喀什"), [1009003]);
  });

  test("BLD-14: a second build into the same folder stops with one line naming the first; a dead build's lock is taken over", async () => {
    const { root, config } = archive(false);
    const out = join(root, "site");
    mkdirSync(out, { recursive: true });
    const lock = join(out, ".newsark-build.lock");
    // Held by a live process (this one), as a build still running would hold it.
    writeFileSync(lock, `${process.pid}\t${hostname()}\t2026-01-01T00:00:00.000Z\tbuild\n`);
    await assert.rejects(buildSite(config, out), (err: Error) => {
      assert.match(err.message, /is busy: another newsark build \(pid \d+ .*\.newsark-build\.lock/);
      assert.equal(err.message.includes("\n"), false, "one line");
      return true;
    });
    assert.equal(existsSync(join(out, "index.html")), false, "nothing was built");
    // Its process gone (a killed build): the next build takes the lock over, builds, and lets it go.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(lock, `${dead}\t${hostname()}\t2026-01-01T00:00:00.000Z\tbuild\n`);
    const built = await buildSite(config, out);
    assert.ok(built.written > 0 && existsSync(join(out, "index.html")));
    assert.equal(existsSync(lock), false, "the lock is released");
  });

  test("BLD-15: a manifest written before title segments is built on: its title index holds every doc, new titles go to a segment", async () => {
    const { root, config } = archive(false);
    const out = join(root, "site");
    await buildSite(config, out);
    // The manifest as builds wrote it before title segments: no "titles" in its header (last line).
    const manifest = join(out, ".newsark-build");
    const text = readFileSync(manifest, "utf8");
    const headerAt = text.lastIndexOf("\n", text.length - 2) + 1;
    const header = JSON.parse(text.slice(headerAt)) as Record<string, unknown>;
    assert.ok(header.titles, "this build wrote title segments' bookkeeping");
    delete header.titles;
    writeFileSync(manifest, `${text.slice(0, headerAt)}${JSON.stringify(header)}\n`);
    writeFileSync(
      join(root, "articles", "voa", "1009500.md"),
      formatArticle({
        published: Date.UTC(2025, 2, 2),
        title: "琥珀新闻",
        url: "https://www.voachinese.com/a/1009500.html",
        content: "<p>内容。</p>",
      }),
    );
    const mainBefore = walk(join(out, "search", "s")).map((f) => readFileSync(f, "utf8"));
    const rebuilt = await buildSite(config, out);
    assert.ok(rebuilt.written > 0 && rebuilt.written < 40, `${rebuilt.written} files written`);
    assert.deepEqual(
      walk(join(out, "search", "s")).map((f) => readFileSync(f, "utf8")),
      mainBefore,
      "the main title index is not rebuilt",
    );
    const fresh = join(root, "fresh");
    await buildSite(config, fresh);
    assert.deepEqual(titlePostings(out), titlePostings(fresh));
    assert.ok(titlePostings(out).some(([token]) => token === "琥"));
  });

  test("BLD-16: feed items are kept between builds while their article's stamp holds, and feeds equal a fresh build's", async () => {
    const { root, config } = archive(true);
    const out = join(root, "site");
    await buildSite(config, out);
    const cacheFile = join(out, ".newsark-feed-items");
    const feeds = (dir: string) =>
      readdirSync(join(dir, "feeds"))
        .sort()
        .map((f) => [f, readFileSync(join(dir, "feeds", f), "utf8")]);
    // An hourly run adds an article: the feeds are what a build from scratch makes.
    const add = (n: number, body: string) => addVoaArticle(root, n, body);
    add(1009100, "新的一篇。");
    await buildSite(config, out);
    const fresh = join(root, "fresh");
    await buildSite(config, fresh);
    assert.deepEqual(feeds(out), feeds(fresh));
    // A kept item is used as kept: marked by hand, the mark shows in the next build's feeds.
    const lines = readFileSync(cacheFile, "utf8").split("\n");
    const at = lines.findIndex((l) => l.startsWith('["voa/1009100",'));
    const [key, stamp, item] = JSON.parse(lines[at] as string) as [string, string, { contentHtml: string }];
    item.contentHtml = "<p>KEPT-ITEM-MARK</p>";
    lines[at] = JSON.stringify([key, stamp, item]);
    writeFileSync(cacheFile, lines.join("\n"));
    await buildSite(config, out);
    assert.ok(readFileSync(join(out, "feeds", "voa.xml"), "utf8").includes("KEPT-ITEM-MARK"));
    // The article changes: its stamp with it, and its item is made again.
    add(1009100, "改过的一篇，长一些。");
    await buildSite(config, out);
    assert.equal(readFileSync(join(out, "feeds", "voa.xml"), "utf8").includes("KEPT-ITEM-MARK"), false);
    rmSync(fresh, { recursive: true });
    await buildSite(config, fresh);
    assert.deepEqual(feeds(out), feeds(fresh));
    // A damaged cache is no cache.
    writeFileSync(cacheFile, "{not json\n[1,2\n");
    rmSync(join(out, "feeds"), { recursive: true });
    rmSync(join(out, ".newsark-build"));
    await buildSite(config, out);
    assert.deepEqual(feeds(out), feeds(fresh));
  });

  test("BLD-13: an article removed from the archive loses its pages and its search row, and the next build writes nothing", async () => {
    const { root, config } = archive(false);
    const out = join(root, "site");
    await buildSite(config, out);
    const files = readdirSync(join(root, "articles", "voa")).filter((f) => f.endsWith(".md"));
    const gone = files[0] as string;
    const n = Number(gone.replace(/[_.].*$/, ""));
    const page = join(out, "a", "voa", `${n}.html`);
    assert.ok(existsSync(page));
    const docsBefore = walk(join(out, "search", "d"))
      .map((f) => readFileSync(f, "utf8"))
      .join("");
    assert.ok(docsBefore.includes(`,${n},`));
    rmSync(join(root, "articles", "voa", gone));
    const rebuilt = await buildSite(config, out);
    assert.ok(rebuilt.written > 0);
    assert.equal(existsSync(page), false, "the removed article's page is gone");
    const docsAfter = walk(join(out, "search", "d"))
      .map((f) => readFileSync(f, "utf8"))
      .join("");
    assert.equal(docsAfter.includes(`,${n},`), false, "its doc row is dropped");
    assert.equal(readFileSync(join(out, "s", "voa", "index.html"), "utf8").includes(`${n}.html`), false);
    assert.equal((await buildSite(config, out)).written, 0, "the build after it has nothing to do");
  });
});
