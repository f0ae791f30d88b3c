/**
 * `npm run bench -- small [--reps N] [--hours N] [--scale N] [--parts first,hourly,scale]`: what small runs cost, newsark side by
 * side with two baselines measured in the same bench run over the same loopback feed server: a bare
 * script (fast-xml-parser + one writeFile per article, bench/baseline-script.ts) and the earlier hourly
 * archiver's approach (bench/baseline-seed.ts). Then the hourly run (~54 new items over 9 sources) on
 * a 1,000-article archive and on a large one (default 100,000), to show its cost does not grow with
 * the archive. Whole processes, medians (min–max) of interleaved repetitions.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ArticleRecord } from "../src/model/article.js";
import { archivePaths, FIRST_N } from "../src/store/files/paths.js";
import { formatRecordLine } from "../src/store/files/state.js";
import { expect, freshArchive, runNewsark, summarize } from "./archives.js";
import { ITEMS_PER_FEED, itemHead, makeSources, NEW_PER_HOUR, type SyntheticSource } from "./corpus.js";
import { type FeedServer, startFeedServer } from "./feed-server.js";
import { type ProcessRun, type RssProbe, runNode, type Stats, stats } from "./measure.js";

const SCRIPT = fileURLToPath(new URL("./baseline-script.js", import.meta.url));
const SEED = fileURLToPath(new URL("./baseline-seed.js", import.meta.url));

interface Ctx {
  scratch: string;
  probe: RssProbe;
  reps: number;
}

/** Wall ms, peak MB and CPU ms (user + system, less swayed by other work) of measured runs. */
interface Fig {
  ms: Stats;
  mb: Stats;
  cpu: Stats;
}

function figOf(runs: ProcessRun[]): Fig {
  return {
    ms: stats(runs.map((r) => r.wallMs)),
    mb: stats(runs.map((r) => r.rssMb ?? Number.NaN)),
    cpu: stats(runs.map((r) => r.cpuMs ?? Number.NaN)),
  };
}

/**
 * Writes back what earlier runs left dirty before the next one starts: newsark flushes the file system
 * once its articles are written (syncfs), and must not be charged for the baselines' unflushed files.
 */
function settle(scratch: string): void {
  try {
    execFileSync("sync", ["-f", scratch], { stdio: "ignore", timeout: 60_000 });
  } catch {
    // Without sync(1) every system is measured as it comes.
  }
}

