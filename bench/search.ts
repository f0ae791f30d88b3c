/**
 * Search benchmark: a synthetic 100,000-article catalog of Chinese news (2–12 KB HTML bodies, one in
 * five in traditional characters), built in a temp folder and deleted afterwards.
 *
 *     npx tsc -p tsconfig.json --outDir dist-search && node dist-search/bench/search.js [articles]
 *
 * Figures: full rebuild, adding 350 articles (one run of the archiver), and p50/p95 query latency
 * per query kind. Target: p95 < 50 ms at 100k articles.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCatalog } from "../src/search/catalog.js";
import t2s from "../src/search/data/t2s.json" with { type: "json" };
import type { CatalogEntry, SearchQuery } from "../src/store/catalog.js";
import { prng } from "./corpus.js";

/** Picks index i with probability ~ 1/(i+1): word frequencies in text are roughly Zipfian. */
function zipf(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n + 1)) - 1));
}

const LATIN = [
  "Putin",
  "Biden",
  "Trump",
  "NATO",
  "Xi",
  "Taiwan",
  "Ukraine",
  "Reuters",
  "AFP",
  "iPhone",
  "Huawei",
  "TikTok",
  "Shoigu",
  "Blinken",
  "COVID",
  "WHO",
  "Apple",
  "Tesla",
  "Nvidia",
  "Kremlin",
  "Pentagon",
  "Beijing",
  "Moscow",
  "Lukashenko",
  "Zelensky",
  "Modi",
  "Kishida",
  "Yoon",
  "Hamas",
  "Gaza",
  "BRICS",
  "ASEAN",
  "OpenAI",
  "Musk",
];

/** Words, characters and the simplified → traditional map the synthetic text is drawn from. */
export interface Corpus {
  words: string[];
  chars: string[];
  toTraditional: Map<string, string>;
}

/** The vocabulary of the synthetic archive, the same on every run. */
export function makeCorpus(random: () => number): Corpus {
  // ~3,500 common-looking characters from the CJK block, ranked so low indexes are frequent.
  const chars: string[] = [];
  const seen = new Set<number>();
  while (chars.length < 3500) {
    const code = 0x4e00 + Math.floor(random() * (0x9fa5 - 0x4e00));
    if (!seen.has(code)) {
      seen.add(code);
      chars.push(String.fromCodePoint(code));
    }
  }
  // Make sure characters with traditional forms are common, so traditional articles differ.
  const toTraditional = new Map<string, string>();
  const pairs = Array.from(t2s.pairs);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const simp = pairs[i + 1] as string;
    if (!toTraditional.has(simp)) toTraditional.set(simp, pairs[i] as string);
  }
  const simplified = [...toTraditional.keys()].filter((c) => c.length === 1);
  for (let i = 0; i < 600 && i < simplified.length; i++) chars[i * 5] = simplified[i] as string;
  const words: string[] = [];
  const wordSet = new Set<string>();
  while (words.length < 30_000) {
    const length = [2, 2, 2, 2, 3, 4, 4][Math.floor(random() * 7)] as number;
    let w = "";
    for (let k = 0; k < length; k++) w += chars[zipf(random, chars.length)];
    if (!wordSet.has(w)) {
      wordSet.add(w);
      words.push(w);
    }
  }
  return { words, chars, toTraditional };
}

function sentence(random: () => number, corpus: Corpus): string {
  let s = "";
  const n = 4 + Math.floor(random() * 12);
  for (let i = 0; i < n; i++) {
    s +=
      random() < 0.03
        ? ` ${LATIN[Math.floor(random() * LATIN.length)]} `
        : corpus.words[zipf(random, corpus.words.length)];
  }
  return `${s}${random() < 0.7 ? "，" : "。"}`;
}

function article(
  random: () => number,
  corpus: Corpus,
  source: string,
  n: number,
  published: number,
): CatalogEntry {
  const targetBytes = 2048 + Math.floor(random() * 10 * 1024);
  const traditional = random() < 0.2;
  const parts: string[] = [
    `<div><i>${new Date(published).toUTCString()}</i></div>`,
    `<img src="https://images.weserv.nl?url=gdb.voanews.com/${n}_r1_s_w900.jpg" width="100%">`,
    `<div><small style="color: #999;">${sentence(random, corpus)}</small></div>`,
  ];
  let bytes = parts.join("").length * 2;
  while (bytes < targetBytes) {
    let p = "";
    const sentences = 2 + Math.floor(random() * 5);
    for (let i = 0; i < sentences; i++) p += sentence(random, corpus);
    const html = `<p style="text-align:start">${p}</p>`;
    parts.push(html);
    bytes += Buffer.byteLength(html);
  }
  let content = parts.join("");
  let title = `${sentence(random, corpus).slice(0, -1)}`;
  if (traditional) {
    const tr = (text: string) => text.replace(/./gu, (c) => corpus.toTraditional.get(c) ?? c);
    content = tr(content);
    title = tr(title);
  }
  return { source, n, title, url: `https://example.com/${source}/${n}.html`, published, content };
}

