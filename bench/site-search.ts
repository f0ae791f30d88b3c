/**
 * Measures the site's full-text search on a synthetic 100,000-article archive (Chinese titles and
 * bodies from bench/corpus.ts): index size against the article text, and the bytes a browser loads
 * for a typical two-word query (title and body shards of every segment, plus the doc chunks of the
 * first page of results), then the rebuild after an hourly run. `node dist/bench/site-search.js [N]`;
 * `--make N DIR` writes the archive only, `--build DIR` builds it once (for profiling).
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { configFromObject } from "../src/config/index.js";
import type { ArticleRecord } from "../src/model/article.js";
import { buildSite } from "../src/publish/site/index.js";
import { hashToken } from "../src/publish/site/search-index.js";
import { decodeIds } from "../src/publish/site/text-index.js";
import { htmlToText } from "../src/search/html.js";
import { parseQuery } from "../src/search/tokenize.js";
import { formatArticle } from "../src/store/files/article-format.js";
import { FIRST_N } from "../src/store/files/paths.js";
import { formatSourceState } from "../src/store/files/state.js";
import { makeBody, makeTitle, prng } from "./corpus.js";

const SOURCES = ["voa", "bbc", "dw", "rfi", "nyt"];
const QUERIES = ["台湾 选举", "中国 经济", "美国 制裁", "李尚福 俄罗斯"];

function folderBytes(dir: string): number {
  let sum = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    sum += st.isDirectory() ? folderBytes(path) : st.size;
  }
  return sum;
}

/** Reads the JSON inside a `callback(key,JSON);` index script. */
function scriptJson(file: string): unknown {
  const text = readFileSync(file, "utf8");
  return JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")")));
}

/** Bytes the search page loads for `query`: the same files, in the same way, as searchApp. */
function queryBytes(site: string, query: string): number {
  const metaText = readFileSync(join(site, "search", "meta.js"), "utf8");
  const meta = JSON.parse(metaText.slice(metaText.indexOf("=") + 1, metaText.lastIndexOf(";"))) as {
    shards: number;
    chunk: number;
    segments: [string, number][];
  };
  const files = new Set<string>(["meta.js", "tokenize.js"]);
  const terms = parseQuery(query);
  const title: number[][] = [];
  const body: number[][] = [];
  for (const token of new Set(terms.flatMap((t) => t.tokens))) {
    const rel = `s/${hashToken(token) % meta.shards}.js`;
    files.add(rel);
    let id = 0;
    title.push(
      ((scriptJson(join(site, "search", rel)) as Record<string, number[]>)[token] ?? []).map(
        (d) => (id += d),
      ),
    );
    const ids: number[] = [];
    for (const [name, shards] of meta.segments) {
      const brel = `b/${name}/${hashToken(token) % shards}.js`;
      files.add(brel);
      ids.push(...decodeIds((scriptJson(join(site, "search", brel)) as Record<string, string>)[token] ?? ""));
    }
    body.push(ids);
  }
  const and = (lists: number[][]) =>
    lists.reduce((acc, list) => {
      const set = new Set(list);
      return acc.filter((x) => set.has(x));
    });
  const t = and(title);
  const inTitle = new Set(t);
  const order = [
    ...t.sort((a, b) => b - a),
    ...and(body)
      .filter((x) => !inTitle.has(x))
      .sort((a, b) => b - a),
  ];
  for (const id of order.slice(0, 10)) files.add(`d/${Math.floor(id / meta.chunk)}.js`);
  let bytes = 0;
  for (const rel of files) bytes += statSync(join(site, "search", rel)).size;
  return bytes;
}