function checked(run: ProcessRun, what: string): ProcessRun {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}: ${run.stderr.trim().slice(0, 400)}`);
  return run;
}

function scriptRun(ctx: Ctx, server: FeedServer, sources: SyntheticSource[]): Promise<ProcessRun> {
  const out = mkdtempSync(join(ctx.scratch, "script-"));
  settle(ctx.scratch);
  return runNode([SCRIPT, out, ...sources.map((s) => server.url(s))], { ...ctx, cwd: ctx.scratch }).then(
    (r) => {
      rmSync(out, { recursive: true, force: true });
      return checked(r, "baseline script");
    },
  );
}

function seedRun(ctx: Ctx, root: string, server: FeedServer, sources: SyntheticSource[]) {
  const specs = sources.map((s) => `${s.id}=${s.name}=${server.url(s)}`);
  settle(ctx.scratch);
  return runNode([SEED, root, ...specs], { ...ctx, cwd: ctx.scratch }).then((r) =>
    checked(r, "seed baseline"),
  );
}

async function newsarkRun(ctx: Ctx, root: string, what: string, want: Record<string, number>) {
  settle(ctx.scratch);
  const run = await runNewsark(root, ctx.probe, ctx.scratch);
  expect(summarize(run, what), what, want);
  return run;
}

/** First runs on fresh folders: script, seed and newsark interleaved, the first round not counted. */
async function firstRuns(ctx: Ctx, count: number) {
  const sources = makeSources(count);
  const server = await startFeedServer(sources);
  const runs = { script: [] as ProcessRun[], seed: [] as ProcessRun[], newsark: [] as ProcessRun[] };
  let last = "";
  try {
    for (let i = 0; i <= ctx.reps; i++) {
      const script = await scriptRun(ctx, server, sources);
      const seedRoot = mkdtempSync(join(ctx.scratch, "seed-"));
      const seed = await seedRun(ctx, seedRoot, server, sources);
      rmSync(seedRoot, { recursive: true, force: true });
      if (last) rmSync(last, { recursive: true, force: true });
      last = freshArchive(ctx.scratch, sources, server);
      const newsark = await newsarkRun(ctx, last, `first run ${count}×50`, { new: count * ITEMS_PER_FEED });
      if (i === 0) continue;
      runs.script.push(script);
      runs.seed.push(seed);
      runs.newsark.push(newsark);
    }
    // Nothing new: every feed answers 304.
    const nothingNew: ProcessRun[] = [];
    for (let i = 0; i <= ctx.reps; i++) {
      const run = await newsarkRun(ctx, last, "nothing-new run", { new: 0, changed: 0 });
      if (i > 0) nothingNew.push(run);
    }
    return {
      items: count * ITEMS_PER_FEED,
      script: figOf(runs.script),
      seed: figOf(runs.seed),
      newsark: figOf(runs.newsark),
      nothingNew: figOf(nothingNew),
    };
  } finally {
    if (last) rmSync(last, { recursive: true, force: true });
    await server.close();
  }
}

/** A day of hourly snapshots (7 sources, 3 new items each per hour), newsark and the seed in turn. */
async function hourlyDays(ctx: Ctx, hours: number) {
  const sources = makeSources(7);
  const server = await startFeedServer(sources);
  const totals = { newsark: [] as number[], seed: [] as number[] };
  try {
    for (let rep = 0; rep < Math.max(1, Math.ceil(ctx.reps / 2)); rep++) {
      for (const system of ["newsark", "seed"] as const) {
        server.setHour(0);
        const root =
          system === "newsark"
            ? freshArchive(ctx.scratch, sources, server)
            : mkdtempSync(join(ctx.scratch, "seed-"));
        try {
          if (system === "newsark") await newsarkRun(ctx, root, "hour 0", { new: 7 * ITEMS_PER_FEED });
          else await seedRun(ctx, root, server, sources);
          let total = 0;
          for (let h = 1; h <= hours; h++) {
            server.setHour(h);
            const run =
              system === "newsark"
                ? await newsarkRun(ctx, root, `hour ${h}`, { new: 7 * NEW_PER_HOUR, changed: 0 })
                : await seedRun(ctx, root, server, sources);
            total += run.wallMs;
          }
          totals[system].push(total);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await server.close();
  }
  return { newsark: stats(totals.newsark), seed: stats(totals.seed) };
}

/**
 * A synthetic archive of `total` articles over `sources`: state lines only (what an hourly run reads),
 * numbered and dated as the archiver would have given them before hour 0.
 */
function writeStateArchive(root: string, sources: SyntheticSource[], total: number): void {
  const perSource = Math.ceil(total / sources.length);
  mkdirSync(join(root, "state"), { recursive: true });
  for (const source of sources) {
    const lines = ["# newsark state v1\tn\tpublished\tseen\thash\tversions\tstatus\tchecked\tkey\ttitle"];
    for (let j = perSource; j >= 1; j--) {
      const head = itemHead(source, -j);
      const hash = ((j * 2654435761 + source.index) >>> 0).toString(16).padStart(8, "0");
      const record: ArticleRecord = {
        n: FIRST_N - 1 - (perSource - j),
        key: `g:${head.link}`,
        published: head.published,
        seen: head.published + 60_000,
        hash: `${hash}${hash}`,
        title: head.title,
        versions: 0,
      };
      lines.push(formatRecordLine(record));
    }
    writeFileSync(archivePaths.state(root, source.id), `${lines.join("\n")}\n`);
  }
}

/**
 * The hourly run (2 hours of snapshots: 6 new items on each of 9 sources) on archives of each size in
 * `totals`, the sizes taking turns so that a change in the machine's load sways them alike.
 */
async function hourlyAt(ctx: Ctx, totals: number[]): Promise<Fig[]> {
  const sources = makeSources(9);
  const setups: { server: FeedServer; root: string; runs: ProcessRun[]; total: number }[] = [];
  try {
    for (const total of totals) {
      const server = await startFeedServer(sources);
      const root = freshArchive(ctx.scratch, sources, server);
      setups.push({ server, root, runs: [], total });
      writeStateArchive(root, sources, total - sources.length * ITEMS_PER_FEED);
      await newsarkRun(ctx, root, `${total}: hour 0`, { new: sources.length * ITEMS_PER_FEED });
    }
    for (let i = 0; i <= ctx.reps; i++) {
      for (const setup of setups) {
        setup.server.setHour(setup.server.hour + 2);
        const want = { new: sources.length * 2 * NEW_PER_HOUR };
        const run = await newsarkRun(ctx, setup.root, `${setup.total}: hourly`, want);
        if (i > 0) setup.runs.push(run);
      }
    }
    return setups.map((setup) => figOf(setup.runs));
  } finally {
    for (const setup of setups) {
      rmSync(setup.root, { recursive: true, force: true });
      await setup.server.close();
    }
  }
}

const fmt = (s: Stats, digits = 0) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/** Runs the small-run comparison and prints it; figures also go to bench-small-results.json. */
export async function benchSmall(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: "string", default: "5" },
      hours: { type: "string", default: "24" },
      scale: { type: "string", default: "100000" },
      parts: { type: "string", default: "first,hourly,scale" },
    },
  });
  const reps = Math.max(1, Number(values.reps) || 5);
  const scratch = mkdtempSync(join(tmpdir(), "newsark-small-"));
  const ctx: Ctx = { scratch, probe: "time", reps };
  const log = (text: string) => process.stderr.write(`${text}\n`);
  const out: string[] = [];
  const results: Record<string, unknown> = { date: new Date().toISOString(), reps, loadBefore: loadavg() };
  try {
    const parts = new Set((values.parts ?? "").split(","));
    for (const count of parts.has("first") ? [7, 50] : []) {
      log(`first runs ${count}×50…`);
      const f = await firstRuns(ctx, count);
      results[`first${count}`] = f;
      const rate = (x: Fig) => f.items / (x.ms.median / 1000);
      out.push(
        `First run ${count} × 50 (${f.items} items)   ms median (min–max)      items/s   peak MB   CPU ms`,
        `  bare script                          ${fmt(f.script.ms).padEnd(24)} ${rate(f.script).toFixed(0).padStart(7)}   ${f.script.mb.median.toFixed(1).padEnd(9)} ${f.script.cpu.median.toFixed(0)}`,
        `  seed system                          ${fmt(f.seed.ms).padEnd(24)} ${rate(f.seed).toFixed(0).padStart(7)}   ${f.seed.mb.median.toFixed(1).padEnd(9)} ${f.seed.cpu.median.toFixed(0)}`,
        `  newsark                              ${fmt(f.newsark.ms).padEnd(24)} ${rate(f.newsark).toFixed(0).padStart(7)}   ${f.newsark.mb.median.toFixed(1).padEnd(9)} ${f.newsark.cpu.median.toFixed(0)}`,
        `  newsark / script: ${(rate(f.newsark) / rate(f.script)).toFixed(2)} × the items/s; newsark / seed: ${(rate(f.newsark) / rate(f.seed)).toFixed(2)} ×`,
        `  nothing new (all 304), newsark:      ${fmt(f.nothingNew.ms).padEnd(24)}           ${f.nothingNew.mb.median.toFixed(1)}`,
        "",
      );
    }
    const hours = Math.max(1, Number(values.hours) || 24);
    if (parts.has("hourly")) {
      log(`${hours} hourly snapshots, newsark and seed…`);
      const day = await hourlyDays(ctx, hours);
      results.hourly = day;
      out.push(
        `${hours} hourly snapshots (7 sources, 3 new items each), total ms`,
        `  seed system                          ${fmt(day.seed)}`,
        `  newsark                              ${fmt(day.newsark)}`,
        `  newsark / seed: ${(day.newsark.median / day.seed.median).toFixed(2)} × the time`,
        "",
      );
    }
    const large = Math.max(2000, Number(values.scale) || 100_000);
    const scale: Record<string, Fig> = {};
    if (parts.has("scale")) {
      log(`hourly runs on a 1,000-article and a ${large}-article archive, in turn…`);
      const [atSmall, atLarge] = await hourlyAt(ctx, [1000, large]);
      if (atSmall && atLarge) Object.assign(scale, { 1000: atSmall, [large]: atLarge });
    }
    results.scale = scale;
    const small = scale[1000];
    const big = scale[large];
    if (small && big)
      out.push(
        "Hourly run, 9 sources, 54 new items              ms median (min–max)      peak MB   CPU ms",
        `  1,000-article archive                          ${fmt(small.ms).padEnd(24)} ${small.mb.median.toFixed(1).padEnd(9)} ${small.cpu.median.toFixed(0)}`,
        `  ${large.toLocaleString("en-US")}-article archive`.padEnd(49) +
          `${fmt(big.ms).padEnd(24)} ${big.mb.median.toFixed(1).padEnd(9)} ${big.cpu.median.toFixed(0)}`,
        `  large / 1k: ${(big.ms.median / small.ms.median).toFixed(2)} × the time, ${(big.mb.median / small.mb.median).toFixed(2)} × the memory, ${(big.cpu.median / small.cpu.median).toFixed(2)} × the CPU time`,
      );
    results.loadAfter = loadavg();
    out.push(
      "",
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} after; ${reps} measured repetitions per figure (one warm-up not counted)`,
    );
    process.stdout.write(`${out.join("\n")}\n`);
    writeFileSync(
      fileURLToPath(new URL("../../bench-small-results.json", import.meta.url)),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