const SOURCES = ["voa", "bbc", "dw", "rfi", "nyt", "rfa"];
const START = Date.UTC(2015, 0, 1);
const SPAN = Date.UTC(2025, 0, 1) - START;

/** Synthetic articles, the same for the same arguments; `firstN` counts down like the archive's numbers. */
export function* entries(
  count: number,
  seed: number,
  corpus: Corpus,
  firstN: number,
): Generator<CatalogEntry> {
  const random = prng(seed);
  for (let i = 0; i < count; i++) {
    const source = SOURCES[i % SOURCES.length] as string;
    yield article(random, corpus, source, firstN - i, START + Math.floor((i / count) * SPAN));
  }
}

function queries(corpus: Corpus, random: () => number): { kind: string; q: SearchQuery }[] {
  const pick = <T>(list: T[], top: number) => list[Math.floor(random() * Math.min(top, list.length))] as T;
  const two = corpus.words.filter((w) => w.length === 2);
  const four = corpus.words.filter((w) => w.length === 4);
  const out: { kind: string; q: SearchQuery }[] = [];
  for (let i = 0; i < 40; i++) out.push({ kind: "2-char word", q: { text: pick(two, 3000) } });
  for (let i = 0; i < 40; i++) out.push({ kind: "4-char word", q: { text: pick(four, 5000) } });
  for (let i = 0; i < 30; i++)
    out.push({ kind: "latin word", q: { text: pick(LATIN, LATIN.length).toLowerCase() } });
  for (let i = 0; i < 30; i++) out.push({ kind: "single char", q: { text: pick(corpus.chars, 3500) } });
  for (let i = 0; i < 40; i++) {
    out.push({ kind: "3 terms", q: { text: `${pick(two, 300)} ${pick(two, 2000)} ${pick(four, 5000)}` } });
  }
  for (let i = 0; i < 20; i++) {
    out.push({
      kind: "filtered",
      q: { text: pick(two, 3000), source: pick(SOURCES, 6), since: START + SPAN / 2 },
    });
  }
  return out;
}

/** The p-th percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Builds a synthetic catalog of `count` articles (default 100,000) and returns timings in ms
 * (rebuild, incremental add of 350, p50/p95 per query kind) and the catalog size in MB.
 *
 * @example
 * const figures = await benchSearch();
 */
export async function benchSearch(count = 100_000): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "newsark-bench-search-"));
  const figures: Record<string, number> = { articles: count };
  try {
    const corpus = makeCorpus(prng(1));
    const file = join(dir, ".newsark", "catalog.sqlite");
    const catalog = openCatalog({ root: dir });
    let t = performance.now();
    await catalog.rebuild(entries(count, 2, corpus, 1_048_575 + count));
    figures.rebuildMs = Math.round(performance.now() - t);
    figures.catalogMB = Math.round(statSync(file).size / 1024 / 1024);

    t = performance.now();
    await catalog.upsert(entries(350, 3, corpus, 1_048_575));
    figures.add350Ms = Math.round(performance.now() - t);

    const list = queries(corpus, prng(4));
    for (const { q } of list.slice(0, 20)) await catalog.search(q); // warm the page cache
    const byKind = new Map<string, number[]>();
    const all: number[] = [];
    let hits = 0;
    for (const { kind, q } of list) {
      const start = performance.now();
      const r = await catalog.search(q);
      const ms = performance.now() - start;
      hits += r.total > 0 ? 1 : 0;
      all.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
    all.sort((a, b) => a - b);
    figures.queries = list.length;
    figures.queriesWithHits = hits;
    figures.p50Ms = round(percentile(all, 50));
    figures.p95Ms = round(percentile(all, 95));
    figures.maxMs = round(all[all.length - 1] ?? Number.NaN);
    for (const [kind, times] of byKind) {
      times.sort((a, b) => a - b);
      figures[`${kind} p50Ms`] = round(percentile(times, 50));
      figures[`${kind} p95Ms`] = round(percentile(times, 95));
    }
    t = performance.now();
    await catalog.count();
    figures.countMs = round(performance.now() - t);
    await catalog.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = process.argv[2] ? Number(process.argv[2]) : undefined;
  const figures = await benchSearch(count);
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(24)} ${value}`);
}
