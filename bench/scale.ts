/**
 * `npm run bench -- scale [--sizes 1k,100k,300k] [--no-cli]`: newsark on a realistic archive of N
 * articles (9 sources, real paragraphs of the real-archive sample recombined, ~9.4 KB per file), with
 * a projection to 1M articles from the slope between the two largest sizes measured.
 *
 * Per size: catalog size against the article bytes, `newsark reindex` time and peak RSS, search
 * p50/p95 in process (catalog query + snippets from the files, as the CLI does), and, through the CLI
 * in subprocesses: takeover of an archive without state/ (the first run), an hourly run with 54 new
 * items, `newsark build` in full and after an hourly run.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openCatalog } from "../src/search/catalog.js";
import { searchArchive } from "../src/search/index.js";
import type { SearchQuery } from "../src/store/catalog.js";
import { archivePaths } from "../src/store/files/paths.js";
import { freshArchive, summarize } from "./archives.js";
import { makeSources, prng } from "./corpus.js";
import { startFeedServer } from "./feed-server.js";
import { defaultProbe, NEWSARK_BIN, type ProcessRun, runNode } from "./measure.js";
import { readRealPieces, writeRealArchive } from "./real-corpus.js";
import { percentile } from "./search.js";

/** Figures of one archive size; times in ms, sizes in MB. */
type Figures = Record<string, number>;

const SOURCES = 9;
const RATIO = "catalog / article bytes";

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`scale: --sizes: '${text}' is not a size like 1k, 100k or 1m`);
  const unit = m[2]?.toLowerCase() === "k" ? 1e3 : m[2]?.toLowerCase() === "m" ? 1e6 : 1;
  return Math.round(Number(m[1]) * unit);
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    total += d.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

