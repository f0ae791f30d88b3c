/**
 * Whole-process scenarios: `newsark run` spawned against the feed server, as cron or CI runs it. Every
 * run's JSON report is checked against what the scenario must produce before its time counts.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { expect, freshArchive, runNewsark, summarize, writeLargeArchive } from "./archives.js";
import { ITEMS_PER_FEED, makeSources, NEW_PER_HOUR } from "./corpus.js";
import { type FeedServer, startFeedServer } from "./feed-server.js";
import { type ProcessRun, type RssProbe, type Stats, stats } from "./measure.js";

/** Settings shared by the scenarios. */
export interface BenchContext {
  scratch: string;
  probe: RssProbe;
  /** Measured repetitions of each figure (after one unmeasured warm-up). */
  reps: number;
}

/** Wall time, peak RSS and CPU time of a series of runs. */
export interface Series {
  ms: Stats;
  mb: Stats | undefined;
  cpu: Stats | undefined;
}

/** The stats of measured runs; figures a probe could not read are left out. */
export function seriesOf(runs: ProcessRun[]): Series {
  const known = (values: (number | undefined)[]) => {
    const list = values.filter((v): v is number => v !== undefined);
    return list.length ? stats(list) : undefined;
  };
  return {
    ms: stats(runs.map((r) => r.wallMs)),
    mb: known(runs.map((r) => r.rssMb)),
    cpu: known(runs.map((r) => r.cpuMs)),
  };
}

/** A first run on fresh archives, then nothing-new runs on the last one. */
export interface FirstAndRepeat {
  first: Series;
  nothingNew: Series;
  items: number;
  server: FeedServer;
  /** The archive the nothing-new runs used (kept for profiling; the caller removes it). */
  root: string;
}

/** `sourceCount` sources × 50 items: first runs on fresh folders, then immediate second runs. */
export async function firstAndRepeat(ctx: BenchContext, sourceCount: number): Promise<FirstAndRepeat> {
  const sources = makeSources(sourceCount);
  const server = await startFeedServer(sources);
  const items = sourceCount * ITEMS_PER_FEED;
  const measured: ProcessRun[] = [];
  let root = "";
  for (let i = 0; i <= ctx.reps; i++) {
    if (root) rmSync(root, { recursive: true, force: true });
    root = freshArchive(ctx.scratch, sources, server);
    const run = await runNewsark(root, ctx.probe, ctx.scratch);
    expect(summarize(run, `first run ${sourceCount}×50`), `first run ${sourceCount}×50`, {
      fetched: sourceCount,
      new: items,
    });
    // The first repetition warms the page cache and node's code cache; it is not counted.
    if (i === 0) continue;
    measured.push(run);
  }
  const nothingNew = await repeatNothingNew(ctx, root, server, sourceCount);
  return { first: seriesOf(measured), nothingNew, items, server, root };
}

/** Runs `newsark run` in an archive that is up to date: every feed must answer 304. */
export async function repeatNothingNew(
  ctx: BenchContext,
  root: string,
  server: FeedServer,
  sourceCount: number,
) {
  const measured: ProcessRun[] = [];
  for (let i = 0; i <= ctx.reps; i++) {
    server.resetCounts();
    const run = await runNewsark(root, ctx.probe, ctx.scratch);
    const what = `nothing-new run, ${sourceCount} sources`;
    expect(summarize(run, what), what, { fetched: sourceCount, new: 0, changed: 0 });
    if (server.counts.notModified !== sourceCount) {
      throw new Error(
        `${what}: expected ${sourceCount} × 304, got ${server.counts.notModified} (and ${server.counts.ok} × 200)`,
      );
    }
    if (i === 0) continue;
    measured.push(run);
  }
  return seriesOf(measured);
}

/** Figures of the 100,000-article archive. */
export interface LargeArchive {
  articles: number;
  generateMs: number;
  nothingNew: Series;
  changed: Series;
}

