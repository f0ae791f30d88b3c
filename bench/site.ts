/**
 * Benchmarks the static site on a synthetic 100,000-article archive (Chinese titles and bodies of
 * 2–12 KB HTML): full build, rebuild after an hourly run of 21 new articles, and the search index alone.
 * Targets: full build < 60 s, rebuild < 2 s, search index < 10 s.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configFromObject } from "../src/config/index.js";
import type { ArticleRecord } from "../src/model/article.js";
import { loadArchive } from "../src/publish/site/archive.js";
import { type BuildResult, buildSite } from "../src/publish/site/index.js";
import { buildSearchIndex, docsOf } from "../src/publish/site/search-index.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState } from "../src/store/files/state.js";

const SOURCES = ["voa", "bbc", "dw", "rfi", "nyt"];
const PER_SOURCE = 20_000;
const WORDS =
  "中国 美国 台湾 香港 俄罗斯 乌克兰 政府 国防部长 经济 选举 人权 记者 抗议 法院 外交 贸易 制裁 疫情 军事 演习 总统 议会 警察 学生 网络 审查 新闻 自由 媒体 报道 官员 会谈 北京 华盛顿 莫斯科 欧盟 联合国 声明 调查 分析".split(
    " ",
  );

/** A small deterministic generator, so every run benchmarks the same archive. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sentence(rnd: () => number, words: number): string {
  let text = "";
  for (let i = 0; i < words; i++) text += WORDS[Math.floor(rnd() * WORDS.length)];
  return `${text}。`;
}

function body(rnd: () => number): string {
  const target = 2048 + Math.floor(rnd() * 10_240);
  let html = `<div><i>${new Date(1.6e12).toUTCString()}</i></div><img src="https://images.example/${Math.floor(rnd() * 1e9)}.jpg" width="100%">`;
  while (html.length < target / 3)
    html += `<p style="text-align:start">${sentence(rnd, 20 + Math.floor(rnd() * 40))}</p>`;
  return html;
}

function benchConfig(root: string) {
  return configFromObject(
    { sources: SOURCES.map((id) => ({ id, name: id.toUpperCase(), url: `https://news.example/${id}.xml` })) },
    root,
  );
}

/** Writes one source's articles, its state file and returns the records. */
function writeSource(
  root: string,
  id: string,
  count: number,
  startN: number,
  startMs: number,
  rnd: () => number,
): ArticleRecord[] {
  const dir = join(root, "articles", id);
  mkdirSync(dir, { recursive: true });
  const records: ArticleRecord[] = [];
  for (let i = 0; i < count; i++) {
    const n = startN - i;
    const published = startMs + i * 600_000;
    const title = sentence(rnd, 6 + Math.floor(rnd() * 8)).slice(0, -1);
    const url = `https://news.example/${id}/${n}.html`;
    writeFileSync(join(dir, `${n}.md`), formatArticle({ published, title, url, content: body(rnd) }));
    records.push({ n, key: url, published, seen: published + 60_000, hash: `h${n}`, title, versions: 0 });
  }
  return records;
}

/** Generates the archive, measures, prints (when run alone) and cleans up. */
export async function benchSite(): Promise<Record<string, number>> {
  const root = mkdtempSync(join(tmpdir(), "newsark-bench-site-"));
  try {
    const rnd = random(42);
    const state = new Map<string, ArticleRecord[]>();
    for (const [k, id] of SOURCES.entries()) {
      state.set(id, writeSource(root, id, PER_SOURCE, FIRST_N - 1, 1.6e12 + k * 1000, rnd));
    }
    const writeState = () => {
      mkdirSync(join(root, "state"), { recursive: true });
      for (const [id, records] of state)
        writeFileSync(join(root, "state", `${id}.tsv`), formatSourceState(records));
    };
    writeState();
    const config = configFromObject(
      {
        sources: SOURCES.map((id) => ({ id, name: id.toUpperCase(), url: `https://news.example/${id}.xml` })),
      },
      root,
    );
    const out = join(root, "site");

    const full = await buildSite(config, out);
    // An hourly run: 21 new articles over the sources.
    for (const [k, id] of SOURCES.entries()) {
      const records = state.get(id) as ArticleRecord[];
      const last = records[records.length - 1] as ArticleRecord;
      const count = k === 0 ? 5 : 4;
      records.push(...writeSource(root, id, count, last.n - 1, last.published + 600_000, rnd));
    }
    writeState();
    // `newsark build` after an hourly run is a fresh process; the full build's heap would slow it down here.
    const rebuild = JSON.parse(
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--rebuild", root], {
        encoding: "utf8",
      }),
    ) as BuildResult;

    const sources = loadArchive(config);
    const started = performance.now();
    const docs = sources.flatMap((s, i) =>
      s.articles.map((a) => ({ title: a.title, source: i, n: a.n, date: "2024-01-01", gone: 0 as const })),
    );
    let indexBytes = 0;
    const index = buildSearchIndex(
      docsOf(docs),
      (_rel, text) => {
        indexBytes += Buffer.byteLength(text);
      },
      { sources: sources.map((s) => [s.source.id, s.source.name]) },
    );
    const indexMs = Math.round(performance.now() - started);

    return {
      articles: SOURCES.length * PER_SOURCE,
      fullBuildMs: full.ms,
      fullBuildPages: full.pages,
      rebuildMs: rebuild.ms,
      rebuildWritten: rebuild.written,
      searchIndexMs: indexMs,
      searchIndexBytes: indexBytes,
      searchShards: index.shards,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "--rebuild") {
  const root = process.argv[3] as string;
  const config = benchConfig(root);
  console.log(JSON.stringify(await buildSite(config, join(root, "site"))));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchSite();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(18)} ${value}`);
}