function catalogBytes(root: string): number {
  const file = archivePaths.catalog(root);
  return ["", "-wal", "-shm"].reduce(
    (sum, s) => sum + (statSync(file + s, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

/** Queries from the archive's own text: 1-, 2-, 4-character runs, Latin words, two terms, filtered. */
export function queriesFrom(texts: string[], random: () => number): { kind: string; q: SearchQuery }[] {
  const run = (len: number): string => {
    for (;;) {
      const t = texts[Math.floor(random() * texts.length)] as string;
      const at = Math.floor(random() * Math.max(1, t.length - len));
      const s = t.slice(at, at + len);
      if (new RegExp(`^[\\u4e00-\\u9fff]{${len}}$`).test(s)) return s;
    }
  };
  const latin = ["BBC", "VOA", "COVID", "Trump", "Putin", "NATO", "iPhone", "Twitter"];
  const out: { kind: string; q: SearchQuery }[] = [];
  for (let i = 0; i < 20; i++) out.push({ kind: "1 char", q: { text: run(1) } });
  for (let i = 0; i < 60; i++) out.push({ kind: "2 chars", q: { text: run(2) } });
  for (let i = 0; i < 40; i++) out.push({ kind: "4 chars", q: { text: run(4) } });
  for (let i = 0; i < 20; i++) out.push({ kind: "Latin", q: { text: latin[i % latin.length] as string } });
  for (let i = 0; i < 40; i++) out.push({ kind: "2 terms", q: { text: `${run(2)} ${run(3)}` } });
  for (let i = 0; i < 20; i++)
    out.push({ kind: "source+since", q: { text: run(2), source: "s03", since: Date.UTC(2024, 0, 1) } });
  return out;
}

async function cliRun(root: string, scratch: string, args: string[], timeoutMs: number): Promise<ProcessRun> {
  return runNode([NEWSARK_BIN, ...args], { cwd: root, probe: defaultProbe(), scratch, timeoutMs });
}

function put(f: Figures, key: string, run: ProcessRun): void {
  f[`${key} s`] = Math.round(run.wallMs / 100) / 10;
  f[`${key} RSS MB`] = Math.round(run.rssMb ?? Number.NaN);
  // CPU time says more than wall time on a shared machine: other work stretches the latter.
  f[`${key} CPU s`] = Math.round((run.cpuMs ?? Number.NaN) / 100) / 10;
  if (run.code !== 0) f[`${key} exit`] = run.code ?? -1;
}

/** Measures one archive size; `cli` adds the subprocess runs (takeover, hourly, build). */
async function measureSize(
  total: number,
  scratch: string,
  cli: boolean,
  log: (t: string) => void,
): Promise<Figures> {
  const sources = makeSources(SOURCES);
  const server = await startFeedServer(sources);
  const root = freshArchive(scratch, sources, server);
  const f: Figures = { articles: total };
  try {
    let t = performance.now();
    const pieces = readRealPieces();
    writeRealArchive(root, sources, Math.ceil(total / SOURCES), pieces, false);
    f["generate s"] = Math.round((performance.now() - t) / 100) / 10;
    log(`${total}: archive written in ${f["generate s"]} s`);
    const long = 30 * 60_000;
    if (cli) {
      const takeover = await cliRun(root, scratch, ["run", "--json", "--quiet"], long);
      put(f, "takeover (run without state/)", takeover);
      log(`${total}: takeover ${f["takeover (run without state/) s"]} s, exit ${takeover.code}`);
      server.setHour(2);
      // As a scheduled job on a fresh clone runs it: no local caches (.newsark/), only what git holds.
      rmSync(join(root, ".newsark"), { recursive: true, force: true });
      const hourly = await cliRun(root, scratch, ["run", "--json", "--quiet"], long);
      put(f, "hourly run (54 new)", hourly);
      if (hourly.code === 0) f["hourly new items"] = summarize(hourly, "hourly").new;
      log(`${total}: hourly ${f["hourly run (54 new) s"]} s`);
      const build = await cliRun(root, scratch, ["build"], long);
      put(f, "build full", build);
      log(`${total}: build ${f["build full s"]} s, exit ${build.code} ${build.stderr.slice(0, 200)}`);
      server.setHour(4);
      await cliRun(root, scratch, ["run", "--json", "--quiet"], long);
      const again = await cliRun(root, scratch, ["build"], long);
      put(f, "build after an hourly run", again);
      log(`${total}: incremental build ${f["build after an hourly run s"]} s`);
    }
    const articleBytes = dirBytes(join(root, "articles"));
    f["article files MB"] = Math.round(articleBytes / 1e6);
    const reindex = await cliRun(root, scratch, ["reindex"], long);
    put(f, "reindex", reindex);
    if (reindex.code !== 0) log(`${total}: reindex failed: ${reindex.stderr.slice(0, 300)}`);
    f["catalog MB"] = Math.round(catalogBytes(root) / 1e6);
    f[RATIO] = Math.round((catalogBytes(root) / articleBytes) * 100) / 100;
    log(`${total}: reindex ${f["reindex s"]} s, catalog ${f["catalog MB"]} MB`);

    const texts = pieces.chunks.map((c) => c.replace(/<[^>]*>/g, ""));
    const queries = queriesFrom(texts, prng(11));
    for (const { q } of queries.slice(0, 10)) await searchArchive(root, openCatalog({ root }), q);
    f["load average at search"] = Math.round((loadavg()[0] ?? 0) * 10) / 10;
    // Twice over the same queries: the first pass meets the catalog as a search after the rebuild
    // does (pages partly cached), the second as searches on an archive in use do.
    const passes: number[][] = [];
    const byKind = new Map<string, number[]>();
    for (let pass = 0; pass < 2; pass++) {
      const times: number[] = [];
      for (const { kind, q } of queries) {
        t = performance.now();
        await searchArchive(root, openCatalog({ root }), q);
        const ms = performance.now() - t;
        times.push(ms);
        if (pass === 0) byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      }
      passes.push(times.sort((a, b) => a - b));
    }
    const [all = [], again = []] = passes;
    // The catalog query alone (no snippets): tells the index's share of a search from the file reads'.
    const index: number[] = [];
    for (const { q } of queries) {
      const catalog = openCatalog({ root });
      t = performance.now();
      await catalog.search(q);
      index.push(performance.now() - t);
      await catalog.close();
    }
    index.sort((a, b) => a - b);
    f["catalog query alone p50 ms"] = Math.round(percentile(index, 50) * 10) / 10;
    f["catalog query alone p95 ms"] = Math.round(percentile(index, 95) * 10) / 10;
    f["search p50 ms"] = Math.round(percentile(all, 50) * 10) / 10;
    f["search p95 ms"] = Math.round(percentile(all, 95) * 10) / 10;
    f["search again p50 ms"] = Math.round(percentile(again, 50) * 10) / 10;
    f["search again p95 ms"] = Math.round(percentile(again, 95) * 10) / 10;
    for (const [kind, times] of byKind) {
      times.sort((a, b) => a - b);
      f[`search ${kind} p95 ms`] = Math.round(percentile(times, 95) * 10) / 10;
    }
  } finally {
    // The archive stays until the bench ends (the scratch folder goes then): on ext4, creating many
    // files just after deleting many is slow, and the next size would pay for this one's deletion.
    await server.close();
  }
  return f;
}

/**
 * Projects figures to `target` articles along the line through the two largest sizes. Sizes and
 * times grow about linearly; latencies are noisy on a shared machine, so a falling slope is read as
 * flat (the larger size's value). Ratios are recomputed from the projected parts.
 */
function project(a: Figures, b: Figures, target: number): Figures {
  const out: Figures = { articles: target };
  const n = (f: Figures) => f.articles as number;
  for (const [key, vb] of Object.entries(b)) {
    const va = a[key];
    if (
      key === "articles" ||
      key === RATIO ||
      key.startsWith("load") ||
      va === undefined ||
      !Number.isFinite(va + vb)
    )
      continue;
    const slope = (vb - va) / (n(b) - n(a));
    const value = key.includes(" ms")
      ? Math.max(vb, vb + slope * (target - n(b)))
      : vb + slope * (target - n(b));
    out[key] = Math.round(value * 10) / 10;
  }
  const catalog = out["catalog MB"];
  const articles = out["article files MB"];
  if (catalog !== undefined && articles) out[RATIO] = Math.round((catalog / articles) * 100) / 100;
  return out;
}

function table(rows: Figures[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== "articles");
  const head = `| figure | ${rows.map((r) => `${(r.articles as number).toLocaleString("en")}${r.projected ? " (projected)" : ""}`).join(" | ")} |`;
  const sep = `| --- | ${rows.map(() => "---").join(" | ")} |`;
  const lines = keys
    .filter((k) => k !== "projected")
    .map((k) => `| ${k} | ${rows.map((r) => (r[k] === undefined ? "" : String(r[k]))).join(" | ")} |`);
  return [head, sep, ...lines].join("\n");
}

/** Runs the scale bench with the command-line options after `scale`. */
export async function benchScale(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: "string", default: "1k,100k" }, "no-cli": { type: "boolean" } },
  });
  const sizes = (values.sizes ?? "")
    .split(",")
    .map(parseSize)
    .sort((x, y) => x - y);
  const scratch = join(tmpdir(), `newsark-bench-scale-${process.pid}`);
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  const started = performance.now();
  const log = (text: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}\n`);
  log(
    `${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const rows: Figures[] = [];
  try {
    for (const size of sizes) {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(scratch, { recursive: true });
      rows.push(await measureSize(size, scratch, !values["no-cli"], log));
    }
  } finally {
    cleanup();
  }
  const [a, b] = rows.slice(-2);
  if (a && b && b.articles !== 1_000_000) rows.push({ ...project(a, b, 1_000_000), projected: 1 });
  process.stdout.write(
    `${table(rows)}\n\nload average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
}
