/**
 * The behaviour every Catalog must have, as a node:test suite. A catalog's own test file calls
 * `catalogContract` with a factory that opens a fresh, empty catalog.
 */
import * as assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Catalog, CatalogEntry } from "./catalog.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2023, 7, 15);

/** Builds an entry with defaults, so each test states only what it is about. */
export function entry(partial: Partial<CatalogEntry> & { n: number }): CatalogEntry {
  return {
    source: "voa",
    title: `标题 ${partial.n}`,
    url: `https://example.com/${partial.n}`,
    published: T0,
    content: "<p>无关内容</p>",
    ...partial,
  };
}

async function found(catalog: Catalog, text: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  return (await catalog.search({ text, ...extra })).results.map((r) => `${r.source}/${r.n}`);
}

/**
 * Registers the Catalog contract tests under `name`; `open` must return a new, empty catalog each call.
 *
 * @example
 * catalogContract("sqlite", () => openCatalog({ root: mkdtempSync(tmp) }));
 */
export function catalogContract(name: string, open: () => Catalog): void {
  const withCatalog = (entries: CatalogEntry[], check: (c: Catalog) => Promise<void>) => async () => {
    const catalog = open();
    try {
      await catalog.upsert(entries);
      await check(catalog);
    } finally {
      await catalog.close();
    }
  };

  describe(`Catalog contract: ${name}`, () => {
    describe("CJK matching", () => {
      const entries = [
        entry({ n: 1, content: "<p>民进党在臺灣举行集会。</p>" }),
        entry({ n: 2, content: "<p>台灣的選舉即將到來。</p>" }),
        entry({ n: 3, content: "<p>台湾海峡局势紧张。</p>" }),
        entry({ n: 4, content: "<p>中俄关系继续向前推进。</p>" }),
        entry({ n: 5, content: "<p>中国国防部长李尚福出访俄罗斯。</p>" }),
        entry({ n: 6, content: "<p>台风来袭，沿海地区停课。</p>" }),
      ];

      test(
        "C01: 台湾 finds 臺灣 and 台灣, and each finds the others",
        withCatalog(entries, async (c) => {
          for (const q of ["台湾", "臺灣", "台灣"]) {
            assert.deepEqual((await found(c, q)).sort(), ["voa/1", "voa/2", "voa/3"], q);
          }
        }),
      );

      test(
        "C02: 中俄 matches inside 中俄关系",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "中俄"), ["voa/4"]);
        }),
      );

      test(
        "C03: a substring of a longer run matches (尚福 in 李尚福)",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "尚福"), ["voa/5"]);
          assert.deepEqual(await found(c, "李尚福"), ["voa/5"]);
          assert.deepEqual(await found(c, "福出访"), ["voa/5"]);
        }),
      );

      test(
        "C04: a single-character query finds the character anywhere in a run",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "福"), ["voa/5"]);
          assert.deepEqual((await found(c, "俄")).sort(), ["voa/4", "voa/5"]);
          // 課 folds to 课, the last character of its run.
          assert.deepEqual(await found(c, "課"), ["voa/6"]);
        }),
      );

      test(
        "C05: several terms must all match",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "李尚福 俄罗斯"), ["voa/5"]);
          assert.deepEqual(await found(c, "李尚福 台湾"), []);
        }),
      );

      test(
        "C06: characters that are not adjacent do not make a match",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "台俄"), []);
          assert.deepEqual(await found(c, "党湾"), []);
        }),
      );
    });

    describe("Latin and HTML", () => {
      const entries = [
        entry({ n: 1, content: "<p>俄罗斯总统普京（Vladimir Putin）在论坛上发言。</p>" }),
        entry({ n: 2, content: '<p style="color:#999"><span class="caption">图片说明</span></p>' }),
        entry({ n: 3, content: "<p>ＡＢＣ新闻报道 iPhone 销量。</p>" }),
        entry({ n: 4, content: "<p>Putting it simply.</p><script>var secret = 1;</script>" }),
      ];

      test(
        "L01: Latin words match case-insensitively, whole words only",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "Putin"), ["voa/1"]);
          assert.deepEqual(await found(c, "putin"), ["voa/1"]);
          assert.deepEqual(await found(c, "PUTIN"), ["voa/1"]);
          assert.deepEqual(await found(c, "put"), []);
        }),
      );

      test(
        "L02: a quoted phrase must match in order",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, '"vladimir putin"'), ["voa/1"]);
          assert.deepEqual(await found(c, '"putin vladimir"'), []);
        }),
      );

      test(
        "L03: tags and attributes are not searchable",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "style"), []);
          assert.deepEqual(await found(c, "color"), []);
          assert.deepEqual(await found(c, "caption"), []);
          assert.deepEqual(await found(c, "span"), []);
          assert.deepEqual(await found(c, "secret"), []);
          assert.deepEqual(await found(c, "图片说明"), ["voa/2"]);
        }),
      );

      test(
        "L04: fullwidth letters match their ASCII form",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "abc"), ["voa/3"]);
          assert.deepEqual(await found(c, "ＩＰＨＯＮＥ"), ["voa/3"]);
        }),
      );

      test(
        "L05: a query of punctuation only finds nothing and does not fail",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await c.search({ text: '"*" AND ( -' }), { results: [], total: 0 });
          assert.deepEqual(await c.search({ text: "" }), { results: [], total: 0 });
        }),
      );
    });

    describe("filters, ranking and paging", () => {
      const entries = [
        entry({ n: 1, source: "voa", published: T0 - 10 * DAY, content: "<p>关于台湾的报道。</p>" }),
        entry({ n: 2, source: "bbc", published: T0, content: "<p>关于台湾的报道。</p>" }),
        entry({ n: 3, source: "voa", published: T0 + 10 * DAY, content: "<p>关于台湾的报道。</p>" }),
        entry({
          n: 4,
          source: "dw",
          published: T0 - 20 * DAY,
          title: "台湾大选",
          content: "<p>关于选举的报道。</p>",
        }),
      ];

      test(
        "F01: source, since and until filter the hits",
        withCatalog(entries, async (c) => {
          assert.deepEqual((await found(c, "台湾", { source: "voa" })).sort(), ["voa/1", "voa/3"]);
          assert.deepEqual((await found(c, "台湾", { since: T0 })).sort(), ["bbc/2", "voa/3"]);
          assert.deepEqual((await found(c, "台湾", { until: T0 })).sort(), ["dw/4", "voa/1"]);
          assert.deepEqual(await found(c, "台湾", { since: T0, until: T0 + DAY }), ["bbc/2"]);
          assert.equal((await c.search({ text: "台湾", source: "voa", since: T0 })).total, 1);
        }),
      );

      test(
        "F02: a title match ranks above body matches, then newest first",
        withCatalog(entries, async (c) => {
          assert.deepEqual(await found(c, "台湾"), ["dw/4", "voa/3", "bbc/2", "voa/1"]);
        }),
      );

      test(
        "F03: limit and offset page through hits; total counts them all",
        withCatalog(entries, async (c) => {
          const first = await await c.search({ text: "台湾", limit: 2 });
          assert.equal(first.total, 4);
          assert.deepEqual(
            first.results.map((r) => r.n),
            [4, 3],
          );
          const second = await await c.search({ text: "台湾", limit: 2, offset: 2 });
          assert.equal(second.total, 4);
          assert.deepEqual(
            second.results.map((r) => r.n),
            [2, 1],
          );
          assert.equal((await c.search({ text: "台湾", limit: 2, offset: 10 })).total, 4);
        }),
      );

      test(
        "F04: hits carry the article's fields and an ISO date",
        withCatalog(entries, async (c) => {
          const [hit] = (await await c.search({ text: "大选" })).results;
          assert.ok(hit);
          assert.equal(hit.source, "dw");
          assert.equal(hit.n, 4);
          assert.equal(hit.title, "台湾大选");
          assert.equal(hit.url, "https://example.com/4");
          assert.equal(hit.published, new Date(T0 - 20 * DAY).toISOString());
        }),
      );

      test(
        "F05: an article without a date is found and has an empty date",
        withCatalog(
          [entry({ n: 9, published: Number.NaN, content: "<p>无日期的台湾文章</p>" })],
          async (c) => {
            const [hit] = (await await c.search({ text: "台湾" })).results;
            assert.equal(hit?.published, "");
          },
        ),
      );
    });

    describe("maintenance", () => {
      test(
        "M01: upsert replaces the article with the same source and number",
        withCatalog([entry({ n: 1, content: "<p>旧版本提到台湾</p>" })], async (c) => {
          await c.upsert([entry({ n: 1, title: "新标题", content: "<p>新版本提到香港</p>" })]);
          assert.equal(await c.count(), 1);
          assert.deepEqual(await found(c, "台湾"), []);
          assert.deepEqual(await found(c, "香港"), ["voa/1"]);
          assert.equal((await c.search({ text: "香港" })).results[0]?.title, "新标题");
        }),
      );

      test(
        "M02: the same number in another source is another article",
        withCatalog(
          [entry({ n: 1, content: "<p>台湾</p>" }), entry({ n: 1, source: "bbc", content: "<p>台湾</p>" })],
          async (c) => {
            assert.equal(await c.count(), 2);
            assert.deepEqual((await found(c, "台湾")).sort(), ["bbc/1", "voa/1"]);
          },
        ),
      );

      test(
        "M03: remove forgets one article, and removing a missing one is harmless",
        withCatalog(
          [entry({ n: 1, content: "<p>台湾</p>" }), entry({ n: 2, content: "<p>台湾</p>" })],
          async (c) => {
            await c.remove("voa", 1);
            await c.remove("voa", 99);
            assert.equal(await c.count(), 1);
            assert.deepEqual(await found(c, "台湾"), ["voa/2"]);
          },
        ),
      );

      test(
        "M04: rebuild replaces everything",
        withCatalog([entry({ n: 1, content: "<p>台湾</p>" })], async (c) => {
          await c.rebuild([entry({ n: 7, content: "<p>香港</p>" }), entry({ n: 8, content: "<p>澳门</p>" })]);
          assert.equal(await c.count(), 2);
          assert.deepEqual(await found(c, "台湾"), []);
          assert.deepEqual(await found(c, "香港"), ["voa/7"]);
          await c.upsert([entry({ n: 9, content: "<p>香港</p>" })]);
          assert.deepEqual((await found(c, "香港")).sort(), ["voa/7", "voa/9"]);
        }),
      );

      test("M05: a new catalog is empty", async () => {
        const c = open();
        try {
          assert.equal(await c.count(), 0);
          assert.deepEqual(await c.search({ text: "台湾" }), { results: [], total: 0 });
        } finally {
          await c.close();
        }
      });
    });
  });
}