/** Writes `count` articles of one source from article number `startN` down, returns their records. */
function writeSource(
  root: string,
  id: string,
  count: number,
  startN: number,
  startMs: number,
  rnd: () => number,
) {
  const dir = join(root, "articles", id);
  mkdirSync(dir, { recursive: true });
  const records: ArticleRecord[] = [];
  let textBytes = 0;
  for (let i = 0; i < count; i++) {
    const n = startN - i;
    const published = startMs + i * 600_000;
    const title = makeTitle(rnd);
    const content = makeBody(rnd, "gdb.voanews.com", "2025", 2000 + Math.floor(rnd() * 8000));
    textBytes += Buffer.byteLength(htmlToText(content)) + Buffer.byteLength(title);
    const url = `https://news.example/${id}/${n}.html`;
    writeFileSync(join(dir, `${n}.md`), formatArticle({ published, title, url, content }));
    records.push({ n, key: url, published, seen: published + 60_000, hash: `h${n}`, title, versions: 0 });
  }
  return { records, textBytes };
}

function benchConfig(root: string) {
  return configFromObject(
    { sources: SOURCES.map((id) => ({ id, name: id.toUpperCase(), url: `https://news.example/${id}.xml` })) },
    root,
  );
}

/** Builds the site of `root` in a fresh process; its time, files written and peak memory. */
function buildInChild(root: string): { ms: number; written: number; peakMb: number } {
  return JSON.parse(
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--build", root], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    }),
  ) as { ms: number; written: number; peakMb: number };
}

/** Writes the synthetic archive of `articles` articles into `root`. */
function makeArchive(root: string, articles: number) {
  const rnd = prng(7);
  const perSource = Math.ceil(articles / SOURCES.length);
  const state = new Map<string, ArticleRecord[]>();
  let textBytes = 0;
  for (const [k, id] of SOURCES.entries()) {
    const made = writeSource(root, id, perSource, FIRST_N - 1, 1.6e12 + k * 1000, rnd);
    state.set(id, made.records);
    textBytes += made.textBytes;
  }
  const writeState = () => {
    mkdirSync(join(root, "state"), { recursive: true });
    for (const [id, records] of state)
      writeFileSync(join(root, "state", `${id}.tsv`), formatSourceState(records));
  };
  writeState();
  return { rnd, perSource, state, textBytes, writeState };
}

/** Generates the archive, builds the site, measures, cleans up. */
export async function benchSiteSearch(articles = 100_000): Promise<Record<string, number>> {
  const root = mkdtempSync(join(tmpdir(), "newsark-bench-site-search-"));
  try {
    const { rnd, perSource, state, textBytes, writeState } = makeArchive(root, articles);
    const site = join(root, "site");
    // Each build runs in a fresh process, as `newsark build` does, so its peak memory is its own.
    const full = buildInChild(root);
    const fullTextBytes = folderBytes(join(site, "search", "b"));
    const searchBytes = folderBytes(join(site, "search"));
    const perQuery = QUERIES.map((q) => queryBytes(site, q));
    for (const [k, id] of SOURCES.entries()) {
      const records = state.get(id) as ArticleRecord[];
      const last = records[records.length - 1] as ArticleRecord;
      records.push(
        ...writeSource(root, id, k === 0 ? 5 : 4, last.n - 1, last.published + 600_000, rnd).records,
      );
    }
    writeState();
    const hourly = buildInChild(root);
    return {
      articles: perSource * SOURCES.length,
      articleTextBytes: textBytes,
      fullTextIndexBytes: fullTextBytes,
      searchFolderBytes: searchBytes,
      indexToTextPercent: Math.round((searchBytes / textBytes) * 1000) / 10,
      maxQueryBytes: Math.max(...perQuery),
      meanQueryBytes: Math.round(perQuery.reduce((a, b) => a + b, 0) / perQuery.length),
      fullBuildMs: full.ms,
      fullBuildPeakMb: full.peakMb,
      hourlyRebuildMs: hourly.ms,
      hourlyRebuildWritten: hourly.written,
      hourlyRebuildPeakMb: hourly.peakMb,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "--build") {
  const root = process.argv[3] as string;
  const result = await buildSite(benchConfig(root), join(root, "site"));
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ ms: result.ms, written: result.written, peakMb }));
} else if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "--make") {
  // Writes an archive to build again and again (e.g. under --cpu-prof with --build): --make N DIR.
  makeArchive(process.argv[4] as string, Number(process.argv[3]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchSiteSearch(Number(process.argv[2] ?? 100_000));
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(22)} ${value}`);
}