/**
 * 7 sources × ~14,300 articles: article files and state written directly, then one real run archives
 * the feeds' 50 current items (which also writes lists and the feeds' validators). Then nothing-new
 * runs (all 304), then runs after each hourly snapshot (3 new items per source).
 */
export async function largeArchive(ctx: BenchContext, total = 100_000): Promise<LargeArchive> {
  const sources = makeSources(7);
  const server = await startFeedServer(sources);
  const root = freshArchive(ctx.scratch, sources, server);
  try {
    const perSource = Math.ceil(total / sources.length) - ITEMS_PER_FEED;
    const t0 = performance.now();
    const written = writeLargeArchive(root, sources, perSource);
    const seed = await runNewsark(root, ctx.probe, ctx.scratch);
    expect(summarize(seed, "100k archive: first feed run"), "100k archive: first feed run", {
      new: sources.length * ITEMS_PER_FEED,
    });
    const generateMs = performance.now() - t0;
    // Let the kernel write back the ~700 MB just created, so the measured runs do not share the disk
    // with that flush.
    try {
      execFileSync("sync", ["-f", root], { stdio: "ignore", timeout: 120_000 });
    } catch {
      // Without sync(1) the first measured runs may be slower; the warm-up run absorbs part of that.
    }
    const nothingNew = await repeatNothingNew(ctx, root, server, sources.length);
    const measured: ProcessRun[] = [];
    for (let i = 0; i <= ctx.reps; i++) {
      server.setHour(server.hour + 1);
      const run = await runNewsark(root, ctx.probe, ctx.scratch);
      const what = "100k archive: feeds changed";
      expect(summarize(run, what), what, {
        new: sources.length * NEW_PER_HOUR,
        unchanged: sources.length * (ITEMS_PER_FEED - NEW_PER_HOUR),
        changed: 0,
      });
      if (i === 0) continue;
      measured.push(run);
    }
    return {
      articles: written + sources.length * ITEMS_PER_FEED,
      generateMs,
      nothingNew,
      changed: seriesOf(measured),
    };
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Figures of a day of hourly runs. */
export interface Hourly {
  /** Total wall time of the 24 runs, per repetition. */
  total: Stats;
  /** Total CPU time of the 24 runs, per repetition. */
  totalCpu: Stats | undefined;
  /** Every single hourly run. */
  perRun: Series;
}

/** 7 sources: a first run at hour 0, then 24 hourly snapshots with 3 new items per source each. */
export async function hourlyDay(ctx: BenchContext, hours = 24): Promise<Hourly> {
  const sources = makeSources(7);
  const server = await startFeedServer(sources);
  const totals: number[] = [];
  const cpuTotals: number[] = [];
  const measured: ProcessRun[] = [];
  try {
    for (let rep = 0; rep < ctx.reps; rep++) {
      server.setHour(0);
      const root = freshArchive(ctx.scratch, sources, server);
      try {
        const first = await runNewsark(root, ctx.probe, ctx.scratch);
        expect(summarize(first, "hourly: hour 0"), "hourly: hour 0", {
          new: sources.length * ITEMS_PER_FEED,
        });
        let total = 0;
        let cpu = 0;
        for (let h = 1; h <= hours; h++) {
          server.setHour(h);
          const run = await runNewsark(root, ctx.probe, ctx.scratch);
          const what = `hourly: hour ${h}`;
          expect(summarize(run, what), what, { new: sources.length * NEW_PER_HOUR, changed: 0 });
          total += run.wallMs;
          cpu += run.cpuMs ?? Number.NaN;
          measured.push(run);
        }
        totals.push(total);
        if (Number.isFinite(cpu)) cpuTotals.push(cpu);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  return {
    total: stats(totals),
    totalCpu: cpuTotals.length ? stats(cpuTotals) : undefined,
    perRun: seriesOf(measured),
  };
}
