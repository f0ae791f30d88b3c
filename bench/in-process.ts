/**
 * In-process figures: list regeneration for a 100,000-article archive, and a bare parse of the same
 * feeds a run archives (in this process, and in a fresh node so start-up is counted as for a run).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArticleRecord } from "../src/model/article.js";
import { parseFeed } from "../src/parse/index.js";
import { renderLists } from "../src/publish/lists/index.js";
import { FIRST_N } from "../src/store/files/paths.js";
import { writeFileAtomic } from "../src/util/atomic.js";
import { readFileOr } from "../src/util/read.js";
import { itemHead, makeSources } from "./corpus.js";
import { type ProcessRun, runNode, type Stats, stats } from "./measure.js";
import { type BenchContext, type Series, seriesOf } from "./runs.js";

/** Figures of list regeneration. */
export interface ListsFigures {
  articles: number;
  files: number;
  render: Stats;
  /** Render, compare with the files on disk and rewrite the changed ones, as a run does. */
  renderAndWrite: Stats;
}

/**
 * 7 sources × ~14,300 records: renders every list page, then renders and writes them the way
 * `newsark run` does after 3 new articles per source (every page shifts, so every page is rewritten).
 */
export function benchLists(ctx: BenchContext, total = 100_000): ListsFigures {
  const sources = makeSources(7);
  const perSource = Math.ceil(total / sources.length);
  const records = sources.map((s) =>
    Array.from({ length: perSource }, (_, j): ArticleRecord => {
      const head = itemHead(s, -1 - j);
      return {
        n: FIRST_N - 1 - (perSource - 1 - j),
        key: `g:${head.link}`,
        published: head.published,
        seen: head.published,
        hash: "0123456789abcdef",
        title: head.title,
        versions: j % 97 === 0 ? 1 : 0,
      };
    }),
  );
  const renderAll = () =>
    sources.flatMap((s, i) => renderLists(s.id, s.name, records[i] as ArticleRecord[], "Asia/Shanghai", 300));
  const files = renderAll().length;
  renderAll();
  const render: number[] = [];
  for (let i = 0; i < ctx.reps; i++) {
    const t0 = performance.now();
    renderAll();
    render.push(performance.now() - t0);
  }
  const root = mkdtempSync(join(ctx.scratch, "lists-"));
  const writeAll = () => {
    for (const file of renderAll()) {
      const path = join(root, file.path);
      if (readFileOr(path, undefined) !== file.text) writeFileAtomic(path, file.text);
    }
  };
  let added = 0;
  const addThreeEach = () => {
    for (const [i, s] of sources.entries()) {
      const list = records[i] as ArticleRecord[];
      const nextN = (list[list.length - 1]?.n ?? FIRST_N) - 1;
      for (let k = 0; k < 3; k++) {
        // Items after the stream's first hours: newer than every record, so they top page 1.
        const head = itemHead(s, 1_000 + added + k);
        list.push({
          n: nextN - k,
          key: `g:${head.link}`,
          published: head.published,
          seen: head.published,
          hash: "x",
          title: head.title,
          versions: 0,
        });
      }
    }
    added += 3;
  };
  try {
    writeAll();
    const ms: number[] = [];
    for (let i = 0; i < ctx.reps; i++) {
      addThreeEach();
      const t0 = performance.now();
      writeAll();
      ms.push(performance.now() - t0);
    }
    return { articles: perSource * sources.length, files, render: stats(render), renderAndWrite: stats(ms) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Figures of the bare parse of one set of feeds. */
export interface ParseFigures {
  items: number;
  bytes: number;
  /** First parse in this process (cold code). */
  coldMs: number;
  warm: Stats;
  /** A fresh `node -e` that imports parseFeed and parses every feed. */
  process: Series;
}

/** Parses `bodies` in process and in a fresh node. */
export async function benchParse(ctx: BenchContext, label: string, bodies: Buffer[]): Promise<ParseFigures> {
  const parseAll = () => {
    let items = 0;
    for (const body of bodies) {
      const result = parseFeed(body, {
        contentType: "application/rss+xml; charset=utf-8",
        url: "https://feedx.net/rss/x.xml",
      });
      if (!result.ok) throw new Error(`parse ${label}: ${result.error}`);
      items += result.feed.items.length;
    }
    return items;
  };
  const t0 = performance.now();
  const items = parseAll();
  const coldMs = performance.now() - t0;
  parseAll();
  const warm: number[] = [];
  for (let i = 0; i < ctx.reps; i++) {
    const t = performance.now();
    parseAll();
    warm.push(performance.now() - t);
  }
  const dir = mkdtempSync(join(ctx.scratch, "feeds-"));
  try {
    mkdirSync(dir, { recursive: true });
    bodies.forEach((b, i) => {
      writeFileSync(join(dir, `${i}.xml`), b);
    });
    const parseUrl = new URL("../src/parse/index.js", import.meta.url).href;
    const script = [
      `import { readdirSync, readFileSync } from "node:fs";`,
      `import { parseFeed } from ${JSON.stringify(parseUrl)};`,
      "let items = 0;",
      `for (const f of readdirSync(${JSON.stringify(dir)})) {`,
      `  const r = parseFeed(readFileSync(${JSON.stringify(dir)} + "/" + f), { contentType: "application/rss+xml; charset=utf-8" });`,
      "  if (r.ok) items += r.feed.items.length;",
      "}",
      "process.stdout.write(String(items));",
    ].join("\n");
    const measured: ProcessRun[] = [];
    for (let i = 0; i <= ctx.reps; i++) {
      const run = await runNode(["--input-type=module", "-e", script], {
        cwd: dir,
        probe: ctx.probe,
        scratch: ctx.scratch,
      });
      if (run.code !== 0 || Number(run.stdout) !== items) {
        throw new Error(
          `bare parse ${label}: exit ${run.code}, ${run.stdout} items: ${run.stderr.slice(0, 300)}`,
        );
      }
      if (i > 0) measured.push(run);
    }
    return {
      items,
      bytes: bodies.reduce((n, b) => n + b.length, 0),
      coldMs,
      warm: stats(warm),
      process: seriesOf(measured),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
